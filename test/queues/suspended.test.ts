// A suspended deadline's clock is stopped, so the forwarding is not overdue anywhere the office looks:
// not in the overdue queue, not in the agency's "overdue now" figure (it counts as not yet due), and
// not late on its case in a round's view — and it is again once the suspension ends.
import { expect } from 'chai';
import type { Actor } from '../../server/access/index.js';
import { resumeForwardingDeadline, suspendForwardingDeadline } from '../../server/forwarding/deadline-changes.service.js';
import { ForwardingModel } from '../../server/forwarding/index.js';
import { fixedClock } from '../../server/platform/clock.js';
import { listQueue, queueMoment } from '../../server/queues/index.js';
import { computeAgencyPerformance } from '../../server/statistics/agency-performance.service.js';
import { yearPeriod } from '../../server/statistics/period.rules.js';
import { loadActor } from '../../server/users/index.js';
import { clearDatabase, connectTestDatabase } from '../support/app.js';
import { buildQueueFixture, NOW, type QueueFixture } from './fixture.js';

describe('queues and figures: a suspended forwarding is not overdue', function () {
  this.timeout(180_000);
  let fx: QueueFixture;
  let officer: Actor;
  let leader: Actor;
  const ctx = { clock: fixedClock(NOW), ip: '127.0.0.1', requestId: 'test' };

  before(async () => {
    await connectTestDatabase();
    await clearDatabase();
    fx = await buildQueueFixture();
    officer = (await loadActor(fx.officer.id))!;
    leader = (await loadActor(fx.leader.id))!;
  });

  const overdueIds = async () => (await listQueue(officer, 'overdue', {}, undefined, await queueMoment(NOW))).rows.map((r) => r.id);
  const agencyA = async () => (await computeAgencyPerformance(leader, { kind: 'fixed', period: yearPeriod(2027) }, { key: 'agency', dir: 'asc' }, '', ctx)).rows.find((r) => r.agencyName === fx.names.A)!;

  it('leaves F3 out of the overdue queue and the agency’s overdue figure while suspended; ending the suspension moves its deadline past the suspended span', async () => {
    expect(await overdueIds()).to.include(fx.forwardings.F3);
    expect([(await agencyA()).overdue, (await agencyA()).notDue]).to.deep.equal([1, 0]);

    // F3 was due on 22/03/2027; the office suspends its clock from 15/03.
    const suspended = await suspendForwardingDeadline(officer, fx.forwardings.F3, { from: '2027-03-15', reason: 'Chờ kết quả giám định', documentNumber: '45/QĐ-TTr', documentDate: '2027-03-15', submissionKey: 'a'.repeat(32) }, ctx);
    expect(suspended).to.not.equal(null);
    expect((await ForwardingModel.findById(fx.forwardings.F3, { suspension: 1 }).lean())?.suspension?.from).to.equal('2027-03-15');
    expect(await overdueIds()).to.not.include(fx.forwardings.F3);
    expect([(await agencyA()).overdue, (await agencyA()).notDue]).to.deep.equal([0, 1]);

    // Ended on 20/04: the deadline moves by the suspended span, to a day after the suspension's end.
    await resumeForwardingDeadline(officer, fx.forwardings.F3, { to: '2027-04-20', submissionKey: 'b'.repeat(32) }, ctx);
    const after = await ForwardingModel.findById(fx.forwardings.F3, { suspension: 1, deadline: 1 }).lean();
    expect(after?.suspension).to.equal(null);
    expect(after!.deadline!.dueAt.getTime()).to.be.greaterThan(new Date('2027-04-20T17:00:00Z').getTime());
  });
});
