// The forms on a forwarding's page against bad input — the leader's approve and return, the officer's
// resubmit, cancel, new link and revoke, and the evaluation with its ref-N fields — and against two
// leaders approving at once. Each refusal is a 4xx page in Vietnamese that keeps what was typed, and
// leaves the forwarding, the timeline, the numbering and the outbox as they were.
import { expect } from 'chai';
import mongoose from 'mongoose';
import { CaseModel } from '../../server/cases/index.js';
import { ForwardingLinkModel, ForwardingModel } from '../../server/forwarding/index.js';
import { OutboxMessageModel } from '../../server/notifications/index.js';
import { seedBaseData } from '../../server/seed.js';
import { buildTestApp, fixedClock, useTestDatabase } from '../support/app.js';
import { createTestUser } from '../support/factories.js';
import { pageToken, signIn, type Agent } from '../support/http.js';
import { act, approve, draftOne, makeAgency, openCase } from './office.js';
import { START } from './support.js';

const clock = fixedClock(START);
const TOO_LONG = 'Ý kiến rất dài của lãnh đạo. '.repeat(75); // 2,175 characters (limit 2,000)

/** Everything a refused action must leave as it was. */
async function snapshot(id: string) {
  const counter = await mongoose.connection.collection<{ _id: string; seq: number }>('counters').findOne({ _id: 'forwarding-document:2027' });
  return {
    forwarding: await ForwardingModel.findById(id).lean(),
    events: await mongoose.connection.collection('case_events').countDocuments({}),
    outbox: await OutboxMessageModel.countDocuments({}),
    links: await ForwardingLinkModel.find({ forwardingId: new mongoose.Types.ObjectId(id) }).lean(),
    counter: counter?.seq ?? 0,
  };
}

/** The textarea of one form on the page (the form found by its action, e.g. "return"): its id and text. */
function textareaOf(html: string, id: string, action: string): { id: string; text: string } | null {
  const form = new RegExp(`<form method="post" action="/forwardings/${id}/${action}"[\\s\\S]*?</form>`).exec(html)?.[0];
  const found = form ? /<textarea[^>]*\bid="([^"]+)"[^>]*>([\s\S]*?)<\/textarea>/.exec(form) : null;
  return found ? { id: found[1]!, text: found[2]!.trim() } : null;
}

const typedIn = (html: string, id: string, action: string) => textareaOf(html, id, action)?.text ?? null;

function expectRefused(res: { status: number; text: string }, status: number, message: string, what: string): void {
  expect(res.status, what).to.equal(status);
  expect(res.text, what).to.include(message);
  expect(res.text, what).to.include('lang="vi"');
}

