// Property (embedded only: uses the storage engine directly): for random documents (including
// arrays, nested fields, null and missing values) and random filters (equalities to null included) and sorts, every query plan
// the planner picks returns exactly what a forced full scan returns, in the same order — including
// the order of ties, which both paths break by insertion order.
import { expect } from 'chai';
import fc from 'fast-check';
import { compareValues } from '../../server/embedded-mongo/bson-order.js';
import { runQuery } from '../../server/embedded-mongo/query/execute.js';
import { coveredCount } from '../../server/embedded-mongo/query/planner.js';
import { parseSort } from '../../server/embedded-mongo/query/sort.js';
import { Engine } from '../../server/embedded-mongo/storage/engine.js';
import type { Doc } from '../../server/embedded-mongo/storage/types.js';

const POOL: unknown[] = [-1, 0, 2, 2.5, 'a', 'b', 'ab', '', new Date(1_700_000_000_000), new Date(1_700_000_900_000), true, null];
const value = fc.constantFrom(...POOL);
const arrayValue = fc.array(fc.constantFrom(-1, 0, 2, 'a', 'b'), { maxLength: 3 });

const docArb = fc.record(
  {
    a: fc.oneof({ weight: 4, arbitrary: value }, { weight: 1, arbitrary: arrayValue }),
    b: value,
    n: fc.record({ x: value }, { requiredKeys: [] }),
    tags: arrayValue,
    words: arrayValue,
  },
  { requiredKeys: [] },
);

const point = value.filter((v) => v !== null);
const ops = ['$gt', '$gte', '$lt', '$lte'] as const;
const field = fc.constantFrom('a', 'b', 'n.x', 'tags', 'words');
const filterArb: fc.Arbitrary<Doc> = fc.oneof(
  fc.tuple(field, point).map(([f, v]) => ({ [f]: v })),
  fc.tuple(field, fc.array(point, { minLength: 1, maxLength: 3 })).map(([f, vs]) => ({ [f]: { $in: vs } })),
  fc.tuple(field, fc.constantFrom(...ops), point).map(([f, op, v]) => ({ [f]: { [op]: v } })),
  fc.tuple(point, point).map(([x, y]) => ({ a: x, b: { $gte: y } })),
  // Two-sided numeric ranges: on arrays each bound may be met by a different element.
  fc.tuple(field, fc.integer({ min: -1, max: 2 }), fc.integer({ min: -1, max: 2 })).map(([f, x, y]) => ({ [f]: { $gte: x, $lt: y } })),
  fc.tuple(point, fc.constantFrom(...ops), point).map(([x, op, y]) => ({ $and: [{ b: x }, { a: { [op]: y } }] })),
  // $all looks up its rarest value (on a one-field index, intersects every value's entries); $or of
  // one branch is that branch; $or of several unites index scans.
  fc.tuple(field, fc.array(point, { minLength: 1, maxLength: 3 })).map(([f, vs]) => ({ [f]: { $all: vs } })),
  // Several values the arrays often hold together, so the intersection has something to find.
  fc.tuple(fc.constantFrom('tags', 'words'), fc.array(fc.constantFrom(-1, 0, 2, 'a', 'b'), { minLength: 2, maxLength: 3 })).map(([f, vs]) => ({ [f]: { $all: vs } })),
  fc.tuple(field, point).map(([f, v]) => ({ $or: [{ [f]: { $all: [v] } }] })),
  fc.tuple(field, point, field, point).map(([f, x, g, y]) => ({ $or: [{ [f]: x }, { [g]: { $all: [y] } }] })),
  fc.tuple(point, field, point, point).map(([z, f, x, y]) => ({ $and: [{ b: { $gte: z } }, { $or: [{ [f]: x }, { tags: y }] }] })),
  fc.tuple(point, point).map(([x, y]) => ({ $or: [{ a: x }, { unindexed: y }] })),
  // Operators the index bounds do not express must keep a count from being read off the index.
  fc.tuple(point, point).map(([x, y]) => ({ a: { $gte: x, $ne: y } })),
  fc.tuple(point, point).map(([x, y]) => ({ $and: [{ a: { $gte: x } }, { a: { $lt: y } }] })),
  fc.tuple(fc.integer({ min: -1, max: 2 }), fc.integer({ min: -1, max: 2 }), point).map(([x, y, z]) => ({ $and: [{ b: { $gt: x } }, { b: { $lte: y } }, { b: { $gte: z } }] })),
  fc.tuple(point, point).map(([x, y]) => ({ b: x, a: y })),
  // Equality to null matches null and missing alike: indexed on plain indexes, not on multikey or sparse ones.
  field.map((f) => ({ [f]: null })),
  fc.tuple(point).map(([y]) => ({ b: null, a: { $gte: y } })),
  fc.tuple(point).map(([x]) => ({ b: x, a: null })),
  fc.constant({}),
);
const sortArb = fc.option(
  fc.array(fc.tuple(fc.constantFrom('a', 'b', 'n.x'), fc.constantFrom(1, -1)), { minLength: 1, maxLength: 2 }).map((pairs) => Object.fromEntries(pairs) as Doc),
  { nil: null },
);

describe('embedded-mongo: planner equals full scan (property, on the storage engine directly)', function () {
  it('same documents, same order, for every plan', function () {
    fc.assert(
      fc.property(fc.array(docArb, { maxLength: 60 }), filterArb, sortArb, fc.nat(4), fc.nat(6), fc.boolean(), (docs, filter, sortSpec, skip, limit, deleteSome) => {
        const engine = new Engine();
        const coll = engine.ensureCollection('p', 'c');
        coll.createIndex({ key: { a: 1 }, name: 'a_1' });
        coll.createIndex({ key: { b: -1, a: 1 }, name: 'b_a' });
        coll.createIndex({ key: { 'n.x': 1 }, name: 'nx', sparse: true });
        coll.createIndex({ key: { tags: 1 }, name: 'tags' });
        // A descending one-field index: its entries of one value run in reverse insertion order.
        coll.createIndex({ key: { words: -1 }, name: 'words' });
        docs.forEach((d, i) => coll.insert({ _id: i, ...d }));
        if (deleteSome) {
          // Deletes and updates keep both the records map and the indexes in step.
          for (const rec of [...coll.records.values()].filter((_, i) => i % 3 === 0)) coll.remove(rec);
          for (const rec of [...coll.records.values()].filter((_, i) => i % 4 === 1)) coll.replace(rec, { ...rec.doc, a: 'b', b: 2 });
        }
        // Without a sort the order (and so which documents skip/limit pick) is unspecified, as in
        // MongoDB: compare the sets then.
        const opts = sortSpec ? { sort: parseSort(sortSpec), skip, limit } : {};
        const view = { base: coll, overlay: undefined };
        const ids = (forceScan: boolean): unknown[] => {
          const out = runQuery(view, filter, { ...opts, forceScan }, engine.stats).matches.map((m) => m.doc._id);
          return sortSpec ? out : out.sort((x, y) => Number(x) - Number(y));
        };
        const planned = ids(false);
        const scanned = ids(true);
        expect(planned, JSON.stringify({ filter, sortSpec, skip, limit })).to.deep.equal(scanned);
        // A count read off the index bounds alone must equal the real count whenever it is offered.
        const covered = coveredCount(coll, filter, compareValues);
        if (covered !== null) expect(covered, `count ${JSON.stringify(filter)}`).to.equal(runQuery(view, filter, { forceScan: true }, engine.stats).matches.length);
      }),
      { numRuns: 400 },
    );
  });
});
