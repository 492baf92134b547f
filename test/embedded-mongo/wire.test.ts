// Wire protocol edge cases over a raw TCP socket, against an embedded server started here (its own
// replies and logs are asserted, so it does not use TEST_MONGODB_URI). Bad input gets an error reply or a closed connection, and the server keeps
// serving everyone else.
import { expect } from 'chai';
import { BSON } from 'bson';
import net from 'node:net';
import { startEmbeddedMongo, type EmbeddedMongoInternals } from '../../server/embedded-mongo/index.js';
import { MongoClient, type MongoClientT } from './support.js';

const OP_REPLY = 1;
const OP_QUERY = 2004;
const OP_MSG = 2013;

function header(length: number, requestId: number, opCode: number): Buffer {
  const h = Buffer.alloc(16);
  h.writeInt32LE(length, 0);
  h.writeInt32LE(requestId, 4);
  h.writeInt32LE(0, 8);
  h.writeInt32LE(opCode, 12);
  return h;
}

function opMsg(requestId: number, body: object, opts: { flags?: number; sequence?: { id: string; docs: object[] }; checksum?: boolean } = {}): Buffer {
  const parts: Buffer[] = [];
  const flags = Buffer.alloc(4);
  flags.writeUInt32LE((opts.flags ?? 0) | (opts.checksum ? 1 : 0));
  parts.push(flags, Buffer.from([0]), Buffer.from(BSON.serialize(body)));
  if (opts.sequence) {
    const docs = opts.sequence.docs.map((d) => Buffer.from(BSON.serialize(d)));
    const id = Buffer.from(`${opts.sequence.id}\0`);
    const size = Buffer.alloc(4);
    size.writeInt32LE(4 + id.length + docs.reduce((n, d) => n + d.length, 0));
    parts.push(Buffer.from([1]), size, id, ...docs);
  }
  if (opts.checksum) parts.push(Buffer.alloc(4)); // any value: the server tolerates, not verifies, it
  const rest = Buffer.concat(parts);
  return Buffer.concat([header(16 + rest.length, requestId, OP_MSG), rest]);
}

function opQuery(requestId: number, ns: string, query: object): Buffer {
  const rest = Buffer.concat([Buffer.alloc(4), Buffer.from(`${ns}\0`), Buffer.from([0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]), Buffer.from(BSON.serialize(query))]);
  return Buffer.concat([header(16 + rest.length, requestId, OP_QUERY), rest]);
}

/** A raw connection that collects replies and notices when the server closes it. */
class RawClient {
  private buf = Buffer.alloc(0);
  private waiters: ((m: Buffer) => void)[] = [];
  closed: Promise<void>;

  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (d: Buffer) => {
      this.buf = Buffer.concat([this.buf, d]);
      while (this.buf.length >= 4 && this.buf.length >= this.buf.readInt32LE(0)) {
        const len = this.buf.readInt32LE(0);
        const m = this.buf.subarray(0, len);
        this.buf = this.buf.subarray(len);
        this.waiters.shift()?.(m);
      }
    });
    this.closed = new Promise((resolve) => socket.on('close', () => resolve()));
    socket.on('error', () => undefined);
  }

  static async connect(port: number): Promise<RawClient> {
    const s = net.connect(port, '127.0.0.1');
    await new Promise((resolve, reject) => s.once('connect', resolve).once('error', reject));
    return new RawClient(s);
  }

  send(b: Buffer): void {
    this.socket.write(b);
  }

  reply(timeoutMs = 3000): Promise<{ opCode: number; responseTo: number; doc: Record<string, unknown> }> {
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('no reply')), timeoutMs);
      this.waiters.push((m) => {
        clearTimeout(t);
        const opCode = m.readInt32LE(12);
        const start = opCode === OP_REPLY ? 36 : 21;
        resolve({ opCode, responseTo: m.readInt32LE(8), doc: BSON.deserialize(m.subarray(start)) });
      });
    });
  }

  destroy(): void {
    this.socket.destroy();
  }
}

