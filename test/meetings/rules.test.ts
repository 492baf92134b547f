// The pure rules of voter meetings, with tables of cases over an explicit 2026 calendar: the compile
// deadlines around a session, the session's stage on a day, the press notice, and how a petition's
// state follows its forwardings.
import { expect } from 'chai';
import type { WorkingCalendar } from '../../server/calendar/index.js';
import { shippedDeadlineRules, type RuleForCompute } from '../../server/deadlines/index.js';
import {
  compileDueFor,
  compileWindows,
  forwardProblem,
  meetingTimingProblem,
  pressNoticeState,
  reportStateOf,
  sessionDateProblems,
  sessionPhase,
  stateFromForwardings,
  statusAfterClassifying,
  type PetitionStatus,
} from '../../server/meetings/meetings.rules.js';

const CAL: WorkingCalendar = {
  nonWorking: new Set(['2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20', '2026-04-27', '2026-04-30', '2026-05-01', '2026-09-01', '2026-09-02']),
  makeupWorkdays: new Set(['2026-09-12']),
};

function rule(key: string): RuleForCompute {
  const r = shippedDeadlineRules().get(key)!;
  return { key: r.key, name: r.name, startEvent: r.startEvent, days: r.days, dayType: r.dayType, variants: r.variants, basis: r.basis };
}
const RULES = { before: rule('voter-petitions-compile-before'), after: rule('voter-petitions-compile-after') };

describe('meetings rules: compile windows of a session', () => {
  const cases: { opensOn: string; closesOn: string; before: string; after: string; why: string }[] = [
    { opensOn: '2026-05-20', closesOn: '2026-06-15', before: '2026-05-05', after: '2026-06-30', why: 'both ends on working days' },
    { opensOn: '2026-05-18', closesOn: '2026-06-13', before: '2026-04-29', after: '2026-06-29', why: '03/05 is a Sunday after 30/4–1/5: back to Wednesday 29/04; 28/06 is a Sunday: on to Monday' },
    { opensOn: '2026-03-06', closesOn: '2026-03-06', before: '2026-02-13', after: '2026-03-23', why: '19/02 falls in Tết: back to the Friday before; 21/03 is a Saturday: on to Monday' },
    { opensOn: '2026-09-16', closesOn: '2026-09-28', before: '2026-08-31', after: '2026-10-13', why: '01/09 is a day off: back to Monday 31/08' },
  ];
  for (const c of cases) {
    it(`opens ${c.opensOn}, closes ${c.closesOn}: ${c.why}`, () => {
      const w = compileWindows({ opensOn: c.opensOn, closesOn: c.closesOn }, RULES, CAL);
      expect(w.before.dueDate).to.equal(c.before);
      expect(w.after.dueDate).to.equal(c.after);
      expect(w.before.days).to.equal(-15);
      expect(w.after.days).to.equal(15);
      expect(w.before.startDate).to.equal(c.opensOn);
      expect(w.after.startDate).to.equal(c.closesOn);
    });
  }

  it('follows an administrator who changed the rule (20 days before)', () => {
    const w = compileWindows({ opensOn: '2026-05-20', closesOn: '2026-06-15' }, { ...RULES, before: { ...RULES.before, days: -20 } }, CAL);
    expect(w.before.dueDate).to.equal('2026-04-29');
  });

  const phases: [string, string][] = [
    ['2026-05-01', 'collecting'],
    ['2026-05-05', 'collecting'],
    ['2026-05-06', 'compile-overdue'],
    ['2026-05-20', 'in-session'],
    ['2026-06-15', 'in-session'],
    ['2026-06-16', 'after-compiling'],
    ['2026-06-30', 'after-compiling'],
    ['2026-07-01', 'closed'],
  ];
  for (const [today, phase] of phases) {
    it(`is ${phase} on ${today}`, () => {
      expect(sessionPhase({ opensOn: '2026-05-20', closesOn: '2026-06-15', compileBeforeDue: '2026-05-05', compileAfterDue: '2026-06-30' }, today)).to.equal(phase);
    });
  }

  it('gives a meeting the deadline of its side of the session', () => {
    const s = { compileBeforeDue: '2026-05-05', compileAfterDue: '2026-06-30' };
    expect(compileDueFor('before', s)).to.equal('2026-05-05');
    expect(compileDueFor('after', s)).to.equal('2026-06-30');
    expect(compileDueFor('thematic', s)).to.equal(null);
    expect(compileDueFor('before', null)).to.equal(null);
  });

  it('refuses dates that cannot be a session, and meetings on the wrong side of it', () => {
    expect(sessionDateProblems('2026-05-20', '2026-05-19')).to.deep.equal({ closesOn: 'meetings.errors.closesBeforeOpens' });
    expect(sessionDateProblems('2026-05-20', '2026-12-31')).to.deep.equal({ closesOn: 'meetings.errors.sessionTooLong' });
    expect(sessionDateProblems('2026-05-20', '2026-05-20')).to.deep.equal({});
    const s = { opensOn: '2026-05-20', closesOn: '2026-06-15' };
    expect(meetingTimingProblem('before', '2026-05-19', s)).to.equal(null);
    expect(meetingTimingProblem('before', '2026-05-20', s)).to.equal('meetings.errors.beforeSessionLate');
    expect(meetingTimingProblem('after', '2026-06-15', s)).to.equal('meetings.errors.afterSessionEarly');
    expect(meetingTimingProblem('after', '2026-06-16', s)).to.equal(null);
    expect(meetingTimingProblem('before', '2026-05-01', null)).to.equal('meetings.errors.sessionRequired');
    expect(meetingTimingProblem('thematic', '2026-05-25', null)).to.equal(null);
  });
});

