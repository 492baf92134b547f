// Bad input and refusals for the officer's deadline forms, through the real app and database: every
// wrong value is answered 422 in Vietnamese with what was typed kept and nothing saved; unknown ids are
// 404, a closed forwarding 409, a user who may not change cases 403; the same form sent twice (at once
// or again later) records one change, one event and one email.
import crypto from 'node:crypto';
import { expect } from 'chai';
import type { Express } from 'express';
import mongoose, { trusted } from 'mongoose';
import { CaseEventModel } from '../../server/cases/index.js';
import { ForwardingModel } from '../../server/forwarding/index.js';
import { OutboxMessageModel } from '../../server/notifications/index.js';
import { buildTestApp, clearDatabase, connectTestDatabase, fixedClock, useTestDatabase } from '../support/app.js';
import { createTestUser } from '../support/factories.js';
import { csrfFrom, signIn, type Agent } from '../support/http.js';
import { APP_CONFIG, START, sendForwarding, type SentForwarding } from './support.js';

const key = () => crypto.randomBytes(18).toString('base64url');

const extension = (over: Record<string, string> = {}) => ({ extendDays: '10', extendReason: 'Cần xác minh thêm', extendDocNumber: '12/CV-UBND', extendDocDate: '09/03/2027', extendKey: key(), ...over });
const suspension = (over: Record<string, string> = {}) => ({ suspendFrom: '10/03/2027', suspendReason: 'Chờ giám định', suspendDocNumber: '5/QĐ-UBND', suspendDocDate: '09/03/2027', suspendKey: key(), ...over });

interface BadInput {
  why: string;
  action: 'extend' | 'suspend' | 'resume';
  fields: Record<string, string>;
  message: string;
  /** A value that must come back in the re-rendered form. */
  kept?: string;
}

const BAD: BadInput[] = [
  { why: 'days missing', action: 'extend', fields: extension({ extendDays: '' }), message: 'Vui lòng nhập thông tin này', kept: 'Cần xác minh thêm' },
  { why: 'zero days', action: 'extend', fields: extension({ extendDays: '0' }), message: 'Số ngày gia hạn phải là số nguyên từ 1 đến 365.', kept: 'value="0"' },
  { why: 'negative days', action: 'extend', fields: extension({ extendDays: '-5' }), message: 'Số ngày gia hạn phải là số nguyên từ 1 đến 365.', kept: 'value="-5"' },
  { why: 'huge days', action: 'extend', fields: extension({ extendDays: '100000' }), message: 'Số ngày gia hạn phải là số nguyên từ 1 đến 365.', kept: 'value="100000"' },
  { why: 'days as an exponent', action: 'extend', fields: extension({ extendDays: '1e2' }), message: 'Số ngày gia hạn phải là số nguyên từ 1 đến 365.', kept: 'value="1e2"' },
  { why: 'more than 365 days', action: 'extend', fields: extension({ extendDays: '366' }), message: 'Số ngày gia hạn phải là số nguyên từ 1 đến 365.' },
  { why: 'no reason', action: 'extend', fields: extension({ extendReason: '  \u200b ' }), message: 'Vui lòng nhập thông tin này', kept: 'value="12/CV-UBND"' },
  { why: 'an overlong reason', action: 'extend', fields: extension({ extendReason: 'lý do '.repeat(400) }), message: 'Nội dung quá dài' },
  { why: 'no document number', action: 'extend', fields: extension({ extendDocNumber: '' }), message: 'Vui lòng nhập thông tin này' },
  { why: 'an impossible date (31/02)', action: 'extend', fields: extension({ extendDocDate: '31/02/2027' }), message: 'Hãy nhập ngày có thật theo dạng ngày/tháng/năm', kept: 'value="31/02/2027"' },
  { why: 'a date in the wrong format', action: 'extend', fields: extension({ extendDocDate: '2027/03/09' }), message: 'Hãy nhập ngày có thật theo dạng ngày/tháng/năm', kept: 'value="2027/03/09"' },
  { why: 'a document dated after today', action: 'extend', fields: extension({ extendDocDate: '11/03/2027' }), message: 'Ngày văn bản không được sau ngày hôm nay.' },
  { why: 'words for days (HTML in the reason kept as text)', action: 'extend', fields: extension({ extendDays: 'x', extendReason: '<script>alert(1)</script>' }), message: 'Số ngày gia hạn phải là số nguyên', kept: '&lt;script&gt;alert(1)&lt;/script&gt;' },
  { why: 'a suspension before the deadline started', action: 'suspend', fields: suspension({ suspendFrom: '01/03/2027' }), message: 'Ngày bắt đầu tạm đình chỉ không được trước ngày bắt đầu tính thời hạn.', kept: 'value="01/03/2027"' },
  { why: 'a suspension starting after today', action: 'suspend', fields: suspension({ suspendFrom: '12/03/2027' }), message: 'Ngày bắt đầu tạm đình chỉ không được sau ngày hôm nay.' },
  { why: 'a suspension without its document date', action: 'suspend', fields: suspension({ suspendDocDate: '' }), message: 'Vui lòng nhập thông tin này', kept: 'Chờ giám định' },
  { why: 'a suspension on an impossible day', action: 'suspend', fields: suspension({ suspendFrom: '30/02/2027' }), message: 'Hãy nhập ngày có thật theo dạng ngày/tháng/năm' },
];

