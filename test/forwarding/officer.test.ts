// The office's side of forwarding, through the real HTTP app and database: the draft form (bad input,
// one case, several cases to several agencies, a double submission), the leader's approval (number,
// deadline, slip, email with the link's marker only), sending back and cancelling, the evaluation of
// an answer (satisfied closes the forwarding and the case; unsatisfied needs a reason and a next
// step), extension decisions, chasing and reissuing the link.
import crypto from 'node:crypto';
import { expect } from 'chai';
import mongoose from 'mongoose';
import { AgencyModel } from '../../server/agencies/index.js';
import { CaseModel } from '../../server/cases/index.js';
import { ForwardingLinkModel, ForwardingModel } from '../../server/forwarding/index.js';
import { OutboxMessageModel } from '../../server/notifications/index.js';
import { listActiveCommunes, listActiveFields } from '../../server/reference/index.js';
import { seedBaseData } from '../../server/seed.js';
import { foldVietnamese } from '../../server/platform/text.js';
import { buildTestApp, fixedClock, useTestDatabase } from '../support/app.js';
import { createTestUser } from '../support/factories.js';
import { csrfFrom, signIn, type Agent } from '../support/http.js';
import { postWalkIn, walkInFields } from '../support/intake.js';
import { extractPdfText } from '../support/pdf.js';

const clock = fixedClock(new Date('2027-03-02T03:00:00Z')); // Tuesday 02/03/2027, 10:00 in Vietnam

async function makeAgency(name: string, email: string) {
  const agency = await AgencyModel.create({ name, nameFolded: foldVietnamese(name), level: 'province', contacts: [{ email, name: 'Văn thư', role: 'to' }, { email: `cc-${email}`, name: 'Lãnh đạo', role: 'cc' }], source: 'admin' });
  return String(agency._id);
}

async function openCase(agent: Agent, content: string, type = 'complaint'): Promise<string> {
  const [communes, fields] = await Promise.all([listActiveCommunes(), listActiveFields()]);
  const res = await postWalkIn(agent, walkInFields({ date: '01/03/2027', type, unitCode: communes[0]!.code, fieldCode: fields[0]!.code, content, caseChoice: 'new', name: `Trần Văn ${crypto.randomBytes(2).toString('hex')}`, citizenId: '' }));
  expect(res.status, res.text.slice(0, 400)).to.equal(303);
  return /\/cases\/([a-f0-9]{24})/.exec(res.headers.location ?? '')![1]!;
}

async function draftForm(agent: Agent, caseIds: string[]) {
  const page = await agent.get(`/forwardings/new?${caseIds.map((id) => `case=${id}`).join('&')}`);
  expect(page.status, page.text.slice(0, 300)).to.equal(200);
  return { csrf: csrfFrom(page.text), submissionKey: /name="submissionKey" value="([^"]+)"/.exec(page.text)![1]!, html: page.text };
}