describe('meetings rules: the press notice', () => {
  const cases: [string, string | null, string, string][] = [
    ['2026-03-11', null, '2026-03-05', 'pending'],
    ['2026-03-11', null, '2026-03-11', 'due-today'],
    ['2026-03-11', null, '2026-03-12', 'late'],
    ['2026-03-11', '2026-03-10', '2026-03-20', 'published'],
    ['2026-03-11', '2026-03-11', '2026-03-20', 'published'],
    ['2026-03-11', '2026-03-12', '2026-03-12', 'published-late'],
  ];
  for (const [due, published, today, state] of cases) {
    it(`due ${due}, published ${published ?? 'not yet'}, on ${today}: ${state}`, () => {
      expect(pressNoticeState(due, published, today)).to.equal(state);
    });
  }
});

describe('meetings rules: a petition’s state', () => {
  const at = new Date('2026-07-01T02:00:00Z');
  const f = (answered: boolean, verdict: 'satisfied' | 'unsatisfied' | null) => ({ forwardingId: 'f', answeredAt: answered ? at : null, evaluatedAt: verdict ? at : null, verdict });
  const cases: [string, ReturnType<typeof f>[], { status: PetitionStatus; verdict: string | null } | null][] = [
    ['no forwarding', [], null],
    ['forwarded, not answered', [f(false, null)], { status: 'forwarded', verdict: null }],
    ['one of two agencies answered', [f(true, null), f(false, null)], { status: 'forwarded', verdict: null }],
    ['both answered, one evaluated', [f(true, 'satisfied'), f(true, null)], { status: 'answered', verdict: null }],
    ['both satisfied', [f(true, 'satisfied'), f(true, 'satisfied')], { status: 'evaluated', verdict: 'satisfied' }],
    ['one unsatisfied', [f(true, 'satisfied'), f(true, 'unsatisfied')], { status: 'evaluated', verdict: 'unsatisfied' }],
  ];
  for (const [label, forwardings, expected] of cases) {
    it(`${label} → ${expected ? expected.status : 'unchanged'}`, () => {
      expect(stateFromForwardings(forwardings)).to.deep.equal(expected);
    });
  }

  it('counts each status in the report state it stands for', () => {
    expect(reportStateOf({ status: 'recorded', verdict: null })).to.equal('pending');
    expect(reportStateOf({ status: 'compiled', verdict: null })).to.equal('pending');
    expect(reportStateOf({ status: 'forwarded', verdict: null })).to.equal('forwarded');
    expect(reportStateOf({ status: 'evaluated', verdict: 'satisfied' })).to.equal('satisfied');
    expect(reportStateOf({ status: 'evaluated', verdict: 'unsatisfied' })).to.equal('unsatisfied');
    expect(reportStateOf({ status: 'withdrawn', verdict: null })).to.equal('withdrawn');
  });

  it('classifies a recorded petition, keeps later statuses, and never forwards merged or withdrawn ones', () => {
    expect(statusAfterClassifying('recorded', true)).to.equal('classified');
    expect(statusAfterClassifying('recorded', false)).to.equal('recorded');
    expect(statusAfterClassifying('classified', false)).to.equal('recorded');
    expect(statusAfterClassifying('compiled', true)).to.equal('compiled');
    expect(forwardProblem('merged')).to.equal('meetings.errors.petitionMerged');
    expect(forwardProblem('withdrawn')).to.equal('meetings.errors.petitionWithdrawn');
    expect(forwardProblem('compiled')).to.equal(null);
  });
});
