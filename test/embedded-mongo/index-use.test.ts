// Index use among 100,000 documents: lookups by _id, unique key, equality and range on indexed
// fields, and index-ordered sort+limit must not scan the collection. Asserts the storage layer's
// "documents examined" counter (and explain's totalDocsExamined), never timings. Starts its own
// embedded server, so it does not depend on TEST_MONGODB_URI.
import { expect } from 'chai';
import { startEmbeddedMongo, type EmbeddedMongoInternals } from '../../server/embedded-mongo/index.js';
import { MongoClient, type Collection, type Document, type MongoClientT } from './support.js';

const N = 100_000;

interface Explained {
  queryPlanner: { winningPlan: { stage: string; inputStage?: { indexName?: string } } };
  executionStats: { totalDocsExamined: number };
}

describe('embedded-mongo: indexed lookups among 100,000 documents do not scan', function () {
  this.timeout(120_000);
  let server: EmbeddedMongoInternals;
  let client: MongoClientT;
  let coll: Collection;

  before(async function () {
    server = await startEmbeddedMongo();
    client = await MongoClient.connect(server.uri);
    coll = client.db('scale').collection('cases');
    await coll.createIndex({ code: 1 }, { unique: true });
    await coll.createIndex({ district: 1, receivedAt: -1 });
    await coll.createIndex({ n: 1 });
    for (let start = 0; start < N; start += 10_000) {
      const batch = Array.from({ length: 10_000 }, (_, j) => {
        const i = start + j;
        return { _id: i, code: `HS-${String(i).padStart(6, '0')}`, district: `d${i % 30}`, receivedAt: new Date(1_700_000_000_000 + i * 60_000), n: i, unindexed: i };
      });
      await coll.insertMany(batch as never[]);
    }
  });
  after(async function () {
    await client?.close();
    await server?.stop();
  });

  /** Runs `op` and returns how many documents the storage layer examined for it. */
  async function examined(op: () => Promise<unknown>): Promise<number> {
    const before = server.engine.stats.docsExamined;
    await op();
    return server.engine.stats.docsExamined - before;
  }

  it('has all the documents', async function () {
    expect(await coll.estimatedDocumentCount()).to.equal(N);
  });

  it('finds by _id examining one document', async function () {
    expect(await examined(() => coll.findOne({ _id: 77_777 } as never))).to.equal(1);
  });

  it('looks up a $in of 5,000 ids (a $lookup of a year of visits) in the index, not by scanning', async function () {
    const ids = Array.from({ length: 5000 }, (_, i) => i * 20 + 3);
    let found: Document[] = [];
    expect(await examined(async () => (found = await coll.find({ _id: { $in: ids } } as never, { projection: { _id: 1 } }).toArray()))).to.equal(5000);
    expect(found.map((d) => d._id as number).sort((a, b) => a - b)).to.deep.equal(ids);
  });

  it('finds by a unique key examining one document', async function () {
    let doc: Document | null = null;
    expect(
      await examined(async () => {
        doc = await coll.findOne({ code: 'HS-054321' });
      }),
    ).to.equal(1);
    expect((doc as Document | null)?._id).to.equal(54_321);
  });

  it('a 50-document range on an indexed field examines 50 documents', async function () {
    let docs: Document[] = [];
    const count = await examined(async () => {
      docs = await coll.find({ n: { $gte: 1000, $lt: 1050 } }).toArray();
    });
    expect(docs).to.have.length(50);
    expect(count).to.equal(50);
  });

  it('equality on a compound prefix with sort on the next field, limit 20, stops after the first 20', async function () {
    let docs: Document[] = [];
    const count = await examined(async () => {
      docs = await coll.find({ district: 'd7' }).sort({ receivedAt: -1 }).limit(20).toArray();
    });
    expect(docs.map((d) => d._id as unknown)).to.deep.equal(Array.from({ length: 20 }, (_, k) => 99_997 - k * 30));
    expect(count).to.be.at.most(21);
  });

  it('a keyset page deep in a list ("before this key, or this key and a smaller _id") starts at the cursor', async function () {
    // Page 3,000 of a district's cases, newest first: the cursor is the last case of the page before.
    const cursor = { receivedAt: new Date(1_700_000_000_000 + 9_997 * 60_000), _id: 9_997 };
    const keyset = { $or: [{ receivedAt: { $lt: cursor.receivedAt } }, { receivedAt: cursor.receivedAt, _id: { $lt: cursor._id } }] };
    let docs: Document[] = [];
    const count = await examined(async () => {
      docs = await coll.find({ $and: [{ district: 'd7' }, keyset] } as never).sort({ receivedAt: -1, _id: -1 }).limit(20).toArray();
    });
    expect(docs.map((d) => d._id as unknown)).to.deep.equal(Array.from({ length: 20 }, (_, k) => 9_967 - k * 30));
    expect(count).to.be.at.most(22);
    // The same without the district: the (n) index cannot serve the sort, the walk of _id order can't
    // bound receivedAt, yet the result is the same as a scan's.
    const all = await coll.find(keyset as never).sort({ receivedAt: -1, _id: -1 }).limit(3).toArray();
    expect(all.map((d) => d._id as unknown)).to.deep.equal([9_996, 9_995, 9_994]);
  });

  it('a descending keyset page that also takes the rows without a key ("… or key null") starts at the cursor too', async function () {
    const cursor = { receivedAt: new Date(1_700_000_000_000 + 9_997 * 60_000), _id: 9_997 };
    const keyset = { $or: [{ receivedAt: { $lt: cursor.receivedAt } }, { receivedAt: cursor.receivedAt, _id: { $lt: cursor._id } }, { receivedAt: null }] };
    let docs: Document[] = [];
    const count = await examined(async () => {
      docs = await coll.find({ $and: [{ district: 'd7' }, keyset] } as never).sort({ receivedAt: -1, _id: -1 }).limit(20).toArray();
    });
    expect(docs.map((d) => d._id as unknown)).to.deep.equal(Array.from({ length: 20 }, (_, k) => 9_967 - k * 30));
    expect(count).to.be.at.most(22);
  });

  it('…and still finds the rows whose key is null or missing, after the others', async function () {
    const small = client.db('scale').collection('keyset_nulls');
    await small.createIndex({ at: -1, _id: -1 });
    await small.insertMany([
      { _id: 1, at: new Date('2026-01-01') },
      { _id: 2, at: new Date('2026-01-02') },
      { _id: 3, at: new Date('2026-01-02') },
      { _id: 4, at: null },
      { _id: 5 },
      { _id: 6, at: 'not a date' },
      { _id: 7, at: new Date('2026-01-03') },
    ] as never[]);
    const after = (at: Date, id: number) => ({ $or: [{ at: { $lt: at } }, { at, _id: { $lt: id } }, { at: null }] });
    const page = await small.find(after(new Date('2026-01-02'), 3) as never).sort({ at: -1, _id: -1 }).toArray();
    // Dates sort after strings in BSON order, so descending: the dates left, then the string is not
    // matched ($lt on a date never matches a string), then null and missing.
    expect(page.map((d) => d._id as unknown)).to.deep.equal([2, 1, 5, 4]);
  });

  it('a partial index serves the lookups its filter covers (a person by CCCD), and only those', async function () {
    const people = client.db('scale').collection('partial_people');
    await people.createIndex({ citizenId: 1 }, { unique: true, partialFilterExpression: { citizenId: { $type: 'string' } } });
    await people.insertMany(Array.from({ length: 5000 }, (_, i) => ({ _id: i, ...(i % 5 === 0 ? {} : { citizenId: `0790${String(i).padStart(8, '0')}` }) })) as never[]);
    let found: Document[] = [];
    expect(await examined(async () => (found = await people.find({ citizenId: '079000000123' }).toArray()))).to.equal(1);
    expect(found.map((d) => d._id as unknown)).to.deep.equal([123]);
    expect(await examined(() => people.find({ citizenId: { $in: ['079000000001', '079000000002', 'nope'] } }).toArray())).to.equal(2);
    // Not covered by the filter: people without a CCCD are not in the index, so these must scan.
    let missing: Document[] = [];
    expect(await examined(async () => (missing = await people.find({ citizenId: null }).toArray()))).to.equal(5000);
    expect(missing).to.have.length(1000);
    expect(await examined(() => people.find({ citizenId: 79000000123 }).toArray())).to.equal(5000);
  });

  it('an $or of equalities on one field still unites its points rather than scanning the range between', async function () {
    expect(await examined(() => coll.find({ $or: [{ n: 10 }, { n: 90_000 }] }).toArray())).to.equal(2);
  });

  it('sort + limit on an indexed field walks the index instead of sorting everything', async function () {
    const count = await examined(() => coll.find({}).sort({ n: -1 }).limit(10).toArray());
    expect(count).to.be.at.most(11);
  });

  it('$in on the unique key examines only the listed documents', async function () {
    expect(await examined(() => coll.find({ code: { $in: ['HS-000001', 'HS-099999', 'HS-nope'] } }).toArray())).to.equal(2);
  });

  it('updates and deletes by unique key do not scan either', async function () {
    expect(await examined(() => coll.updateOne({ code: 'HS-000500' }, { $set: { touched: true } }))).to.equal(1);
    expect(await examined(() => coll.findOneAndUpdate({ code: 'HS-000501' }, { $set: { touched: true } }))).to.equal(1);
    expect(await examined(() => coll.deleteOne({ code: 'HS-000502' }))).to.equal(1);
    await coll.insertOne({ _id: 502, code: 'HS-000502', district: 'd22', receivedAt: new Date(1_700_000_000_000 + 502 * 60_000), n: 502, unindexed: 502 } as never);
  });

  it('the same lookup on a field without an index scans the collection (the counter is real)', async function () {
    expect(await examined(() => coll.findOne({ unindexed: 77_777 }))).to.equal(N);
  });

  it('explain reports the index and the documents examined', async function () {
    const plan = (await coll.find({ code: 'HS-012345' }).explain('executionStats')) as unknown as Explained;
    expect(plan.queryPlanner.winningPlan.inputStage?.indexName).to.equal('code_1');
    expect(plan.executionStats.totalDocsExamined).to.equal(1);
    const scan = (await coll.find({ unindexed: 5 }).explain('executionStats')) as unknown as Explained;
    expect(scan.queryPlanner.winningPlan.stage).to.equal('COLLSCAN');
    expect(scan.executionStats.totalDocsExamined).to.equal(N);
  });
});

