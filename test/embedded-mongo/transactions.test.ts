// Conformance: multi-document transactions and concurrent clients (passes against a real
// MongoDB replica set too).
import { expect } from 'chai';
import { connectClient, errorOf, uniqueDbName, waitFor, type Collection, type Db, type MongoClientT } from './support.js';

describe('embedded-mongo conformance: transactions and concurrency', function () {
  let client: MongoClientT;
  let other: MongoClientT;
  let db: Db;
  let coll: Collection;

  before(async function () {
    client = await connectClient();
    other = await connectClient();
    db = client.db(uniqueDbName('txn'));
  });
  after(async function () {
    await db.dropDatabase();
    await Promise.all([client.close(), other.close()]);
  });
  beforeEach(async function () {
    coll = db.collection(`c${Math.random().toString(36).slice(2, 8)}`);
    await coll.insertOne({ _id: 'acct', balance: 100 } as never);
    await coll.createIndex({ k: 1 }, { unique: true, sparse: true });
  });

  it('commits all writes together', async function () {
    const session = client.startSession();
    try {
      await session.withTransaction(async () => {
        await coll.updateOne({ _id: 'acct' } as never, { $inc: { balance: -30 } }, { session });
        await coll.insertOne({ _id: 'log1', amount: 30 } as never, { session });
        await coll.insertMany([{ k: 'x' }, { k: 'y' }], { session });
      });
    } finally {
      await session.endSession();
    }
    expect((await coll.findOne({ _id: 'acct' } as never))?.balance).to.equal(70);
    expect(await coll.countDocuments()).to.equal(4);
  });

  it('abort discards every write', async function () {
    const session = client.startSession();
    session.startTransaction();
    await coll.updateOne({ _id: 'acct' } as never, { $set: { balance: 0 } }, { session });
    await coll.insertOne({ _id: 'tmp' } as never, { session });
    await coll.deleteOne({ _id: 'acct' } as never, { session });
    await session.abortTransaction();
    await session.endSession();
    expect(await coll.find().toArray()).to.deep.equal([{ _id: 'acct', balance: 100 }]);
  });

  it('reads inside a transaction see its own writes; others do not see them until commit', async function () {
    const session = client.startSession();
    session.startTransaction();
    await coll.insertOne({ _id: 'new', k: 'n' } as never, { session });
    await coll.updateOne({ _id: 'acct' } as never, { $set: { balance: 1 } }, { session });
    expect(await coll.countDocuments({}, { session })).to.equal(2);
    expect((await coll.findOne({ _id: 'acct' } as never, { session }))?.balance).to.equal(1);
    expect(await coll.find({ k: 'n' }, { session }).toArray()).to.have.length(1);
    const agg = await coll.aggregate([{ $group: { _id: null, s: { $sum: '$balance' } } }], { session }).toArray();
    expect(agg[0]?.s).to.equal(1);
    const outside = other.db(db.databaseName).collection(coll.collectionName);
    expect(await outside.countDocuments()).to.equal(1);
    expect((await outside.findOne({ _id: 'acct' } as never))?.balance).to.equal(100);
    await session.commitTransaction();
    await session.endSession();
    expect(await outside.countDocuments()).to.equal(2);
  });

  it('a duplicate key inside a transaction fails it and leaves nothing behind', async function () {
    await coll.insertOne({ k: 'taken' });
    const session = client.startSession();
    try {
      const err = await errorOf(
        session.withTransaction(async () => {
          await coll.insertOne({ _id: 'a1' } as never, { session });
          await coll.insertOne({ k: 'taken' }, { session });
        }),
      );
      expect(err.code).to.equal(11000);
    } finally {
      await session.endSession();
    }
    expect(await coll.countDocuments({ _id: 'a1' } as never)).to.equal(0);
  });

  it('checks unique keys against the transaction’s own writes, and lets it swap keys', async function () {
    await coll.insertMany([{ _id: 'p', k: 'one' }, { _id: 'q', k: 'two' }] as never[]);
    const session = client.startSession();
    try {
      session.startTransaction();
      await coll.insertMany(Array.from({ length: 300 }, (_, i) => ({ k: `bulk-${i}` })), { session });
      const err = await errorOf(coll.insertOne({ k: 'bulk-7' }, { session }));
      expect(err.code).to.equal(11000);
      await session.abortTransaction().catch(() => undefined);
      await session.withTransaction(async () => {
        await coll.updateOne({ _id: 'p' } as never, { $set: { k: 'tmp' } }, { session });
        await coll.updateOne({ _id: 'q' } as never, { $set: { k: 'one' } }, { session });
        await coll.updateOne({ _id: 'p' } as never, { $set: { k: 'two' } }, { session });
      });
    } finally {
      await session.endSession();
    }
    expect(await coll.countDocuments({ k: /^bulk-/ })).to.equal(0);
    const keys = (await coll.find({ _id: { $in: ['p', 'q'] } } as never).sort({ _id: 1 }).toArray()).map((d) => d.k as unknown);
    expect(keys).to.deep.equal(['two', 'one']);
  });

  it('a second transaction writing the same document gets 112 WriteConflict with TransientTransactionError', async function () {
    const s1 = client.startSession();
    const s2 = other.startSession();
    const c2 = other.db(db.databaseName).collection(coll.collectionName);
    try {
      s1.startTransaction();
      await coll.updateOne({ _id: 'acct' } as never, { $inc: { balance: 1 } }, { session: s1 });
      s2.startTransaction();
      const err = await errorOf(c2.updateOne({ _id: 'acct' } as never, { $inc: { balance: 1 } }, { session: s2 }));
      expect(err.code).to.equal(112);
      expect(err.errorLabels).to.include('TransientTransactionError');
      await s2.abortTransaction().catch(() => undefined);
      await s1.commitTransaction();
    } finally {
      await Promise.all([s1.endSession(), s2.endSession()]);
    }
    expect((await coll.findOne({ _id: 'acct' } as never))?.balance).to.equal(101);
  });

  it('withTransaction retries a conflicting transaction until it succeeds', async function () {
    const s1 = client.startSession();
    const s2 = other.startSession();
    const c2 = other.db(db.databaseName).collection(coll.collectionName);
    let attempts = 0;
    try {
      s1.startTransaction();
      await coll.updateOne({ _id: 'acct' } as never, { $inc: { balance: 10 } }, { session: s1 });
      const retried = s2.withTransaction(async () => {
        attempts++;
        await c2.updateOne({ _id: 'acct' } as never, { $inc: { balance: 5 } }, { session: s2 });
      });
      await waitFor(() => attempts >= 2, 10_000, 'the second transaction to be retried');
      await s1.commitTransaction();
      await retried;
    } finally {
      await Promise.all([s1.endSession(), s2.endSession()]);
    }
    expect(attempts).to.be.greaterThan(1);
    expect((await coll.findOne({ _id: 'acct' } as never))?.balance).to.equal(115);
  });

  it('two clients racing to insert the same unique key: exactly one wins, every time', async function () {
    const c2 = other.db(db.databaseName).collection(coll.collectionName);
    for (let i = 0; i < 25; i++) {
      const results = await Promise.allSettled([coll.insertOne({ k: `race-${i}`, by: 1 }), c2.insertOne({ k: `race-${i}`, by: 2 })]);
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(won).to.have.length(1);
      expect((lost[0]?.reason as { code?: number }).code).to.equal(11000);
    }
    expect(await coll.countDocuments({ k: /^race-/ })).to.equal(25);
  });

  it('concurrent lease-style findOneAndUpdate hands each job to exactly one worker', async function () {
    await coll.insertMany(Array.from({ length: 30 }, (_, i) => ({ job: i, state: 'ready' })));
    const c2 = other.db(db.databaseName).collection(coll.collectionName);
    const claim = async (c: Collection, worker: string): Promise<number[]> => {
      const mine: number[] = [];
      for (;;) {
        const doc = await c.findOneAndUpdate({ state: 'ready' }, { $set: { state: 'leased', worker } }, { sort: { job: 1 }, returnDocument: 'after' });
        if (!doc) return mine;
        mine.push(doc.job as number);
      }
    };
    const [a, b] = await Promise.all([claim(coll, 'a'), claim(c2, 'b')]);
    expect([...a, ...b].sort((x, y) => x - y)).to.deep.equal(Array.from({ length: 30 }, (_, i) => i));
  });
});
