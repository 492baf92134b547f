// Downloads: always as an attachment, with the sniffed type, nosniff and no caching; Vietnamese names
// intact; byte for byte what was uploaded; 404 for ids that do not lead to a file; confidential files
// only for those allowed to see who filed a denunciation.
import { expect } from 'chai';
import type { Express } from 'express';
import { UserModel } from '../../server/users/index.js';
import { useTestDatabase } from '../support/app.js';
import { createTestUser } from '../support/factories.js';
import { signIn } from '../support/http.js';
import { lettersRoutes, postFiles, sha256 } from './http.js';
import { samplePdf, samplePng } from './samples.js';
import { binary, buildUploadApp, type Agent } from './support.js';

describe('attachments: downloading', () => {
  useTestDatabase();
  let app: Express;

  beforeEach(() => {
    app = buildUploadApp(lettersRoutes());
  });

  async function uploadOne(agent: Agent, name: string, data: Buffer): Promise<string> {
    const res = await postFiles(agent, '/t/upload', [{ name, data }]);
    expect(res.status, res.text).to.equal(200);
    return (res.body as { uploads: { id: string }[] }).uploads[0]!.id;
  }

  async function uploadLetter(agent: Agent, confidential: boolean): Promise<string> {
    const res = await postFiles(agent, '/t/letters', [{ name: 'Đơn tố cáo.pdf', data: samplePdf() }], {
      field: 'scans',
      fields: { subject: 'Tố cáo', confidential: confidential ? 'yes' : 'no' },
    });
    expect(res.status, res.text).to.equal(303);
    const attachments = await UserModel.db.collection('attachments').find({}).sort({ _id: -1 }).limit(1).toArray();
    return String(attachments[0]!._id);
  }

  it('sends a file as an attachment with exact headers and a Vietnamese file name', async () => {
    const agent = await signIn(app, await createTestUser());
    const pdf = samplePdf();
    const id = await uploadOne(agent, 'Đơn khiếu nại số 1.pdf', pdf);
    const res = await agent.get(`/t/attachments/${id}`).buffer(true).parse(binary);
    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.equal('application/pdf');
    expect(res.headers['content-disposition']).to.equal(
      `attachment; filename="Don khieu nai so 1.pdf"; filename*=UTF-8''%C4%90%C6%A1n%20khi%E1%BA%BFu%20n%E1%BA%A1i%20s%E1%BB%91%201.pdf`,
    );
    expect(res.headers['x-content-type-options']).to.equal('nosniff');
    expect(res.headers['cache-control']).to.equal('private, no-store');
    expect(res.headers['content-length']).to.equal(String(pdf.length));
    expect((res.body as Buffer).equals(pdf)).to.equal(true);
  });

  it('returns a multi-chunk file byte for byte', async () => {
    const agent = await signIn(app, await createTestUser());
    const pdf = samplePdf(1024 * 1024 + 12_345); // about four GridFS chunks of 255 KB, the last one partial
    const id = await uploadOne(agent, 'ho-so.pdf', pdf);
    const res = await agent.get(`/t/attachments/${id}`).buffer(true).parse(binary);
    expect(res.status).to.equal(200);
    const body = res.body as Buffer;
    expect(body.length).to.equal(pdf.length);
    expect(sha256(body)).to.equal(sha256(pdf));
    const chunks = await UserModel.db.collection('uploads.chunks').countDocuments({});
    expect(chunks).to.equal(Math.ceil(pdf.length / (255 * 1024)));
    expect(chunks).to.be.greaterThan(1);
  });

  it('names the download after the real type when the uploaded name claims another', async () => {
    const agent = await signIn(app, await createTestUser());
    const id = await uploadOne(agent, 'scan.pdf', samplePng());
    const res = await agent.get(`/t/attachments/${id}`).buffer(true).parse(binary);
    expect(res.headers['content-type']).to.equal('image/png');
    expect(res.headers['content-disposition']).to.equal(`attachment; filename="scan.pdf.png"; filename*=UTF-8''scan.pdf.png`);
  });

  it('answers 404 for malformed, unknown and deleted ids', async () => {
    const agent = await signIn(app, await createTestUser());
    for (const id of ['abc', '123456789012345678901234z', '000000000000000000000000', "x' OR '1'='1", '%24ne']) {
      const res = await agent.get(`/t/attachments/${encodeURIComponent(id)}`);
      expect(res.status, id).to.equal(404);
      expect(res.text).to.contain('Không tìm thấy tệp đính kèm');
    }
    const id = await uploadLetter(agent, false);
    await UserModel.db.collection('attachments').updateOne({}, { $set: { deletedAt: new Date() } });
    expect((await agent.get(`/t/attachments/${id}`)).status).to.equal(404);
  });

  it('shows a pending upload only to the user who uploaded it', async () => {
    const owner = await signIn(app, await createTestUser());
    const id = await uploadOne(owner, 'nhap.pdf', samplePdf());
    expect((await owner.get(`/t/attachments/${id}`)).status).to.equal(200);
    const other = await signIn(app, await createTestUser());
    expect((await other.get(`/t/attachments/${id}`)).status).to.equal(404);
  });

  it('refuses a confidential file to a user without view-denouncer-identity, and gives it to one with it', async () => {
    const clerk = await signIn(app, await createTestUser());
    const id = await uploadLetter(clerk, true);
    const refused = await clerk.get(`/t/attachments/${id}`);
    expect(refused.status).to.equal(403);
    expect(refused.text).to.contain('có thể làm lộ danh tính người tố cáo');
    expect(refused.headers['content-disposition']).to.equal(undefined);

    const trusted = await signIn(app, await createTestUser({ grantedPermissions: ['view-denouncer-identity'] }));
    const allowed = await trusted.get(`/t/attachments/${id}`).buffer(true).parse(binary);
    expect(allowed.status).to.equal(200);
    expect(allowed.headers['content-disposition']).to.contain(`filename="Don to cao.pdf"`);
  });
});
