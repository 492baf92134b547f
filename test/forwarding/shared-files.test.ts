// The files an officer shares with the agency: chosen on the draft form among the case's own scans
// (never a denunciation's, never another case's), carried by the email and listed on the agency's
// page, downloadable there as attachments — and nothing else the office holds is.
import { expect } from 'chai';
import mongoose from 'mongoose';
import type supertest from 'supertest';
import { ForwardingModel } from '../../server/forwarding/index.js';
import { buildTestApp, fixedClock, useTestDatabase } from '../support/app.js';
import { createTestUser } from '../support/factories.js';
import { signIn, type Agent } from '../support/http.js';
import { startSmtpPeer, type SmtpPeer } from '../support/smtp.js';
import { approve, draftForm, draftOne, makeAgency, openLetterCase, scanPdf, type LetterCase } from './office.js';
import { APP_CONFIG, START, countIn, openAgencySession, sendPendingEmailsAndGetLink, useAgencyMail } from './support.js';
import { seedBaseData } from '../../server/seed.js';

const binary = (res: supertest.Response, callback: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => callback(null, Buffer.concat(chunks)));
};

const SHARED = { name: 'Đơn khiếu nại kèm chữ ký.pdf', data: scanPdf('shared') };
const KEPT = { name: 'Biên bản làm việc nội bộ.pdf', data: scanPdf('kept') };
const OTHER_CASE = { name: 'Hồ sơ vụ việc khác.pdf', data: scanPdf('other') };
const DENUNCIATION = { name: 'Bản scan đơn tố cáo.pdf', data: scanPdf('denunciation') };

