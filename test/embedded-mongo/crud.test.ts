// Conformance: CRUD commands through the raw driver (passes against real MongoDB too).
import { expect } from 'chai';
import { Binary, type Collection, connectClient, cursorCommand, type CursorReply, type Db, type Document, errorOf, type MongoClientT, ObjectId, uniqueDbName } from './support.js';

describe('embedded-mongo conformance: CRUD through the driver', function () {
  let client: MongoClientT;
  let db: Db;
  let coll: Collection;

  before(async function () {
    client = await connectClient();
    db = client.db(uniqueDbName('crud'));
  });
  after(async function () {
    await db.dropDatabase();
    await client.close();
  });
  beforeEach(function () {
    coll = db.collection(`c${Math.random().toString(36).slice(2, 8)}`);
  });

  describe('insert', function () {
    it('generates an ObjectId _id first in the document and returns it', async function () {
      const r = await coll.insertOne({ a: 1 });
      expect(r.insertedId).to.be.instanceOf(ObjectId);
      const raw = await coll.findOne({ a: 1 });
      expect(Object.keys(raw ?? {})).to.deep.equal(['_id', 'a']);
    });

    it('keeps BSON types (Date, ObjectId, Binary, nested arrays/objects, null)', async function () {
      const doc = { _id: 'x', d: new Date(1_700_000_000_000), o: new ObjectId(), b: new Binary(Buffer.from([1, 2, 3])), n: null, arr: [1, 'two', { three: 3 }], nested: { deep: { v: 1.5 } } };
      await coll.insertOne(doc as never);
      const back = await coll.findOne({ _id: 'x' as never });
      expect(back?.d).to.deep.equal(doc.d);
      expect(String(back?.o)).to.equal(String(doc.o));
      expect(Buffer.from((back?.b as { buffer: Uint8Array }).buffer)).to.deep.equal(Buffer.from([1, 2, 3]));
      expect(back?.n).to.equal(null);
      expect(back?.arr).to.deep.equal(doc.arr);
      expect(back?.nested).to.deep.equal(doc.nested);
    });

    it('ordered insertMany stops at the first duplicate; writeErrors carry index and code 11000', async function () {
      const err = await errorOf(coll.insertMany([{ _id: 1 }, { _id: 2 }, { _id: 1 }, { _id: 3 }] as never[]));
      expect(err.code).to.equal(11000);
      expect(await coll.countDocuments()).to.equal(2);
    });

    it('unordered insertMany inserts every valid document and reports each failure', async function () {
      try {
        await coll.insertMany([{ _id: 1 }, { _id: 1 }, { _id: 2 }, { _id: 2 }, { _id: 3 }] as never[], { ordered: false });
        expect.fail('should have thrown');
      } catch (e) {
        const err = e as { code: number; writeErrors: { index: number; code: number }[]; insertedCount: number; result: { insertedCount: number } };
        expect(err.code).to.equal(11000);
        const indexes = (Array.isArray(err.writeErrors) ? err.writeErrors : [err.writeErrors]).map((w) => w.index);
        expect(indexes).to.deep.equal([1, 3]);
        expect(err.result.insertedCount).to.equal(3);
      }
      expect(await coll.countDocuments()).to.equal(3);
    });

    it('the raw insert reply counts successes in n and lists writeErrors', async function () {
      await coll.insertOne({ _id: 5 } as never);
      const reply = (await db.command({ insert: coll.collectionName, documents: [{ _id: 5 }, { _id: 6 }], ordered: false })) as { n: number; writeErrors: { index: number; code: number; errmsg: string }[] };
      expect(reply.n).to.equal(1);
      expect(reply.writeErrors).to.have.length(1);
      expect(reply.writeErrors[0]).to.include({ index: 0, code: 11000 });
      expect(reply.writeErrors[0]?.errmsg).to.match(/^E11000 duplicate key error collection: \S+ index: _id_ dup key: \{ _id: 5 \}$/);
    });

    it('rejects an array _id', async function () {
      const err = await errorOf(coll.insertOne({ _id: [1, 2] } as never));
      expect(err.code).to.be.oneOf([2, 53]);
    });
  });

  describe('find', function () {
    beforeEach(async function () {
      await coll.insertMany([
        { _id: 1, name: 'an', age: 30, tags: ['a', 'b'], city: { name: 'Hà Nội' } },
        { _id: 2, name: 'bình', age: 25, tags: ['b'], city: { name: 'Huế' } },
        { _id: 3, name: 'chi', age: 35, tags: [], city: { name: 'Hà Nội' } },
        { _id: 4, name: 'dũng', age: null },
        { _id: 5, name: 'em' },
      ] as never[]);
    });

    it('filters with comparison, logical, element, array and regex operators', async function () {
      const ids = async (f: Document): Promise<unknown[]> => (await coll.find(f).sort({ _id: 1 }).toArray()).map((d) => d._id);
      expect(await ids({ age: { $gte: 30 } })).to.deep.equal([1, 3]);
      expect(await ids({ age: null })).to.deep.equal([4, 5]);
      expect(await ids({ age: { $exists: false } })).to.deep.equal([5]);
      expect(await ids({ tags: 'b' })).to.deep.equal([1, 2]);
      expect(await ids({ tags: { $size: 0 } })).to.deep.equal([3]);
      expect(await ids({ 'city.name': 'Hà Nội' })).to.deep.equal([1, 3]);
      expect(await ids({ $or: [{ age: 25 }, { name: /^e/ }] })).to.deep.equal([2, 5]);
      expect(await ids({ name: { $in: ['an', 'chi', 'zz'] } })).to.deep.equal([1, 3]);
      expect(await ids({ age: { $type: 'number' } })).to.deep.equal([1, 2, 3]);
      expect(await ids({ tags: { $elemMatch: { $eq: 'a' } } })).to.deep.equal([1]);
      expect(await ids({ $expr: { $gt: ['$age', 29] } })).to.deep.equal([1, 3]);
    });

    it('sorts (with null/missing first ascending), skips, limits and projects', async function () {
      const docs = await coll.find({}, { projection: { name: 1, _id: 0 } }).sort({ age: 1, _id: 1 }).skip(1).limit(3).toArray();
      expect(docs).to.deep.equal([{ name: 'em' }, { name: 'bình' }, { name: 'an' }]);
      const desc = await coll.find({}, { projection: { age: 1 } }).sort({ age: -1 }).limit(2).toArray();
      expect(desc.map((d) => d._id)).to.deep.equal([3, 1]);
    });

    it('sorts mixed types in BSON order: missing/null, numbers, strings, objects, arrays, ObjectId, booleans, dates', async function () {
      const c = db.collection(`mixed${Math.random().toString(36).slice(2, 8)}`);
      const oid = new ObjectId('65a000000000000000000000');
      await c.insertMany([
        { _id: 'date', v: new Date(0) },
        { _id: 'true', v: true },
        { _id: 'false', v: false },
        { _id: 'oid', v: oid },
        { _id: 'array', v: [[9]] },
        { _id: 'object', v: { a: 1 } },
        { _id: 'string', v: 'abc' },
        { _id: 'number', v: 2.5 },
        { _id: 'int', v: -7 },
        { _id: 'null', v: null },
        { _id: 'missing' },
      ] as never[]);
      const order = (await c.find().sort({ v: 1, _id: 1 }).toArray()).map((d) => d._id);
      expect(order).to.deep.equal(['missing', 'null', 'int', 'number', 'string', 'object', 'array', 'oid', 'false', 'true', 'date']);
      const desc = (await c.find().sort({ v: -1, _id: 1 }).toArray()).map((d) => d._id);
      expect(desc).to.deep.equal(['date', 'true', 'false', 'oid', 'array', 'object', 'string', 'number', 'int', 'missing', 'null']);
    });

    it('sorts arrays by their smallest element ascending and largest descending', async function () {
      const c = db.collection(`arr${Math.random().toString(36).slice(2, 8)}`);
      await c.insertMany([{ _id: 'a', v: [5, 1] }, { _id: 'b', v: 3 }, { _id: 'c', v: [2, 9] }] as never[]);
      expect((await c.find().sort({ v: 1 }).toArray()).map((d) => d._id)).to.deep.equal(['a', 'c', 'b']);
      expect((await c.find().sort({ v: -1 }).toArray()).map((d) => d._id)).to.deep.equal(['c', 'a', 'b']);
    });

    it('accepts exclusion projections and hint/collation/comment options', async function () {
      const d = await coll.findOne({ _id: 1 } as never, { projection: { tags: 0, city: 0 } });
      expect(d).to.deep.equal({ _id: 1, name: 'an', age: 30 });
      const all = await coll.find({}, { hint: { _id: 1 }, comment: 'c' }).toArray();
      expect(all).to.have.length(5);
      const ci = await coll.find({ name: 'AN' }, { collation: { locale: 'en', strength: 2 } }).toArray();
      expect(ci.map((x) => x._id)).to.deep.equal([1]);
    });

    it('an unknown query operator is error 2 BadValue and the server keeps serving', async function () {
      const err = await errorOf(coll.find({ age: { $foo: 1 } }).toArray());
      expect(err.code).to.equal(2);
      expect(await coll.countDocuments()).to.equal(5);
    });

    it('$text without a text index is refused with a clear error', async function () {
      const err = await errorOf(coll.find({ $text: { $search: 'an' } }).toArray());
      expect(err.code).to.equal(27);
    });
  });

  describe('cursors', function () {
    it('getMore walks thousands of documents in batches with Int64 cursor ids', async function () {
      const docs = Array.from({ length: 5000 }, (_, i) => ({ _id: i, v: i % 7 }));
      await coll.insertMany(docs as never[]);
      const batches: number[] = [];
      const listener = (ev: { commandName: string; reply: Document }): void => {
        if (ev.commandName === 'getMore') batches.push((ev.reply as CursorReply).cursor.nextBatch?.length ?? 0);
      };
      const monitored = await connectClient({ monitorCommands: true });
      try {
        monitored.on('commandSucceeded', listener);
        const seen = await monitored.db(db.databaseName).collection(coll.collectionName).find({}, { batchSize: 300 }).sort({ _id: 1 }).toArray();
        expect(seen.map((d) => d._id)).to.deep.equal(docs.map((d) => d._id));
        expect(batches.length).to.be.at.least(16);
        expect(batches.every((n) => n <= 300)).to.equal(true);
      } finally {
        await monitored.close();
      }
    });

    it('singleBatch/negative limit returns one batch and closes the cursor', async function () {
      await coll.insertMany(Array.from({ length: 50 }, (_, i) => ({ _id: i })) as never[]);
      const reply = await cursorCommand(db, { find: coll.collectionName, batchSize: 10, singleBatch: true });
      expect(reply.cursor.firstBatch).to.have.length(10);
      expect(Number(reply.cursor.id)).to.equal(0);
    });

    it('killCursors kills an open cursor; getMore on it then fails with CursorNotFound (43)', async function () {
      await coll.insertMany(Array.from({ length: 20 }, (_, i) => ({ _id: i })) as never[]);
      const first = await cursorCommand(db, { find: coll.collectionName, batchSize: 5 });
      const id = first.cursor.id;
      expect(String(id)).to.not.equal('0');
      const killed = (await db.command({ killCursors: coll.collectionName, cursors: [id] })) as { cursorsKilled: unknown[] };
      expect(killed.cursorsKilled.map(String)).to.deep.equal([String(id)]);
      const err = await errorOf(db.command({ getMore: id, collection: coll.collectionName }));
      expect(err.code).to.equal(43);
    });
  });

  describe('update', function () {
    beforeEach(async function () {
      await coll.insertMany([
        { _id: 1, n: 1, items: [{ sku: 'a', qty: 1 }, { sku: 'b', qty: 5 }], scores: [1, 5, 9] },
        { _id: 2, n: 2, items: [{ sku: 'b', qty: 2 }], scores: [2] },
      ] as never[]);
    });

    it('updateOne/updateMany report matched and modified counts (no-op updates are not modified)', async function () {
      const one = await coll.updateOne({ _id: 1 } as never, { $set: { n: 1 } });
      expect([one.matchedCount, one.modifiedCount]).to.deep.equal([1, 0]);
      const many = await coll.updateMany({}, { $inc: { n: 10 } });
      expect([many.matchedCount, many.modifiedCount]).to.deep.equal([2, 2]);
      expect((await coll.find().sort({ _id: 1 }).toArray()).map((d) => d.n as unknown)).to.deep.equal([11, 12]);
    });

    it('upsert inserts from the filter equality fields plus $set/$setOnInsert', async function () {
      const r = await coll.updateOne({ key: 'k1', kind: { $eq: 'x' } }, { $set: { v: 1 }, $setOnInsert: { created: true } }, { upsert: true });
      expect(r.upsertedCount).to.equal(1);
      const doc = await coll.findOne({ _id: r.upsertedId } as never);
      expect(doc).to.deep.include({ key: 'k1', kind: 'x', v: 1, created: true });
      const again = await coll.updateOne({ key: 'k1' }, { $set: { v: 2 }, $setOnInsert: { created: false } }, { upsert: true });
      expect([again.matchedCount, again.upsertedCount]).to.deep.equal([1, 0]);
      expect(await coll.findOne({ key: 'k1' })).to.deep.include({ v: 2, created: true });
    });

    it('supports the positional $ operator and arrayFilters', async function () {
      await coll.updateOne({ _id: 1, 'items.sku': 'b' } as never, { $inc: { 'items.$.qty': 10 } });
      await coll.updateOne({ _id: 1 } as never, { $set: { 'scores.$[big]': 0 } }, { arrayFilters: [{ big: { $gt: 4 } }] });
      const doc = await coll.findOne({ _id: 1 } as never);
      expect(doc?.items).to.deep.equal([{ sku: 'a', qty: 1 }, { sku: 'b', qty: 15 }]);
      expect(doc?.scores).to.deep.equal([1, 0, 0]);
    });

    it('applies every path of an update with filtered positional paths even when one changes what the filter tested', async function () {
      await coll.insertOne({ _id: 50, requests: [{ id: 'r1', decision: null, note: null, at: null }, { id: 'r2', decision: null, note: null, at: null }] } as never);
      // The filter matches only while r1 is undecided; setting r1's decision must not stop its note and date being written.
      const r = await coll.updateOne(
        { _id: 50, requests: { $elemMatch: { id: 'r1', decision: null } } } as never,
        { $set: { 'requests.$[r].decision': 'granted', 'requests.$[r].note': 'Đồng ý', 'requests.$[r].at': 7 } },
        { arrayFilters: [{ 'r.id': 'r1' }] },
      );
      expect(r.modifiedCount).to.equal(1);
      const doc = await coll.findOne({ _id: 50 } as never);
      expect(doc?.requests).to.deep.equal([{ id: 'r1', decision: 'granted', note: 'Đồng ý', at: 7 }, { id: 'r2', decision: null, note: null, at: null }]);
      // The same with a plain '$', whose element only the query can find: the field it tests is written last.
      await coll.updateOne({ _id: 50, 'requests.id': 'r2' } as never, { $set: { 'requests.$.id': 'r2b', 'requests.$.note': 'Từ chối' } });
      const again = (await coll.findOne({ _id: 50 } as never)) as { requests: unknown[] } | null;
      expect(again?.requests[1]).to.deep.equal({ id: 'r2b', decision: null, note: 'Từ chối', at: null });
    });

    it('supports $push with $each/$sort/$slice, $addToSet, $pull, $unset, $rename, $min/$max, $mul, $currentDate', async function () {
      await coll.updateOne({ _id: 2 } as never, {
        $push: { scores: { $each: [7, 3], $sort: -1, $slice: 2 } } as never,
        $addToSet: { tags: 'x' },
        $unset: { items: '' },
        $rename: { n: 'count' },
        $currentDate: { touched: true },
      });
      await coll.updateOne({ _id: 2 } as never, { $addToSet: { tags: 'x' }, $max: { count: 10 }, $mul: { factor: 2 } });
      const doc = await coll.findOne({ _id: 2 } as never);
      expect(doc?.scores).to.deep.equal([7, 3]);
      expect(doc?.tags).to.deep.equal(['x']);
      expect(doc).to.not.have.property('items');
      expect(doc?.count).to.equal(10);
      expect(doc?.factor).to.equal(0);
      expect(doc?.touched).to.be.instanceOf(Date);
      await coll.updateOne({ _id: 1 } as never, { $pull: { scores: { $gte: 5 } } as never });
      expect((await coll.findOne({ _id: 1 } as never))?.scores).to.deep.equal([1]);
    });

    it('supports pipeline-style updates', async function () {
      await coll.updateMany({}, [{ $set: { total: { $sum: '$scores' } } }]);
      expect((await coll.find().sort({ _id: 1 }).toArray()).map((d) => d.total as unknown)).to.deep.equal([15, 2]);
    });

    it('replaceOne keeps _id and refuses to change it (66 ImmutableField)', async function () {
      await coll.replaceOne({ _id: 2 } as never, { replaced: true });
      expect(await coll.findOne({ _id: 2 } as never)).to.deep.equal({ _id: 2, replaced: true });
      const err = await errorOf(coll.replaceOne({ _id: 2 } as never, { _id: 3, x: 1 }));
      expect(err.code).to.equal(66);
    });

    it('$inc on a string is a TypeMismatch (14) and changes nothing', async function () {
      await coll.insertOne({ _id: 9, s: 'text' } as never);
      const err = await errorOf(coll.updateOne({ _id: 9 } as never, { $inc: { s: 1 } }));
      expect(err.code).to.equal(14);
      expect((await coll.findOne({ _id: 9 } as never))?.s).to.equal('text');
    });

    it('an unknown update operator is refused', async function () {
      const err = await errorOf(coll.updateOne({ _id: 1 } as never, { $frob: { n: 1 } }));
      expect(err.code).to.equal(9);
    });
  });

  describe('delete', function () {
    it('deleteOne removes one match (limit 1), deleteMany all (limit 0)', async function () {
      await coll.insertMany([{ k: 1 }, { k: 1 }, { k: 1 }, { k: 2 }]);
      expect((await coll.deleteOne({ k: 1 })).deletedCount).to.equal(1);
      expect((await coll.deleteMany({ k: 1 })).deletedCount).to.equal(2);
      expect(await coll.countDocuments()).to.equal(1);
      expect((await coll.deleteMany({ k: 99 })).deletedCount).to.equal(0);
    });
  });

  describe('findAndModify', function () {
    beforeEach(async function () {
      await coll.insertMany([
        { _id: 1, q: 'job', pri: 2, state: 'new' },
        { _id: 2, q: 'job', pri: 9, state: 'new' },
      ] as never[]);
    });

    it('findOneAndUpdate picks by sort, returns before or after, and projects', async function () {
      const before = await coll.findOneAndUpdate({ q: 'job' }, { $set: { state: 'leased' } }, { sort: { pri: -1 }, returnDocument: 'before', projection: { state: 1 } });
      expect(before).to.deep.equal({ _id: 2, state: 'new' });
      const after = await coll.findOneAndUpdate({ q: 'job', state: 'new' }, { $set: { state: 'leased' } }, { returnDocument: 'after' });
      expect(after).to.deep.include({ _id: 1, state: 'leased' });
      const none = await coll.findOneAndUpdate({ q: 'job', state: 'new' }, { $set: { state: 'leased' } });
      expect(none).to.equal(null);
    });

    it('upserts, reporting the new document', async function () {
      const r = await coll.findOneAndUpdate({ q: 'other' }, { $set: { state: 'new' } }, { upsert: true, returnDocument: 'after', includeResultMetadata: true });
      expect(r.lastErrorObject).to.deep.include({ n: 1, updatedExisting: false });
      expect(r.value).to.deep.include({ q: 'other', state: 'new' });
    });

    it('findOneAndDelete and findOneAndReplace', async function () {
      const del = await coll.findOneAndDelete({ q: 'job' }, { sort: { pri: 1 } });
      expect(del?._id).to.equal(1);
      const rep = await coll.findOneAndReplace({ _id: 2 } as never, { q: 'done' }, { returnDocument: 'after' });
      expect(rep).to.deep.equal({ _id: 2, q: 'done' });
    });
  });

  describe('count and distinct', function () {
    it('count (with query, skip, limit) and distinct (unwinding arrays)', async function () {
      await coll.insertMany([{ t: ['a', 'b'], n: 1 }, { t: 'b', n: 2 }, { t: ['c'], n: 3 }, { n: 4 }]);
      expect(await coll.countDocuments({ n: { $gt: 1 } })).to.equal(3);
      expect(await coll.countDocuments({ n: { $gt: 0 } }, { skip: 1, limit: 2 })).to.equal(2);
      expect(await coll.countDocuments({ n: { $gt: 0 } }, { skip: 3 })).to.equal(1);
      expect(await coll.countDocuments({ n: 99 })).to.equal(0);
      expect(await coll.estimatedDocumentCount()).to.equal(4);
      const c = await db.command({ count: coll.collectionName, query: { n: { $gt: 0 } }, skip: 1, limit: 2 });
      expect(c.n).to.equal(2);
      expect((await coll.distinct('t')).sort()).to.deep.equal(['a', 'b', 'c']);
      expect((await coll.distinct('n', { n: { $lt: 3 } })).sort()).to.deep.equal([1, 2]);
    });
  });
});
