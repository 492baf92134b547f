// Uploading through a real multipart form: accepted types by content, refusals with a clear 4xx in the
// user's language, and nothing left behind by a refused request.
import { expect } from 'chai';
import mongoose from 'mongoose';
import { AttachmentModel, type Attachment } from '../../server/attachments/index.js';
import { UserModel } from '../../server/users/index.js';
import { useTestDatabase } from '../support/app.js';
import { createTestUser } from '../support/factories.js';
import { signIn } from '../support/http.js';
import { lettersRoutes, postFiles, sha256, SMALL_LIMITS } from './http.js';
import { SAMPLE_HTML, SAMPLE_SVG, SAMPLE_ZIP, sampleDocx, sampleExe, sampleJpeg, samplePdf, samplePng, sampleXlsx } from './samples.js';
import { buildUploadApp, expectNothingStored, storedCounts } from './support.js';

interface UploadedJson {
  id: string;
  field: string;
  originalName: string;
  contentType: string;
  extension: string;
  size: number;
  sha256: string;
}

describe('attachments: uploading', () => {
  useTestDatabase();

  async function signedIn(locale: 'vi' | 'en' = 'vi') {
    const user = await createTestUser();
    if (locale === 'en') await UserModel.updateOne({ email: user.email }, { $set: { locale: 'en' } });
    const app = buildUploadApp(lettersRoutes());
    return { user, agent: await signIn(app, user) };
  }

  it('accepts PDF, JPEG, PNG, DOCX and XLSX by their content and records what each is', async () => {
    const { user, agent } = await signedIn();
    const files = [
      { name: 'don.pdf', data: samplePdf(), extension: 'pdf', contentType: 'application/pdf' },
      { name: 'anh.jpg', data: sampleJpeg(), extension: 'jpg', contentType: 'image/jpeg' },
      { name: 'anh.png', data: samplePng(), extension: 'png', contentType: 'image/png' },
      { name: 'cong-van.docx', data: sampleDocx(), extension: 'docx', contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' },
      // [Content_Types].xml after 300 KB: the type is only known near the end of the stream.
      { name: 'bao-cao.docx', data: sampleDocx({ contentTypesLast: true, padding: 300 * 1024 }), extension: 'docx', contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' },
      { name: 'so-lieu.xlsx', data: await sampleXlsx(), extension: 'xlsx', contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
    ];
    const res = await postFiles(agent, '/t/upload', files, { fields: { note: 'ghi chú' } });
    expect(res.status, res.text).to.equal(200);
    const body = res.body as { uploads: UploadedJson[]; body: Record<string, unknown> };
    expect(body.body).to.deep.equal({ _csrf: body.body._csrf, note: 'ghi chú' });
    expect(body.uploads.map((u) => [u.originalName, u.extension, u.contentType, u.size, u.sha256])).to.deep.equal(
      files.map((f) => [f.name, f.extension, f.contentType, f.data.length, sha256(f.data)]),
    );

    const docs = await AttachmentModel.find({}).sort({ uploadedAt: 1, _id: 1 }).lean<Attachment[]>();
    expect(docs).to.have.length(files.length);
    for (const doc of docs) {
      expect(doc).to.deep.include({ status: 'pending', owner: null, confidential: false, deletedAt: null, uploadedBy: { kind: 'user', id: user.id } });
      expect(doc.storedName).to.match(/^[0-9a-f]{32}$/);
      const stored = await mongoose.connection.collection<{ _id: mongoose.Types.ObjectId; length: number; filename: string }>('uploads.files').findOne({ _id: doc.fileId });
      expect(stored?.length).to.equal(doc.size);
      // The GridFS name is the random one; the user's file name lives only in the metadata.
      expect(stored?.filename).to.equal(doc.storedName);
    }
    expect(new Set(docs.map((d) => d.storedName)).size).to.equal(files.length);
  });

  it('believes the bytes, not the name or the declared type', async () => {
    const { agent } = await signedIn();
    const res = await postFiles(agent, '/t/upload', [{ name: 'scan.pdf', data: samplePng(), contentType: 'application/pdf' }]);
    expect(res.status).to.equal(200);
    const [upload] = (res.body as { uploads: UploadedJson[] }).uploads;
    expect(upload).to.include({ originalName: 'scan.pdf', extension: 'png', contentType: 'image/png' });
  });

  for (const [label, name, data, declared] of [
    ['a Windows program renamed .pdf', 'ho-so.pdf', sampleExe(), 'application/pdf'],
    ['an HTML page renamed .png', 'anh.png', SAMPLE_HTML, 'image/png'],
    ['an SVG image with a script', 'so-do.svg', SAMPLE_SVG, 'image/svg+xml'],
    ['a ZIP archive that is no Office document', 'tai-lieu.docx', SAMPLE_ZIP, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
  ] as const) {
    it(`refuses ${label} with 415 and stores nothing`, async () => {
      const { agent } = await signedIn();
      const res = await postFiles(agent, '/t/upload', [{ name, data, contentType: declared }]);
      expect(res.status).to.equal(415);
      expect(res.text).to.contain('Chỉ nhận tệp PDF, JPEG, PNG, DOCX, XLSX');
      await expectNothingStored();
    });
  }

  it('removes the files already stored when a later file of the same form is refused', async () => {
    const { agent } = await signedIn();
    const res = await postFiles(agent, '/t/upload', [
      { name: 'don.pdf', data: samplePdf(300 * 1024) },
      { name: 'anh.png', data: samplePng() },
      { name: 'virus.pdf', data: sampleExe() },
    ]);
    expect(res.status).to.equal(415);
    await expectNothingStored();
  });

  it('accepts a file of exactly the size limit and refuses one byte more, leaving nothing', async () => {
    const { agent } = await signedIn();
    const exact = samplePdf(0);
    const atLimit = Buffer.concat([exact, Buffer.alloc(SMALL_LIMITS.maxBytes - exact.length, 0x20)]);
    const ok = await postFiles(agent, '/t/upload-small', [{ name: 'vua-du.pdf', data: atLimit }]);
    expect(ok.status, ok.text).to.equal(200);
    expect((ok.body as { uploads: UploadedJson[] }).uploads[0]?.size).to.equal(SMALL_LIMITS.maxBytes);
    await mongoose.connection.collection('attachments').deleteMany({});
    await mongoose.connection.collection('uploads.files').deleteMany({});
    await mongoose.connection.collection('uploads.chunks').deleteMany({});

    const over = Buffer.concat([atLimit, Buffer.from(' ')]);
    const res = await postFiles(agent, '/t/upload-small', [{ name: 'nho.png', data: samplePng() }, { name: 'qua-lon.pdf', data: over }]);
    expect(res.status).to.equal(413);
    expect(res.text).to.contain('Tệp quá lớn: mỗi tệp tối đa 1 MB.');
    await expectNothingStored();
  });

  it('refuses more files than allowed with 413, leaving nothing', async () => {
    const { agent } = await signedIn();
    const res = await postFiles(agent, '/t/upload-small', [
      { name: '1.png', data: samplePng() },
      { name: '2.png', data: samplePng() },
      { name: '3.png', data: samplePng() },
    ]);
    expect(res.status).to.equal(413);
    expect(res.text).to.contain('Quá nhiều tệp: mỗi lần gửi tối đa 2 tệp.');
    await expectNothingStored();
  });

  it('refuses an empty file with 422, leaving nothing', async () => {
    const { agent } = await signedIn();
    const res = await postFiles(agent, '/t/upload', [{ name: 'rong.pdf', data: Buffer.alloc(0) }]);
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('Tệp đã chọn không có nội dung (0 byte)');
    await expectNothingStored();
  });

  it('answers in English for a user who chose English', async () => {
    const { agent } = await signedIn('en');
    const res = await postFiles(agent, '/t/upload-small', [{ name: 'a.pdf', data: Buffer.concat([samplePdf(), Buffer.alloc(SMALL_LIMITS.maxBytes)]) }]);
    expect(res.status).to.equal(413);
    expect(res.text).to.contain('The file is too large: at most 1 MB per file.');
    const wrongType = await postFiles(agent, '/t/upload', [{ name: 'a.pdf', data: sampleExe() }]);
    expect(wrongType.text).to.contain('Only PDF, JPEG, PNG, DOCX and XLSX files are accepted.');
  });

  it('keeps a clean, NFC file name: no folders, control or bidirectional characters', async () => {
    const { agent } = await signedIn();
    const nfd = 'Đơn khiếu nại.pdf'.normalize('NFD');
    const res = await postFiles(agent, '/t/upload', [
      { name: nfd, data: samplePdf() },
      { name: 'C:\\Users\\an\\Desktop\\biên bản.pdf', data: samplePdf() },
      { name: 'ho-so\u202Efdp.exe', data: samplePdf() },
    ]);
    expect(res.status, res.text).to.equal(200);
    const names = (res.body as { uploads: UploadedJson[] }).uploads.map((u) => u.originalName);
    expect(names).to.deep.equal(['Đơn khiếu nại.pdf'.normalize('NFC'), 'biên bản.pdf', 'ho-sofdp.exe']);
    expect(names[0]).to.equal('\u0110\u01A1n khi\u1EBFu n\u1EA1i.pdf');
  });

  it('refuses bracketed field names and files in an unexpected field with 400, leaving nothing', async () => {
    const { agent } = await signedIn();
    const nested = await postFiles(agent, '/t/upload', [{ name: 'a.pdf', data: samplePdf() }], { fields: { 'note[$ne]': 'x' } });
    expect(nested.status).to.equal(400);
    const otherField = await postFiles(agent, '/t/upload', [{ name: 'a.pdf', data: samplePdf() }], { field: 'avatar' });
    expect(otherField.status).to.equal(400);
    expect(otherField.text).to.contain('Biểu mẫu gửi tệp vào một ô không nhận tệp.');
    await expectNothingStored();
  });

  it('lets an ordinary form through an upload route with no uploads', async () => {
    const { agent } = await signedIn();
    const form = await agent.get('/t/form');
    const token = /value="([^"]+)"/.exec(form.text)![1]!;
    const res = await agent.post('/t/upload').type('form').send({ _csrf: token, note: 'không có tệp' });
    expect(res.status).to.equal(200);
    expect((res.body as { uploads: unknown[] }).uploads).to.deep.equal([]);
    expect(await storedCounts()).to.deep.equal({ attachments: 0, files: 0, chunks: 0 });
  });
});
