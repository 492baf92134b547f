// Bulk loading into the embedded server (the seeder's fast path): what it stores is what an insert over
// the wire would have stored; a batch goes in whole or not at all; the loaded documents are durable
// after a checkpoint or a clean stop, and a crash before either loses them and nothing else.
// Self-contained: starts its own servers, so it also runs when TEST_MONGODB_URI is set.
import { expect } from 'chai';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedMongo, type EmbeddedMongoInternals } from '../../server/embedded-mongo/index.js';
import { errorOf, MongoClient, ObjectId, type MongoClientT } from './support.js';

/** Documents with every kind of value the app stores; a fresh copy each call. */
function sampleDocs(): Record<string, unknown>[] {
  return [
    { _id: 1, name: 'Nguyễn Thị Ánh', at: new Date('2026-03-05T02:00:00Z'), tags: ['khiếu nại', 'đất đai'], n: 3, x: 2.5, big: 2 ** 40, nested: { a: [1, { b: null }] } },
    { _id: 2, owner: new ObjectId('65f0a0a0a0a0a0a0a0a0a0a0'), empty: [], obj: {}, flag: false, gone: undefined },
    { name: 'id given by the server', _id: 3 },
  ];
}

describe('embedded-mongo: bulk load', function () {
  this.timeout(60_000);
  let root: string;
  let dirCount = 0;
  const newDir = (): string => path.join(root, `d${dirCount++}`);
  const open: { server: EmbeddedMongoInternals; client: MongoClientT }[] = [];

  before(async function () {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'embedded-mongo-bulk-'));
  });
  afterEach(async function () {
    for (const s of open.splice(0)) {
      await s.client.close();
      await s.server.stop();
    }
  });
  after(async function () {
    await fs.rm(root, { recursive: true, force: true });
  });

  async function start(dataDir: string | null): Promise<{ server: EmbeddedMongoInternals; client: MongoClientT }> {
    const server = await startEmbeddedMongo({ dataDir });
    const s = { server, client: await MongoClient.connect(server.uri) };
    open.push(s);
    return s;
  }

  /** What a crash would leave on disk now: the data directory's files, without the lock. */
  async function crashCopy(dir: string): Promise<string> {
    const copy = newDir();
    await fs.mkdir(copy);
    for (const name of await fs.readdir(dir)) if (name !== 'LOCK') await fs.copyFile(path.join(dir, name), path.join(copy, name));
    return copy;
  }

  it('stores exactly what an insert over the wire stores', async function () {
    const { server, client } = await start(null);
    const db = client.db('app');
    await db.collection('wire').insertMany(sampleDocs());
    expect(await server.bulkLoad('app', 'loaded', sampleDocs())).to.equal(3);
    const wire = await db.collection('wire').find().sort({ _id: 1 }).toArray();
    const loaded = await db.collection('loaded').find().sort({ _id: 1 }).toArray();
    expect(loaded).to.deep.equal(wire);
    // _id first, as MongoDB keeps it; an undefined field as the driver sends it (null).
    expect(Object.keys(loaded[2]!)).to.deep.equal(['_id', 'name']);
    expect(loaded[1]).to.have.property('gone', null);
    // Indexed like any other document.
    await db.collection('loaded').createIndex({ name: 1 });
    expect(await db.collection('loaded').countDocuments({ name: 'Nguyễn Thị Ánh' })).to.equal(1);
  });

  it('gives a document without an _id one, first, as an insert does', async function () {
    const { server, client } = await start(null);
    await server.bulkLoad('app', 'c', [{ name: 'no id' }]);
    const [doc] = await client.db('app').collection('c').find().toArray();
    expect(doc!._id).to.be.instanceOf(ObjectId);
    expect(Object.keys(doc!)).to.deep.equal(['_id', 'name']);
  });

  it('shares nothing with the caller’s objects', async function () {
    const { server, client } = await start(null);
    const docs = sampleDocs();
    await server.bulkLoad('app', 'c', docs);
    (docs[0]!.tags as string[]).push('changed afterwards');
    (docs[0]!.nested as { a: unknown[] }).a.length = 0;
    const stored = await client.db('app').collection('c').findOne({ _id: 1 as never });
    expect(stored).to.deep.include({ tags: ['khiếu nại', 'đất đai'], nested: { a: [1, { b: null }] } });
  });

  it('loads a batch whole or not at all', async function () {
    const { server, client } = await start(null);
    const coll = client.db('app').collection('c');
    await coll.createIndex({ code: 1 }, { unique: true });
    await coll.insertOne({ _id: 1 as never, code: 'A' });
    const againstStored = await errorOf(server.bulkLoad('app', 'c', [{ _id: 2, code: 'B' }, { _id: 1, code: 'C' }]));
    expect(againstStored.code).to.equal(11000);
    const withinBatch = await errorOf(server.bulkLoad('app', 'c', [{ _id: 3, code: 'D' }, { _id: 4, code: 'D' }]));
    expect(withinBatch.code).to.equal(11000);
    expect(await coll.find().project({ _id: 1, code: 1 }).toArray()).to.deep.equal([{ _id: 1, code: 'A' }]);
    // The unique index holds no trace of the undone documents: their codes are free again.
    expect(await server.bulkLoad('app', 'c', [{ _id: 2, code: 'B' }, { _id: 3, code: 'D' }])).to.equal(2);
    expect(await coll.countDocuments({})).to.equal(3);
  });

  it('refuses the system databases and names it cannot hold', async function () {
    const { server } = await start(null);
    expect((await errorOf(server.bulkLoad('admin', 'c', [{ a: 1 }]))).codeName).to.equal('InvalidNamespace');
    expect((await errorOf(server.bulkLoad('app', '$bad', [{ a: 1 }]))).codeName).to.equal('InvalidNamespace');
  });

  it('is durable after a checkpoint; a crash before it loses the loaded documents and nothing else', async function () {
    const dir = newDir();
    const { server, client } = await start(dir);
    const coll = client.db('app').collection('c');
    await coll.insertOne({ _id: 'before' as never });
    await server.bulkLoad('app', 'c', sampleDocs());
    await coll.insertOne({ _id: 'after' as never });
    const crashedBefore = await crashCopy(dir);
    await server.checkpoint();
    const crashedAfter = await crashCopy(dir);

    const ids = async (d: string): Promise<unknown[]> => {
      const s = await start(d);
      return (await s.client.db('app').collection('c').find().sort({ _id: 1 }).toArray()).map((x) => x._id);
    };
    expect(await ids(crashedBefore)).to.deep.equal(['after', 'before']);
    expect(await ids(crashedAfter)).to.deep.equal([1, 2, 3, 'after', 'before']);
  });

  it('writes a snapshot on a clean stop when documents were loaded since the last checkpoint', async function () {
    const dir = newDir();
    const server = await startEmbeddedMongo({ dataDir: dir });
    await server.bulkLoad('app', 'c', sampleDocs());
    await server.stop();
    const { client } = await start(dir);
    expect(await client.db('app').collection('c').countDocuments({})).to.equal(3);
  });
});
