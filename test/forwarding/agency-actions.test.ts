// What an agency does through its session: confirm receipt (once), ask for more time (validated, one
// pending at a time), and answer (validated, PDF only, one answer per submission), with the
// forwarding's and the case's state, the timeline, the officer's email and the access log.
import { expect } from 'chai';
import mongoose from 'mongoose';
import type supertest from 'supertest';
import { AttachmentModel } from '../../server/attachments/index.js';
import { CaseModel } from '../../server/cases/index.js';
import { ForwardingAnswerModel, ForwardingModel, LinkAccessModel } from '../../server/forwarding/index.js';
import { OutboxMessageModel } from '../../server/notifications/index.js';
import { samplePdf, samplePng } from '../attachments/samples.js';
import { buildTestApp, fixedClock, useTestDatabase } from '../support/app.js';
import { csrfFrom, type Agent } from '../support/http.js';
import { startSmtpPeer, type SmtpPeer } from '../support/smtp.js';
import { APP_CONFIG, START, countIn, deliverPendingEmails, openAgencySession, sendForwarding, sendPendingEmailsAndGetLink, useAgencyMail } from './support.js';

const oid = (id: string) => new mongoose.Types.ObjectId(id);

function answerFields(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    submissionKey: 'a'.repeat(32),
    documentNumber: '123/SNN-TTr',
    documentDate: '02/03/2027',
    responderName: 'Trần Văn Giám Đốc',
    responderPosition: 'Giám đốc Sở',
    outcome: 'resolved',
    expectedDate: '',
    competentAgency: '',
    text: 'Sở đã kiểm tra, xác minh và xử lý kỷ luật cán bộ địa chính xã theo quy định.',
    ...overrides,
  };
}

/** The multipart answer form as a browser sends it: `_csrf` first, then the fields, then the files. */
function postAnswer(agent: Agent, csrf: string, fields: Record<string, string>, files: { name: string; content: Buffer }[] = [{ name: 'Văn bản trả lời.pdf', content: samplePdf(200) }]): supertest.Test {
  let req = agent.post('/agency/answer').field('_csrf', csrf);
  for (const [name, value] of Object.entries(fields)) req = req.field(name, value);
  for (const file of files) req = req.attach('files', file.content, file.name);
  return req;
}

