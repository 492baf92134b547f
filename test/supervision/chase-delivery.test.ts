// The chase letter's email as the agency receives it: the outbox sender delivers it to a real SMTP
// peer (smtp-server, parsed with mailparser), and the test reads what arrived — the envelope and the
// To/Cc headers, the Vietnamese subject, both bodies, the letter as a PDF attachment read back with
// pdf.js, and the agency's link, which opens the landing page when followed.
import { expect } from 'chai';
import mongoose from 'mongoose';
import supertest from 'supertest';
import { ForwardingModel } from '../../server/forwarding/index.js';
import { OutboxMessageModel } from '../../server/notifications/index.js';
import { ChaseLetterModel } from '../../server/supervision/index.js';
import { useTestDatabase } from '../support/app.js';
import { csrfFrom } from '../support/http.js';
import { extractPdfText } from '../support/pdf.js';
import { startSmtpPeer, type SmtpPeer } from '../support/smtp.js';
import { APP_CONFIG, DENOUNCER, MAIL_BASE_URL, deliverPendingEmails, useAgencyMail } from '../forwarding/support.js';
import { LATER, planRound, post, supervisionWorld, type SupervisionWorld } from './support.js';

const CC = { email: 'giamdoc@so-thu-nghiem.test.gov.vn', name: 'Giám đốc Sở', role: 'cc' as const };

/** Every way the denouncer could be written: as typed, without diacritics, the bare CCCD. */
function expectNoDenouncer(text: string, where: string): void {
  const folded = text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[đĐ]/g, 'd').toLowerCase();
  expect(text, where).to.not.contain(DENOUNCER.name);
  expect(folded, where).to.not.contain('kin dao');
  expect(text, where).to.not.contain(DENOUNCER.citizenId);
}