/** The forwarding every test starts from: sent on 02/03/2027, due 23/03/2027; the officer signed in on 10/03/2027. */
function useSentForwarding(perTest: boolean) {
  const state = {} as { clock: ReturnType<typeof fixedClock>; app: Express; sent: SentForwarding; officer: Agent };
  const setUp = async () => {
    state.clock = fixedClock(START);
    state.app = buildTestApp({ clock: state.clock, config: APP_CONFIG }).app;
    state.sent = await sendForwarding(state.app, state.clock, { denunciation: false });
    state.clock.set('2027-03-10T03:00:00Z'); // Wednesday
    state.officer = await signIn(state.app, state.sent.officer, { nowMs: state.clock.now().getTime() });
  };
  if (perTest) {
    useTestDatabase();
    beforeEach(setUp);
  } else {
    // Refused input changes nothing, so the table shares one forwarding (and says so after each row).
    before(async function () {
      this.timeout(60_000);
      await connectTestDatabase();
      await clearDatabase();
      await setUp();
    });
  }
  return state;
}

function helpers(state: ReturnType<typeof useSentForwarding>) {
  const tokenOf = async (agent: Agent) => csrfFrom((await agent.get(`/forwardings/${state.sent.id}`)).text);
  const postAs = async (agent: Agent, action: string, fields: Record<string, string> | string, csrf?: string) => {
    const token = csrf ?? (await tokenOf(agent));
    const body = typeof fields === 'string' ? `_csrf=${encodeURIComponent(token)}&${fields}` : { _csrf: token, ...fields };
    return agent.post(`/forwardings/${state.sent.id}/deadline/${action}`).type('form').send(body);
  };
  /** Nothing of a deadline change was written: same deadline, no history, no event, no email. */
  const expectUnchanged = async () => {
    const f = await ForwardingModel.findById(state.sent.id).lean();
    expect(f!.deadline!.dueDate).to.equal('2027-03-23');
    expect(f!.deadlineHistory).to.have.length(0);
    expect(f!.suspension ?? null).to.equal(null);
    expect(f!.deadlineChangeKeys).to.have.length(0);
    expect(await CaseEventModel.countDocuments({ type: trusted({ $in: ['forwarding.extended', 'forwarding.suspended', 'forwarding.resumed'] }) })).to.equal(0);
    expect(await OutboxMessageModel.countDocuments({ key: trusted({ $regex: ':deadline:' }) })).to.equal(0);
  };
  return { tokenOf, postAs, expectUnchanged };
}

describe('forwarding deadline forms: bad input', function () {
  this.timeout(90_000);
  const state = useSentForwarding(false);
  const { postAs, expectUnchanged } = helpers(state);

  for (const bad of BAD) {
    it(`answers ${bad.why} with 422 in Vietnamese, keeping the values, saving nothing`, async () => {
      const res = await postAs(state.officer, bad.action, bad.fields);
      expect(res.status, res.text.slice(0, 300)).to.equal(422);
      expect(res.text).to.include('Có lỗi cần sửa');
      expect(res.text).to.include(bad.message);
      if (bad.kept) expect(res.text).to.include(bad.kept);
      await expectUnchanged();
    });
  }

  it('ignores $-operators and bracket syntax in the body: 422, nothing saved', async () => {
    const res = await postAs(state.officer, 'extend', `extendDays[$gt]=0&extendReason[$ne]=x&extendDocNumber=12%2FCV&extendDocDate=09%2F03%2F2027&extendKey=${key()}`);
    expect(res.status).to.equal(422);
    expect(res.text).to.include('Vui lòng nhập thông tin này');
    const asJson = await postAs(state.officer, 'suspend', `suspendFrom=%7B%22%24gt%22%3A%22%22%7D&suspendReason=x&suspendDocNumber=1&suspendDocDate=09%2F03%2F2027&suspendKey=${key()}`);
    expect(asJson.status).to.equal(422);
    expect(asJson.text).to.include('Hãy nhập ngày có thật theo dạng ngày/tháng/năm');
    await expectUnchanged();
  });

});

