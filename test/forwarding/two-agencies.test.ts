// One case forwarded to two agencies: each agency's link opens its own forwarding and nothing of the
// other's — not its name, its number, its answer or its files — and what one agency does through its
// session changes only its own forwarding.
import { expect } from 'chai';
import mongoose from 'mongoose';
import type supertest from 'supertest';
import { ForwardingAnswerModel, ForwardingModel } from '../../server/forwarding/index.js';
import { seedBaseData } from '../../server/seed.js';
import { samplePdf } from '../attachments/samples.js';
import { buildTestApp, fixedClock, useTestDatabase } from '../support/app.js';
import { createTestUser } from '../support/factories.js';
import { csrfFrom, signIn, expectSentToSignIn } from '../support/http.js';
import { extractPdfText } from '../support/pdf.js';
import { startSmtpPeer, type SmtpPeer } from '../support/smtp.js';
import { approve, draftForm, makeAgency, openLetterCase, scanPdf } from './office.js';
import { APP_CONFIG, START, openAgencySession, sendPendingEmailsAndGetLink, useAgencyMail } from './support.js';

const binary = (res: supertest.Response, callback: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => callback(null, Buffer.concat(chunks)));
};

const ONE = { name: 'Sở Giao thông Vận tải thử', email: 'vanthu@sgtvt.test.gov.vn' };
const TWO = { name: 'UBND xã Hải Lăng Thử', email: 'vanthu@ubnd-hailang.test.gov.vn' };
const TWO_ANSWER = { documentNumber: '777/UBND-HL', text: 'UBND XÃ ĐÃ CHỈ ĐẠO SỬA CHỮA MẶT ĐƯỜNG TRONG THÁNG', responderName: 'Hoàng Văn Chủ Tịch', file: 'Trả lời của UBND xã.pdf' };
const TWO_ONLY_SCAN = { name: 'Ảnh hiện trạng gửi riêng UBND xã.pdf', data: scanPdf('two-only') };

function expectNothingOfTwo(text: string, where: string, two: { documentNumber: string; answerFileId: string; scanId: string }): void {
  for (const secret of [TWO.name, TWO.email, two.documentNumber, TWO_ANSWER.documentNumber, TWO_ANSWER.text, TWO_ANSWER.responderName, TWO_ANSWER.file, TWO_ONLY_SCAN.name, two.answerFileId, two.scanId]) {
    expect(text, `${where}: ${secret}`).to.not.include(secret);
  }
}

