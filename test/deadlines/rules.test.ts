// Every deadline rule of DOMAIN.md, as shipped, across a fixture calendar for 2026 with Tết, 30/4–1/5,
// 2/9, a decreed day off and a make-up Saturday; "before" rules; calendar-day rules ending on a
// weekend or holiday; extensions and suspensions. The fixture is explicit (not the yearly decision) so
// that each expected date below can be checked by hand.
import { expect } from 'chai';
import type { WorkingCalendar } from '../../server/calendar/index.js';
import {
  DeadlineRuleError,
  RULE_KEYS,
  deadlineFromRule,
  explainStoredDeadline,
  extendDeadline,
  extensionDaysOf,
  shippedDeadlineRules,
  suspendDeadline,
  type RuleForCompute,
  type StoredDeadline,
} from '../../server/deadlines/index.js';

const range = (from: number, to: number, prefix: string) => Array.from({ length: to - from + 1 }, (_, i) => `${prefix}-${String(from + i).padStart(2, '0')}`);

/** 2026 (and the last day of 2025) as the tests assume it. */
const CAL: WorkingCalendar = {
  nonWorking: new Set([
    '2026-01-01', // Tết Dương lịch (Thursday)
    ...range(16, 20, '2026-02'), // Tết Nguyên đán, Monday to Friday: with the weekends, 14–22/02 off
    '2026-04-27', // nghỉ bù Giỗ Tổ (26/04 is a Sunday)
    '2026-04-30',
    '2026-05-01', // Thursday and Friday: off from 30/04 to 03/05
    '2026-08-31', // a decreed day off, swapped with Saturday 12/09
    '2026-09-01',
    '2026-09-02',
  ]),
  makeupWorkdays: new Set(['2026-09-12']),
};

const at = (date: string) => new Date(`${date}T09:00:00+07:00`);

function rule(key: string): RuleForCompute {
  const r = shippedDeadlineRules().get(key);
  if (!r) throw new Error(`no shipped rule ${key}`);
  return { key: r.key, name: r.name, startEvent: r.startEvent, days: r.days, dayType: r.dayType, variants: r.variants, basis: r.basis };
}

interface Case {
  rule: string;
  start: string;
  variant?: string;
  due: string;
  movedFrom?: string | null;
  skipped?: number;
  why: string;
}

const CASES: Case[] = [
  { rule: 'letter-handling', start: '2026-03-02', due: '2026-03-16', skipped: 4, why: 'two ordinary weekends (the walk-in test)' },
  { rule: 'letter-handling', start: '2026-02-13', due: '2026-03-06', skipped: 11, why: 'across Tết: 14–22/02 and a weekend' },
  { rule: 'letter-handling', start: '2026-04-22', due: '2026-05-11', why: 'across nghỉ bù Giỗ Tổ and 30/4–1/5' },
  { rule: 'letter-handling', start: '2026-08-27', due: '2026-09-14', why: 'across 31/8–2/9, counting the make-up Saturday 12/09' },
  { rule: 'complaint-acceptance', start: '2026-02-06', due: '2026-02-23', movedFrom: '2026-02-16', why: 'calendar days ending in Tết move past it' },
  { rule: 'complaint-acceptance', start: '2026-03-04', due: '2026-03-16', movedFrom: '2026-03-14', why: 'calendar days ending on a Saturday move to Monday' },
  { rule: 'complaint-first-round', start: '2026-01-05', due: '2026-02-04', movedFrom: null, why: 'the example of DOMAIN.md' },
  { rule: 'complaint-first-round', start: '2026-01-05', variant: 'complex', due: '2026-02-23', movedFrom: '2026-02-19', why: 'complex: 45 days, ending in Tết' },
  { rule: 'complaint-first-round', start: '2026-01-05', variant: 'remote', due: '2026-02-23', movedFrom: '2026-02-19', why: 'remote area: 45 days' },
  { rule: 'complaint-first-round', start: '2026-01-05', variant: 'remote-complex', due: '2026-03-06', movedFrom: null, why: 'remote and complex: 60 days' },
  { rule: 'complaint-first-round', start: '2026-04-01', due: '2026-05-04', movedFrom: '2026-05-01', why: 'ending on 1/5 moves past the long weekend' },
  { rule: 'complaint-second-round', start: '2026-07-17', due: '2026-09-03', movedFrom: '2026-08-31', why: '45 days ending on the decreed day off, then 1/9 and 2/9' },
  { rule: 'complaint-second-round', start: '2026-07-17', variant: 'complex', due: '2026-09-15', movedFrom: null, why: 'complex: 60 days' },
  { rule: 'complaint-second-round', start: '2026-07-17', variant: 'remote', due: '2026-09-15', why: 'remote area: 60 days' },
  { rule: 'complaint-second-round', start: '2026-07-17', variant: 'remote-complex', due: '2026-09-25', why: 'remote and complex: 70 days' },
  { rule: 'denunciation-initial', start: '2026-04-23', due: '2026-05-07', why: '7 working days across 27/4 and 30/4–3/5' },
  { rule: 'denunciation-notify', start: '2025-12-31', due: '2026-01-08', why: '5 working days across New Year' },
  { rule: 'denunciation-resolution', start: '2026-01-20', due: '2026-02-23', movedFrom: '2026-02-19', why: '30 days ending in Tết' },
  { rule: 'voter-petitions-compile-before', start: '2026-05-20', due: '2026-05-05', movedFrom: null, why: '15 days before the session opens' },
  { rule: 'voter-petitions-compile-before', start: '2026-06-01', due: '2026-05-15', movedFrom: '2026-05-17', why: 'a "before" deadline on a Sunday moves back to Friday' },
  { rule: 'voter-petitions-compile-before', start: '2026-05-15', due: '2026-04-29', movedFrom: '2026-04-30', why: 'a "before" deadline on 30/4 moves back to 29/4' },
  { rule: 'voter-petitions-compile-after', start: '2026-06-19', due: '2026-07-06', movedFrom: '2026-07-04', why: '15 days after the session closes, ending on a Saturday' },
  { rule: 'voter-meeting-press-notice', start: '2026-02-23', due: '2026-02-05', skipped: 11, why: '7 working days before a meeting just after Tết' },
  { rule: 'voter-meeting-press-notice', start: '2026-09-16', due: '2026-09-08', why: '7 working days before, counting the make-up Saturday' },
  { rule: 'voter-petition-central-answer', start: '2026-03-02', due: '2026-05-04', movedFrom: '2026-05-01', why: '60 days ending on 1/5' },
  { rule: 'voter-petition-local-answer', start: '2026-07-03', due: '2026-09-03', movedFrom: '2026-09-01', why: 'the configurable default, 60 days, ending on 1/9' },
  { rule: 'agency-answer', start: '2026-02-06', due: '2026-03-06', why: '15 working days across Tết' },
];