describe('embedded-mongo: searches by words use the word indexes', function () {
  this.timeout(120_000);
  const M = 20_000;
  let server: EmbeddedMongoInternals;
  let client: MongoClientT;
  let coll: Collection;

  before(async function () {
    server = await startEmbeddedMongo();
    client = await MongoClient.connect(server.uri);
    coll = client.db('scale').collection('words');
    await coll.createIndex({ words: 1 });
    await coll.createIndex({ other: 1 });
    // Every document holds the common word; each rare word is in one document of a thousand.
    const docs = Array.from({ length: M }, (_, i) => ({ _id: i, words: ['common', `w${i % 1000}`], other: [`o${i % 500}`] }));
    await coll.insertMany(docs as never[]);
  });
  after(async function () {
    await client?.close();
    await server?.stop();
  });

  async function examined(op: () => Promise<unknown>): Promise<number> {
    const before = server.engine.stats.docsExamined;
    await op();
    return server.engine.stats.docsExamined - before;
  }

  it('$all looks up its rarest word, not the first', async function () {
    let found: Document[] = [];
    expect(await examined(async () => (found = await coll.find({ words: { $all: ['common', 'w7'] } }).toArray()))).to.equal(M / 1000);
    expect(found).to.have.length(M / 1000);
  });

  it('an $or of one branch uses that branch’s index', async function () {
    expect(await examined(() => coll.find({ $or: [{ words: { $all: ['w7', 'common'] } }] }).toArray())).to.equal(M / 1000);
  });

  it('an $or of several branches unites their index scans, each document once', async function () {
    let found: Document[] = [];
    const n = await examined(async () => (found = await coll.find({ $or: [{ words: 'w7' }, { other: 'o7' }] }).sort({ _id: -1 }).toArray()));
    // w7 is in documents 7, 1007, …; o7 in 7, 507, 1007, …: the 20 of w7 are among the 40 of o7.
    expect(found).to.have.length(M / 500);
    expect(found[0]!._id).to.equal(M - 500 + 7);
    expect(n).to.equal(M / 1000 + M / 500 - M / 1000);
    expect(await coll.countDocuments({ $or: [{ words: 'w7' }, { other: 'o8' }] })).to.equal(M / 1000 + M / 500);
  });

  it('an $or with a branch no index serves still scans, and finds the same', async function () {
    expect(await examined(() => coll.find({ $or: [{ words: 'w7' }, { missing: 1 }] }).toArray())).to.equal(M);
  });
});

