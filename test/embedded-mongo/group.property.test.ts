// The embedded server's own $group (server/embedded-mongo/query/group.ts) against mingo, which ran
// every $group before: for random documents and the kinds of specs the statistics use, whenever the
// compiled stage answers it answers what mingo answers (groups in any order, $addToSet as a set).
// Then what it must leave to mingo, and where it follows MongoDB rather than mingo.
import { expect } from 'chai';
import fc from 'fast-check';
import { Aggregator, ProcessingMode } from 'mingo';
import { canonicalKey } from '../../server/embedded-mongo/bson-order.js';
import { mingoOptions } from '../../server/embedded-mongo/query/filter.js';
import { compileGroup } from '../../server/embedded-mongo/query/group.js';
import type { Doc } from '../../server/embedded-mongo/storage/types.js';

const day = (n: number) => new Date(Date.UTC(2026, 0, 1, 16, 30) + n * 3_600_000 * 7);
const docArb = fc.record(
  {
    k: fc.constantFrom('a', 'b', null, 1, 2, true),
    k2: fc.constantFrom('x', 'y', 3, null),
    num: fc.oneof(fc.integer({ min: -5, max: 5 }), fc.constant(null)),
    n: fc.oneof(fc.integer({ min: 0, max: 9 }), fc.constant('7'), fc.constant(null)),
    flag: fc.constantFrom(true, false, null, 0, 1, ''),
    d: fc.integer({ min: 0, max: 40 }).map(day),
    d2: fc.oneof(fc.integer({ min: 0, max: 40 }).map(day), fc.constant(null)),
    arr: fc.array(fc.constantFrom('p', 'q', 1), { maxLength: 3 }),
    sub: fc.record({ t: fc.constantFrom('s', 't', null) }),
  },
  // `n` may be missing: $sum and $ifNull treat that alike in both; the other fields are always there
  // (a missing group key or $addToSet value is where the two deliberately differ, tested below).
  { requiredKeys: ['k', 'k2', 'num', 'flag', 'd', 'd2', 'arr', 'sub'] },
);

const isTrue = (e: unknown) => ({ $cond: [e, 1, 0] });
const SPECS: Record<string, Doc> = {
  'sums, a condition and a set': { _id: '$k', n: { $sum: 1 }, total: { $sum: '$n' }, flags: { $sum: isTrue('$flag') }, seen: { $addToSet: '$k2' } },
  'equalities to values and to null': { _id: null, eq: { $sum: isTrue({ $eq: ['$k', 'a'] }) }, ne: { $sum: isTrue({ $ne: ['$k2', null] }) }, or: { $sum: isTrue({ $or: [{ $eq: ['$k', 1] }, '$flag'] }) } },
  'dates compared, guarded against null': { _id: '$sub.t', late: { $sum: isTrue({ $and: [{ $ne: ['$d2', null] }, { $gt: ['$d', '$d2'] }] }) }, early: { $sum: isTrue({ $and: [{ $ne: ['$d2', null] }, { $lte: ['$d', '$d2'] }] }) } },
  'Vietnam days and months': { _id: { $dateToString: { format: '%Y-%m-%d', date: '$d', timezone: '+07:00' } }, n: { $sum: 1 }, months: { $addToSet: { $dateToString: { format: '%Y-%m', date: '$d', timezone: '+07:00' } } } },
  'sizes, extremes, first, last, push': { _id: '$k', sizes: { $sum: { $size: '$arr' } }, mx: { $max: '$num' }, first: { $first: '$num' }, last: { $last: '$num' }, pushed: { $push: '$k2' }, count: { $count: {} } },
  'differences, fallbacks, negation': { _id: '$k2', gaps: { $push: { $cond: [{ $ne: ['$d2', null] }, { $subtract: ['$d', '$d2'] }, null] } }, fallback: { $sum: { $ifNull: ['$n', 5] } }, floor: { $sum: { $max: [0, { $subtract: ['$num', 2] }] } }, ceiling: { $push: { $min: ['$num', 3, null] } }, off: { $sum: isTrue({ $not: [{ $eq: ['$k2', 'x'] }] }) } },
  'arrays as keys': { _id: '$arr', n: { $sum: 1 } },
};

