// Table tests of the rules an agency's answer is checked against, and of which matters it covers.
import { expect } from 'chai';
import { answerProblems, coveredRefIds, itemsAfterAnswer, type AnswerFacts } from '../../server/forwarding/agency.rules.js';
import { answerSchema, extensionSchema } from '../../server/forwarding/agency.schemas.js';

describe('agency answer rules', () => {
  const context = { today: '2027-03-10', forwardingDate: '2027-03-02' };
  const base: AnswerFacts = { outcome: 'resolved', documentDate: '2027-03-05', expectedDate: null, competentAgency: null };
  const table: [string, Partial<AnswerFacts>, Record<string, string>][] = [
    ['a resolved answer dated between the slip and today', {}, {}],
    ['dated today', { documentDate: '2027-03-10' }, {}],
    ['dated the day of the slip', { documentDate: '2027-03-02' }, {}],
    ['dated tomorrow', { documentDate: '2027-03-11' }, { documentDate: 'agency.errors.documentDateFuture' }],
    ['dated before the slip', { documentDate: '2027-03-01' }, { documentDate: 'agency.errors.documentDateBeforeForwarding' }],
    ['in progress without a date', { outcome: 'in-progress' }, { expectedDate: 'agency.errors.expectedDateRequired' }],
    ['in progress, expected today', { outcome: 'in-progress', expectedDate: '2027-03-10' }, { expectedDate: 'agency.errors.expectedDatePast' }],
    ['in progress, expected tomorrow', { outcome: 'in-progress', expectedDate: '2027-03-11' }, {}],
    ['not competent without naming the agency', { outcome: 'not-competent' }, { competentAgency: 'agency.errors.competentAgencyRequired' }],
    ['not competent, naming it', { outcome: 'not-competent', competentAgency: 'Thanh tra tỉnh' }, {}],
    ['an expected date is not asked of a resolved answer', { expectedDate: '2027-01-01' }, {}],
  ];
  for (const [name, change, expected] of table) {
    it(name, () => expect(answerProblems({ ...base, ...change }, context)).to.deep.equal(expected));
  }
  it('does without a slip date', () => expect(answerProblems({ ...base, documentDate: '2020-01-01' }, { today: '2027-03-10', forwardingDate: null })).to.deep.equal({}));
});

describe('matters an answer covers', () => {
  const items = [{ refId: 'a' }, { refId: 'b' }, { refId: 'c' }];
  const table: [number[], string[] | null][] = [
    [[], ['a', 'b', 'c']],
    [[2], ['b']],
    [[3, 1, 3], ['a', 'c']],
    [[0], null],
    [[4], null],
    [[1.5], null],
  ];
  for (const [positions, expected] of table) {
    it(`${JSON.stringify(positions)} → ${JSON.stringify(expected)}`, () => expect(coveredRefIds(items, positions)).to.deep.equal(expected));
  }
  it('marks the covered items answered and clears their verdicts, leaving the others', () => {
    const before = [
      { refId: 'a', answered: true, verdict: 'unsatisfied', verdictReason: 'thiếu căn cứ', evaluatedAt: new Date() },
      { refId: 'b', answered: true, verdict: 'satisfied', verdictReason: null, evaluatedAt: new Date() },
    ];
    const after = itemsAfterAnswer(before, ['a']);
    expect(after[0]).to.deep.equal({ refId: 'a', answered: true, verdict: null, verdictReason: null, evaluatedAt: null });
    expect(after[1]).to.deep.equal(before[1]);
  });
});

describe('agency form schemas', () => {
  const valid = { submissionKey: 'f'.repeat(32), responderName: 'A', responderPosition: 'B', documentNumber: '1/X', documentDate: '5/3/2027', outcome: 'resolved', text: 'T' };
  it('reads dd/mm/yyyy as an ISO date and matter positions as numbers', () => {
    const parsed = answerSchema.parse({ ...valid, matters: ['2', '1', '2'] });
    expect(parsed.documentDate).to.equal('2027-03-05');
    expect(parsed.matters).to.deep.equal([2, 1]);
    expect(parsed.expectedDate).to.equal(null);
  });
  const bad: [Record<string, unknown>, string][] = [
    [{ documentDate: '' }, 'documentDate'],
    [{ documentDate: '30/02/2027' }, 'documentDate'],
    [{ outcome: 'done' }, 'outcome'],
    [{ submissionKey: 'x' }, 'submissionKey'],
    [{ text: { $ne: '' } }, 'text'],
    [{ matters: ['1', 'abc'] }, 'matters.1'],
    [{ expectedDate: 'tomorrow' }, 'expectedDate'],
  ];
  for (const [change, field] of bad) {
    it(`refuses ${JSON.stringify(change)}`, () => {
      const result = answerSchema.safeParse({ ...valid, ...change });
      expect(result.success).to.equal(false);
      expect(result.error!.issues.map((i) => i.path.join('.'))).to.include(field);
    });
  }
  it('takes 1 to 90 days for an extension', () => {
    for (const [days, ok] of [['1', true], ['90', true], ['0', false], ['91', false], ['-3', false], ['1.5', false], ['', false]] as const) {
      expect(extensionSchema.safeParse({ days, reason: 'r', requesterName: 'n' }).success, days).to.equal(ok);
    }
  });
});
