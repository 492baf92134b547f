// Property: on random documents (mixed types, null and missing fields) and random equality / $in /
// range filters with ascending or descending sorts, a collection with indexes returns exactly what
// the same collection without indexes returns, in the same order. Runs over the wire, so it holds
// against real MongoDB too (sorts end with _id so the order is fully determined).
import { expect } from 'chai';
import fc from 'fast-check';
import { connectClient, uniqueDbName, type Db, type Document, type MongoClientT } from './support.js';

// A small pool of values of every comparable type, so random filters often hit random documents.
const POOL: unknown[] = [-2, 0, 1, 3, 2.5, -0.5, 'a', 'b', 'ba', 'B', '', new Date(1_700_000_000_000), new Date(1_700_000_100_000), true, false, null];
const scalar = fc.constantFrom(...POOL);

const docArb = fc.record(
  {
    a: fc.oneof({ weight: 5, arbitrary: scalar }, { weight: 1, arbitrary: fc.array(fc.integer({ min: -3, max: 3 }), { maxLength: 3 }) }),
    b: scalar,
    c: fc.integer({ min: 0, max: 3 }),
  },
  { requiredKeys: ['c'] },
);

const bound = fc.constantFrom(...POOL.filter((v) => v !== null && typeof v !== 'boolean'), 'az', new Date(1_700_000_050_000));

const filterArb: fc.Arbitrary<Document> = fc.oneof(
  scalar.filter((v) => v !== null).map((v) => ({ a: v })),
  fc.array(scalar.filter((v) => v !== null), { minLength: 1, maxLength: 3 }).map((vs) => ({ a: { $in: vs } })),
  fc.tuple(fc.constantFrom('$gt', '$gte', '$lt', '$lte'), bound).map(([op, v]) => ({ a: { [op]: v } })),
  fc.tuple(bound, bound).map(([lo, hi]) => ({ a: { $gte: lo, $lt: hi } })),
  fc.tuple(scalar.filter((v) => v !== null), fc.integer({ min: 0, max: 3 })).map(([v, c]) => ({ b: v, c })),
  fc.tuple(fc.integer({ min: 0, max: 3 }), fc.constantFrom('$gt', '$lte'), bound).map(([c, op, v]) => ({ c, b: { [op]: v } })),
  fc.constant({}),
);

const sortArb = fc.oneof(
  fc.constantFrom(1, -1).map((d) => ({ a: d, _id: 1 })),
  fc.constantFrom(1, -1).map((d) => ({ b: d, _id: -1 })),
  fc.tuple(fc.constantFrom(1, -1), fc.constantFrom(1, -1)).map(([x, y]) => ({ c: x, b: y, _id: 1 })),
  fc.constant({ _id: 1 }),
);

describe('embedded-mongo conformance: index-accelerated queries equal plain scans (property)', function () {
  this.timeout(120_000);
  let client: MongoClientT;
  let db: Db;

  before(async function () {
    client = await connectClient();
    db = client.db(uniqueDbName('prop'));
  });
  after(async function () {
    await db.dropDatabase();
    await client.close();
  });

  it('returns the same documents in the same order with and without indexes', async function () {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(docArb, { minLength: 5, maxLength: 40 }), filterArb, sortArb, fc.nat(5), fc.nat(8), async (docs, filter, sort, skip, limit) => {
        run++;
        const indexed = db.collection(`i${run}`);
        const plain = db.collection(`p${run}`);
        await indexed.createIndex({ a: 1 });
        await indexed.createIndex({ c: 1, b: -1 });
        await indexed.createIndex({ b: -1 });
        const withIds = docs.map((d, i) => ({ _id: i, ...d }));
        if (withIds.length > 0) {
          await indexed.insertMany(withIds.map((d) => ({ ...d })) as never[]);
          await plain.insertMany(withIds.map((d) => ({ ...d })) as never[]);
        }
        const q = (c: typeof plain): Promise<unknown[]> =>
          c
            .find(filter)
            .sort(sort as never)
            .skip(skip)
            .limit(limit)
            .toArray()
            .then((r) => r.map((d) => d._id));
        const [a, b] = await Promise.all([q(indexed), q(plain)]);
        await Promise.all([indexed.drop(), plain.drop()]);
        expect(a, JSON.stringify({ filter, sort, skip, limit })).to.deep.equal(b);
      }),
      { numRuns: 150 },
    );
  });
});
