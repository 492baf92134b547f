// Conformance: the top-level `mongodb` 7.x driver (what connect-mongo uses when given a mongoUrl)
// also works (passes against real MongoDB too).
import { expect } from 'chai';
import { MongoClient } from 'mongodb';
import { getTestMongoUri } from '../support/db.js';
import { uniqueDbName } from './support.js';

describe('embedded-mongo conformance: mongodb driver 7', function () {
  it('connects, writes in bulk and in a transaction, and reads back', async function () {
    const client = await MongoClient.connect(await getTestMongoUri(), { serverSelectionTimeoutMS: 10_000 });
    const db = client.db(uniqueDbName('driver7'));
    try {
      const coll = db.collection<{ k: number; tag?: string }>('items');
      await coll.createIndex({ k: 1 }, { unique: true });
      const bulk = await coll.bulkWrite([{ insertOne: { document: { k: 1 } } }, { insertOne: { document: { k: 2 } } }, { updateMany: { filter: {}, update: { $set: { tag: 'x' } } } }]);
      expect([bulk.insertedCount, bulk.modifiedCount]).to.deep.equal([2, 2]);
      const session = client.startSession();
      try {
        await session.withTransaction(async () => {
          await coll.insertOne({ k: 3 }, { session });
          await coll.deleteOne({ k: 1 }, { session });
        });
      } finally {
        await session.endSession();
      }
      expect((await coll.find({}, { projection: { _id: 0 } }).sort({ k: 1 }).toArray()).map((d) => d.k)).to.deep.equal([2, 3]);
      const dup = await coll.insertOne({ k: 2 }).then(
        () => null,
        (e: { code?: number }) => e.code,
      );
      expect(dup).to.equal(11000);
    } finally {
      await db.dropDatabase();
      await client.close();
    }
  });
});