describe('agency link: confirming, asking for time, answering', function () {
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

  async function setUp() {
    const clock = fixedClock(START);
    const { app } = buildTestApp({ clock, config: APP_CONFIG });
    const sent = await sendForwarding(app, clock);
    const link = await sendPendingEmailsAndGetLink(peer, clock, sent.agencyEmail);
    const agent = await openAgencySession(app, link.path);
    const page = await agent.get('/agency');
    expect(page.status).to.equal(200);
    return { app, clock, sent, link, agent, csrf: csrfFrom(page.text) };
  }

  const events = (caseId: string, type: string) => mongoose.connection.collection('case_events').countDocuments({ caseId: oid(caseId), type });

  it('confirms receipt once: a second click records nothing new', async () => {
    const { sent, agent, csrf } = await setUp();
    const first = await agent.post('/agency/confirm').type('form').send({ _csrf: csrf, confirmerName: 'Văn thư Sở' });
    expect(first.status).to.equal(303);
    expect(first.headers.location).to.equal('/agency');
    const after = await ForwardingModel.findById(sent.id).lean();
    expect(after!.status).to.equal('acknowledged');
    expect(after!.acknowledgedAt?.toISOString()).to.equal(new Date(START).toISOString());
    expect(after!.acknowledgedBy).to.equal('Văn thư Sở');
    const page = await agent.get('/agency');
    expect(page.text).to.contain('Đã xác nhận Quý cơ quan nhận được văn bản');

    const second = await agent.post('/agency/confirm').type('form').send({ _csrf: csrf });
    expect(second.status).to.equal(303);
    expect(await events(sent.caseId, 'forwarding.acknowledged')).to.equal(1);
    expect(await OutboxMessageModel.countDocuments({ key: `forwarding-agency:${sent.id}:acknowledged` })).to.equal(1);
    expect((await ForwardingModel.findById(sent.id).lean())!.acknowledgedBy).to.equal('Văn thư Sở');
    expect(await LinkAccessModel.countDocuments({ forwardingId: oid(sent.id), action: 'confirm' })).to.equal(2);
  });

  it("tells the drafting officer by email, with a working link to the forwarding's page", async () => {
    const { clock, sent, agent, csrf } = await setUp();
    await agent.post('/agency/confirm').type('form').send({ _csrf: csrf });
    peer.clear();
    await deliverPendingEmails(peer, clock);
    const mail = peer.received.find((m) => m.envelope.to.includes(sent.officer.email));
    expect(mail, 'email to the officer').to.not.equal(undefined);
    expect(mail!.parsed.subject).to.contain(`${sent.agencyName} đã xác nhận nhận văn bản`);
    expect(mail!.parsed.text).to.contain(`https://dannguyen.test.gov.vn/forwardings/${sent.id}`);
    expect(String(mail!.parsed.html)).to.contain(`href="https://dannguyen.test.gov.vn/forwardings/${sent.id}"`);
  });

  it('validates a request for more time and keeps what was typed', async () => {
    const { sent, agent, csrf } = await setUp();
    const cases: [Record<string, string>, string, string][] = [
      [{ days: '0', reason: 'Cần xác minh thêm', requesterName: 'Trần Văn Sở' }, 'days', 'Nhập số ngày từ 1 đến 90'],
      [{ days: '91', reason: 'Cần xác minh thêm', requesterName: 'Trần Văn Sở' }, 'days', 'Nhập số ngày từ 1 đến 90'],
      [{ days: 'mười', reason: 'Cần xác minh thêm', requesterName: 'Trần Văn Sở' }, 'days', 'Nhập số ngày từ 1 đến 90'],
      [{ days: '10', reason: '   ', requesterName: 'Trần Văn Sở' }, 'reason', 'Vui lòng nhập thông tin này'],
      [{ days: '10', reason: 'x'.repeat(2001), requesterName: 'Trần Văn Sở' }, 'reason', 'Nội dung quá dài'],
      [{ days: '10', reason: 'Cần xác minh thêm' }, 'requesterName', 'Vui lòng nhập thông tin này'],
    ];
    for (const [fields, field, message] of cases) {
      const res = await agent.post('/agency/extension').type('form').send({ _csrf: csrf, ...fields });
      expect(res.status, JSON.stringify(fields).slice(0, 80)).to.equal(422);
      expect(res.text).to.contain('Có lỗi cần sửa');
      expect(res.text).to.contain(`href="#${field}"`);
      expect(res.text).to.contain(message);
      if (fields.requesterName) expect(res.text).to.contain(`value="${fields.requesterName}"`);
    }
    // HTML typed in is shown as text, never as markup.
    const script = await agent.post('/agency/extension').type('form').send({ _csrf: csrf, days: '0', reason: '<script>alert(1)</script>', requesterName: 'A' });
    expect(script.text).to.not.contain('<script>alert(1)</script>');
    expect(script.text).to.contain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect((await ForwardingModel.findById(sent.id).lean())!.extensionRequests).to.have.length(0);
  });

  it('records a request for more time, and refuses a second while the first awaits a decision', async () => {
    const { sent, agent, csrf } = await setUp();
    const ok = await agent.post('/agency/extension').type('form').send({ _csrf: csrf, days: '15', reason: 'Cần xác minh tại thực địa', requesterName: 'Trần Văn Sở' });
    expect(ok.status).to.equal(303);
    const f = await ForwardingModel.findById(sent.id).lean();
    expect(f!.extensionRequests).to.have.length(1);
    expect(f!.extensionRequests[0]).to.include({ days: 15, reason: 'Cần xác minh tại thực địa', requesterName: 'Trần Văn Sở', decision: null });
    expect(await events(sent.caseId, 'forwarding.extension-requested')).to.equal(1);
    const page = await agent.get('/agency');
    expect(page.text).to.contain('Chờ Văn phòng quyết định');
    expect(page.text).to.not.contain('action="/agency/extension"');

    const again = await agent.post('/agency/extension').type('form').send({ _csrf: csrf, days: '5', reason: 'Thêm nữa', requesterName: 'Trần Văn Sở' });
    expect(again.status).to.equal(409);
    expect(again.text).to.contain('đang chờ Văn phòng quyết định');
    expect((await ForwardingModel.findById(sent.id).lean())!.extensionRequests).to.have.length(1);
  });

  it('refuses a bad answer with 422, Vietnamese messages and the typed values, and saves nothing', async () => {
    const { sent, agent, csrf } = await setUp();
    const cases: [Record<string, string>, { name: string; content: Buffer }[] | null, string, string][] = [
      [answerFields({ documentNumber: '' }), null, 'documentNumber', 'Vui lòng nhập thông tin này'],
      [answerFields({ responderName: '', responderPosition: '' }), null, 'responderName', 'Vui lòng nhập thông tin này'],
      [answerFields({ text: '' }), null, 'text', 'Vui lòng nhập thông tin này'],
      [answerFields({ documentDate: '31/02/2027' }), null, 'documentDate', 'Nhập ngày theo dạng ngày/tháng/năm'],
      [answerFields({ documentDate: '03/03/2027' }), null, 'documentDate', 'Ngày văn bản không được sau ngày hôm nay'],
      [answerFields({ documentDate: '01/03/2027' }), null, 'documentDate', 'không được trước ngày của phiếu chuyển đơn'],
      [answerFields({ outcome: 'in-progress' }), null, 'expectedDate', 'nhập ngày dự kiến có kết quả'],
      [answerFields({ outcome: 'in-progress', expectedDate: '02/03/2027' }), null, 'expectedDate', 'phải sau ngày hôm nay'],
      [answerFields({ outcome: 'not-competent' }), null, 'competentAgency', 'Nêu cơ quan có thẩm quyền giải quyết'],
      [answerFields({ outcome: 'closed-by-magic' }), null, 'outcome', 'Chọn kết quả giải quyết'],
      [answerFields({ matters: '7' }), null, 'matters', 'Chọn trong các đơn của phiếu chuyển này'],
      [answerFields(), [], 'files', 'Gửi kèm văn bản trả lời đã ký (tệp PDF)'],
      [answerFields(), [{ name: 'scan.png', content: samplePng() }], 'files', 'Văn bản trả lời phải là tệp PDF'],
      [answerFields(), [{ name: 'answer.pdf', content: samplePng() }], 'files', 'Văn bản trả lời phải là tệp PDF'],
      [answerFields(), [{ name: 'virus.pdf', content: Buffer.from('MZ\x90\x00 not a pdf at all, a program', 'latin1') }], 'files', 'Văn bản trả lời phải là tệp PDF'],
    ];
    for (const [fields, files, field, message] of cases) {
      const res = files === null ? await postAnswer(agent, csrf, fields) : await postAnswer(agent, csrf, fields, files);
      const what = `${field}: ${message}`;
      expect(res.status, what).to.equal(422);
      expect(res.text, what).to.contain('Có lỗi cần sửa');
      expect(res.text, what).to.contain(`href="#${field}"`);
      expect(res.text, what).to.contain(message);
      if (fields.responderPosition) expect(res.text, what).to.contain(`value="${fields.responderPosition}"`);
    }
    expect(await countIn('forwarding_answers')).to.equal(0);
    const f = await ForwardingModel.findById(sent.id).lean();
    expect(f!.status).to.equal('sent');
    expect(f!.answerCount).to.equal(0);
    // The refused requests' files were removed.
    for (let i = 0; i < 50 && (await AttachmentModel.countDocuments({ 'uploadedBy.kind': 'agency' })) > 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(await AttachmentModel.countDocuments({ 'uploadedBy.kind': 'agency' })).to.equal(0);
  });

  it('saves one answer for a double submission; the forwarding and the case become answered', async () => {
    const { sent, agent, csrf } = await setUp();
    const fields = answerFields({ submissionKey: 'b'.repeat(32) });
    const [one, two] = await Promise.all([postAnswer(agent, csrf, fields), postAnswer(agent, csrf, fields)]);
    expect(one.status).to.equal(303);
    expect(two.status).to.equal(303);
    const third = await postAnswer(agent, csrf, fields);
    expect(third.status).to.equal(303);

    const answers = await ForwardingAnswerModel.find({ forwardingId: oid(sent.id) }).lean();
    expect(answers).to.have.length(1);
    const answer = answers[0]!;
    expect(answer).to.include({ documentNumber: '123/SNN-TTr', responderName: 'Trần Văn Giám Đốc', outcome: 'resolved' });
    expect(answer.itemRefIds).to.deep.equal([sent.caseId]);
    expect(answer.attachmentIds).to.have.length(1);
    expect(answer.ip).to.match(/127\.0\.0\.1/);
    const linked = await AttachmentModel.findById(answer.attachmentIds[0]).lean();
    expect(linked).to.deep.include({ status: 'linked', owner: { type: 'forwarding-answer', id: String(answer._id) }, contentType: 'application/pdf' });

    const f = await ForwardingModel.findById(sent.id).lean();
    expect(f!.status).to.equal('answered');
    expect(f!.answerCount).to.equal(1);
    expect(f!.items[0]).to.include({ answered: true, verdict: null });
    expect(f!.firstAnsweredAt?.toISOString()).to.equal(new Date(START).toISOString());
    expect(f!.lastAnsweredAt?.toISOString()).to.equal(new Date(START).toISOString());
    expect((await CaseModel.findById(sent.caseId).lean())!.status).to.equal('answered');
    expect(await events(sent.caseId, 'forwarding.answered')).to.equal(1);
    expect(await OutboxMessageModel.countDocuments({ key: `forwarding-agency:${sent.id}:answer:${String(answer._id)}` })).to.equal(1);
    // The copies sent by the repeated requests are gone; only the saved answer's file remains.
    for (let i = 0; i < 50 && (await AttachmentModel.countDocuments({ 'uploadedBy.kind': 'agency' })) > 1; i++) await new Promise((r) => setTimeout(r, 50));
    expect(await AttachmentModel.countDocuments({ 'uploadedBy.kind': 'agency' })).to.equal(1);

    // The agency sees its answer and can download its own file, but not by guessing another id.
    const page = await agent.get('/agency');
    expect(page.text).to.contain('Văn bản số 123/SNN-TTr ngày 02/03/2027');
    expect(page.text).to.contain('Đã trả lời, chờ Văn phòng đánh giá');
    expect(page.text).to.not.contain('127.0.0.1');
    const file = await agent.get(`/agency/files/${String(answer.attachmentIds[0])}`);
    expect(file.status).to.equal(200);
    expect(file.headers['content-disposition']).to.match(/^attachment/);
    expect((await agent.get(`/agency/files/${new mongoose.Types.ObjectId().toHexString()}`)).status).to.equal(404);
    expect((await agent.get('/agency/files/nope')).status).to.equal(404);
    const actions = (await LinkAccessModel.find({ forwardingId: oid(sent.id) }).lean()).map((a) => a.action);
    expect(actions.filter((a) => a === 'answer')).to.have.length.at.least(1);
    expect(actions).to.include('download');
  });

  it('accepts an answer in progress with its expected date, and a further answer after it', async () => {
    const { sent, agent, csrf } = await setUp();
    const first = await postAnswer(agent, csrf, answerFields({ submissionKey: 'c'.repeat(32), outcome: 'in-progress', expectedDate: '30/04/2027', competentAgency: 'ignored' }));
    expect(first.status).to.equal(303);
    const second = await postAnswer(agent, csrf, answerFields({ submissionKey: 'd'.repeat(32), documentNumber: '130/SNN-TTr' }));
    expect(second.status).to.equal(303);
    const answers = await ForwardingAnswerModel.find({ forwardingId: oid(sent.id) }).sort({ submittedAt: 1, _id: 1 }).lean();
    expect(answers.map((a) => a.documentNumber)).to.deep.equal(['123/SNN-TTr', '130/SNN-TTr']);
    expect(answers[0]!.expectedDate?.toISOString()).to.equal('2027-04-29T17:00:00.000Z');
    expect(answers[0]!.competentAgency).to.equal(null);
    expect((await ForwardingModel.findById(sent.id).lean())!.answerCount).to.equal(2);
  });

  it('refuses a request without the CSRF token, and one after the agency left', async () => {
    const { sent, agent, csrf } = await setUp();
    expect((await agent.post('/agency/confirm').type('form').send({})).status).to.equal(403);
    const noToken = await agent.post('/agency/answer').field('documentNumber', '1').attach('files', samplePdf(10), 'a.pdf');
    expect(noToken.status).to.equal(403);
    const left = await agent.post('/agency/leave').type('form').send({ _csrf: csrf });
    expect(left.status).to.equal(303);
    const after = await agent.get('/agency');
    expect(after.status).to.equal(401);
    expect(after.text).to.contain('Phiên làm việc đã hết');
    expect((await ForwardingModel.findById(sent.id).lean())!.status).to.equal('sent');
  });
});
