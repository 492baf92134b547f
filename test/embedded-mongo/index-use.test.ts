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
