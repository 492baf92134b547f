// A meeting's minutes (biên bản) over HTTP: uploaded through the meeting page's multipart form (CSRF
// first), kept by their content type, downloaded as attachments that can never run as a page; refused
// uploads — too large, mislabelled, none, from a user who may not write — answer in Vietnamese on the
// meeting page and leave nothing stored.
import crypto from 'node:crypto';
import { expect } from 'chai';
import mongoose from 'mongoose';
import type supertest from 'supertest';
import { AttachmentModel } from '../../server/attachments/index.js';
import { MeetingModel } from '../../server/meetings/index.js';
import type { Meeting } from '../../server/meetings/meeting.model.js';
import { ALLOWED_TYPES } from '../../server/attachments/attachments.rules.js';
import { SAMPLE_HTML, sampleDocx, sampleExe, samplePdf, sampleXlsx } from '../attachments/samples.js';
import { buildTestApp, fixedClock, useTestDatabase } from '../support/app.js';
import { createTestUser } from '../support/factories.js';
import { pageToken, signIn, type Agent } from '../support/http.js';
import { makeMeeting, makeSession, seedMeetingsWorld, type MeetingsWorld } from './support.js';

const sha256 = (data: Buffer) => crypto.createHash('sha256').update(data).digest('hex');

function binary(res: supertest.Response, callback: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => callback(null, Buffer.concat(chunks)));
}

/** The form as a browser sends it: `_csrf` first, then the files. */
async function upload(agent: Agent, meetingId: string, files: { name: string; data: Buffer; type?: string }[], token?: string) {
  const csrf = token ?? (await pageToken(agent, `/meetings/${meetingId}`));
  let req = agent.post(`/meetings/${meetingId}/minutes`).field('_csrf', csrf);
  for (const f of files) req = req.attach('files', f.data, { filename: f.name, contentType: f.type ?? 'application/pdf' });
  return req;
}

/** Refused uploads are removed when the response ends; wait for that instead of sleeping blindly. */
async function storedUploads(): Promise<number> {
  for (let i = 0; i < 60; i++) {
    const [attachments, files] = await Promise.all([AttachmentModel.countDocuments({}), mongoose.connection.collection('uploads.files').countDocuments({})]);
    if (attachments === 0 && files === 0) return 0;
    await new Promise((r) => setTimeout(r, 50));
  }
  return AttachmentModel.countDocuments({});
}

async function minutesOf(meetingId: string): Promise<string[]> {
  const m = await MeetingModel.findById(meetingId, { minutesAttachmentIds: 1 }).lean<Meeting>();
  return (m?.minutesAttachmentIds ?? []).map(String);
}