describe('deadline rules (pure)', () => {
  it('tests every rule the application knows', () => {
    expect(new Set(CASES.map((c) => c.rule))).to.deep.equal(new Set(RULE_KEYS));
  });

  for (const c of CASES) {
    it(`${c.rule}${c.variant ? ` (${c.variant})` : ''} from ${c.start}: ${c.why}`, () => {
      const d = deadlineFromRule(rule(c.rule), { startAt: at(c.start), variant: c.variant ?? null }, CAL);
      expect(d.dueDate).to.equal(c.due);
      expect(d.startDate).to.equal(c.start);
      expect(d.dueAt.toISOString()).to.equal(new Date(`${c.due}T23:59:59.999+07:00`).toISOString());
      expect(d.rule).to.equal(c.rule);
      expect(d.variant).to.equal(c.variant ?? null);
      if (c.movedFrom !== undefined) expect(d.movedFrom).to.equal(c.movedFrom);
      if (c.skipped !== undefined) expect(d.skipped).to.have.length(c.skipped);
      expect(d.adjustments).to.deep.equal([]);
    });
  }

  it('stores what the rule says: its name, basis, day type and signed days', () => {
    const d = deadlineFromRule(rule('voter-meeting-press-notice'), { startAt: at('2026-02-23') }, CAL);
    expect(d).to.deep.include({ ruleName: 'Thông báo trên phương tiện thông tin đại chúng trước buổi tiếp xúc cử tri', startEvent: 'meeting-date', days: -7, dayType: 'working', basis: 'NQLT 72/2025, Điều 6' });
    expect(d.skipped).to.include.members(['2026-02-07', '2026-02-08', '2026-02-16', '2026-02-22']);
  });

  it('starts counting from the Vietnam date of the start instant', () => {
    // 17:30 UTC on Friday 13/02 is already Saturday 14/02 in Vietnam.
    const d = deadlineFromRule(rule('complaint-acceptance'), { startAt: new Date('2026-02-13T17:30:00Z') }, CAL);
    expect(d.startDate).to.equal('2026-02-14');
    expect(d.dueDate).to.equal('2026-02-24');
  });

  it('refuses a variant the rule does not have, and extension variants as durations', () => {
    expect(() => deadlineFromRule(rule('letter-handling'), { startAt: at('2026-03-02'), variant: 'complex' }, CAL)).to.throw(DeadlineRuleError, /no variant/);
    expect(() => deadlineFromRule(rule('denunciation-resolution'), { startAt: at('2026-03-02'), variant: 'extension-1' }, CAL)).to.throw(DeadlineRuleError, /not a duration variant/);
    expect(() => deadlineFromRule(rule('complaint-first-round'), { startAt: at('2026-03-02'), variant: 'unheard-of' }, CAL)).to.throw(DeadlineRuleError);
  });

  it('knows the lengths of the first and second extension of a denunciation', () => {
    expect(extensionDaysOf(rule('denunciation-resolution'), 1)).to.equal(30);
    expect(extensionDaysOf(rule('denunciation-resolution'), 2)).to.equal(30);
    expect(extensionDaysOf(rule('complaint-first-round'), 1)).to.equal(null);
  });
});

