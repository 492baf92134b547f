// TTL indexes (embedded only: real MongoDB's TTL monitor runs every 60 s, too slow for a test).
import { expect } from 'chai';
import { connectClient, embeddedOnly, uniqueDbName, waitFor, type Db, type MongoClientT } from './support.js';

describe('embedded-mongo: TTL expiry (embedded only: real MongoDB sweeps every 60 s)', function () {
  let client: MongoClientT;
  let db: Db;

  before(async function () {
    embeddedOnly(this);
    client = await connectClient();
    db = client.db(uniqueDbName('ttl'));
  });
  after(async function () {
    if (!client) return;
    await db.dropDatabase();
    await client.close();
  });

  it('removes documents once their date is older than expireAfterSeconds, and only those', async function () {
    const c = db.collection('leases');
    await c.createIndex({ expiresAt: 1 }, { expireAfterSeconds: 0 });
    await c.createIndex({ createdAt: 1 }, { expireAfterSeconds: 3600 });
    const now = Date.now();
    await c.insertMany([
      { _id: 'past', expiresAt: new Date(now - 1000) },
      { _id: 'soon', expiresAt: new Date(now + 700) },
      { _id: 'future', expiresAt: new Date(now + 3_600_000) },
      { _id: 'array', expiresAt: [new Date(now + 3_600_000), new Date(now - 5000)] },
      { _id: 'not-a-date', expiresAt: 'yesterday' },
      { _id: 'missing' },
      { _id: 'old-created', createdAt: new Date(now - 2 * 3_600_000) },
      { _id: 'new-created', createdAt: new Date(now) },
    ] as never[]);
    const ids = async (): Promise<string[]> => (await c.find({}, { projection: { _id: 1 } }).toArray()).map((d) => String(d._id)).sort();
    await waitFor(async () => (await ids()).length === 4, 5000, 'expired documents to be swept');
    expect(await ids()).to.deep.equal(['future', 'missing', 'new-created', 'not-a-date']);
  });
});
