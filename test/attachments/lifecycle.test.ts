// From upload to owner: a valid form links its uploads in the owning module's transaction; a refused
// form loses them, whether the route discards them itself or just answers with an error status.
import { expect } from 'chai';
import { AttachmentModel, type Attachment } from '../../server/attachments/index.js';
import { useTestDatabase } from '../support/app.js';
import { createTestUser } from '../support/factories.js';
import { signIn } from '../support/http.js';
import { lettersRoutes, postFiles } from './http.js';
import { samplePdf, samplePng } from './samples.js';
import { buildUploadApp, expectNothingStored, storedCounts } from './support.js';

describe('attachments: from upload to owner', () => {
  useTestDatabase();

  async function agent() {
    return signIn(buildUploadApp(lettersRoutes()), await createTestUser());
  }

  it('links the uploads of a valid form to their owner, with the confidential flag', async () => {
    const res = await postFiles(await agent(), '/t/letters', [{ name: 'don.pdf', data: samplePdf(300 * 1024) }, { name: 'anh.png', data: samplePng() }], {
      field: 'scans',
      fields: { subject: 'Tố cáo cán bộ xã', confidential: 'yes' },
    });
    expect(res.status, res.text).to.equal(303);
    const letterId = /^\/t\/letters\/([0-9a-f]{24})$/.exec(String(res.headers.location))?.[1];
    expect(letterId).to.be.a('string');
    const docs = await AttachmentModel.find({}).sort({ _id: 1 }).lean<Attachment[]>();
    expect(docs.map((d) => [d.status, d.owner, d.confidential])).to.deep.equal([
      ['linked', { type: 'letter', id: letterId }, true],
      ['linked', { type: 'letter', id: letterId }, true],
    ]);
    expect(await storedCounts()).to.deep.include({ files: 2 });
  });

  it('removes the uploads of a form the route rejects with 422, without the route doing anything', async () => {
    const res = await postFiles(await agent(), '/t/letters', [{ name: 'don.pdf', data: samplePdf(300 * 1024) }], { field: 'scans', fields: { subject: '  ' } });
    expect(res.status).to.equal(422);
    await expectNothingStored();
  });

  it('removes the uploads when the route calls discardUploads, whatever its status', async () => {
    const res = await postFiles(await agent(), '/t/discard', [{ name: 'a.pdf', data: samplePdf() }, { name: 'b.png', data: samplePng() }]);
    expect(res.status).to.equal(200);
    expect(res.body).to.deep.equal({ had: 2, kept: [] });
    await expectNothingStored();
  });

  it('removes the uploads when the route fails after them with a 500', async () => {
    const res = await postFiles(await agent(), '/t/failing', [{ name: 'a.pdf', data: samplePdf(300 * 1024) }]);
    expect(res.status).to.equal(500);
    await expectNothingStored();
  });

  it('keeps unlinked uploads of a successful response as pending (for the purge to collect later)', async () => {
    const res = await postFiles(await agent(), '/t/upload', [{ name: 'a.pdf', data: samplePdf() }]);
    expect(res.status).to.equal(200);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const docs = await AttachmentModel.find({}).sort({ _id: 1 }).lean<Attachment[]>();
    expect(docs.map((d) => d.status)).to.deep.equal(['pending']);
  });
});
