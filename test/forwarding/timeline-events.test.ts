// Every step of a forwarding that the office takes is one event on the case's timeline, with who did
// it, when and what (the agency, the note or reason), and the case page tells it in Vietnamese:
// drafted, returned by the leader, resubmitted, cancelled, evaluated, link revoked, link reissued.
import { expect } from 'chai';
import mongoose from 'mongoose';
import { CaseModel } from '../../server/cases/index.js';
import { ForwardingModel } from '../../server/forwarding/index.js';
import { seedBaseData } from '../../server/seed.js';
import { buildTestApp, fixedClock, useTestDatabase } from '../support/app.js';
import { createTestUser, type TestUser } from '../support/factories.js';
import { signIn, type Agent } from '../support/http.js';
import { act, approve, draftOne, makeAgency, openCase } from './office.js';
import { START } from './support.js';

interface StoredEvent {
  at: Date;
  actorId: string;
  actorName: string;
  type: string;
  data: Record<string, unknown>;
}

const AGENCY = 'Sở Nông nghiệp và Môi trường thử';

const eventsOf = (caseId: string, type: string) =>
  mongoose.connection.collection<StoredEvent>('case_events').find({ caseId: new mongoose.Types.ObjectId(caseId), type }).toArray();

/** The timeline entry as the case page shows it: what happened, then when and who. */
function timelineEntry(what: string, when: string, who: string): RegExp {
  const quote = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`<strong>${quote(what)}</strong>\\s*<br>\\s*<span class="govuk-hint">${quote(when)} — ${quote(who)}</span>`);
}

