// Working-day and deadline arithmetic, on plain calendars (no database): tables of cases worked out by
// hand, and properties that must hold for any calendar.
import { expect } from 'chai';
import fc from 'fast-check';
import {
  addCalendarDays,
  addWorkingDays,
  computeDeadline,
  explainDeadline,
  isWorkingDay,
  parseDateInput,
  workingDaysBetween,
  type DeadlineRule,
  type WorkingCalendar,
} from '../../server/calendar/working-days.rules.js';

/**
 * FIXTURE, not the official calendar: public holidays of 2025–2027 as the Labour Code lays them out,
 * Tết 2026 as decreed (days off Mon 16/2 – Fri 20/2, so with the weekends 14/2 – 22/2), the Giỗ Tổ
 * holiday on Sunday 26/4/2026 compensated on Monday 27/4, and an illustrative swap: Friday 2/1/2026
 * off, worked on Saturday 10/1/2026.
 */
const FIXTURE: WorkingCalendar = {
  nonWorking: new Set([
    '2025-09-01', '2025-09-02',
    '2026-01-01', '2026-01-02',
    '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20',
    '2026-04-26', '2026-04-27', '2026-04-30', '2026-05-01',
    '2026-09-01', '2026-09-02',
    '2027-01-01',
  ]),
  makeupWorkdays: new Set(['2026-01-10']),
};
const WEEKENDS_ONLY: WorkingCalendar = { nonWorking: new Set(), makeupWorkdays: new Set() };

/** 10:00 in Vietnam on a date. */
const vn = (date: string, time = '10:00') => new Date(`${date}T${time}:00+07:00`);

function rule(startAt: Date, days: number, dayType: 'working' | 'calendar' = 'working', extra: Partial<DeadlineRule> = {}): DeadlineRule {
  return { startAt, days, dayType, startEvent: 'nhận đơn', ...extra };
}