function viaMingo(spec: Doc, docs: Doc[]): Doc[] {
  return new Aggregator([{ $group: spec }], mingoOptions(null, { processingMode: ProcessingMode.CLONE_OFF })).run<Doc>(docs);
}

/** Groups in key order; a $addToSet's values in key order (neither order is defined by MongoDB). */
function normalised(rows: Doc[], sets: readonly string[]): Doc[] {
  return rows
    .map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, sets.includes(k) ? [...(v as unknown[])].sort((a, b) => canonicalKey(a).localeCompare(canonicalKey(b))) : v])))
    .sort((a, b) => canonicalKey(a._id).localeCompare(canonicalKey(b._id)));
}

describe('embedded server: $group compiled against mingo (property)', () => {
  for (const [name, spec] of Object.entries(SPECS)) {
    it(`answers as mingo does: ${name}`, () => {
      const group = compileGroup(spec);
      expect(group, 'compiles').to.not.equal(null);
      const sets = Object.entries(spec).filter(([, acc]) => typeof acc === 'object' && acc !== null && '$addToSet' in acc).map(([k]) => k);
      let answered = 0;
      fc.assert(
        fc.property(fc.array(docArb, { maxLength: 30 }), (docs) => {
          const native = group!(docs);
          if (native === null) return;
          answered += 1;
          expect(normalised(native, sets)).to.deep.equal(normalised(viaMingo(spec, docs), sets));
        }),
        { numRuns: 300 },
      );
      // Every spec here stays in the subset for these documents: the comparison above really ran.
      expect(answered).to.equal(300);
    });
  }
});

describe('embedded server: $group compiled — what is left to mingo, and MongoDB’s meaning', () => {
  const docs: Doc[] = [
    { k: 'a', v: 1, arr: [{ x: 1 }] },
    { k: 'a', v: 2 },
    { v: 3 },
    { k: null, v: 4 },
  ];

  const notCompiled: [string, Doc][] = [
    ['a variable', { _id: '$$ROOT' }],
    ['an accumulator outside the subset', { _id: '$k', avg: { $avg: '$v' } }],
    ['an operator outside the subset', { _id: { $toUpper: '$k' } }],
    ['a compound key', { _id: { k: '$k' }, n: { $sum: 1 } }],
    ['a time zone by name', { _id: { $dateToString: { format: '%Y', date: '$d', timezone: 'Asia/Ho_Chi_Minh' } } }],
    ['a format outside the subset', { _id: { $dateToString: { format: '%j', date: '$d' } } }],
    ['no _id', { n: { $sum: 1 } }],
    ['a dotted output name', { _id: null, 'a.b': { $sum: 1 } }],
  ];
  for (const [what, spec] of notCompiled) {
    it(`does not compile ${what}`, () => expect(compileGroup(spec)).to.equal(null));
  }

  const givenUp: [string, Doc][] = [
    ['a path through an array', { _id: '$arr.x', n: { $sum: 1 } }],
    ['an equality with a missing value', { _id: null, n: { $sum: isTrue({ $eq: ['$k', 'a'] }) } }],
    ['an order between mixed types', { _id: null, n: { $sum: isTrue({ $gt: ['$k', 1] }) } }],
    ['$size of a non-array', { _id: null, n: { $sum: { $size: '$k' } } }],
  ];
  for (const [what, spec] of givenUp) {
    it(`hands the stage back for ${what}`, () => expect(compileGroup(spec)!(docs)).to.equal(null));
  }

  it('reads "" as true under $not, as MongoDB does (mingo alone reads it as false there)', () => {
    const rows = compileGroup({ _id: null, off: { $sum: isTrue({ $not: ['$s'] }) } })!([{ s: '' }, { s: 0 }, { s: [] }, { s: null }, {}])!;
    expect(rows).to.deep.equal([{ _id: null, off: 3 }]);
  });

  it('groups a missing key with null, and skips missing values in $addToSet and $push, as MongoDB does', () => {
    const rows = compileGroup({ _id: '$k', n: { $sum: 1 }, ks: { $addToSet: '$k' }, vs: { $push: '$w' } })!(docs)!;
    expect(rows).to.deep.equal([
      { _id: 'a', n: 2, ks: ['a'], vs: [] },
      { _id: null, n: 2, ks: [null], vs: [] },
    ]);
  });
});