describe('forwarding: the office side', function () {
  this.timeout(60_000);
  useTestDatabase();
  let app: ReturnType<typeof buildTestApp>['app'];
  let officer: Agent;
  let leader: Agent;
  let agencyA: string;
  let agencyB: string;

  beforeEach(async () => {
    app = buildTestApp({ clock }).app;
    await seedBaseData(clock);
    agencyA = await makeAgency('Sở Tài nguyên và Môi trường thử', 'vanthu@stnmt.test.gov.vn');
    agencyB = await makeAgency('UBND huyện Thử Nghiệm', 'vanthu@ubnd-thu.test.gov.vn');
    officer = await signIn(app, await createTestUser({ role: 'officer', name: 'Lê Văn Chuyên' }));
    leader = await signIn(app, await createTestUser({ role: 'leader', name: 'Phạm Thị Duyệt' }), { nowMs: clock.now().getTime() });
  });

  it('refuses a draft without an agency in Vietnamese, keeps what was typed and saves nothing', async () => {
    const caseId = await openCase(officer, 'Khiếu nại việc cấp giấy chứng nhận quyền sử dụng đất chậm');
    const form = await draftForm(officer, [caseId]);
    const res = await officer.post('/forwardings').type('form').send({ _csrf: form.csrf, submissionKey: form.submissionKey, caseIds: caseId, request: 'Đề nghị xem xét <b>gấp</b>' });
    expect(res.status).to.equal(422);
    expect(res.text).to.include('Hãy chọn ít nhất một cơ quan nhận.');
    expect(res.text).to.include('Đề nghị xem xét &lt;b&gt;gấp&lt;/b&gt;');
    expect(await ForwardingModel.countDocuments()).to.equal(0);
    const unknown = await officer.post('/forwardings').type('form').send({ _csrf: form.csrf, submissionKey: form.submissionKey, caseIds: caseId, agencyIds: new mongoose.Types.ObjectId().toHexString() });
    expect(unknown.status).to.equal(422);
    expect(unknown.text).to.include('Cơ quan được chọn không tồn tại.');
    expect(await ForwardingModel.countDocuments()).to.equal(0);
  });

  it('drafts, a leader approves: numbered, deadline, case forwarded, slip PDF, email queued without the link', async () => {
    const caseId = await openCase(officer, 'Khiếu nại việc bồi thường khi thu hồi đất làm đường tránh');
    const form = await draftForm(officer, [caseId]);
    expect(form.html).to.include('Sở Tài nguyên và Môi trường thử');
    const res = await officer.post('/forwardings').type('form').send({ _csrf: form.csrf, submissionKey: form.submissionKey, caseIds: caseId, agencyIds: agencyA, request: 'Đề nghị Sở giải quyết theo thẩm quyền.', internalNote: 'Chỉ nội bộ' });
    expect(res.status).to.equal(303);
    const [draft] = await ForwardingModel.find().lean();
    expect(draft!.status).to.equal('awaiting-approval');
    expect(draft!.documentNumber).to.equal(null);
    expect(await OutboxMessageModel.countDocuments({ template: 'forwarding-approval' })).to.equal(1);

    // An officer cannot approve; a leader can.
    const page = await leader.get(`/forwardings/${String(draft!._id)}`);
    expect(page.text).to.include('Duyệt và gửi');
    const denied = await officer.post(`/forwardings/${String(draft!._id)}/approve`).type('form').send({ _csrf: csrfFrom(page.text) });
    expect(denied.status).to.equal(403);
    const approved = await leader.post(`/forwardings/${String(draft!._id)}/approve`).type('form').send({ _csrf: csrfFrom(page.text), note: '' });
    expect(approved.status).to.equal(303);

    const sent = await ForwardingModel.findById(draft!._id).lean();
    expect(sent!.status).to.equal('sent');
    expect(sent!.documentNumber).to.equal('1/PC-VP');
    expect(sent!.approvedBy!.name).to.equal('Phạm Thị Duyệt');
    // 15 working days from Tuesday 02/03/2027 (the shipped office rule): Tuesday 23/03/2027.
    expect(sent!.deadline!.dueDate).to.equal('2027-03-23');
    expect((await CaseModel.findById(caseId).lean())!.status).to.equal('forwarded');
    expect(await ForwardingLinkModel.countDocuments({ forwardingId: sent!._id, revokedAt: null })).to.equal(1);

    const email = await OutboxMessageModel.findOne({ key: `forwarding:${String(sent!._id)}:sent` }).lean();
    expect(email!.to.map((m) => m.email)).to.deep.equal(['vanthu@stnmt.test.gov.vn']);
    expect(email!.cc.map((m) => m.email)).to.deep.equal(['cc-vanthu@stnmt.test.gov.vn']);
    expect(email!.text).to.match(/\[\[secret-link:agency-link:[a-f0-9]{24}\]\]/);
    expect(email!.text).to.not.include('/a/');
    expect(email!.text).to.not.include('Chỉ nội bộ');
    expect(email!.attachments.map((a) => a.pdf?.kind)).to.deep.equal(['forwarding-slip']);

    const slip = await officer.get(`/forwardings/${String(sent!._id)}/slip.pdf`).buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect(slip.status).to.equal(200);
    const text = await extractPdfText(slip.body as Buffer);
    expect(text).to.include('PHIẾU CHUYỂN ĐƠN');
    expect(text).to.include('1/PC-VP');
    expect(text).to.include('Sở Tài nguyên và Môi trường thử');
    expect(text).to.include('23/03/2027');
    expect(text).to.not.include('Chỉ nội bộ');

    const casePage = await officer.get(`/cases/${caseId}`);
    expect(casePage.text).to.include('1/PC-VP');
    expect(casePage.text).to.include('Chuyển đơn đến Sở Tài nguyên và Môi trường thử (phiếu số 1/PC-VP, hạn trả lời 23/03/2027)');
  });

  it('forwards several cases to several agencies in one submission: one forwarding per case and agency, once', async () => {
    const first = await openCase(officer, 'Kiến nghị sửa chữa cầu treo thôn Một bị hư hỏng nặng');
    const second = await openCase(officer, 'Kiến nghị nạo vét kênh mương nội đồng thôn Hai');
    const form = await draftForm(officer, [first, second]);
    const body = `_csrf=${encodeURIComponent(form.csrf)}&submissionKey=${form.submissionKey}&caseIds=${first}&caseIds=${second}&agencyIds=${agencyA}&agencyIds=${agencyB}`;
    const [a, b] = await Promise.all([officer.post('/forwardings').type('form').send(body), officer.post('/forwardings').type('form').send(body)]);
    expect([a.status, b.status]).to.deep.equal([303, 303]);
    const all = await ForwardingModel.find().lean();
    expect(all).to.have.length(4);
    const pairs = all.map((f) => `${f.items[0]!.refId}>${String(f.agencyId)}`).sort();
    expect(pairs).to.deep.equal([`${first}>${agencyA}`, `${first}>${agencyB}`, `${second}>${agencyA}`, `${second}>${agencyB}`].sort());
    // The same matter cannot be with the same agency twice while open.
    const again = await draftForm(officer, [first]);
    const refused = await officer.post('/forwardings').type('form').send({ _csrf: again.csrf, submissionKey: again.submissionKey, caseIds: first, agencyIds: agencyA });
    expect(refused.status).to.equal(422);
    expect(refused.text).to.include('Vụ việc đang được chuyển đến cơ quan này và chưa kết thúc.');
  });

  it('a leader sends a draft back with a note; the officer cancels it with a reason', async () => {
    const caseId = await openCase(officer, 'Khiếu nại về việc tính tiền sử dụng đất khi cấp giấy chứng nhận');
    const form = await draftForm(officer, [caseId]);
    await officer.post('/forwardings').type('form').send({ _csrf: form.csrf, submissionKey: form.submissionKey, caseIds: caseId, agencyIds: agencyA });
    const id = String((await ForwardingModel.findOne().lean())!._id);
    const page = await leader.get(`/forwardings/${id}`);
    const noNote = await leader.post(`/forwardings/${id}/return`).type('form').send({ _csrf: csrfFrom(page.text), note: '' });
    expect(noNote.status).to.equal(422);
    expect(noNote.text).to.include('Vui lòng');
    expect((await leader.post(`/forwardings/${id}/return`).type('form').send({ _csrf: csrfFrom(page.text), note: 'Ghi rõ đề nghị' })).status).to.equal(303);
    expect((await ForwardingModel.findById(id).lean())!.status).to.equal('returned');
    const officerPage = await officer.get(`/forwardings/${id}`);
    expect(officerPage.text).to.include('Ghi rõ đề nghị');
    expect((await officer.post(`/forwardings/${id}/cancel`).type('form').send({ _csrf: csrfFrom(officerPage.text), reason: 'Công dân rút đơn' })).status).to.equal(303);
    const cancelled = await ForwardingModel.findById(id).lean();
    expect(cancelled!.status).to.equal('cancelled');
    expect((await CaseModel.findById(caseId).lean())!.status).to.equal('received');
  });

  describe('after the agency acted', () => {
    let id: string;
    let caseId: string;
    beforeEach(async () => {
      caseId = await openCase(officer, 'Khiếu nại việc không được hỗ trợ chuyển đổi nghề khi thu hồi đất');
      const form = await draftForm(officer, [caseId]);
      await officer.post('/forwardings').type('form').send({ _csrf: form.csrf, submissionKey: form.submissionKey, caseIds: caseId, agencyIds: agencyA });
      id = String((await ForwardingModel.findOne().lean())!._id);
      const page = await leader.get(`/forwardings/${id}`);
      await leader.post(`/forwardings/${id}/approve`).type('form').send({ _csrf: csrfFrom(page.text) });
    });

    /** Test set-up: the state an agency's answer leaves (the agency's own route is tested in agency-*.test.ts). */
    async function markAnswered() {
      await ForwardingModel.updateOne({ _id: id }, { $set: { status: 'answered', 'items.0.answered': true, answerCount: 1 } });
      await CaseModel.updateOne({ _id: caseId }, { $set: { status: 'answered' } });
    }

    it('unsatisfied needs a reason and a next step; chasing emails the agency again with its link', async () => {
      await markAnswered();
      const page = await officer.get(`/forwardings/${id}`);
      const csrf = csrfFrom(page.text);
      const bad = await officer.post(`/forwardings/${id}/evaluate`).type('form').send({ _csrf: csrf, 'ref-0': caseId, 'verdict-0': 'unsatisfied', 'reason-0': '' });
      expect(bad.status).to.equal(422);
      expect(bad.text).to.include('Hãy ghi lý do chưa đạt yêu cầu.');
      expect(bad.text).to.include('Hãy chọn bước tiếp theo');
      expect((await ForwardingModel.findById(id).lean())!.items[0]!.verdict).to.equal(null);

      const ok = await officer.post(`/forwardings/${id}/evaluate`).type('form').send({ _csrf: csrf, 'ref-0': caseId, 'verdict-0': 'unsatisfied', 'reason-0': 'Chưa trả lời việc hỗ trợ', nextStep: 'chase' });
      expect(ok.status).to.equal(303);
      const f = await ForwardingModel.findById(id).lean();
      expect(f!.status).to.equal('evaluated');
      expect(f!.chaseCount).to.equal(1);
      expect((await CaseModel.findById(caseId).lean())!.status).to.equal('forwarded');
      const chase = await OutboxMessageModel.findOne({ key: `forwarding:${id}:chase:1` }).lean();
      expect(chase!.text).to.include('Chưa trả lời việc hỗ trợ');
      expect(chase!.text).to.match(/\[\[secret-link:agency-link:/);
    });

    it('satisfied closes the forwarding, revokes its link and closes the case', async () => {
      await markAnswered();
      const page = await officer.get(`/forwardings/${id}`);
      const res = await officer.post(`/forwardings/${id}/evaluate`).type('form').send({ _csrf: csrfFrom(page.text), 'ref-0': caseId, 'verdict-0': 'satisfied' });
      expect(res.status).to.equal(303);
      const f = await ForwardingModel.findById(id).lean();
      expect(f!.status).to.equal('closed');
      expect(f!.closure).to.equal('satisfied');
      expect(await ForwardingLinkModel.countDocuments({ forwardingId: f!._id, revokedAt: null })).to.equal(0);
      expect((await CaseModel.findById(caseId).lean())!.status).to.equal('closed');
      const again = await officer.post(`/forwardings/${id}/evaluate`).type('form').send({ _csrf: csrfFrom(page.text), 'ref-0': caseId, 'verdict-0': 'satisfied' });
      expect(again.status).to.equal(409);
    });

    it('handing over to supervision closes the forwarding and puts the case under supervision', async () => {
      await markAnswered();
      const page = await officer.get(`/forwardings/${id}`);
      await officer.post(`/forwardings/${id}/evaluate`).type('form').send({ _csrf: csrfFrom(page.text), 'ref-0': caseId, 'verdict-0': 'unsatisfied', 'reason-0': 'Trả lời chung chung', nextStep: 'supervision' });
      expect((await ForwardingModel.findById(id).lean())!.closure).to.equal('supervision');
      expect((await CaseModel.findById(caseId).lean())!.status).to.equal('supervising');
    });

    it('forwarding again closes this one and opens the draft form for the same case', async () => {
      await markAnswered();
      const page = await officer.get(`/forwardings/${id}`);
      const res = await officer.post(`/forwardings/${id}/evaluate`).type('form').send({ _csrf: csrfFrom(page.text), 'ref-0': caseId, 'verdict-0': 'unsatisfied', 'reason-0': 'Không đúng thẩm quyền', nextStep: 'reforward' });
      expect(res.headers.location).to.equal(`/forwardings/new?case=${caseId}`);
      expect((await ForwardingModel.findById(id).lean())!.closure).to.equal('reforwarded');
    });

    it('grants an extension: new deadline, old one in history, link lives longer, agency emailed', async () => {
      const requestId = new mongoose.Types.ObjectId();
      await ForwardingModel.updateOne({ _id: id }, { $push: { extensionRequests: { _id: requestId, requestedAt: clock.now(), days: 10, reason: 'Cần xác minh thực địa', requesterName: 'Văn thư', decision: null } } });
      const before = await ForwardingLinkModel.findOne({ forwardingId: id }).lean();
      const page = await officer.get(`/forwardings/${id}`);
      const bad = await officer.post(`/forwardings/${id}/extensions/${String(requestId)}`).type('form').send({ _csrf: csrfFrom(page.text), decision: 'refused', note: '' });
      expect(bad.status).to.equal(422);
      expect(bad.text).to.include('Hãy ghi lý do không đồng ý');
      const res = await officer.post(`/forwardings/${id}/extensions/${String(requestId)}`).type('form').send({ _csrf: csrfFrom(page.text), decision: 'granted', days: '' });
      expect(res.status).to.equal(303);
      const f = await ForwardingModel.findById(id).lean();
      expect(f!.deadline!.dueDate).to.equal('2027-04-06'); // 23/03 + 10 working days
      expect(f!.deadlineHistory.map((h) => h.dueDate)).to.deep.equal(['2027-03-23']);
      expect(f!.extensionRequests[0]!.decision).to.equal('granted');
      const after = await ForwardingLinkModel.findOne({ forwardingId: id }).lean();
      expect(after!.expiresAt.getTime()).to.be.greaterThan(before!.expiresAt.getTime());
      expect(await OutboxMessageModel.countDocuments({ key: `forwarding:${id}:extension:${String(requestId)}` })).to.equal(1);
      const twice = await officer.post(`/forwardings/${id}/extensions/${String(requestId)}`).type('form').send({ _csrf: csrfFrom(page.text), decision: 'granted' });
      expect(twice.status).to.equal(409);
    });

    it('a new link revokes the old one and is emailed; revoking needs a reason', async () => {
      const page = await officer.get(`/forwardings/${id}`);
      const noReason = await officer.post(`/forwardings/${id}/reissue-link`).type('form').send({ _csrf: csrfFrom(page.text), reason: ' ' });
      expect(noReason.status).to.equal(422);
      expect((await officer.post(`/forwardings/${id}/reissue-link`).type('form').send({ _csrf: csrfFrom(page.text), reason: 'Cơ quan báo mất thư' })).status).to.equal(303);
      const links = await ForwardingLinkModel.find({ forwardingId: id }).sort({ createdAt: 1 }).lean();
      expect(links).to.have.length(2);
      expect(links.filter((l) => l.revokedAt === null)).to.have.length(1);
      expect(await OutboxMessageModel.countDocuments({ template: 'forwarding-link' })).to.equal(1);
      expect((await officer.post(`/forwardings/${id}/revoke-link`).type('form').send({ _csrf: csrfFrom(page.text), reason: 'Lộ thư' })).status).to.equal(303);
      expect(await ForwardingLinkModel.countDocuments({ forwardingId: id, revokedAt: null })).to.equal(0);
    });
  });

  it('lists forwardings filtered by status; an unknown status is ignored (overdue marking: list-overdue.test.ts)', async () => {
    const caseId = await openCase(officer, 'Khiếu nại về việc cấp phép xây dựng nhà xưởng gây ô nhiễm');
    const form = await draftForm(officer, [caseId]);
    await officer.post('/forwardings').type('form').send({ _csrf: form.csrf, submissionKey: form.submissionKey, caseIds: caseId, agencyIds: agencyA });
    const list = await officer.get('/forwardings?status=awaiting-approval');
    expect(list.status).to.equal(200);
    expect(list.text).to.include('Sở Tài nguyên và Môi trường thử');
    expect((await officer.get('/forwardings?status=closed')).text).to.include('Không có phiếu chuyển đơn nào phù hợp.');
    expect((await officer.get('/forwardings?status=<script>')).status).to.equal(200);
  });
});

describe('forwarding: from the case list', function () {
  this.timeout(60_000);
  useTestDatabase();

  it('offers a checkbox per case and sends the ticked ones to the draft form; none ticked → back with a message', async () => {
    const app = buildTestApp({ clock }).app;
    await seedBaseData(clock);
    const officer = await signIn(app, await createTestUser({ role: 'officer' }));
    const first = await openCase(officer, 'Kiến nghị lắp đặt đèn chiếu sáng đường liên thôn');
    const second = await openCase(officer, 'Kiến nghị sửa chữa trường mẫu giáo bị dột');
    const list = await officer.get('/cases');
    expect(list.text).to.include(`name="case" type="checkbox" value="${first}"`);
    const form = await officer.get(`/forwardings/new?case=${first}&case=${second}`);
    expect(form.status).to.equal(200);
    expect(form.text).to.include('2 vụ việc được chuyển');
    const none = await officer.get('/forwardings/new');
    expect(none.status).to.equal(303);
    expect(none.headers.location).to.equal('/cases');
    const bad = await officer.get('/forwardings/new?case=nonsense');
    expect(bad.status).to.equal(422);
    const delegate = await signIn(app, await createTestUser({ role: 'delegate' }));
    expect((await delegate.get(`/forwardings/new?case=${first}`)).status).to.equal(403);
  });
});