describe('forwarding: the actions of a forwarding against bad input', function () {
  this.timeout(60_000);
  useTestDatabase();
  let officer: Agent;
  let leader: Agent;
  let agencyId: string;
  let caseId: string;
  let id: string;

  beforeEach(async () => {
    clock.set(START);
    const { app } = buildTestApp({ clock });
    await seedBaseData(clock);
    agencyId = await makeAgency('Sở Lao động thử', 'vanthu@sld.test.gov.vn');
    officer = await signIn(app, await createTestUser({ role: 'officer', name: 'Lê Văn Chuyên' }));
    leader = await signIn(app, await createTestUser({ role: 'leader', name: 'Phạm Thị Duyệt' }), { nowMs: clock.now().getTime() });
    caseId = await openCase(officer, 'Khiếu nại việc chậm chi trả trợ cấp thất nghiệp');
    id = await draftOne(officer, caseId, { agencyIds: agencyId, request: 'Đề nghị Sở giải quyết.' });
  });

  it("refuses the leader's overlong, blank, invisible or operator notes with a 422 keeping the text, and changes nothing", async () => {
    const before = await snapshot(id);
    // [action, fields, body type, message, text the failed form must hold again]
    const cases: [string, Record<string, unknown>, 'form' | 'json', string, string | null][] = [
      ['approve', { note: TOO_LONG }, 'form', 'Nội dung quá dài', TOO_LONG.trim()],
      ['return', { note: TOO_LONG }, 'form', 'Nội dung quá dài', TOO_LONG.trim()],
      ['return', { note: '\u200B\u200C\u200D\uFEFF  ' }, 'form', 'Vui lòng nhập thông tin này', null],
      ['return', { 'note[$ne]': '' }, 'form', 'Vui lòng nhập thông tin này', null],
      ['return', { note: { $ne: '' } }, 'json', 'Giá trị không hợp lệ', null],
      ['approve', { note: ['a', 'b'] }, 'json', 'Có lỗi cần sửa', null],
    ];
    for (const [action, fields, type, message, kept] of cases) {
      const what = `${action} ${JSON.stringify(fields).slice(0, 60)}`;
      const res = await leader.post(`/forwardings/${id}/${action}`).type(type).send({ _csrf: await pageToken(leader, `/forwardings/${id}`), ...fields });
      expectRefused(res, 422, message, what);
      expect(res.text, what).to.include('Có lỗi cần sửa');
      if (kept) {
        expect(typedIn(res.text, id, action), what).to.equal(kept);
        // The other form sharing the field name stays empty, and the summary's link reaches the failed one.
        expect(typedIn(res.text, id, action === 'approve' ? 'return' : 'approve'), what).to.equal('');
        expect(textareaOf(res.text, id, action)?.id, what).to.equal('note');
        expect(res.text, what).to.include('href="#note"');
      }
    }
    expect(await snapshot(id)).to.deep.equal(before);
  });

  it("keeps the NFC of an NFD note, drops zero-width characters, and shows HTML in it as text on the forwarding's and the case's pages", async () => {
    const note = 'Đề nghị\u200B ghi rõ <script>alert(1)</script> thời hạn'.normalize('NFD');
    expect((await act(leader, id, 'return', { note })).status).to.equal(303);
    const stored = (await ForwardingModel.findById(id).lean())!;
    expect(stored.status).to.equal('returned');
    expect(stored.approvalNote).to.equal('Đề nghị ghi rõ <script>alert(1)</script> thời hạn'.normalize('NFC'));
    for (const path of [`/forwardings/${id}`, `/cases/${caseId}`]) {
      const page = await officer.get(path);
      expect(page.text, path).to.not.include('<script>alert(1)</script>');
      expect(page.text, path).to.include('Đề nghị ghi rõ &lt;script&gt;alert(1)&lt;/script&gt; thời hạn');
    }
    const resubmit = await act(officer, id, 'resubmit', { request: 'Quá dài. '.repeat(500) });
    expectRefused(resubmit, 422, 'Nội dung quá dài', 'resubmit');
    expect(typedIn(resubmit.text, id, 'resubmit')).to.equal('Quá dài. '.repeat(500).trim());
    expect((await ForwardingModel.findById(id).lean())!.status).to.equal('returned');
  });

  it('refuses an overlong or blank reason to cancel, renew or revoke with a 422 keeping the text, and changes nothing', async () => {
    const draftBefore = await snapshot(id);
    const cancel = await act(officer, id, 'cancel', { reason: TOO_LONG });
    expectRefused(cancel, 422, 'Nội dung quá dài', 'cancel');
    expect(typedIn(cancel.text, id, 'cancel')).to.equal(TOO_LONG.trim());
    expect(cancel.text).to.include('href="#reason"');
    expect(cancel.text).to.include('id="reason" name="reason"');
    expectRefused(await act(officer, id, 'cancel', { reason: '\u200B' }), 422, 'Vui lòng nhập thông tin này', 'cancel blank');
    expect(await snapshot(id)).to.deep.equal(draftBefore);

    await approve(leader, id);
    const sentBefore = await snapshot(id);
    for (const action of ['reissue-link', 'revoke-link']) {
      const res = await act(officer, id, action, { reason: TOO_LONG });
      expectRefused(res, 422, 'Nội dung quá dài', action);
      // Renew and revoke are one form (two buttons), found by its first action.
      expect(typedIn(res.text, id, 'reissue-link'), action).to.equal(TOO_LONG.trim());
      expect(res.text, action).to.include('id="reason" name="reason"');
      expectRefused(await act(officer, id, action, { 'reason[$gt]': '' }), 422, 'Vui lòng nhập thông tin này', `${action} bracket`);
    }
    expect(await snapshot(id)).to.deep.equal(sentBefore);
  });

  describe('the evaluation form', () => {
    let otherCase: string;
    beforeEach(async () => {
      otherCase = await openCase(officer, 'Khiếu nại việc không được cấp sổ bảo hiểm xã hội');
      await approve(leader, id);
      // Set-up: the state an agency's answer leaves (the agency's own route is tested in agency-actions).
      await ForwardingModel.updateOne({ _id: id }, { $set: { status: 'answered', 'items.0.answered': true, answerCount: 1 } });
      await CaseModel.updateOne({ _id: caseId }, { $set: { status: 'answered' } });
    });

    it('refuses foreign, forged, duplicated or operator ref-N values with a 422 keeping the reasons, and saves no verdict', async () => {
      const before = await snapshot(id);
      const reason = 'Trả lời chưa nêu thời điểm chi trả <i>cụ thể</i>';
      const notAnswered = 'Chỉ đánh giá được vụ việc đã có trả lời chưa đánh giá.';
      const cases: [string, Record<string, unknown>, 'form' | 'json', string][] = [
        ['a case of another forwarding', { 'ref-0': otherCase, 'verdict-0': 'unsatisfied', 'reason-0': reason, nextStep: 'chase' }, 'form', notAnswered],
        ['its own case plus a foreign one', { 'ref-0': caseId, 'verdict-0': 'satisfied', 'reason-0': reason, 'ref-1': otherCase, 'verdict-1': 'unsatisfied', 'reason-1': reason, nextStep: 'chase' }, 'form', notAnswered],
        ['an unknown id', { 'ref-0': new mongoose.Types.ObjectId().toHexString(), 'verdict-0': 'satisfied', 'reason-0': reason }, 'form', notAnswered],
        ['an operator as text', { 'ref-0': '{"$ne":null}', 'verdict-0': 'satisfied', 'reason-0': reason }, 'form', notAnswered],
        ['the same case twice with opposite verdicts', { 'ref-0': caseId, 'verdict-0': 'unsatisfied', 'reason-0': reason, 'ref-1': caseId, 'verdict-1': 'satisfied', nextStep: 'supervision' }, 'form', notAnswered],
        ['a bracket key', { 'ref-0[$ne]': '', 'verdict-0': 'satisfied', 'reason-0': reason }, 'form', 'Hãy đánh giá ít nhất một vụ việc.'],
        ['a JSON object', { 'ref-0': { $ne: null }, 'verdict-0': 'satisfied', 'reason-0': reason }, 'json', 'Có lỗi cần sửa'],
        ['a ref-N without ref-0', { 'ref-7': caseId, 'verdict-0': 'satisfied', 'reason-0': reason }, 'form', 'Có lỗi cần sửa'],
        ['an overlong ref', { 'ref-0': 'f'.repeat(65), 'verdict-0': 'satisfied', 'reason-0': reason }, 'form', 'Có lỗi cần sửa'],
        ['an unknown verdict', { 'ref-0': caseId, 'verdict-0': 'maybe', 'reason-0': reason }, 'form', 'Hãy chọn Đạt hoặc Chưa đạt yêu cầu.'],
        ['an overlong reason', { 'ref-0': caseId, 'verdict-0': 'unsatisfied', 'reason-0': `${reason} ${TOO_LONG}`, nextStep: 'chase' }, 'form', 'Nội dung quá dài'],
      ];
      for (const [what, fields, type, message] of cases) {
        const res = await officer.post(`/forwardings/${id}/evaluate`).type(type).send({ _csrf: await pageToken(officer, `/forwardings/${id}`), ...fields });
        expectRefused(res, 422, message, what);
        // The typed reason comes back, escaped, in the re-rendered form.
        expect(res.text, what).to.include('Trả lời chưa nêu thời điểm chi trả &lt;i&gt;cụ thể&lt;/i&gt;');
      }
      expect(await snapshot(id)).to.deep.equal(before);
      expect((await CaseModel.findById(otherCase).lean())!.status).to.equal('received');
    });
  });

  it('lets only one of two simultaneous approvals through: one number, one link, one email, one event', async () => {
    const token = await pageToken(leader, `/forwardings/${id}`);
    const [a, b] = await Promise.all([
      leader.post(`/forwardings/${id}/approve`).type('form').send({ _csrf: token, note: '' }),
      leader.post(`/forwardings/${id}/approve`).type('form').send({ _csrf: token, note: '' }),
    ]);
    expect([a.status, b.status].sort()).to.deep.equal([303, 409]);
    expect([a, b].find((r) => r.status === 409)!.text).to.include('Phiếu không còn ở trạng thái chờ phê duyệt.');
    const sent = (await ForwardingModel.findById(id).lean())!;
    expect(sent.status).to.equal('sent');
    expect(sent.documentNumber).to.equal('1/PC-VP');
    expect((await snapshot(id)).counter).to.equal(1);
    expect(await ForwardingLinkModel.countDocuments({ forwardingId: sent._id })).to.equal(1);
    expect(await OutboxMessageModel.countDocuments({ template: 'forwarding-sent' })).to.equal(1);
    expect(await mongoose.connection.collection('case_events').countDocuments({ type: 'forwarding.sent' })).to.equal(1);
    // The loser consumed no number: the next slip is 2.
    const next = await draftOne(officer, await openCase(officer, 'Kiến nghị hỗ trợ học nghề cho lao động nông thôn'), { agencyIds: agencyId });
    await approve(leader, next);
    expect((await ForwardingModel.findById(next).lean())!.documentNumber).to.equal('2/PC-VP');
  });

  it('lets only one of an approval and a return sent at the same moment through', async () => {
    const token = await pageToken(leader, `/forwardings/${id}`);
    const [approved, returned] = await Promise.all([
      leader.post(`/forwardings/${id}/approve`).type('form').send({ _csrf: token, note: '' }),
      leader.post(`/forwardings/${id}/return`).type('form').send({ _csrf: token, note: 'Sửa lại đề nghị' }),
    ]);
    expect([approved.status, returned.status].sort()).to.deep.equal([303, 409]);
    const f = (await ForwardingModel.findById(id).lean())!;
    const events = await mongoose.connection.collection('case_events').find({ type: { $in: ['forwarding.sent', 'forwarding.returned'] } }).toArray();
    expect(events).to.have.length(1);
    if (approved.status === 303) {
      expect(f.status).to.equal('sent');
      expect(events[0]!.type).to.equal('forwarding.sent');
    } else {
      expect(f.status).to.equal('returned');
      expect(f.documentNumber).to.equal(null);
      expect(events[0]!.type).to.equal('forwarding.returned');
      expect(await OutboxMessageModel.countDocuments({ template: 'forwarding-sent' })).to.equal(0);
    }
  });
});
