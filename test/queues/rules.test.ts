// The queues' pure rules: the "due soon" window over the working-day calendar, days past a deadline,
// and which queues each kind of user has (by permissions, never by role name).
import { expect } from 'chai';
import { permissionsOf, type Actor, type Role } from '../../server/access/index.js';
import { daysPast, dueSoonHorizon, homeQueuesFor, queuesFor } from '../../server/queues/index.js';

const actor = (role: Role, granted: string[] = []): Actor => ({ id: '0'.repeat(24), email: 'x@test.vn', name: 'x', role, permissions: permissionsOf(role, granted), locale: 'vi', mustChangePassword: false, twoFactorEnabled: false });
const calendar = { nonWorking: new Set(['2027-04-30', '2027-05-01', '2027-05-03']), makeupWorkdays: new Set(['2027-05-08']) };

describe('queues: rules', () => {
  for (const [now, horizon] of [
    // Thursday 10:00 → the end of the third working day after (Tuesday: the weekend is skipped).
    ['2027-04-22T03:00:00Z', '2027-04-27T16:59:59.999Z'],
    // 23:30 in Vietnam on Thursday is still Thursday.
    ['2027-04-22T16:30:00Z', '2027-04-27T16:59:59.999Z'],
    // 00:30 on Friday in Vietnam is already Friday.
    ['2027-04-22T17:30:00Z', '2027-04-28T16:59:59.999Z'],
    // Holidays (30/4, 1/5 and a decreed day off on 3/5) are not working days.
    ['2027-04-29T03:00:00Z', '2027-05-06T16:59:59.999Z'],
    // A decreed make-up working Saturday counts.
    ['2027-05-06T03:00:00Z', '2027-05-10T16:59:59.999Z'],
  ] as const) {
    it(`due soon from ${now} ends at ${horizon}`, () => {
      expect(dueSoonHorizon(new Date(now), calendar).toISOString()).to.equal(horizon);
    });
  }

  it('counts whole days past a deadline, and none before it', () => {
    const due = new Date('2027-03-22T16:59:59.999Z');
    expect(daysPast(due, new Date('2027-03-22T10:00:00Z'))).to.equal(0);
    expect(daysPast(due, new Date('2027-03-22T17:00:00Z'))).to.equal(1);
    expect(daysPast(due, new Date('2027-03-23T16:59:59.999Z'))).to.equal(1);
    expect(daysPast(due, new Date('2027-03-23T17:00:00Z'))).to.equal(2);
    expect(daysPast(null, new Date('2027-03-23T17:00:00Z'))).to.equal(0);
  });

  it('gives each kind of user their own queues', () => {
    expect(homeQueuesFor(actor('officer'))).to.deep.equal(['my-cases', 'my-forwardings', 'due-soon', 'cases-due-soon', 'overdue', 'answered']);
    expect(homeQueuesFor(actor('leader'))).to.deep.equal(['awaiting-approval', 'overdue', 'answered']);
    expect(homeQueuesFor(actor('delegate'))).to.deep.equal(['overdue', 'answered']);
    expect(homeQueuesFor(actor('admin'))).to.deep.equal([]);
    expect(queuesFor(actor('admin'))).to.deep.equal([]);
    expect(queuesFor(actor('delegate'))).to.deep.equal(['due-soon', 'cases-due-soon', 'overdue', 'cases-overdue', 'answered', 'reminded']);
    expect(queuesFor(actor('officer'))).to.not.include('awaiting-approval');
    expect(queuesFor(actor('leader'))).to.include('awaiting-approval');
    // A permission granted by name changes nothing here: queues follow case permissions.
    expect(homeQueuesFor(actor('officer', ['view-denouncer-identity']))).to.deep.equal(homeQueuesFor(actor('officer')));
  });
});