describe('extensions and suspensions (pure)', () => {
  const resolution = (start: string) => deadlineFromRule(rule('denunciation-resolution'), { startAt: at(start) }, CAL);
  const letter = (start: string) => deadlineFromRule(rule('letter-handling'), { startAt: at(start) }, CAL);

  it('extends a denunciation twice by 30 days, keeping each replaced deadline for the history', () => {
    const first = resolution('2026-03-01');
    expect(first.dueDate).to.equal('2026-03-31');
    const once = extendDeadline(first, { days: 30, reason: 'Vụ việc phức tạp', document: 'QĐ số 12/QĐ-TTr ngày 25/03/2026' }, CAL);
    // 31/03 + 30 = 30/04, a holiday: the extended deadline moves past the long weekend.
    expect(once.next).to.deep.include({ dueDate: '2026-05-04', movedFrom: '2026-04-30', startDate: '2026-03-01', days: 30 });
    expect(once.next.adjustments).to.deep.equal([{ kind: 'extension', days: 30, reason: 'Vụ việc phức tạp', document: 'QĐ số 12/QĐ-TTr ngày 25/03/2026' }]);
    expect(once.history).to.deep.include({ dueDate: '2026-03-31', movedFrom: null });
    expect(once.history.replacedBy).to.deep.equal(once.next.adjustments[0]);
    expect(once.history.adjustments).to.deep.equal([]);
    const twice = extendDeadline(once.next, { days: 30, reason: 'Đặc biệt phức tạp', document: 'QĐ số 20/QĐ-TTr' }, CAL);
    expect(twice.next.dueDate).to.equal('2026-06-03');
    expect(twice.next.adjustments.map((a) => a.kind)).to.deep.equal(['extension', 'extension']);
    expect(twice.history.dueDate).to.equal('2026-05-04');
    // The stored deadline passed in is not changed.
    expect(first.dueDate).to.equal('2026-03-31');
    expect(first.adjustments).to.deep.equal([]);
  });

  it('extends a working-day deadline by working days', () => {
    const { next } = extendDeadline(letter('2026-03-02'), { days: 5, reason: 'Chờ bổ sung hồ sơ', document: '' }, CAL);
    expect(next.dueDate).to.equal('2026-03-23');
    expect(next.skipped).to.include.members(['2026-03-21', '2026-03-22']);
  });

  it('refuses an extension that is not a positive whole number of days, or of a "before" deadline', () => {
    const d = letter('2026-03-02');
    for (const days of [0, -3, 1.5, Number.NaN, 99_999]) expect(() => extendDeadline(d, { days, reason: '', document: '' }, CAL), String(days)).to.throw(DeadlineRuleError);
    const before = deadlineFromRule(rule('voter-meeting-press-notice'), { startAt: at('2026-02-23') }, CAL);
    expect(() => extendDeadline(before, { days: 3, reason: '', document: '' }, CAL)).to.throw(DeadlineRuleError, /counted back/);
  });

  it('a suspension of a calendar-day deadline adds the suspended days to its own last day', () => {
    const d = deadlineFromRule(rule('complaint-first-round'), { startAt: at('2026-01-05') }, CAL);
    const { next, history } = suspendDeadline(d, { from: '2026-01-10', to: '2026-01-19', reason: 'Chờ kết quả giám định', document: 'QĐ tạm đình chỉ số 3' }, CAL);
    // 04/02 + 10 = 14/02, a Saturday at the start of Tết: the deadline moves to 23/02.
    expect(next).to.deep.include({ dueDate: '2026-02-23', movedFrom: '2026-02-14' });
    expect(next.adjustments).to.deep.equal([{ kind: 'suspension', from: '2026-01-10', to: '2026-01-19', days: 10, reason: 'Chờ kết quả giám định', document: 'QĐ tạm đình chỉ số 3' }]);
    expect(history.dueDate).to.equal('2026-02-04');
    // A second suspension counts from the unmoved last day (14/02), not from the day it moved to.
    const again = suspendDeadline(next, { from: '2026-02-01', to: '2026-02-03' }, CAL);
    expect(again.next).to.deep.include({ dueDate: '2026-02-23', movedFrom: '2026-02-17' });
  });

  it('a suspension of a working-day deadline gives back only the working days it took', () => {
    const d = letter('2026-03-02');
    expect(suspendDeadline(d, { from: '2026-03-05', to: '2026-03-11' }, CAL).next.dueDate).to.equal('2026-03-23');
    const answer = deadlineFromRule(rule('agency-answer'), { startAt: at('2026-02-06') }, CAL);
    const overTet = suspendDeadline(answer, { from: '2026-02-14', to: '2026-02-22' }, CAL);
    expect(overTet.next.dueDate).to.equal('2026-03-06');
    expect(overTet.next.adjustments[0]).to.deep.include({ kind: 'suspension', days: 0 });
  });

  it('does not count the start day itself, and accepts a suspension running past the deadline', () => {
    const d = letter('2026-03-02');
    expect(suspendDeadline(d, { from: '2026-03-02', to: '2026-03-03' }, CAL).next.dueDate).to.equal('2026-03-17');
    const fromDue = suspendDeadline(d, { from: '2026-03-16', to: '2026-03-20' }, CAL);
    expect(fromDue.next.dueDate).to.equal('2026-03-23');
  });

  it('refuses a suspension that ends before it starts, starts after the deadline, lies before the period, or has bad dates', () => {
    const d = letter('2026-03-02');
    const bad: { from: string; to: string; problem: string }[] = [
      { from: '2026-03-10', to: '2026-03-05', problem: 'span' },
      { from: '2026-03-17', to: '2026-03-20', problem: 'span' },
      { from: '2026-02-20', to: '2026-03-02', problem: 'span' },
      { from: '10/03/2026', to: '2026-03-12', problem: 'date' },
      { from: '2026-02-30', to: '2026-03-12', problem: 'date' },
    ];
    for (const b of bad) {
      expect(() => suspendDeadline(d, b, CAL), `${b.from}–${b.to}`)
        .to.throw(DeadlineRuleError)
        .with.property('problem', b.problem);
    }
    const before = deadlineFromRule(rule('voter-petitions-compile-before'), { startAt: at('2026-05-20') }, CAL);
    expect(() => suspendDeadline(before, { from: '2026-05-01', to: '2026-05-02' }, CAL)).to.throw(DeadlineRuleError).with.property('problem', 'before-rule');
  });
});

