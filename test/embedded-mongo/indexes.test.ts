// Conformance: index management and unique/compound/sparse/partial enforcement on every write path
// (passes against real MongoDB too).
import { expect } from 'chai';
import { type Collection, connectClient, type Db, embeddedOnly, errorOf, indexesOf, indexNames, type MongoClientT, uniqueDbName } from './support.js';

describe('embedded-mongo conformance: indexes', function () {
  let client: MongoClientT;
  let db: Db;
  let coll: Collection;

  before(async function () {
    client = await connectClient();
    db = client.db(uniqueDbName('idx'));
  });
  after(async function () {
    await db.dropDatabase();
    await client.close();
  });
  beforeEach(function () {
    coll = db.collection(`c${Math.random().toString(36).slice(2, 8)}`);
  });

  it('createIndexes / listIndexes / dropIndexes', async function () {
    await coll.createIndex({ email: 1 }, { unique: true });
    await coll.createIndex({ a: 1, b: -1 }, { name: 'ab' });
    const names = await indexNames(coll);
    expect(names).to.deep.equal(['_id_', 'email_1', 'ab']);
    const spec = (await indexesOf(coll)).find((i) => i.name === 'email_1');
    expect(spec).to.deep.include({ key: { email: 1 }, unique: true, v: 2 });
    await coll.dropIndex('ab');
    expect(await indexNames(coll)).to.deep.equal(['_id_', 'email_1']);
    await coll.dropIndexes();
    expect(await indexNames(coll)).to.deep.equal(['_id_']);
  });

  it('creating an existing index again is a no-op; the _id index cannot be dropped', async function () {
    await coll.createIndex({ x: 1 });
    const again = await db.command({ createIndexes: coll.collectionName, indexes: [{ key: { x: 1 }, name: 'x_1' }] });
    expect(again.numIndexesBefore).to.equal(again.numIndexesAfter);
    const err = await errorOf(coll.dropIndex('_id_'));
    expect(err.code).to.equal(72);
  });

  it('listIndexes on a missing collection is NamespaceNotFound (26)', async function () {
    const err = await errorOf(db.collection('nope_never').listIndexes().toArray());
    expect(err.code).to.equal(26);
  });

  it('E11000 has keyPattern, keyValue and mongod’s message format', async function () {
    await coll.createIndex({ email: 1 }, { unique: true });
    await coll.insertOne({ email: 'lan@hdnd.vn' });
    const err = await errorOf(coll.insertOne({ email: 'lan@hdnd.vn' }));
    expect(err.code).to.equal(11000);
    expect(err.keyPattern).to.deep.equal({ email: 1 });
    expect(err.keyValue).to.deep.equal({ email: 'lan@hdnd.vn' });
    expect(err.message).to.equal(`E11000 duplicate key error collection: ${db.databaseName}.${coll.collectionName} index: email_1 dup key: { email: "lan@hdnd.vn" }`);
  });

  it('unique index is enforced on update, upsert, replace and findAndModify', async function () {
    await coll.createIndex({ k: 1 }, { unique: true });
    await coll.insertMany([{ _id: 1, k: 'a' }, { _id: 2, k: 'b' }] as never[]);
    expect((await errorOf(coll.updateOne({ _id: 2 } as never, { $set: { k: 'a' } }))).code).to.equal(11000);
    expect((await errorOf(coll.updateOne({ k: 'zz' }, { $set: { k: 'a' } }, { upsert: true }))).code).to.equal(11000);
    expect((await errorOf(coll.replaceOne({ _id: 2 } as never, { k: 'a' }))).code).to.equal(11000);
    expect((await errorOf(coll.findOneAndUpdate({ _id: 2 } as never, { $set: { k: 'a' } }))).code).to.equal(11000);
    expect((await errorOf(coll.updateMany({}, { $set: { k: 'same' } }))).code).to.equal(11000);
    expect((await coll.find().sort({ _id: 1 }).toArray()).map((d) => d.k as unknown)).to.deep.equal(['same', 'b']);
  });

  it('compound unique indexes compare the whole key; missing fields count as null', async function () {
    await coll.createIndex({ a: 1, b: 1 }, { unique: true });
    await coll.insertMany([{ a: 1, b: 1 }, { a: 1, b: 2 }, { a: 2, b: 1 }, { a: 3 }]);
    expect((await errorOf(coll.insertOne({ a: 1, b: 2 }))).code).to.equal(11000);
    expect((await errorOf(coll.insertOne({ a: 3, b: null }))).code).to.equal(11000);
  });

  it('unique index over an array field: each element is a key', async function () {
    await coll.createIndex({ tags: 1 }, { unique: true });
    await coll.insertOne({ tags: ['x', 'y'] });
    await coll.insertOne({ tags: ['z', 'z'] });
    expect((await errorOf(coll.insertOne({ tags: ['q', 'y'] }))).code).to.equal(11000);
  });

  it('a unique index with a case-insensitive collation treats case variants as duplicates', async function () {
    await coll.createIndex({ email: 1 }, { unique: true, collation: { locale: 'en', strength: 2 } });
    await coll.insertOne({ email: 'Lan@HDND.vn' });
    expect((await errorOf(coll.insertOne({ email: 'lan@hdnd.vn' }))).code).to.equal(11000);
    await coll.insertOne({ email: 'lan2@hdnd.vn' });
    const found = await coll.find({ email: 'LAN@hdnd.VN' }, { collation: { locale: 'en', strength: 2 } }).toArray();
    expect(found.map((d) => d.email as unknown)).to.deep.equal(['Lan@HDND.vn']);
  });

  it('sparse unique indexes skip documents without the field', async function () {
    await coll.createIndex({ code: 1 }, { unique: true, sparse: true });
    await coll.insertMany([{ n: 1 }, { n: 2 }, { code: 'A' }]);
    expect((await errorOf(coll.insertOne({ code: 'A' }))).code).to.equal(11000);
  });

  it('partial unique indexes only constrain matching documents', async function () {
    await coll.createIndex({ email: 1 }, { unique: true, partialFilterExpression: { active: true } });
    await coll.insertMany([{ email: 'e', active: false }, { email: 'e', active: false }, { email: 'e', active: true }]);
    expect((await errorOf(coll.insertOne({ email: 'e', active: true }))).code).to.equal(11000);
    expect((await errorOf(coll.updateOne({ active: false }, { $set: { active: true } }))).code).to.equal(11000);
    const spec = (await indexesOf(coll)).find((i) => i.name === 'email_1');
    expect(spec?.partialFilterExpression).to.deep.equal({ active: true });
  });

  it('a unique index over existing duplicates fails with 11000 and is not created', async function () {
    await coll.insertMany([{ k: 1 }, { k: 1 }]);
    const err = await errorOf(coll.createIndex({ k: 1 }, { unique: true }));
    expect(err.code).to.equal(11000);
    expect(await indexNames(coll)).to.deep.equal(['_id_']);
    await coll.insertOne({ k: 1 });
    expect(await coll.countDocuments({ k: 1 })).to.equal(3);
  });

  it('queries on indexed fields return the same results as without the index', async function () {
    const docs = Array.from({ length: 200 }, (_, i) => ({ _id: i, a: i % 13, s: `s${i % 7}`, d: new Date(1_700_000_000_000 + (i % 11) * 1000) }));
    await coll.insertMany(docs as never[]);
    const queries = [{ a: 5 }, { a: { $in: [1, 2, 12] } }, { a: { $gte: 3, $lt: 6 } }, { s: { $gt: 's3' } }, { d: { $lte: new Date(1_700_000_004_000) } }];
    const before = await Promise.all(queries.map((q) => coll.find(q).sort({ a: -1, _id: 1 }).toArray()));
    await coll.createIndex({ a: 1 });
    await coll.createIndex({ s: -1, a: 1 });
    await coll.createIndex({ d: 1 });
    const after = await Promise.all(queries.map((q) => coll.find(q).sort({ a: -1, _id: 1 }).toArray()));
    expect(after).to.deep.equal(before);
  });

  it('text and geo indexes are refused with a clear error (embedded only: real MongoDB supports them)', async function () {
    embeddedOnly(this);
    const err = await errorOf(coll.createIndex({ body: 'text' }));
    expect(err.code).to.be.a('number');
    expect(err.message).to.match(/text/);
  });
});