describe('forwarding: files shared with the agency', function () {
  this.timeout(60_000);
  useTestDatabase();
  let peer: SmtpPeer;

  before(async () => {
    peer = await startSmtpPeer();
    useAgencyMail(peer);
  });
  after(async () => {
    await peer.stop();
  });
  beforeEach(() => peer.clear());

  let app: ReturnType<typeof buildTestApp>['app'];
  const clock = fixedClock(START);
  let officer: Agent;
  let leader: Agent;
  let agencyId: string;
  let complaint: LetterCase;
  let other: LetterCase;

  beforeEach(async () => {
    clock.set(START);
    app = buildTestApp({ clock, config: APP_CONFIG }).app;
    await seedBaseData(clock);
    agencyId = await makeAgency('Sở Xây dựng thử', 'vanthu@sxd.test.gov.vn');
    officer = await signIn(app, await createTestUser({ role: 'officer', name: 'Lê Văn Chuyên', grantedPermissions: ['view-denouncer-identity'] }));
    leader = await signIn(app, await createTestUser({ role: 'leader', name: 'Phạm Thị Duyệt' }), { nowMs: clock.now().getTime() });
    complaint = await openLetterCase(officer, { type: 'complaint', summary: 'Khiếu nại việc cấp phép xây dựng sai quy hoạch tại thôn 4', scans: [SHARED, KEPT] });
    other = await openLetterCase(officer, { type: 'complaint', summary: 'Khiếu nại việc thu phí dịch vụ chợ không đúng quy định', scans: [OTHER_CASE] });
  });

  it("offers only the case's own scans on the draft form", async () => {
    const form = await draftForm(officer, [complaint.caseId]);
    expect(form.html).to.include(`value="${complaint.files.get(SHARED.name)!}"`);
    expect(form.html).to.include(SHARED.name);
    expect(form.html).to.include(KEPT.name);
    expect(form.html).to.not.include(OTHER_CASE.name);
    expect(form.html).to.not.include(other.files.get(OTHER_CASE.name)!);
  });

  it("refuses, with a 422 in Vietnamese that keeps the form, a file of another case or a denunciation's scan, and saves nothing", async () => {
    const denunciation = await openLetterCase(officer, { type: 'denunciation', summary: 'Tố cáo cán bộ thu tiền sai quy định khi cấp phép', scans: [DENUNCIATION] });
    const denunciationFile = denunciation.files.get(DENUNCIATION.name)!;
    const denunciationForm = await draftForm(officer, [denunciation.caseId]);
    // The denunciation's scan shows who wrote it: it is not even offered.
    expect(denunciationForm.html).to.not.include(DENUNCIATION.name);
    expect(denunciationForm.html).to.not.include(denunciationFile);

    const attempts: [string, string][] = [
      [complaint.caseId, other.files.get(OTHER_CASE.name)!],
      [denunciation.caseId, denunciationFile],
      [complaint.caseId, new mongoose.Types.ObjectId().toHexString()],
    ];
    for (const [caseId, fileId] of attempts) {
      const form = await draftForm(officer, [caseId]);
      const res = await officer.post('/forwardings').type('form').send({ _csrf: form.csrf, submissionKey: form.submissionKey, caseIds: caseId, agencyIds: agencyId, sharedAttachmentIds: fileId, request: 'Đề nghị Sở kiểm tra và trả lời Văn phòng.' });
      expect(res.status, fileId).to.equal(422);
      expect(res.text).to.include('Có lỗi cần sửa');
      expect(res.text).to.include('Có tệp không được phép gửi cho cơ quan.');
      expect(res.text).to.include('href="#sharedAttachmentIds"');
      expect(res.text).to.include('Đề nghị Sở kiểm tra và trả lời Văn phòng.');
      expect(res.text).to.match(new RegExp(`value="${agencyId}" checked`));
    }
    expect(await ForwardingModel.countDocuments()).to.equal(0);
    expect(await mongoose.connection.collection('case_events').countDocuments({ type: 'forwarding.drafted' })).to.equal(0);
  });

  it('sends the chosen file with the email; the agency sees and downloads it, and nothing that was not shared', async () => {
    const sharedId = complaint.files.get(SHARED.name)!;
    const keptId = complaint.files.get(KEPT.name)!;
    const otherId = other.files.get(OTHER_CASE.name)!;
    const id = await draftOne(officer, complaint.caseId, { agencyIds: agencyId, sharedAttachmentIds: sharedId, request: 'Đề nghị Sở xem xét hồ sơ gửi kèm.' });
    expect((await ForwardingModel.findById(id).lean())!.sharedAttachmentIds.map(String)).to.deep.equal([sharedId]);
    // Another forwarding, to the same agency, shares the other case's scan.
    const otherForwarding = await draftOne(officer, other.caseId, { agencyIds: agencyId, sharedAttachmentIds: otherId });
    await approve(leader, id);
    const link = await sendPendingEmailsAndGetLink(peer, clock, 'vanthu@sxd.test.gov.vn');
    expect(link.mail.parsed.subject).to.include('1/PC-VP');
    const attached = link.mail.parsed.attachments.map((a) => a.filename);
    expect(attached).to.include(SHARED.name);
    expect(attached).to.not.include(KEPT.name);
    const mailed = link.mail.parsed.attachments.find((a) => a.filename === SHARED.name)!;
    expect(Buffer.compare(mailed.content, SHARED.data)).to.equal(0);
    await approve(leader, otherForwarding);

    const agency = await openAgencySession(app, link.path);
    const page = await agency.get('/agency');
    expect(page.status).to.equal(200);
    expect(page.text).to.include(`href="/agency/files/${sharedId}"`);
    expect(page.text).to.include(SHARED.name);
    expect(page.text).to.not.include(KEPT.name);
    expect(page.text).to.not.include(keptId);
    expect(page.text).to.not.include(OTHER_CASE.name);

    const file = await agency.get(`/agency/files/${sharedId}`).buffer(true).parse(binary);
    expect(file.status).to.equal(200);
    expect(file.headers['content-disposition']).to.match(/^attachment;/);
    expect(file.headers['content-disposition']).to.include(encodeURIComponent('Đơn khiếu nại'));
    expect(file.headers['x-content-type-options']).to.equal('nosniff');
    expect(file.headers['content-type']).to.equal('application/pdf');
    expect(Buffer.compare(file.body as Buffer, SHARED.data)).to.equal(0);

    const downloadsBefore = await countIn('forwarding_link_access');
    for (const refused of [keptId, otherId]) {
      const res = await agency.get(`/agency/files/${refused}`);
      expect(res.status, refused).to.equal(404);
      expect(res.text).to.include('Không tìm thấy tệp này');
      expect(res.headers['content-disposition']).to.equal(undefined);
    }
    // Each try is in the link's log, refused or not.
    expect(await countIn('forwarding_link_access')).to.equal(downloadsBefore + 2);
    // The office still reaches the shared file from the forwarding's page.
    const officeCopy = await officer.get(`/forwardings/${id}/files/${sharedId}`);
    expect(officeCopy.status).to.equal(200);
    expect((await officer.get(`/forwardings/${id}/files/${keptId}`)).status).to.equal(404);
  });
});
