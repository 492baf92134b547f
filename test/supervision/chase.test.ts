// Formal chase letters: numbered from the year's sequence, addressed to the agency, citing the slip,
// its deadline and how late the answer is, never naming a denouncer; emailed once with the PDF and the
// agency's link marker; counted on the forwarding and on the case's timeline.
import { expect } from 'chai';
import mongoose from 'mongoose';
import { CaseEventModel } from '../../server/cases/index.js';
import { ForwardingLinkModel, ForwardingModel } from '../../server/forwarding/index.js';
import { OutboxMessageModel } from '../../server/notifications/index.js';
import { ChaseLetterModel } from '../../server/supervision/index.js';
import { useTestDatabase } from '../support/app.js';
import { csrfFrom } from '../support/http.js';
import { extractPdfText } from '../support/pdf.js';
import { DENOUNCER } from '../forwarding/support.js';
import { binary, createUserAgent, planRound, post, supervisionWorld, type SupervisionWorld } from './support.js';

describe('supervision: chase letters', function () {
  this.timeout(90_000);
  useTestDatabase();
  let w: SupervisionWorld;
  let roundId: string;

  beforeEach(async () => {
    w = await supervisionWorld({ denunciation: true });
    roundId = await planRound(w.officer, { staffIds: w.sent.officer.id });
    expect((await post(w.officer, `/supervision/${roundId}/cases`, `/supervision/${roundId}/cases`, { caseIds: w.sent.caseId })).status).to.equal(303);
  });

  it('issues 1/CV-ĐĐ for an overdue denunciation: PDF with the agency, slip and lateness, no denouncer; one email with the PDF and the link marker', async () => {
    const page = await w.officer.get(`/supervision/${roundId}`);
    expect(page.text).to.include(`/supervision/${roundId}/chase?forwarding=${w.sent.id}`);
    const form = await w.officer.get(`/supervision/${roundId}/chase?forwarding=${w.sent.id}`);
    expect(form.status).to.equal(200);
    const submissionKey = /name="submissionKey" value="([a-f0-9]{32})"/.exec(form.text)![1]!;
    const body = { _csrf: csrfFrom(form.text), submissionKey, forwardingId: w.sent.id, message: 'Đề nghị báo cáo kết quả xác minh trước ngày 15/04/2027.' };
    const [first, second] = await Promise.all([w.officer.post(`/supervision/${roundId}/chase`).type('form').send(body), w.officer.post(`/supervision/${roundId}/chase`).type('form').send(body)]);
    expect(first.status).to.equal(303);
    expect(second.status).to.equal(303);

    const letters = await ChaseLetterModel.find().lean();
    expect(letters).to.have.length(1);
    const letter = letters[0]!;
    expect(letter.number).to.equal('1/CV-ĐĐ');
    // Due Tuesday 23/03/2027 (end of day), now Monday 05/04/2027 10:00: 13 days late.
    expect(letter.daysLate).to.equal(13);

    const forwarding = await ForwardingModel.findById(w.sent.id).lean();
    expect(forwarding!.chaseCount).to.equal(1);
    expect(forwarding!.lastChasedAt!.toISOString()).to.equal('2027-04-05T03:00:00.000Z');
    const chased = await CaseEventModel.find({ caseId: new mongoose.Types.ObjectId(w.sent.caseId), type: 'forwarding.chased' }).lean();
    expect(chased).to.have.length(1);
    expect(chased[0]!.data).to.include({ count: 1, letterNumber: '1/CV-ĐĐ', agency: w.sent.agencyName });

    const emails = await OutboxMessageModel.find({ template: 'supervision-chase' }).lean();
    expect(emails).to.have.length(1);
    const email = emails[0]!;
    expect(email.to.map((m) => m.email)).to.deep.equal([w.sent.agencyEmail]);
    expect(email.attachments.map((a) => a.pdf?.kind)).to.deep.equal(['supervision-chase-letter']);
    const link = await ForwardingLinkModel.findOne({ forwardingId: forwarding!._id, revokedAt: null }).lean();
    expect(email.text).to.include(`[[secret-link:agency-link:${String(link!._id)}]]`);
    expect(email.subject).to.include('1/CV-ĐĐ');
    expect(email.text).to.include('quá hạn trả lời 13 ngày');
    expect(email.text).to.not.include(DENOUNCER.name);
    expect(email.text).to.not.include(DENOUNCER.citizenId);
    expect(String(email.caseId)).to.equal(w.sent.caseId);

    const pdf = await w.officer.get(`/supervision/letters/${String(letter._id)}/pdf`).buffer(true).parse(binary);
    expect(pdf.status).to.equal(200);
    expect(pdf.headers['content-type']).to.equal('application/pdf');
    // Justified lines may break after '/' or '-', which the extracted text shows as a space.
    const text = (await extractPdfText(pdf.body as Buffer)).replace(/([/-]) /g, '$1');
    expect(text).to.include('Số: 1/CV-ĐĐ');
    expect(text).to.include(`Kính gửi: ${w.sent.agencyName}`);
    expect(text).to.include('V/v đôn đốc giải quyết đơn số');
    expect(text).to.include(`Phiếu chuyển đơn số ${forwarding!.documentNumber!} ngày 02/03/2027`);
    expect(text).to.include('Thời hạn thông báo kết quả giải quyết là ngày 23/03/2027. Đến nay đã quá hạn 13 ngày');
    expect(text).to.include('Đề nghị báo cáo kết quả xác minh trước ngày 15/04/2027.');
    expect(text).to.include('Thông tin về người tố cáo được giữ bí mật');
    expect(text).to.include('Quyết định số 15/QĐ-HĐND');
    expect(text).to.not.include(DENOUNCER.name);
    expect(text).to.not.include('Trịnh');
    expect(text).to.not.include(DENOUNCER.citizenId);

    const round = await w.officer.get(`/supervision/${roundId}`);
    expect(round.text).to.include('Công văn số 1/CV-ĐĐ gửi');
    expect(round.text).to.include('Đã đôn đốc 1 lần');
  });

  it('the second letter takes the next number; a revoked link or a closed forwarding stops it', async () => {
    const send = async (message: string) => {
      const form = await w.officer.get(`/supervision/${roundId}/chase?forwarding=${w.sent.id}`);
      const submissionKey = /name="submissionKey" value="([a-f0-9]{32})"/.exec(form.text)![1]!;
      return w.officer.post(`/supervision/${roundId}/chase`).type('form').send({ _csrf: csrfFrom(form.text), submissionKey, forwardingId: w.sent.id, message });
    };
    expect((await send('')).status).to.equal(303);
    expect((await send('Lần hai')).status).to.equal(303);
    expect((await ChaseLetterModel.find().sort({ seq: 1 }).lean()).map((l) => l.number)).to.deep.equal(['1/CV-ĐĐ', '2/CV-ĐĐ']);
    expect((await ForwardingModel.findById(w.sent.id).lean())!.chaseCount).to.equal(2);

    await ForwardingLinkModel.updateMany({ forwardingId: new mongoose.Types.ObjectId(w.sent.id) }, { $set: { revokedAt: new Date('2027-04-01T00:00:00Z') } });
    const refused = await send('Lần ba');
    expect(refused.status).to.equal(409);
    expect(refused.text).to.include('Đường liên kết của cơ quan đã bị thu hồi hoặc hết hạn');
    expect(await ChaseLetterModel.countDocuments()).to.equal(2);
    expect((await ForwardingModel.findById(w.sent.id).lean())!.chaseCount).to.equal(2);

    await ForwardingModel.updateOne({ _id: w.sent.id }, { $set: { status: 'closed', closure: 'satisfied' } });
    expect((await w.officer.get(`/supervision/${roundId}/chase?forwarding=${w.sent.id}`)).status).to.equal(404);
  });

  it('keeps the letters from delegates who are not members', async () => {
    const form = await w.officer.get(`/supervision/${roundId}/chase?forwarding=${w.sent.id}`);
    const submissionKey = /name="submissionKey" value="([a-f0-9]{32})"/.exec(form.text)![1]!;
    await w.officer.post(`/supervision/${roundId}/chase`).type('form').send({ _csrf: csrfFrom(form.text), submissionKey, forwardingId: w.sent.id, message: '' });
    const letter = await ChaseLetterModel.findOne().lean();
    const outsider = await createUserAgent(w.app, 'delegate');
    expect((await outsider.agent.get(`/supervision/letters/${String(letter!._id)}/pdf`)).status).to.equal(404);
    expect((await outsider.agent.get(`/supervision/${roundId}/chase?forwarding=${w.sent.id}`)).status).to.equal(403);
  });
});
