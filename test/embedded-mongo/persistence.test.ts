// Journal, snapshots and data-directory handling of the embedded server (self-contained: starts its
// own servers, so it also runs when TEST_MONGODB_URI is set).
import { expect } from 'chai';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedMongo, type EmbeddedMongoInternals } from '../../server/embedded-mongo/index.js';
import { Engine } from '../../server/embedded-mongo/storage/engine.js';
import { decodeFrames, encodeFrame } from '../../server/embedded-mongo/storage/frames.js';
import { openDataDir } from '../../server/embedded-mongo/storage/persistence.js';
import { errorOf, indexNames, MongoClient, type MongoClientT } from './support.js';

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

describe('embedded-mongo: journal and snapshots', function () {
  this.timeout(60_000);
  let root: string;
  let dirCount = 0;
  const newDir = (): string => path.join(root, `d${dirCount++}`);

  before(async function () {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'embedded-mongo-persist-'));
  });
  after(async function () {
    await fs.rm(root, { recursive: true, force: true });
  });

  async function open(dir: string, journalCompactBytes?: number): Promise<{ server: EmbeddedMongoInternals; client: MongoClientT }> {
    const server = await startEmbeddedMongo({ dataDir: dir, journalCompactBytes });
    return { server, client: await MongoClient.connect(server.uri) };
  }
  async function close(s: { server: EmbeddedMongoInternals; client: MongoClientT }): Promise<void> {
    await s.client.close();
    await s.server.stop();
  }

  describe('frames', function () {
    it('decodes complete frames and stops at a torn or corrupt one', function () {
      const a = encodeFrame([{ x: 1 }, { y: 'two' }]);
      const b = encodeFrame([{ z: new Date(5) }]);
      const whole = decodeFrames(Buffer.concat([a, b]));
      expect(whole.problem).to.equal(null);
      expect(whole.frames).to.deep.equal([[{ x: 1 }, { y: 'two' }], [{ z: new Date(5) }]]);
      const torn = decodeFrames(Buffer.concat([a, b.subarray(0, b.length - 3)]));
      expect(torn.frames).to.have.length(1);
      expect(torn.validBytes).to.equal(a.length);
      const flipped = Buffer.concat([a, b]);
      flipped.writeUInt8(flipped.readUInt8(flipped.length - 2) ^ 0xff, flipped.length - 2);
      const corrupt = decodeFrames(flipped);
      expect([corrupt.frames.length, corrupt.problem]).to.deep.equal([1, 'checksum mismatch']);
    });
  });

  it('restores documents, index definitions and catalog changes after a clean restart', async function () {
    const dir = newDir();
    let s = await open(dir);
    const db = s.client.db('app');
    await db.collection('users').createIndex({ email: 1 }, { unique: true });
    await db.collection('users').createIndex({ code: 1 }, { unique: true, partialFilterExpression: { code: { $type: 'string' } }, name: 'code_partial' });
    await db.collection('users').createIndex({ at: 1 }, { expireAfterSeconds: 3600 });
    await db.collection('users').createIndex({ tmp: 1 });
    await db.collection('users').dropIndex('tmp_1');
    await db.collection('users').insertMany([{ email: 'a', code: 'X', at: new Date() }, { email: 'b' }]);
    await db.collection('users').updateOne({ email: 'b' }, { $set: { name: 'Bình' } });
    await db.collection('users').deleteOne({ email: 'a' });
    await db.collection('gone').insertOne({});
    await db.collection('gone').drop();
    await db.collection('old').insertOne({ o: 1 });
    await db.renameCollection('old', 'renamed');
    await s.client.db('dropped').collection('x').insertOne({});
    await s.client.db('dropped').dropDatabase();
    await close(s);

    s = await open(dir);
    const db2 = s.client.db('app');
    expect(await db2.collection('users').find({}, { projection: { _id: 0 } }).toArray()).to.deep.equal([{ email: 'b', name: 'Bình' }]);
    const names = await indexNames(db2.collection('users'));
    expect(names).to.deep.equal(['_id_', 'email_1', 'code_partial', 'at_1']);
    expect((await errorOf(db2.collection('users').insertOne({ email: 'b' }))).code).to.equal(11000);
    const collections = (await db2.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).sort();
    expect(collections).to.deep.equal(['renamed', 'users']);
    const dbs = (await s.client.db('admin').admin().listDatabases({ nameOnly: true })).databases.map((d) => d.name);
    expect(dbs).to.not.include('dropped');
    await close(s);
  });

  it('compacts the journal into a snapshot without losing writes made during compaction', async function () {
    const dir = newDir();
    let s = await open(dir, 64 * 1024);
    const coll = s.client.db('c').collection('docs');
    await coll.createIndex({ k: 1 }, { unique: true });
    // Concurrent writers keep writing while compactions start and finish.
    await Promise.all(
      Array.from({ length: 4 }, async (_, w) => {
        for (let i = 0; i < 250; i++) await coll.insertOne({ k: `${w}-${i}`, pad: 'p'.repeat(200) });
      }),
    );
    await coll.updateMany({}, { $set: { touched: true } });
    await s.server.compact();
    await coll.insertOne({ k: 'after-compaction' });
    const files = await fs.readdir(dir);
    expect(files).to.include('snapshot.bson');
    expect(files.filter((f) => f.startsWith('journal-'))).to.have.length(1);
    await close(s);

    s = await open(dir);
    const c2 = s.client.db('c').collection('docs');
    expect(await c2.countDocuments()).to.equal(1001);
    expect(await c2.countDocuments({ touched: true })).to.equal(1000);
    expect((await errorOf(c2.insertOne({ k: '0-0' }))).code).to.equal(11000);
    await close(s);
  });

  it('refuses to start on a damaged snapshot instead of starting empty', async function () {
    const dir = newDir();
    const s = await open(dir);
    await s.client.db('d').collection('x').insertOne({ a: 1 });
    await s.server.compact();
    await close(s);
    const snap = path.join(dir, 'snapshot.bson');
    const bytes = await fs.readFile(snap);
    await fs.writeFile(snap, bytes.subarray(0, bytes.length - 5));
    const err = await errorOf(startEmbeddedMongo({ dataDir: dir }));
    expect(err.message).to.match(/snapshot .* is damaged/);
    // ...and releases the lock, so the operator can restore a backup and start again.
    expect(await fs.readdir(dir)).to.not.include('LOCK');
  });

  it('takes over the lock of a process that died, and refuses one that is alive', async function () {
    const dir = newDir();
    await fs.mkdir(dir, { recursive: true });
    await fs.writeFile(path.join(dir, 'LOCK'), '999999999');
    const dd = await openDataDir(dir, new Engine(), silent);
    const twice = await errorOf(openDataDir(dir, new Engine(), silent));
    expect(twice.message).to.match(/in use by this process/);
    await dd.close();
    // A LOCK with our own pid that we do not hold is left over from a previous run (pid 1 in containers).
    await fs.writeFile(path.join(dir, 'LOCK'), String(process.pid));
    await (await openDataDir(dir, new Engine(), silent)).close();
    await fs.writeFile(path.join(dir, 'LOCK'), String(process.ppid));
    const busy = await errorOf(openDataDir(dir, new Engine(), silent));
    expect(busy.message).to.match(/in use by process/);
  });
});