describe('meetings: minutes upload and download over HTTP', function () {
  this.timeout(60_000);
  useTestDatabase();
  let w: MeetingsWorld;
  let app: ReturnType<typeof buildTestApp>['app'];
  let officer: Agent;
  let meetingId: string;
  let otherMeetingId: string;

  beforeEach(async () => {
    w = await seedMeetingsWorld();
    app = buildTestApp({ clock: fixedClock('2026-05-09T03:00:00Z') }).app;
    officer = await signIn(app, w.officer);
    const sessionId = await makeSession(w.officerActor);
    // The delegate with an account attends the first meeting only.
    meetingId = await makeMeeting(w.officerActor, { sessionId, unitCodes: [w.commune], delegateIds: [w.delegateA] });
    otherMeetingId = await makeMeeting(w.officerActor, { sessionId, unitCodes: [w.otherCommune], delegateIds: [w.delegateB] });
  });

  it('stores the minutes, lists them on the meeting page, and a second upload adds to the first', async () => {
    const pdf = samplePdf(2000);
    const first = await upload(officer, meetingId, [{ name: 'Biên bản TXCT xã.pdf', data: pdf }]);
    expect(first.status, first.text.slice(0, 300)).to.equal(303);
    expect(first.headers.location).to.equal(`/meetings/${meetingId}#minutes`);
    const page = await officer.get(`/meetings/${meetingId}`);
    expect(page.text).to.contain('Đã tải lên 1 tệp biên bản.').and.contain('Biên bản TXCT xã.pdf');

    const docx = sampleDocx();
    const second = await upload(officer, meetingId, [{ name: 'Tổng hợp ý kiến.docx', data: docx, type: 'application/octet-stream' }]);
    expect(second.status).to.equal(303);
    const ids = await minutesOf(meetingId);
    expect(ids).to.have.length(2);
    const stored = await AttachmentModel.find({}).sort({ uploadedAt: 1, _id: 1 }).lean();
    expect(stored.map((a) => [a.originalName, a.contentType, a.status, a.owner?.type, a.owner?.id, a.sha256])).to.deep.equal([
      ['Biên bản TXCT xã.pdf', 'application/pdf', 'linked', 'meeting', meetingId, sha256(pdf)],
      ['Tổng hợp ý kiến.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'linked', 'meeting', meetingId, sha256(docx)],
    ]);
    const after = await officer.get(`/meetings/${meetingId}`);
    expect(after.text).to.contain('Biên bản TXCT xã.pdf').and.contain('Tổng hợp ý kiến.docx');
    const events = await mongoose.connection.collection('meeting_events').countDocuments({ subjectId: new mongoose.Types.ObjectId(meetingId), action: 'meeting.minutes-added' });
    expect(events).to.equal(2);
    // Nothing reached the other meeting.
    expect(await minutesOf(otherMeetingId)).to.deep.equal([]);
  });

  it('offers in the file picker every type the office accepts, says so in the hint, and stores a spreadsheet', async () => {
    const page = await officer.get(`/meetings/${meetingId}`);
    const accept = /<input[^>]*id="files"[^>]*accept="([^"]*)"/.exec(page.text)?.[1] ?? /<input[^>]*accept="([^"]*)"[^>]*id="files"/.exec(page.text)?.[1];
    expect(accept, 'the picker has an accept list').to.be.a('string');
    const offered = accept!.split(',');
    for (const extension of Object.keys(ALLOWED_TYPES)) expect(offered, extension).to.include(`.${extension}`);
    expect(page.text).to.contain('PDF, ảnh chụp, DOCX hoặc XLSX');
    const xlsx = await sampleXlsx();
    const res = await upload(officer, meetingId, [{ name: 'Tổng hợp kiến nghị.xlsx', data: xlsx, type: 'application/octet-stream' }]);
    expect(res.status, res.text.slice(0, 300)).to.equal(303);
    const stored = await AttachmentModel.find({}).lean();
    expect(stored.map((a) => [a.originalName, a.contentType, a.owner?.id])).to.deep.equal([['Tổng hợp kiến nghị.xlsx', ALLOWED_TYPES.xlsx, meetingId]]);
  });

  it('downloads a minutes file as an attachment with nosniff, no-store and the exact bytes', async () => {
    const pdf = samplePdf(5000);
    expect((await upload(officer, meetingId, [{ name: 'Biên bản.pdf', data: pdf }])).status).to.equal(303);
    const [id] = await minutesOf(meetingId);
    const res = await officer.get(`/meetings/${meetingId}/minutes/${id}`).buffer(true).parse(binary);
    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.equal('application/pdf');
    expect(res.headers['content-disposition']).to.match(/^attachment;/).and.contain("filename*=UTF-8''Bi%C3%AAn%20b%E1%BA%A3n.pdf");
    expect(res.headers['x-content-type-options']).to.equal('nosniff');
    expect(res.headers['cache-control']).to.equal('private, no-store');
    expect(sha256(res.body as Buffer)).to.equal(sha256(pdf));
  });

  it('refuses a file over 20 MB with 413 on the meeting page, in Vietnamese, and keeps nothing', async () => {
    const res = await upload(officer, meetingId, [{ name: 'Biên bản quét.pdf', data: samplePdf(20 * 1024 * 1024) }]);
    expect(res.status).to.equal(413);
    expect(res.text).to.contain('Có lỗi cần sửa');
    expect(res.text).to.contain('href="#files"');
    // The limit is written out in the summary and at the field, never as a raw placeholder.
    expect(res.text).to.contain('Tệp quá lớn: mỗi tệp tối đa 20 MB.').and.not.contain('{{maxMb}}');
    expect(await storedUploads()).to.equal(0);
    expect(await minutesOf(meetingId)).to.deep.equal([]);
  });

  const mislabelled: [string, Buffer][] = [
    ['a Windows program named .pdf', sampleExe()],
    ['an HTML page with a script named .pdf', SAMPLE_HTML],
  ];
  for (const [label, data] of mislabelled) {
    it(`refuses ${label} by its content (415), and keeps nothing`, async () => {
      const res = await upload(officer, meetingId, [{ name: 'bien-ban.pdf', data }]);
      expect(res.status).to.equal(415);
      expect(res.text).to.contain('Chỉ nhận tệp PDF, JPEG, PNG, DOCX, XLSX');
      expect(res.text).to.contain('Biên bản');
      expect(await storedUploads()).to.equal(0);
      expect(await minutesOf(meetingId)).to.deep.equal([]);
    });
  }

  it('refuses a form sent without a file with 422 and the message at the file field', async () => {
    const res = await upload(officer, meetingId, []);
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('href="#files"').and.contain('Chọn tệp biên bản để tải lên');
    expect(await minutesOf(meetingId)).to.deep.equal([]);
  });

  it('answers 404 for minutes sent to a meeting that does not exist, and 403 without the form token, storing nothing', async () => {
    const token = await pageToken(officer, `/meetings/${meetingId}`);
    for (const missing of [new mongoose.Types.ObjectId().toHexString(), 'khong-co']) {
      const res = await upload(officer, missing, [{ name: 'a.pdf', data: samplePdf() }], token);
      expect(res.status, missing).to.equal(404);
      expect(res.text).to.contain('Không tìm thấy');
    }
    const noToken = await officer.post(`/meetings/${meetingId}/minutes`).attach('files', samplePdf(), 'a.pdf');
    expect(noToken.status).to.equal(403);
    expect(await storedUploads()).to.equal(0);
  });

  it('refuses uploads from a delegate and an administrator (403); a delegate downloads only the minutes of a meeting they attended', async () => {
    expect((await upload(officer, meetingId, [{ name: 'Biên bản.pdf', data: samplePdf() }])).status).to.equal(303);
    expect((await upload(officer, otherMeetingId, [{ name: 'Biên bản khác.pdf', data: samplePdf() }])).status).to.equal(303);
    const [mine] = await minutesOf(meetingId);
    const [theirs] = await minutesOf(otherMeetingId);

    const delegate = await signIn(app, w.delegateUser);
    const token = await pageToken(delegate, `/meetings/${meetingId}`);
    const refused = await upload(delegate, meetingId, [{ name: 'x.pdf', data: samplePdf() }], token);
    expect(refused.status).to.equal(403);
    expect(await AttachmentModel.countDocuments({})).to.equal(2);
    expect(await minutesOf(meetingId)).to.deep.equal([mine]);

    expect((await delegate.get(`/meetings/${meetingId}/minutes/${mine}`)).status).to.equal(200);
    expect((await delegate.get(`/meetings/${otherMeetingId}/minutes/${theirs}`)).status).to.equal(404);
    // Nor through a meeting they attended: the file must belong to the meeting in the address.
    expect((await delegate.get(`/meetings/${meetingId}/minutes/${theirs}`)).status).to.equal(404);

    const admin = await signIn(app, await createTestUser({ role: 'admin' }), { nowMs: Date.parse('2026-05-09T03:00:00Z') });
    expect((await admin.get(`/meetings/${meetingId}/minutes/${mine}`)).status).to.equal(403);
  });

  it('answers 404 for a minutes file that is unknown, malformed or of another meeting', async () => {
    expect((await upload(officer, otherMeetingId, [{ name: 'Biên bản khác.pdf', data: samplePdf() }])).status).to.equal(303);
    const [theirs] = await minutesOf(otherMeetingId);
    for (const path of [
      `/meetings/${meetingId}/minutes/${theirs}`,
      `/meetings/${meetingId}/minutes/${new mongoose.Types.ObjectId().toHexString()}`,
      `/meetings/${meetingId}/minutes/%24ne`,
      `/meetings/${new mongoose.Types.ObjectId().toHexString()}/minutes/${theirs}`,
    ]) {
      const res = await officer.get(path);
      expect(res.status, path).to.equal(404);
      expect(res.headers['content-disposition'], path).to.equal(undefined);
    }
  });
});