describe('embedded-mongo: a search for common words walks the sort order', function () {
  this.timeout(120_000);
  const M = 20_000;
  let server: EmbeddedMongoInternals;
  let client: MongoClientT;
  let coll: Collection;

  before(async function () {
    server = await startEmbeddedMongo();
    client = await MongoClient.connect(server.uri);
    coll = client.db('scale').collection('common');
    await coll.createIndex({ words: 1 });
    await coll.createIndex({ at: -1, _id: -1 });
    // 'vo' is in the oldest 3,000 documents and 'lien' in all from the 2,990th: both common, ten together.
    const docs = Array.from({ length: M }, (_, i) => ({
      _id: i,
      at: new Date(1_700_000_000_000 + i * 60_000),
      words: ['thu', 'hoi', i % 2 ? 'dat' : 'nha', `w${i % 1000}`, ...(i < 3000 ? ['vo'] : []), ...(i >= 2990 ? ['lien'] : [])],
    }));
    await coll.insertMany(docs as never[]);
  });
  after(async function () {
    await client?.close();
    await server?.stop();
  });

  async function examined(op: () => Promise<unknown>): Promise<number> {
    const before = server.engine.stats.docsExamined;
    await op();
    return server.engine.stats.docsExamined - before;
  }

  it('the newest page of a common phrase examines about a page, not every candidate', async function () {
    let page: Document[] = [];
    const n = await examined(async () => (page = await coll.find({ $or: [{ words: { $all: ['thu', 'hoi', 'dat'] } }] }).sort({ at: -1, _id: -1 }).limit(26).toArray()));
    expect(page.map((d) => d._id as number)).to.deep.equal(Array.from({ length: 26 }, (_, k) => M - 1 - 2 * k));
    expect(n).to.be.below(100);
  });

  it('common words that rarely meet are intersected in the index instead of walking every document', async function () {
    let page: Document[] = [];
    const n = await examined(async () => (page = await coll.find({ $or: [{ words: { $all: ['lien', 'vo'] } }] }).sort({ at: -1, _id: -1 }).limit(26).toArray()));
    expect(page.map((d) => d._id as number)).to.deep.equal(Array.from({ length: 10 }, (_, k) => 2999 - k));
    // Only the ten: the words' entries are intersected in the index. The newest-first walk would have
    // visited 17,000 documents before its last match.
    expect(n).to.equal(10);
  });

  it('rare words still use their own index, and counts are right either way', async function () {
    expect(await examined(() => coll.find({ words: { $all: ['w7', 'dat'] } }).sort({ at: -1, _id: -1 }).limit(26).toArray())).to.equal(M / 1000);
    expect(await coll.countDocuments({ $or: [{ words: { $all: ['thu', 'hoi', 'dat'] } }] })).to.equal(M / 2);
    expect(await coll.countDocuments({ words: { $all: ['w7', 'dat'] } })).to.equal(M / 1000);
    expect(await coll.countDocuments({ $and: [{ words: { $all: ['w7'] } }, { words: { $all: ['nha'] } }] })).to.equal(0);
  });
});