describe('forwarding: one case, two agencies', function () {
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

  it("shows each agency only its own forwarding, and one agency's session cannot act on the other's", async () => {
    const clock = fixedClock(START);
    const { app } = buildTestApp({ clock, config: APP_CONFIG });
    await seedBaseData(clock);
    const oneId = await makeAgency(ONE.name, ONE.email);
    const twoId = await makeAgency(TWO.name, TWO.email);
    const officer = await signIn(app, await createTestUser({ role: 'officer', name: 'Lê Văn Chuyên' }));
    const leader = await signIn(app, await createTestUser({ role: 'leader', name: 'Phạm Thị Duyệt' }), { nowMs: clock.now().getTime() });
    const matter = await openLetterCase(officer, { type: 'complaint', summary: 'Kiến nghị sửa chữa đường liên xã bị sạt lở sau mưa lũ', scans: [TWO_ONLY_SCAN] });
    const scanId = matter.files.get(TWO_ONLY_SCAN.name)!;

    // The case goes to agency one first, then to agency two with a scan shared with two only.
    const draftTo = async (agencyId: string, shared: string[]) => {
      const form = await draftForm(officer, [matter.caseId]);
      const res = await officer.post('/forwardings').type('form').send({ _csrf: form.csrf, submissionKey: form.submissionKey, caseIds: matter.caseId, agencyIds: agencyId, sharedAttachmentIds: shared });
      expect(res.status, res.text.slice(0, 300)).to.equal(303);
      return /\/forwardings\/([a-f0-9]{24})$/.exec(res.headers.location ?? '')![1]!;
    };
    const one = await draftTo(oneId, []);
    const two = await draftTo(twoId, [scanId]);
    await approve(leader, one);
    await approve(leader, two);
    const twoDoc = (await ForwardingModel.findById(two).lean())!.documentNumber!;
    expect([(await ForwardingModel.findById(one).lean())!.documentNumber, twoDoc]).to.deep.equal(['1/PC-VP', '2/PC-VP']);

    const linkOne = await sendPendingEmailsAndGetLink(peer, clock, ONE.email);
    const linkTwo = await sendPendingEmailsAndGetLink(peer, clock, TWO.email);
    expect(linkOne.token).to.not.equal(linkTwo.token);

    // Agency two confirms and answers with its file.
    const agencyTwo = await openAgencySession(app, linkTwo.path);
    const twoCsrf = csrfFrom((await agencyTwo.get('/agency')).text);
    expect((await agencyTwo.post('/agency/confirm').type('form').send({ _csrf: twoCsrf, confirmerName: 'Văn thư xã' })).status).to.equal(303);
    const answered = await agencyTwo
      .post('/agency/answer')
      .field('_csrf', twoCsrf)
      .field('submissionKey', 'e'.repeat(32))
      .field('documentNumber', TWO_ANSWER.documentNumber)
      .field('documentDate', '02/03/2027')
      .field('responderName', TWO_ANSWER.responderName)
      .field('responderPosition', 'Chủ tịch UBND xã')
      .field('outcome', 'resolved')
      .field('text', TWO_ANSWER.text)
      .attach('files', samplePdf(100), TWO_ANSWER.file);
    expect(answered.status, answered.text.slice(0, 300)).to.equal(303);
    const answer = (await ForwardingAnswerModel.findOne({ forwardingId: new mongoose.Types.ObjectId(two) }).lean())!;
    const answerFileId = String(answer.attachmentIds[0]);
    const secrets = { documentNumber: twoDoc, answerFileId, scanId };
    // Agency two does see its own things (so the checks below look for text that exists).
    const twoPage = await agencyTwo.get('/agency');
    for (const own of [TWO.name, twoDoc, TWO_ANSWER.documentNumber, TWO_ANSWER.text, TWO_ANSWER.file, TWO_ONLY_SCAN.name]) expect(twoPage.text, own).to.include(own);

    // Agency one: its page, its slip and its email show nothing of agency two.
    expectNothingOfTwo(linkOne.mail.parsed.text ?? '', 'email to agency one', secrets);
    const agencyOne = await openAgencySession(app, linkOne.path);
    const onePage = await agencyOne.get('/agency');
    expect(onePage.status).to.equal(200);
    expect(onePage.text).to.include(ONE.name);
    expect(onePage.text).to.include('1/PC-VP');
    expectNothingOfTwo(onePage.text, 'agency one page', secrets);
    const slip = await agencyOne.get('/agency/slip.pdf').buffer(true).parse(binary);
    const slipText = await extractPdfText(slip.body as Buffer);
    expect(slipText).to.include('1/PC-VP');
    expectNothingOfTwo(slipText, 'agency one slip', secrets);

    // Nor can it download agency two's answer file or the scan shared with agency two.
    for (const fileId of [answerFileId, scanId]) {
      const res = await agencyOne.get(`/agency/files/${fileId}`);
      expect(res.status, fileId).to.equal(404);
      expect(res.text).to.include('Không tìm thấy tệp này');
      // The page repeats its own address (the language switch), so only names are checked here.
      for (const name of [TWO.name, TWO_ANSWER.file, TWO_ONLY_SCAN.name]) expect(res.text, name).to.not.include(name);
    }
    // A forged forwarding id in the form is ignored: its confirmation lands on its own forwarding.
    const oneCsrf = csrfFrom(onePage.text);
    const twoBefore = await ForwardingModel.findById(two).lean();
    const confirmed = await agencyOne.post(`/agency/confirm?forwardingId=${two}`).type('form').send({ _csrf: oneCsrf, confirmerName: 'Văn thư Sở', forwardingId: two, id: two });
    expect(confirmed.status).to.equal(303);
    expect((await ForwardingModel.findById(one).lean())!.acknowledgedBy).to.equal('Văn thư Sở');
    // Its requests for time and its answers, too, land on its own forwarding only.
    const asked = await agencyOne.post('/agency/extension').type('form').send({ _csrf: oneCsrf, days: '10', reason: 'Cần khảo sát hiện trường', requesterName: 'Văn thư Sở', forwardingId: two });
    expect(asked.status).to.equal(303);
    expect((await ForwardingModel.findById(one).lean())!.extensionRequests).to.have.length(1);
    const twoAfter = await ForwardingModel.findById(two).lean();
    expect(twoAfter).to.deep.equal(twoBefore);
    // The office's own pages are not open to an agency's session.
    const officePage = await agencyOne.get(`/forwardings/${two}`);
    expectSentToSignIn(officePage);
  });
});
