// The reminder rules over the Vietnamese calendar as the app seeds it (Tết, 30/4–1/5 with its day off
// in lieu, weekends) and a decreed make-up Saturday: which reminder is due on a given day, its key,
// and when the daily digest is due.
import { expect } from 'chai';
import { workingDaysBetween, type WorkingCalendar } from '../../server/calendar/index.js';
import { holidaySeedFor } from '../../server/calendar/holiday-seed.js';
import { DEFAULT_REMINDER_POLICY, digestSlot, reminderDueOn, reminderKey, type ReminderPolicy } from '../../server/reminders/index.js';

function calendar(makeup: string[] = []): WorkingCalendar {
  const days = [...holidaySeedFor(2026), ...holidaySeedFor(2027)];
  return { nonWorking: new Set(days.map((d) => d.date)), makeupWorkdays: new Set(makeup) };
}

const seeded = calendar();
// A make-up working Saturday, as the Government decrees some years around a long holiday.
const withMakeup = calendar(['2027-05-08']);
const policy: ReminderPolicy = { ...DEFAULT_REMINDER_POLICY };

describe('reminder rules', () => {
  it('uses the calendar the app seeds for 2027 (the premises of the tables below)', () => {
    for (const d of ['2027-02-05', '2027-02-08', '2027-02-09', '2027-02-10', '2027-02-11', '2027-04-30', '2027-05-01', '2027-05-03']) expect(seeded.nonWorking.has(d), d).to.be.true;
  });

  describe('working days after a date', () => {
    const table: [string, string, WorkingCalendar, number][] = [
      ['2027-05-07', '2027-05-07', seeded, 0],
      ['2027-05-07', '2027-05-06', seeded, 0],
      ['2027-05-07', '2027-05-10', seeded, 1], // Friday → Monday: the weekend does not count
      ['2027-04-29', '2027-05-04', seeded, 1], // over 30/4, 1/5 (Saturday), Sunday and the day off on 3/5
      ['2027-02-04', '2027-02-12', seeded, 1], // over Tết 2027 and its two days off in lieu
      ['2027-05-07', '2027-05-10', withMakeup, 2], // the make-up Saturday counts
    ];
    for (const [from, to, cal, expected] of table) {
      it(`${from} → ${to}: ${expected}${cal === withMakeup ? ' (with a make-up Saturday)' : ''}`, () => {
        expect(workingDaysBetween(from, to, cal)).to.equal(expected);
      });
    }
  });

  describe('the reminder due on a day (3 working days before, on the day, every 5 working days overdue, escalated after 2)', () => {
    type Row = [string, string, string, ReturnType<typeof reminderDueOn>, WorkingCalendar?];
    const before = (workingDays: number) => ({ kind: 'before' as const, sequence: null, escalate: false, workingDays });
    const due = { kind: 'due' as const, sequence: null, escalate: false, workingDays: 0 };
    const overdue = (sequence: number, workingDays: number, escalate = false) => ({ kind: 'overdue' as const, sequence, escalate, workingDays });
    const table: Row[] = [
      ['due in 3 working days', '2027-05-07', '2027-05-12', before(3)],
      ['due in 4 working days: not yet', '2027-05-07', '2027-05-13', null],
      ['due in 1 working day (a missed earlier scan still sends the before reminder)', '2027-05-07', '2027-05-10', before(1)],
      ['due today', '2027-05-07', '2027-05-07', due],
      ['1 working day overdue', '2027-05-07', '2027-05-06', overdue(1, 1)],
      ['5 working days overdue: still the first overdue reminder', '2027-05-07', '2027-04-28', overdue(1, 5)],
      ['6 working days overdue across 30/4–3/5: the second', '2027-05-07', '2027-04-27', overdue(2, 6)],
      ['11 working days overdue: the third, escalated', '2027-05-07', '2027-04-20', overdue(3, 11, true)],
      ['21 working days overdue: only today’s reminder, no backlog', '2027-05-21', '2027-04-20', overdue(5, 21, true)],
      ['Saturday: nothing', '2027-05-08', '2027-05-06', null],
      ['Sunday: nothing', '2027-05-09', '2027-05-12', null],
      ['30/4: nothing', '2027-04-30', '2027-04-29', null],
      ['the decreed day off on 3/5: nothing', '2027-05-03', '2027-05-04', null],
      ['Tết: nothing', '2027-02-09', '2027-02-04', null],
      ['first working day after Tết: overdue 1', '2027-02-12', '2027-02-04', overdue(1, 1)],
      ['3 working days before, across Tết', '2027-02-03', '2027-02-15', before(3)],
      ['due on a holiday (1/5): the last working day before it is the day', '2027-04-29', '2027-05-01', due],
      ['make-up Saturday: a working day, so overdue 1', '2027-05-08', '2027-05-07', overdue(1, 1), withMakeup],
      ['make-up Saturday counts before the deadline: 4 left, not yet', '2027-05-07', '2027-05-12', null, withMakeup],
      ['make-up Saturday counts before the deadline: 3 left', '2027-05-07', '2027-05-11', before(3), withMakeup],
    ];
    for (const [label, today, dueDate, expected, cal] of table) {
      it(`${label} (today ${today}, due ${dueDate})`, () => {
        expect(reminderDueOn(policy, dueDate, today, cal ?? seeded)).to.deep.equal(expected);
      });
    }

    it('follows the policy: no reminder before or on the day when switched off; every working day; escalation', () => {
      const quiet = { ...policy, daysBefore: 0, onDueDay: false };
      expect(reminderDueOn(quiet, '2027-05-10', '2027-05-07', seeded)).to.equal(null);
      expect(reminderDueOn(quiet, '2027-05-07', '2027-05-07', seeded)).to.equal(null);
      expect(reminderDueOn(quiet, '2027-05-06', '2027-05-07', seeded)).to.deep.equal(overdue(1, 1));
      const daily = { ...policy, everyOverdue: 1, escalateAfter: 3 };
      expect(reminderDueOn(daily, '2027-04-28', '2027-05-07', seeded)).to.deep.equal(overdue(5, 5, true));
      expect(reminderDueOn(daily, '2027-05-05', '2027-05-07', seeded)).to.deep.equal(overdue(2, 2));
    });

    it('refuses a policy outside its bounds', () => {
      expect(() => reminderDueOn({ ...policy, everyOverdue: 0 }, '2027-05-06', '2027-05-07', seeded)).to.throw(RangeError);
      expect(() => reminderDueOn({ ...policy, daysBefore: -1 }, '2027-05-06', '2027-05-07', seeded)).to.throw(RangeError);
    });
  });

  it('keys a reminder by forwarding, kind and due date', () => {
    const id = '665f1c2b9a1e4a3b2c1d0e9f';
    expect(reminderKey(id, { kind: 'before', sequence: null }, '2027-05-12')).to.equal(`reminder:${id}:before:2027-05-12`);
    expect(reminderKey(id, { kind: 'due', sequence: null }, '2027-05-07')).to.equal(`reminder:${id}:due:2027-05-07`);
    expect(reminderKey(id, { kind: 'overdue', sequence: 3 }, '2027-04-20')).to.equal(`reminder:${id}:overdue-3:2027-04-20`);
  });

  describe('the daily digest slot (07:30 Vietnam time, working days)', () => {
    const table: [string, string, { date: string; since: string } | null, WorkingCalendar?][] = [
      ['before 07:30', '2027-05-07T00:29:00Z', null],
      ['at 07:30', '2027-05-07T00:30:00Z', { date: '2027-05-07', since: '2027-05-06T00:30:00.000Z' }],
      ['in the evening', '2027-05-07T12:00:00Z', { date: '2027-05-07', since: '2027-05-06T00:30:00.000Z' }],
      ['Monday: since Friday', '2027-05-10T01:00:00Z', { date: '2027-05-10', since: '2027-05-07T00:30:00.000Z' }],
      ['after 30/4–3/5: since Thursday 29/4', '2027-05-04T01:00:00Z', { date: '2027-05-04', since: '2027-04-29T00:30:00.000Z' }],
      ['Saturday', '2027-05-08T01:00:00Z', null],
      ['a make-up Saturday', '2027-05-08T01:00:00Z', { date: '2027-05-08', since: '2027-05-07T00:30:00.000Z' }, withMakeup],
      ['Tết', '2027-02-10T01:00:00Z', null],
    ];
    for (const [label, now, expected, cal] of table) {
      it(label, () => {
        const slot = digestSlot(new Date(now), policy, cal ?? seeded);
        expect(slot ? { date: slot.date, since: slot.since.toISOString() } : null).to.deep.equal(expected);
      });
    }
    it('is never due when the digest is switched off', () => {
      expect(digestSlot(new Date('2027-05-07T03:00:00Z'), { ...policy, digestEnabled: false }, seeded)).to.equal(null);
    });
  });
});