describe('working-day rules', () => {
  describe('deadlines worked out by hand', () => {
    const cases: { name: string; rule: DeadlineRule; cal?: WorkingCalendar; due: string; skipped: string[]; movedFrom?: string | null }[] = [
      {
        name: '10 working days, no holidays in the way (the README example)',
        rule: rule(vn('2026-01-05'), 10),
        cal: WEEKENDS_ONLY,
        due: '2026-01-19',
        skipped: ['2026-01-10', '2026-01-11', '2026-01-17', '2026-01-18'],
      },
      {
        name: 'a make-up Saturday counts as a working day',
        rule: rule(vn('2026-01-05'), 10),
        due: '2026-01-16',
        skipped: ['2026-01-11'],
      },
      {
        name: 'a decreed day off next to a holiday is skipped',
        rule: rule(vn('2025-12-31'), 1),
        due: '2026-01-05',
        skipped: ['2026-01-01', '2026-01-02', '2026-01-03', '2026-01-04'],
      },
      {
        name: 'across Tết 2026 (14/2–22/2 off)',
        rule: rule(vn('2026-02-13'), 5),
        due: '2026-02-27',
        skipped: ['2026-02-14', '2026-02-15', '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20', '2026-02-21', '2026-02-22'],
      },
      {
        name: 'a letter received just before Tết: 10 working days',
        rule: rule(vn('2026-02-10'), 10),
        due: '2026-03-03',
        skipped: ['2026-02-14', '2026-02-15', '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20', '2026-02-21', '2026-02-22', '2026-02-28', '2026-03-01'],
      },
      {
        name: 'across 30/4 and 1/5',
        rule: rule(vn('2026-04-29'), 3),
        due: '2026-05-06',
        skipped: ['2026-04-30', '2026-05-01', '2026-05-02', '2026-05-03'],
      },
      {
        name: 'a Sunday holiday and its compensatory Monday',
        rule: rule(vn('2026-04-24'), 1),
        due: '2026-04-28',
        skipped: ['2026-04-25', '2026-04-26', '2026-04-27'],
      },
      {
        name: 'across Quốc khánh 2/9 with 1/9',
        rule: rule(vn('2026-08-31'), 2),
        due: '2026-09-04',
        skipped: ['2026-09-01', '2026-09-02'],
      },
      {
        name: 'across the year end and 1/1/2027',
        rule: rule(vn('2026-12-24'), 15),
        due: '2027-01-15',
        skipped: ['2026-12-26', '2026-12-27', '2027-01-01', '2027-01-02', '2027-01-03', '2027-01-09', '2027-01-10'],
      },
      {
        name: 'a start at 23:30 UTC on Friday is Saturday in Vietnam',
        rule: rule(new Date('2026-01-16T23:30:00Z'), 3, 'calendar', { extendToWorkingDay: false }),
        due: '2026-01-20',
        skipped: [],
      },
      {
        name: 'the same start one minute before midnight in Vietnam is still Friday',
        rule: rule(new Date('2026-01-16T16:59:00Z'), 3, 'calendar', { extendToWorkingDay: false }),
        due: '2026-01-19',
        skipped: [],
      },
      { name: 'zero working days on a working day is the same day', rule: rule(vn('2026-01-07'), 0), due: '2026-01-07', skipped: [] },
      {
        name: 'zero working days on a Saturday moves to Monday',
        rule: rule(vn('2026-01-17'), 0),
        due: '2026-01-19',
        skipped: ['2026-01-17', '2026-01-18'],
        movedFrom: '2026-01-17',
      },
      {
        name: 'calendar days ending on a Sunday move to Monday (BLDS Đ.148)',
        rule: rule(vn('2026-01-08'), 10, 'calendar'),
        due: '2026-01-19',
        skipped: ['2026-01-18'],
        movedFrom: '2026-01-18',
      },
      {
        name: 'calendar days ending on a Sunday stay there when the rule does not extend',
        rule: rule(vn('2026-01-08'), 10, 'calendar', { extendToWorkingDay: false }),
        due: '2026-01-18',
        skipped: [],
      },
      {
        name: 'calendar days ending on 30/4 move past 1/5 and the weekend',
        rule: rule(vn('2026-03-31'), 30, 'calendar'),
        due: '2026-05-04',
        skipped: ['2026-04-30', '2026-05-01', '2026-05-02', '2026-05-03'],
        movedFrom: '2026-04-30',
      },
      { name: '45 calendar days across the year end', rule: rule(vn('2026-12-20'), 45, 'calendar'), due: '2027-02-03', skipped: [] },
    ];
    for (const c of cases) {
      it(c.name, () => {
        const d = computeDeadline(c.rule, c.cal ?? FIXTURE);
        expect(d.dueDate).to.equal(c.due);
        expect(d.skipped).to.deep.equal(c.skipped);
        expect(d.movedFrom).to.equal(c.movedFrom ?? null);
        expect(d.days).to.equal(c.rule.days);
        expect(d.dayType).to.equal(c.rule.dayType);
      });
    }
  });

  it('ends a deadline at 23:59:59.999 Vietnam time and records the Vietnam start date', () => {
    const d = computeDeadline(rule(new Date('2026-01-04T23:30:00Z'), 10), WEEKENDS_ONLY);
    expect(d.startDate).to.equal('2026-01-05');
    expect(d.dueAt.toISOString()).to.equal('2026-01-19T16:59:59.999Z');
    expect(d.startEvent).to.equal('nhận đơn');
  });

  it('explains a deadline in Vietnamese and English', () => {
    const d = computeDeadline(rule(vn('2026-01-05'), 10), WEEKENDS_ONLY);
    expect(explainDeadline(d, 'vi')).to.equal('10 ngày làm việc kể từ 05/01/2026 (nhận đơn) → hạn 19/01/2026 (bỏ qua 4 ngày nghỉ)');
    expect(explainDeadline(d, 'en', 'letter received')).to.equal('10 working days from 05/01/2026 (letter received) → due 19/01/2026 (4 non-working days skipped)');
    const moved = computeDeadline(rule(vn('2026-01-08'), 10, 'calendar'), FIXTURE);
    expect(explainDeadline(moved, 'vi')).to.equal('10 ngày kể từ 08/01/2026 (nhận đơn) → hạn 19/01/2026 (ngày cuối 18/01/2026 là ngày nghỉ nên chuyển sang ngày làm việc tiếp theo)');
    const plain = computeDeadline(rule(vn('2026-01-07'), 1, 'calendar'), FIXTURE);
    expect(explainDeadline(plain, 'en', 'received')).to.equal('1 day from 07/01/2026 (received) → due 08/01/2026');
  });

  it('counts backwards for a negative number of working days', () => {
    // A voter meeting on Monday 4/5/2026: the press notice is due 7 working days before.
    expect(addWorkingDays('2026-05-04', -7, FIXTURE)).to.equal('2026-04-20');
    expect(addCalendarDays('2026-03-01', -1)).to.equal('2026-02-28');
    expect(addCalendarDays('2028-03-01', -1)).to.equal('2028-02-29');
  });

  it('knows weekends, holidays, days off and make-up working days', () => {
    expect(isWorkingDay('2026-01-10', FIXTURE), 'make-up Saturday').to.equal(true);
    expect(isWorkingDay('2026-01-11', FIXTURE), 'Sunday').to.equal(false);
    expect(isWorkingDay('2026-01-02', FIXTURE), 'decreed day off').to.equal(false);
    expect(isWorkingDay('2026-02-17', FIXTURE), 'Tết').to.equal(false);
    expect(isWorkingDay('2026-02-23', FIXTURE), 'ordinary Monday').to.equal(true);
  });

  it('refuses impossible input instead of guessing', () => {
    for (const days of [-1, 1.5, Number.NaN, 100_000]) {
      expect(() => computeDeadline(rule(vn('2026-01-05'), days), FIXTURE), String(days)).to.throw(RangeError);
    }
    expect(() => computeDeadline(rule(new Date('not a date'), 1), FIXTURE)).to.throw(RangeError);
    expect(() => computeDeadline({ ...rule(vn('2026-01-05'), 1), dayType: 'weekly' as 'working' }, FIXTURE)).to.throw(RangeError);
    expect(() => addWorkingDays('2026-02-30', 1, FIXTURE)).to.throw(RangeError);
    expect(() => addWorkingDays('05/01/2026', 1, FIXTURE)).to.throw(RangeError);
    expect(() => addCalendarDays('2026-01-05', 0.5)).to.throw(RangeError);
  });

  it('gives up on a calendar without working days rather than looping forever', () => {
    const everyDay = new Set<string>();
    for (let i = 0; i < 40_100; i++) everyDay.add(addCalendarDays('2026-01-01', i));
    expect(() => addWorkingDays('2026-01-01', 1, { nonWorking: everyDay, makeupWorkdays: new Set() })).to.throw(RangeError);
  });

  describe('dates typed by people', () => {
    const table: [string, string | null][] = [
      ['16/02/2026', '2026-02-16'],
      ['1/7/2025', '2025-07-01'],
      [' 02.09.2026 ', '2026-09-02'],
      ['16-02-2026', '2026-02-16'],
      ['2026-02-16', '2026-02-16'],
      ['29/02/2028', '2028-02-29'],
      ['29/02/2026', null],
      ['31/04/2026', null],
      ['2026-13-01', null],
      ['16/02/26', null],
      ['hôm nay', null],
      ['', null],
    ];
    for (const [typed, expected] of table) {
      it(`"${typed}" → ${String(expected)}`, () => expect(parseDateInput(typed)).to.equal(expected));
    }
  });

  describe('properties that hold for any calendar', () => {
    const base = '2025-06-01';
    const day = fc.integer({ min: 0, max: 3 * 366 }).map((i) => addCalendarDays(base, i));
    const calendar = fc
      .record({ off: fc.uniqueArray(day, { maxLength: 120 }), makeup: fc.uniqueArray(day, { maxLength: 20 }) })
      .map(({ off, makeup }): WorkingCalendar => ({ nonWorking: new Set(off), makeupWorkdays: new Set(makeup.filter((d) => !off.includes(d))) }));
    const start = fc.integer({ min: 0, max: 366 }).map((i) => addCalendarDays(base, i));

    it('the due date of a working-day rule is a working day', () => {
      fc.assert(
        fc.property(calendar, start, fc.integer({ min: 1, max: 300 }), (cal, s, n) => {
          const d = computeDeadline(rule(vn(s), n), cal);
          return isWorkingDay(d.dueDate, cal);
        }),
      );
    });

    it('counting working days by arithmetic equals counting them one day at a time (days off on make-up days too)', () => {
      const overlapping = fc
        .record({ off: fc.uniqueArray(day, { maxLength: 120 }), makeup: fc.uniqueArray(day, { maxLength: 40 }) })
        .map(({ off, makeup }): WorkingCalendar => ({ nonWorking: new Set(off), makeupWorkdays: new Set(makeup) }));
      fc.assert(
        fc.property(overlapping, start, fc.integer({ min: -10, max: 800 }), (cal, from, span) => {
          const to = addCalendarDays(from, span);
          let walked = 0;
          for (let d = addCalendarDays(from, 1); d <= to; d = addCalendarDays(d, 1)) if (isWorkingDay(d, cal)) walked++;
          expect(workingDaysBetween(from, to, cal)).to.equal(walked);
        }),
      );
    });

    it('n working days after a date are n working days away', () => {
      fc.assert(
        fc.property(calendar, start, fc.integer({ min: 0, max: 300 }), (cal, s, n) => {
          expect(workingDaysBetween(s, addWorkingDays(s, n, cal), cal)).to.equal(n);
        }),
      );
    });

    it('adding n then m working days is adding n + m', () => {
      fc.assert(
        fc.property(calendar, start, fc.integer({ min: 0, max: 150 }), fc.integer({ min: 0, max: 150 }), (cal, s, n, m) => {
          expect(addWorkingDays(addWorkingDays(s, n, cal), m, cal)).to.equal(addWorkingDays(s, n + m, cal));
        }),
      );
    });

    it('going n working days back from where n working days forward led returns to a working start', () => {
      fc.assert(
        fc.property(calendar, start, fc.integer({ min: 1, max: 200 }), (cal, s, n) => {
          fc.pre(isWorkingDay(s, cal));
          expect(addWorkingDays(addWorkingDays(s, n, cal), -n, cal)).to.equal(s);
        }),
      );
    });

    it('skipped holds exactly the non-working days after the start up to the due date', () => {
      fc.assert(
        fc.property(calendar, start, fc.integer({ min: 1, max: 300 }), (cal, s, n) => {
          const d = computeDeadline(rule(vn(s), n), cal);
          const between: string[] = [];
          for (let x = addCalendarDays(s, 1); x <= d.dueDate; x = addCalendarDays(x, 1)) between.push(x);
          expect(d.skipped).to.deep.equal(between.filter((x) => !isWorkingDay(x, cal)));
          expect(between.length - d.skipped.length).to.equal(n);
        }),
      );
    });

    it('a calendar-day rule that extends ends on the first working day on or after start + days', () => {
      fc.assert(
        fc.property(calendar, start, fc.integer({ min: 0, max: 400 }), (cal, s, n) => {
          const d = computeDeadline(rule(vn(s), n, 'calendar'), cal);
          const last = addCalendarDays(s, n);
          expect(isWorkingDay(d.dueDate, cal)).to.equal(true);
          expect(d.dueDate >= last).to.equal(true);
          for (let x = last; x < d.dueDate; x = addCalendarDays(x, 1)) expect(isWorkingDay(x, cal), x).to.equal(false);
        }),
      );
    });
  });
});