describe('forwarding deadline forms: refusals and repeated submissions', function () {
  this.timeout(90_000);
  const state = useSentForwarding(true);
  const { tokenOf, postAs, expectUnchanged } = helpers(state);

  it('refuses an end before the suspension started, and an end when nothing is suspended', async () => {
    const notSuspended = await postAs(state.officer, 'resume', { resumeTo: '12/03/2027', resumeKey: key() });
    expect(notSuspended.status).to.equal(409);
    expect(notSuspended.text).to.include('Thời hạn không ở trạng thái tạm đình chỉ.');
    expect((await postAs(state.officer, 'suspend', suspension())).status).to.equal(303);
    const early = await postAs(state.officer, 'resume', { resumeTo: '09/03/2027', resumeKey: key() });
    expect(early.status).to.equal(422);
    expect(early.text).to.include('Ngày kết thúc tạm đình chỉ không được trước ngày bắt đầu tạm đình chỉ.');
    expect(early.text).to.include('value="09/03/2027"');
    const f = await ForwardingModel.findById(state.sent.id).lean();
    expect(f!.deadline!.dueDate).to.equal('2027-03-23');
    expect(f!.suspension!.from).to.equal('2027-03-10');
    // While suspended, an extension waits for the end of the suspension.
    const extendNow = await postAs(state.officer, 'extend', extension());
    expect(extendNow.status).to.equal(409);
    expect(extendNow.text).to.include('Thời hạn đang tạm đình chỉ');
  });

  it('answers an unknown forwarding with 404, a closed one with 409, a user who may not change cases with 403', async () => {
    const csrf = await tokenOf(state.officer);
    const unknown = await state.officer.post(`/forwardings/${new mongoose.Types.ObjectId().toHexString()}/deadline/extend`).type('form').send({ _csrf: csrf, ...extension() });
    expect(unknown.status).to.equal(404);
    expect(unknown.text).to.include('Không tìm thấy phiếu chuyển đơn.');
    expect((await state.officer.post('/forwardings/nonsense/deadline/suspend').type('form').send({ _csrf: csrf, ...suspension() })).status).to.equal(404);

    const delegate = await signIn(state.app, await createTestUser({ role: 'delegate' }), { nowMs: state.clock.now().getTime() });
    const denied = await delegate.post(`/forwardings/${state.sent.id}/deadline/extend`).type('form').send({ _csrf: csrfFrom((await delegate.get('/')).text), ...extension() });
    expect(denied.status).to.equal(403);

    await ForwardingModel.updateOne({ _id: state.sent.id }, { $set: { status: 'closed', closure: 'satisfied', closedAt: state.clock.now() } });
    const closed = await postAs(state.officer, 'extend', extension(), csrf);
    expect(closed.status).to.equal(409);
    expect(closed.text).to.include('Phiếu không còn ở cơ quan (chưa gửi hoặc đã kết thúc).');
    expect((await postAs(state.officer, 'suspend', suspension(), csrf)).status).to.equal(409);
    // The closed page offers no deadline form.
    expect((await state.officer.get(`/forwardings/${state.sent.id}`)).text).to.not.include('/deadline/extend');
    await expectUnchanged();
  });

  it('records a form sent twice at once, or again later, as one change with one event and one email', async () => {
    const csrf = await tokenOf(state.officer);
    const fields = extension();
    const [a, b] = await Promise.all([postAs(state.officer, 'extend', fields, csrf), postAs(state.officer, 'extend', fields, csrf)]);
    expect([a.status, b.status]).to.deep.equal([303, 303]);
    const again = await postAs(state.officer, 'extend', fields, csrf);
    expect(again.status).to.equal(303);
    expect((await state.officer.get(`/forwardings/${state.sent.id}`)).text).to.include('Thay đổi này đã được ghi trước đó.');

    const f = await ForwardingModel.findById(state.sent.id).lean();
    expect(f!.deadline!.dueDate).to.equal('2027-04-06');
    expect(f!.deadlineHistory).to.have.length(1);
    expect(await CaseEventModel.countDocuments({ type: 'forwarding.extended' })).to.equal(1);
    expect(await OutboxMessageModel.countDocuments({ key: `forwarding:${state.sent.id}:deadline:${fields.extendKey}` })).to.equal(1);

    // A new form (a new key) is a new decision.
    expect((await postAs(state.officer, 'extend', extension({ extendDays: '1' }), csrf)).status).to.equal(303);
    expect((await ForwardingModel.findById(state.sent.id).lean())!.deadlineHistory).to.have.length(2);
  });
});