describe('supervision: the chase letter delivered to a real SMTP server', function () {
  this.timeout(90_000);
  useTestDatabase();
  let peer: SmtpPeer;
  let w: SupervisionWorld;
  let roundId: string;

  before(async () => {
    peer = await startSmtpPeer();
  });
  after(async () => {
    await peer.stop();
  });
  beforeEach(async () => {
    peer.clear();
    // Emails render with the mail settings (BASE_URL of the links, sender, office) as main.ts sets them.
    useAgencyMail(peer);
    w = await supervisionWorld({ denunciation: true });
    // The forwarding keeps the addresses it went to; this one also went to the agency's head in copy.
    await ForwardingModel.updateOne({ _id: new mongoose.Types.ObjectId(w.sent.id) }, { $push: { contacts: CC } });
    roundId = await planRound(w.officer, { staffIds: w.sent.officer.id });
    expect((await post(w.officer, `/supervision/${roundId}/cases`, `/supervision/${roundId}/cases`, { caseIds: w.sent.caseId })).status).to.equal(303);
  });

  async function chase(message: string) {
    const form = await w.officer.get(`/supervision/${roundId}/chase?forwarding=${w.sent.id}`);
    expect(form.status).to.equal(200);
    const submissionKey = /name="submissionKey" value="([a-f0-9]{32})"/.exec(form.text)![1]!;
    const res = await w.officer.post(`/supervision/${roundId}/chase`).type('form').send({ _csrf: csrfFrom(form.text), submissionKey, forwardingId: w.sent.id, message });
    expect(res.status, res.text.slice(0, 300)).to.equal(303);
  }

  it('arrives once, to the agency with its head in copy, in Vietnamese, with both bodies, the PDF and a link that opens', async () => {
    await chase('Đề nghị báo cáo <b>kết quả</b> xác minh trước ngày 15/04/2027.');
    await deliverPendingEmails(peer, LATER);
    const chaseMails = peer.received.filter((m) => (m.parsed.subject ?? '').includes('1/CV-ĐĐ'));
    expect(chaseMails, peer.received.map((m) => m.parsed.subject).join(' | ')).to.have.length(1);
    const mail = chaseMails[0]!;

    // Envelope and headers: the agency's office in To, its head in Cc, from the office.
    expect([...mail.envelope.to].sort()).to.deep.equal([w.sent.agencyEmail, CC.email].sort());
    const addresses = (field: typeof mail.parsed.to) => (Array.isArray(field) ? field : field ? [field] : []).flatMap((a) => a.value.map((v) => v.address));
    expect(addresses(mail.parsed.to)).to.deep.equal([w.sent.agencyEmail]);
    expect(addresses(mail.parsed.cc)).to.deep.equal([CC.email]);
    expect(mail.parsed.from?.value[0]?.address).to.equal('vanphong@dannguyen.test.gov.vn');
    const forwarding = await ForwardingModel.findById(w.sent.id).lean();
    expect(mail.parsed.subject).to.equal(`[1/CV-ĐĐ] Đôn đốc giải quyết phiếu chuyển đơn số ${forwarding!.documentNumber!}`);

    // Both bodies say the same: the letter, the lateness, the officer's request (escaped in HTML).
    const text = mail.parsed.text ?? '';
    const html = typeof mail.parsed.html === 'string' ? mail.parsed.html : '';
    expect(text).to.contain('Văn phòng gửi Công văn đôn đốc số 1/CV-ĐĐ ngày 05/04/2027');
    expect(text).to.contain('Phiếu chuyển đơn đã quá hạn trả lời 13 ngày.');
    expect(text).to.contain('Đề nghị báo cáo <b>kết quả</b> xác minh trước ngày 15/04/2027.');
    expect(html).to.contain('Văn phòng gửi Công văn đôn đốc số 1/CV-ĐĐ ngày 05/04/2027');
    expect(html).to.contain('Phiếu chuyển đơn đã quá hạn trả lời 13 ngày.');
    expect(html).to.contain('Đề nghị báo cáo &lt;b&gt;kết quả&lt;/b&gt; xác minh');
    expect(html).to.not.contain('<b>kết quả</b>');
    expectNoDenouncer(text, 'text body');
    expectNoDenouncer(html, 'HTML body');

    // The letter itself, as the agency opens it.
    const pdfs = mail.parsed.attachments.filter((a) => a.contentType === 'application/pdf');
    expect(pdfs.map((a) => a.filename)).to.deep.equal(['Công văn đôn đốc 1-CV-ĐĐ.pdf']);
    const letterText = (await extractPdfText(pdfs[0]!.content)).replace(/([/-]) /g, '$1');
    expect(letterText).to.contain('Số: 1/CV-ĐĐ');
    expect(letterText).to.contain(`Kính gửi: ${w.sent.agencyName}`);
    expect(letterText).to.contain('Đến nay đã quá hạn 13 ngày');
    expectNoDenouncer(letterText, 'PDF letter');

    // The link in the email (never stored: the outbox keeps a marker) opens the agency's landing page.
    const link = new RegExp(`${MAIL_BASE_URL.replace(/[.]/g, '\\.')}(/a/[A-Za-z0-9_-]{43})`).exec(text);
    expect(link, text).to.not.equal(null);
    expect(html).to.contain(`${MAIL_BASE_URL}${link![1]!}`);
    const stored = await OutboxMessageModel.findOne({ template: 'supervision-chase' }).lean();
    expect(stored!.status).to.equal('sent');
    expect(stored!.text).to.not.contain(link![1]!);
    const landing = await supertest(w.app).get(link![1]!);
    expect(landing.status).to.equal(200);
    expect(landing.text).to.contain(w.sent.agencyName);
    expect(landing.text).to.contain(APP_CONFIG.OFFICE_NAME);
    expectNoDenouncer(landing.text, 'landing page');

    // Sending again delivers nothing more: the email left once.
    const count = peer.received.length;
    await deliverPendingEmails(peer, LATER);
    expect(peer.received.length).to.equal(count);
    expect(await ChaseLetterModel.countDocuments()).to.equal(1);
  });
});
