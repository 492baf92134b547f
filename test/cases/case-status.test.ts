import { expect } from 'chai';
import { CASE_STATUSES, allowedTransitions, checkTransition, type CaseStatus } from '../../server/cases/index.js';

describe('case status transitions', () => {
  const table: [CaseStatus, CaseStatus, string | null, string][] = [
    ['received', 'in-progress', null, 'ok'],
    ['received', 'forwarded', null, 'ok'],
    ['received', 'filed', null, 'ok'],
    ['received', 'closed', null, 'reason-required'],
    ['received', 'closed', 'giải quyết tại chỗ', 'ok'],
    ['received', 'answered', null, 'not-allowed'],
    ['in-progress', 'in-progress', null, 'same-state'],
    ['forwarded', 'answered', null, 'ok'],
    ['forwarded', 'in-progress', '  ', 'reason-required'],
    ['answered', 'closed', null, 'ok'],
    ['answered', 'supervising', null, 'ok'],
    ['closed', 'in-progress', null, 'reason-required'],
    ['closed', 'in-progress', 'công dân bổ sung tài liệu', 'ok'],
    ['closed', 'forwarded', null, 'not-allowed'],
    ['filed', 'merged', 'trùng', 'ok'],
    ['merged', 'in-progress', 'x', 'not-allowed'],
  ];
  for (const [from, to, reason, expected] of table) {
    it(`${from} → ${to}${reason ? ' (with reason)' : ''}: ${expected}`, () => {
      const check = checkTransition(from, to, reason);
      expect(check.ok ? 'ok' : check.problem).to.equal(expected);
    });
  }

  it('never allows leaving the merged state', () => {
    expect(allowedTransitions('merged')).to.deep.equal([]);
  });

  it('lets every other state move somewhere', () => {
    for (const status of CASE_STATUSES.filter((s) => s !== 'merged')) expect(allowedTransitions(status), status).to.not.be.empty;
  });
});
