// Conformance: express-session's store API through connect-mongo (passes against real MongoDB;
// the TTL clean-up check waits for the server's TTL sweep, which real MongoDB runs every 60 s).
import { expect } from 'chai';
import MongoStore from 'connect-mongo';
import type { SessionData } from 'express-session';
import { connectClient, embeddedOnly, indexesOf, type MongoClientT, uniqueDbName, usingExternalMongo, waitFor } from './support.js';

type Cb<T> = (err: unknown, value?: T) => void;
function call<T>(fn: (cb: Cb<T>) => void): Promise<T | undefined> {
  return new Promise((resolve, reject) => fn((err, value) => (err ? reject(err instanceof Error ? err : new Error('store callback failed')) : resolve(value))));
}

describe('embedded-mongo conformance: connect-mongo sessions', function () {
  let client: MongoClientT;
  let dbName: string;
  let store: MongoStore;

  before(async function () {
    client = await connectClient();
    dbName = uniqueDbName('sessions');
    // connect-mongo is typed against the top-level mongodb 7 package; at runtime it only calls the
    // client it is given (mongoose's driver).
    store = MongoStore.create({ client: client, dbName, ttl: 1, autoRemove: 'native', stringify: false });
  });
  after(async function () {
    await client.db(dbName).dropDatabase();
    await client.close();
  });

  const session = (user: string): SessionData => ({ cookie: { originalMaxAge: null, httpOnly: true, path: '/' }, user }) as unknown as SessionData;

  it('stores, reads, touches and destroys a session', async function () {
    await call<void>((cb) => store.set('sid-1', session('lan'), cb));
    const got = await call<SessionData | null>((cb) => store.get('sid-1', cb));
    expect(got).to.deep.include({ user: 'lan' });
    await call<void>((cb) => store.set('sid-1', session('hoa'), cb));
    expect(await call<SessionData | null>((cb) => store.get('sid-1', cb))).to.deep.include({ user: 'hoa' });
    await call<void>((cb) => store.touch('sid-1', session('hoa'), cb));
    await call<void>((cb) => store.destroy('sid-1', cb));
    expect(await call<SessionData | null>((cb) => store.get('sid-1', cb))).to.equal(null);
  });

  it('an expired session is no longer returned', async function () {
    await call<void>((cb) => store.set('sid-2', session('minh'), cb));
    expect(await call<SessionData | null>((cb) => store.get('sid-2', cb))).to.deep.include({ user: 'minh' });
    await new Promise((r) => setTimeout(r, 1300));
    expect(await call<SessionData | null>((cb) => store.get('sid-2', cb))).to.equal(null);
    const index = (await indexesOf(client.db(dbName).collection('sessions'))).find((i) => i.expireAfterSeconds === 0);
    expect(index?.key).to.deep.equal({ expires: 1 });
  });

  it('the TTL index deletes the expired session document (embedded only: real MongoDB sweeps every 60 s)', async function () {
    embeddedOnly(this);
    expect(usingExternalMongo()).to.equal(false);
    await call<void>((cb) => store.set('sid-3', session('tuan'), cb));
    const sessions = client.db(dbName).collection('sessions');
    expect(await sessions.countDocuments({ _id: 'sid-3' } as never)).to.equal(1);
    await waitFor(async () => (await sessions.countDocuments({ _id: 'sid-3' } as never)) === 0, 5000, 'the TTL sweep to remove the session');
  });
});
