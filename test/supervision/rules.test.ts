// The pure rules of supervision, as tables: a round's life, what each state allows, finding dates,
// the chase letter's number and situation, a proposal's key, and why a case is worth supervising.
import { expect } from 'chai';
import {
  candidateActiveKey,
  chaseSituation,
  findingDateProblem,
  formatChaseNumber,
  isChaseable,
  mayChangeScope,
  mayMoveRound,
  mayRecordFindings,
  pickReasons,
  roundDateProblems,
  vietnamYear,
  type RoundStatus,
} from '../../server/supervision/supervision.rules.js';

describe('supervision rules', () => {
  it('moves a round only forward, one step at a time', () => {
    const table: [RoundStatus, RoundStatus, boolean][] = [
      ['planned', 'in-progress', true],
      ['planned', 'concluded', false],
      ['in-progress', 'concluded', true],
      ['in-progress', 'planned', false],
      ['concluded', 'in-progress', false],
      ['concluded', 'concluded', false],
    ];
    for (const [from, to, ok] of table) expect(mayMoveRound(from, to), `${from} → ${to}`).to.equal(ok);
  });

  it('allows scope changes until concluded, findings only while in progress', () => {
    const table: [RoundStatus, boolean, boolean][] = [
      ['planned', true, false],
      ['in-progress', true, true],
      ['concluded', false, false],
    ];
    for (const [status, scope, findings] of table) {
      expect(mayChangeScope(status), status).to.equal(scope);
      expect(mayRecordFindings(status), status).to.equal(findings);
    }
  });

  it('checks the dates of a round and of a finding', () => {
    expect(roundDateProblems('2027-03-01', '2027-03-31')).to.deep.equal({});
    expect(roundDateProblems('2027-03-01', '2027-03-01')).to.deep.equal({});
    expect(roundDateProblems('2027-03-10', '2027-03-09')).to.deep.equal({ endsOn: 'supervision.errors.endBeforeStart' });
    const round = { startsOn: '2027-03-10', endsOn: '2027-03-31' };
    const table: [string, string, string | null][] = [
      ['2027-03-10', '2027-04-05', null],
      ['2027-04-02', '2027-04-05', null], // after the planned end: rounds overrun
      ['2027-03-09', '2027-04-05', 'supervision.errors.findingBeforeRound'],
      ['2027-04-06', '2027-04-05', 'supervision.errors.dateInFuture'],
    ];
    for (const [on, today, problem] of table) expect(findingDateProblem(on, round, today), on).to.equal(problem);
  });

  it('numbers chase letters in the Vietnam year', () => {
    expect(formatChaseNumber(12)).to.equal('12/CV-ĐĐ');
    expect(formatChaseNumber(1, 'ĐĐ-VP')).to.equal('1/ĐĐ-VP');
    // 31/12/2026 17:30 UTC is already 1 January 2027 in Vietnam.
    expect(vietnamYear(new Date('2026-12-31T17:30:00Z'))).to.equal(2027);
    expect(vietnamYear(new Date('2026-12-31T16:59:00Z'))).to.equal(2026);
  });

  it('says which forwardings can be chased and how the letter describes them', () => {
    const table: [string, boolean][] = [
      ['sent', true],
      ['acknowledged', true],
      ['answered', true],
      ['evaluated', true],
      ['awaiting-approval', false],
      ['returned', false],
      ['closed', false],
      ['cancelled', false],
    ];
    for (const [status, ok] of table) expect(isChaseable(status), status).to.equal(ok);
    expect(chaseSituation('sent', 13)).to.equal('late');
    expect(chaseSituation('acknowledged', 0)).to.equal('not-answered');
    expect(chaseSituation('evaluated', 5)).to.equal('answer-wanting');
    expect(chaseSituation('answered', 0)).to.equal('answer-wanting');
  });

  it('keys a standing proposal by session, case and kind', () => {
    expect(candidateActiveKey({ sessionId: 's1', caseId: 'c1', kind: 'questioning' })).to.equal('s1:c1:questioning');
    expect(candidateActiveKey({ sessionId: 's1', caseId: 'c1', kind: 'explanation' })).to.not.equal(candidateActiveKey({ sessionId: 's1', caseId: 'c1', kind: 'questioning' }));
  });

  it('gives the reasons a case belongs in the pick list', () => {
    const now = new Date('2027-04-05T03:00:00Z');
    const past = new Date('2027-03-23T16:59:59Z');
    const future = new Date('2027-04-20T16:59:59Z');
    const table: [string, { status: string; dueAt: Date | null; unsatisfied: boolean }[], string[]][] = [
      ['supervising', [], ['supervising']],
      ['forwarded', [{ status: 'sent', dueAt: past, unsatisfied: false }], ['overdue']],
      ['forwarded', [{ status: 'sent', dueAt: future, unsatisfied: false }], []],
      // Answered: the agency is no longer late, whatever the date.
      ['answered', [{ status: 'answered', dueAt: past, unsatisfied: false }], []],
      ['forwarded', [{ status: 'evaluated', dueAt: past, unsatisfied: true }], ['overdue', 'unsatisfied']],
      ['supervising', [{ status: 'closed', dueAt: past, unsatisfied: true }], ['supervising', 'unsatisfied']],
      ['closed', [{ status: 'closed', dueAt: past, unsatisfied: false }], []],
    ];
    for (const [status, forwardings, reasons] of table) expect(pickReasons({ status }, forwardings, now), `${status} ${JSON.stringify(forwardings)}`).to.deep.equal(reasons);
  });
});