describe('forwarding: the steps on the case timeline', function () {
  this.timeout(60_000);
  useTestDatabase();
  const clock = fixedClock(START);
  let officer: Agent;
  let leader: Agent;
  let officerUser: TestUser;
  let leaderUser: TestUser;
  let agencyId: string;

  beforeEach(async () => {
    clock.set(START); // Tuesday 02/03/2027, 10:00 in Vietnam
    const { app } = buildTestApp({ clock });
    await seedBaseData(clock);
    agencyId = await makeAgency(AGENCY, 'vanthu@snnmt.test.gov.vn');
    officerUser = await createTestUser({ role: 'officer', name: 'Lê Văn Chuyên' });
    leaderUser = await createTestUser({ role: 'leader', name: 'Phạm Thị Duyệt' });
    officer = await signIn(app, officerUser);
    leader = await signIn(app, leaderUser, { nowMs: clock.now().getTime() });
  });

  /** One event of the type on the case, by the user, at the clock's time, about this forwarding. */
  async function expectOneEvent(caseId: string, type: string, user: TestUser, forwardingId: string, data: Record<string, unknown> = {}): Promise<void> {
    const events = await eventsOf(caseId, type);
    expect(events, type).to.have.length(1);
    const [event] = events;
    expect(event!.actorId, type).to.equal(user.id);
    expect(event!.actorName, type).to.equal(user.name);
    expect(event!.at.toISOString(), type).to.equal(clock.now().toISOString());
    expect(event!.data, type).to.deep.include({ forwardingId, agency: AGENCY, ...data });
  }

  it('records drafted, returned, resubmitted and cancelled, each once, and the case page shows them', async () => {
    const caseId = await openCase(officer, 'Khiếu nại việc chậm chi trả tiền hỗ trợ thiệt hại do thiên tai');
    const id = await draftOne(officer, caseId, { agencyIds: agencyId, request: 'Đề nghị Sở giải quyết.' });
    await expectOneEvent(caseId, 'forwarding.drafted', officerUser, id);

    clock.advance(5 * 60_000); // 10:05
    expect((await act(leader, id, 'return', { note: 'Ghi rõ thời hạn đề nghị trả lời' })).status).to.equal(303);
    await expectOneEvent(caseId, 'forwarding.returned', leaderUser, id, { note: 'Ghi rõ thời hạn đề nghị trả lời' });

    clock.advance(5 * 60_000); // 10:10
    expect((await act(officer, id, 'resubmit', { request: 'Đề nghị Sở giải quyết và trả lời trong 15 ngày làm việc.' })).status).to.equal(303);
    await expectOneEvent(caseId, 'forwarding.resubmitted', officerUser, id);
    expect((await ForwardingModel.findById(id).lean())!.status).to.equal('awaiting-approval');

    clock.advance(5 * 60_000); // 10:15
    expect((await act(officer, id, 'cancel', { reason: 'Công dân rút đơn' })).status).to.equal(303);
    await expectOneEvent(caseId, 'forwarding.cancelled', officerUser, id, { reason: 'Công dân rút đơn' });

    const page = await officer.get(`/cases/${caseId}`);
    expect(page.status).to.equal(200);
    expect(page.text).to.match(timelineEntry(`Lập phiếu chuyển đơn đến ${AGENCY}`, '02/03/2027 10:00', 'Lê Văn Chuyên'));
    expect(page.text).to.match(timelineEntry(`Lãnh đạo trả lại phiếu chuyển đơn đến ${AGENCY}: Ghi rõ thời hạn đề nghị trả lời`, '02/03/2027 10:05', 'Phạm Thị Duyệt'));
    expect(page.text).to.match(timelineEntry(`Gửi lại phiếu chuyển đơn đến ${AGENCY}`, '02/03/2027 10:10', 'Lê Văn Chuyên'));
    expect(page.text).to.match(timelineEntry(`Huỷ phiếu chuyển đơn đến ${AGENCY}: Công dân rút đơn`, '02/03/2027 10:15', 'Lê Văn Chuyên'));
  });

  it('records link reissued, link revoked and evaluated, each once, and the case page shows them', async () => {
    const caseId = await openCase(officer, 'Kiến nghị cấp nước sạch cho khu dân cư mới');
    const id = await draftOne(officer, caseId, { agencyIds: agencyId });
    await approve(leader, id);

    clock.advance(60 * 60_000); // 11:00
    expect((await act(officer, id, 'reissue-link', { reason: 'Cơ quan báo chưa nhận được thư' })).status).to.equal(303);
    await expectOneEvent(caseId, 'forwarding.link-reissued', officerUser, id, { reason: 'Cơ quan báo chưa nhận được thư', documentNumber: '1/PC-VP' });

    clock.advance(60 * 60_000); // 12:00
    expect((await act(officer, id, 'revoke-link', { reason: 'Thư bị gửi nhầm địa chỉ' })).status).to.equal(303);
    await expectOneEvent(caseId, 'forwarding.link-revoked', officerUser, id, { reason: 'Thư bị gửi nhầm địa chỉ', documentNumber: '1/PC-VP' });

    // Set-up: the state an agency's answer leaves (the agency's own route is tested in agency-actions).
    await ForwardingModel.updateOne({ _id: id }, { $set: { status: 'answered', 'items.0.answered': true, answerCount: 1 } });
    await CaseModel.updateOne({ _id: caseId }, { $set: { status: 'answered' } });
    clock.advance(60 * 60_000); // 13:00
    expect((await act(officer, id, 'evaluate', { 'ref-0': caseId, 'verdict-0': 'unsatisfied', 'reason-0': 'Chưa nêu thời gian lắp đặt', nextStep: 'supervision' })).status).to.equal(303);
    await expectOneEvent(caseId, 'forwarding.evaluated', officerUser, id, { verdict: 'unsatisfied', nextStep: 'supervision', reason: 'Chưa nêu thời gian lắp đặt' });

    const page = await officer.get(`/cases/${caseId}`);
    expect(page.text).to.match(timelineEntry(`Gửi đường liên kết mới cho ${AGENCY}: Cơ quan báo chưa nhận được thư`, '02/03/2027 11:00', 'Lê Văn Chuyên'));
    expect(page.text).to.match(timelineEntry(`Thu hồi đường liên kết của ${AGENCY}: Thư bị gửi nhầm địa chỉ`, '02/03/2027 12:00', 'Lê Văn Chuyên'));
    expect(page.text).to.match(timelineEntry(`Đánh giá trả lời của ${AGENCY}`, '02/03/2027 13:00', 'Lê Văn Chuyên'));
  });

  it('writes no event for a step that was refused', async () => {
    const caseId = await openCase(officer, 'Khiếu nại việc xác định sai diện tích đất ở khi cấp sổ');
    const id = await draftOne(officer, caseId, { agencyIds: agencyId });
    const before = await mongoose.connection.collection('case_events').countDocuments({ caseId: new mongoose.Types.ObjectId(caseId) });
    expect((await act(leader, id, 'return', { note: '   ' })).status).to.equal(422);
    expect((await act(officer, id, 'resubmit', { request: 'Chưa bị trả lại' })).status).to.equal(409);
    expect((await act(officer, id, 'reissue-link', { reason: 'Chưa gửi' })).status).to.equal(409);
    expect((await act(officer, id, 'revoke-link', { reason: 'Chưa gửi' })).status).to.equal(409);
    expect((await act(officer, id, 'evaluate', { 'ref-0': caseId, 'verdict-0': 'satisfied' })).status).to.equal(409);
    expect((await act(officer, id, 'cancel', { reason: '' })).status).to.equal(422);
    expect(await mongoose.connection.collection('case_events').countDocuments({ caseId: new mongoose.Types.ObjectId(caseId) })).to.equal(before);
  });
});