describe('explaining a stored deadline', () => {
  const compute = (key: string, start: string, variant?: string): StoredDeadline => deadlineFromRule(rule(key), { startAt: at(start), variant: variant ?? null }, CAL);

  it('reads as DOMAIN.md shows it, in Vietnamese and English', () => {
    const d = compute('complaint-first-round', '2026-01-05');
    expect(explainStoredDeadline(d, 'vi')).to.equal('30 ngày kể từ 05/01/2026 (thụ lý) → 04/02/2026');
    expect(explainStoredDeadline(d, 'en')).to.equal('30 days from 05/01/2026 (accepted) → 04/02/2026');
  });

  it('says which days were skipped or why the end moved', () => {
    expect(explainStoredDeadline(compute('letter-handling', '2026-02-13'), 'vi')).to.equal('10 ngày làm việc kể từ 13/02/2026 (nhận đơn) → 06/03/2026 (bỏ qua 11 ngày nghỉ)');
    expect(explainStoredDeadline(compute('complaint-acceptance', '2026-02-06'), 'vi')).to.equal(
      '10 ngày kể từ 06/02/2026 (nhận đơn) → 23/02/2026 (ngày cuối 16/02/2026 là ngày nghỉ nên chuyển sang ngày làm việc tiếp theo)',
    );
    expect(explainStoredDeadline(compute('voter-petitions-compile-before', '2026-06-01'), 'en')).to.equal(
      '15 days before 01/06/2026 (session opens) → 15/05/2026 (the last day, 17/05/2026, is not a working day, so it moves back to the previous working day)',
    );
    expect(explainStoredDeadline(compute('voter-meeting-press-notice', '2026-02-23'), 'vi')).to.equal('7 ngày làm việc trước 23/02/2026 (ngày tiếp xúc cử tri) → 05/02/2026 (bỏ qua 11 ngày nghỉ)');
  });

  it('names the variant and every extension and suspension', () => {
    const d = compute('complaint-first-round', '2026-01-05', 'remote-complex');
    const suspended = suspendDeadline(d, { from: '2026-01-10', to: '2026-01-12' }, CAL).next;
    const extended = extendDeadline(suspended, { days: 4, reason: '', document: '' }, CAL).next;
    expect(explainStoredDeadline(extended, 'vi')).to.equal(
      '60 ngày (vùng sâu, vùng xa, vụ việc phức tạp) kể từ 05/01/2026 (thụ lý); tạm đình chỉ từ 10/01/2026 đến 12/01/2026, cộng thêm 3 ngày; gia hạn thêm 4 ngày → 13/03/2026',
    );
  });
});