describe('embedded-mongo: wire protocol robustness (own embedded server)', function () {
  let server: EmbeddedMongoInternals;
  const warnings: string[] = [];
  let healthy: MongoClientT;

  before(async function () {
    server = await startEmbeddedMongo({ logger: { info: () => undefined, warn: (_o, m) => warnings.push(m ?? ''), error: (_o, m) => warnings.push(`error: ${m ?? ''}`) } });
    healthy = await MongoClient.connect(server.uri);
  });
  after(async function () {
    await healthy.close();
    await server.stop();
  });

  async function stillServing(): Promise<void> {
    expect((await healthy.db('admin').command({ ping: 1 })).ok).to.equal(1);
  }

  it('answers the legacy OP_QUERY isMaster handshake with OP_REPLY', async function () {
    const c = await RawClient.connect(server.port);
    c.send(opQuery(7, 'admin.$cmd', { isMaster: 1, helloOk: true }));
    const r = await c.reply();
    expect(r.opCode).to.equal(OP_REPLY);
    expect(r.responseTo).to.equal(7);
    expect(r.doc).to.include({ ismaster: true, ok: 1, helloOk: true });
    c.destroy();
  });

  it('accepts kind-1 document sequences, the checksum flag, and moreToCome (no reply)', async function () {
    const c = await RawClient.connect(server.port);
    c.send(opMsg(1, { insert: 'seq', $db: 'wire' }, { sequence: { id: 'documents', docs: [{ _id: 1 }, { _id: 2 }] }, checksum: true }));
    expect((await c.reply()).doc).to.include({ n: 2, ok: 1 });
    c.send(opMsg(2, { insert: 'seq', documents: [{ _id: 3 }], $db: 'wire' }, { flags: 2 }));
    c.send(opMsg(3, { count: 'seq', $db: 'wire' }));
    const r = await c.reply();
    expect(r.responseTo).to.equal(3);
    expect(r.doc).to.include({ n: 3, ok: 1 });
    c.destroy();
  });

  it('an unknown command gets code 59 over the raw protocol too', async function () {
    const c = await RawClient.connect(server.port);
    c.send(opMsg(4, { noSuchThing: 1, $db: 'wire' }));
    expect((await c.reply()).doc).to.include({ ok: 0, code: 59, codeName: 'CommandNotFound' });
    c.destroy();
  });

  it('a message with a corrupt BSON body gets an error reply and the connection stays usable', async function () {
    const c = await RawClient.connect(server.port);
    const good = opMsg(5, { ping: 1, $db: 'admin' });
    const bad = Buffer.from(good);
    bad.writeInt32LE(9999, 21); // BSON length that overruns the message
    c.send(bad);
    const r = await c.reply();
    expect(r.responseTo).to.equal(5);
    expect(r.doc).to.include({ ok: 0, code: 9 });
    c.send(opMsg(6, { ping: 1, $db: 'admin' }));
    expect((await c.reply()).doc).to.include({ ok: 1 });
    c.destroy();
    await stillServing();
  });

  it('an unknown opcode gets an error reply', async function () {
    const c = await RawClient.connect(server.port);
    const m = Buffer.concat([header(20, 8, 9999), Buffer.alloc(4)]);
    c.send(m);
    expect((await c.reply()).doc).to.include({ ok: 0 });
    c.destroy();
  });

  it('an oversized message (> 48 MB announced) closes only that connection, and is logged', async function () {
    const c = await RawClient.connect(server.port);
    c.send(header(60_000_000, 9, OP_MSG));
    await c.closed;
    expect(warnings.some((w) => /invalid message length/.test(w))).to.equal(true);
    await stillServing();
  });

  it('garbage bytes and a negative length close the connection; the server keeps serving', async function () {
    const c = await RawClient.connect(server.port);
    c.send(Buffer.from([0xff, 0xff, 0xff, 0xff, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]));
    await c.closed;
    await stillServing();
  });

  it('a truncated message followed by a disconnect leaves no trace', async function () {
    const c = await RawClient.connect(server.port);
    c.send(opMsg(10, { ping: 1, $db: 'admin' }).subarray(0, 20));
    c.destroy();
    await new Promise((r) => setTimeout(r, 50));
    await stillServing();
  });

  it('many clients in parallel each get their own replies', async function () {
    const clients = await Promise.all(Array.from({ length: 8 }, () => connectClientTo(server.uri)));
    try {
      await Promise.all(
        clients.map(async (cl, i) => {
          const c = cl.db('wire').collection('parallel');
          for (let j = 0; j < 25; j++) await c.insertOne({ client: i, j });
        }),
      );
      const counts = await healthy.db('wire').collection('parallel').aggregate([{ $group: { _id: '$client', n: { $sum: 1 } } }]).toArray();
      expect(counts.map((x) => x.n as unknown)).to.deep.equal(Array(8).fill(25));
    } finally {
      await Promise.all(clients.map((cl) => cl.close()));
    }
  });

  it('refuses to bind a non-loopback address', async function () {
    let error: unknown;
    try {
      await startEmbeddedMongo({ host: '0.0.0.0' });
    } catch (err) {
      error = err;
    }
    expect(String(error)).to.match(/loopback/);
  });
});

function connectClientTo(uri: string): Promise<MongoClientT> {
  return MongoClient.connect(uri);
}
