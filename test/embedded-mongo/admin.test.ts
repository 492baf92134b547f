// Conformance: handshake, catalog and error-reply behaviour (passes against real MongoDB too).
import { expect } from 'chai';
import { connectClient, type Db, errorOf, indexNames, type MongoClientT, uniqueDbName } from './support.js';

describe('embedded-mongo conformance: server and catalog commands', function () {
  let client: MongoClientT;
  let db: Db;

  before(async function () {
    client = await connectClient();
    db = client.db(uniqueDbName('admin'));
  });
  after(async function () {
    await db.dropDatabase();
    await client.close();
  });

  it('hello advertises a writable primary with sessions and a supported wire version', async function () {
    const hello = await client.db('admin').command({ hello: 1 });
    expect(hello.isWritablePrimary).to.equal(true);
    expect(hello.logicalSessionTimeoutMinutes).to.be.a('number');
    expect(hello.maxWireVersion).to.be.at.least(8);
    expect(hello.maxBsonObjectSize).to.equal(16 * 1024 * 1024);
    expect(hello.maxMessageSizeBytes).to.equal(48_000_000);
    expect(typeof hello.setName).to.equal('string');
  });

  it('ping and buildInfo answer', async function () {
    expect((await client.db('admin').command({ ping: 1 })).ok).to.equal(1);
    const info = await client.db('admin').command({ buildInfo: 1 });
    expect(info.version).to.match(/^\d+\.\d+/);
    expect(info.versionArray).to.be.an('array');
  });

  it('an unknown command is error 59 CommandNotFound and the connection keeps working', async function () {
    const err = await errorOf(db.command({ frobnicate: 1 }));
    expect(err.code).to.equal(59);
    expect(err.codeName).to.equal('CommandNotFound');
    expect((await db.command({ ping: 1 })).ok).to.equal(1);
  });

  it('create makes an empty collection; creating it again is NamespaceExists (48)', async function () {
    await db.createCollection('made');
    expect((await db.listCollections({ name: 'made' }).toArray()).map((c) => c.name)).to.deep.equal(['made']);
    const err = await errorOf(db.command({ create: 'made' }));
    expect(err.code).to.equal(48);
  });

  it('listCollections filters by name and supports nameOnly', async function () {
    await db.collection('la').insertOne({});
    await db.collection('lb').insertOne({});
    const all = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
    expect(all).to.include.members(['la', 'lb']);
    const one = await db.listCollections({ name: 'la' }).toArray();
    expect(one).to.have.length(1);
    expect(one[0]).to.deep.include({ name: 'la', type: 'collection' });
    const re = (await db.listCollections({ name: { $regex: '^l[ab]$' } }, { nameOnly: true }).toArray()).map((c) => c.name).sort();
    expect(re).to.deep.equal(['la', 'lb']);
  });

  it('drop removes a collection with its indexes', async function () {
    const c = db.collection('dropme');
    await c.createIndex({ x: 1 });
    await c.insertOne({ x: 1 });
    expect(await c.drop()).to.equal(true);
    expect(await db.listCollections({ name: 'dropme' }).toArray()).to.deep.equal([]);
    await c.insertOne({ x: 2 });
    expect(await indexNames(c)).to.deep.equal(['_id_']);
  });

  it('listDatabases lists a database once it has data; dropDatabase removes it', async function () {
    const name = uniqueDbName('gone');
    const other = client.db(name);
    await other.collection('x').insertOne({ a: 1 });
    const listed = await client.db('admin').admin().listDatabases({ nameOnly: true });
    expect(listed.databases.map((d) => d.name)).to.include(name);
    await other.dropDatabase();
    const after = await client.db('admin').admin().listDatabases({ nameOnly: true });
    expect(after.databases.map((d) => d.name)).to.not.include(name);
  });

  it('renameCollection moves documents and indexes', async function () {
    await db.collection('from').createIndex({ k: 1 }, { unique: true });
    await db.collection('from').insertOne({ k: 1 });
    await db.renameCollection('from', 'to');
    expect(await db.collection('to').countDocuments()).to.equal(1);
    expect(await indexNames(db.collection('to'))).to.deep.equal(['_id_', 'k_1']);
    expect(await db.listCollections({ name: 'from' }).toArray()).to.deep.equal([]);
  });
});
