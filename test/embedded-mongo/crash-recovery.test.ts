// Crash recovery of the standalone server (spawns `scripts/db.ts` and kills it; self-contained, so it
// also runs when TEST_MONGODB_URI points the other suites at a real MongoDB).
// Every acknowledged write must survive `kill -9`; nothing that was never sent may appear; a torn
// or corrupt final journal record is ignored, never fatal.
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { decodeFrames } from '../../server/embedded-mongo/storage/frames.js';
import { indexesOf, MongoClient, type MongoClientT } from './support.js';

interface Running {
  child: ChildProcess;
  uri: string;
}

function startStandalone(dataDir: string, env: Record<string, string> = {}): Promise<Running> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/db.ts'], {
    // TSX_DISABLE_CACHE: other processes compiling the same files must not hand us a half-written cache entry.
    env: { ...process.env, DB_PORT: '0', DB_DATA_DIR: dataDir, LOG_LEVEL: 'info', TSX_DISABLE_CACHE: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`standalone server did not start:\n${out}`)), 20_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      for (const line of out.split('\n')) {
        const m = /"msg":"embedded MongoDB ready[^"]*"/.test(line) ? (JSON.parse(line) as { uri?: string }) : null;
        if (m?.uri) {
          clearTimeout(timer);
          resolve({ child, uri: m.uri });
          return;
        }
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`standalone server exited with ${String(code)}:\n${out}`));
    });
  });
}

async function kill(r: Running, signal: NodeJS.Signals): Promise<void> {
  if (r.child.exitCode !== null || r.child.signalCode !== null) return;
  const exited = new Promise((resolve) => r.child.once('exit', resolve));
  r.child.kill(signal);
  await exited;
}

async function connect(uri: string): Promise<MongoClientT> {
  return MongoClient.connect(uri, { retryWrites: false, serverSelectionTimeoutMS: 1500, maxPoolSize: 8 });
}

async function lastJournal(dir: string): Promise<string> {
  const names = (await fs.readdir(dir)).filter((n) => /^journal-\d{8}\.log$/.test(n)).sort();
  const last = names[names.length - 1];
  if (!last) throw new Error('no journal file');
  return path.join(dir, last);
}

describe('embedded-mongo: crash recovery of the standalone server', function () {
  this.timeout(90_000);
  let root: string;
  const running: Running[] = [];

  before(async function () {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'embedded-mongo-crash-'));
  });
  afterEach(async function () {
    for (const r of running.splice(0)) await kill(r, 'SIGKILL');
  });
  after(async function () {
    if (root) await fs.rm(root, { recursive: true, force: true });
  });

  it('keeps every acknowledged write across kill -9 (with compactions during the run), and nothing else', async function () {
    const dir = path.join(root, 'a');
    const first = await startStandalone(dir, { DB_JOURNAL_COMPACT_MB: '0.2' });
    running.push(first);
    const client = await connect(first.uri);
    const coll = client.db('crash').collection('docs');
    await coll.createIndex({ seq: 1 }, { unique: true });

    const attempted = new Set<number>();
    const acked = new Set<number>();
    let counterAttempted = 0;
    let counterAcked = 0;
    let stop = false;
    const writer = async (w: number): Promise<void> => {
      for (let i = 0; !stop; i++) {
        const seq = w * 1_000_000 + i;
        attempted.add(seq);
        try {
          await coll.insertOne({ seq, pad: 'x'.repeat(300) });
          acked.add(seq);
        } catch {
          return;
        }
      }
    };
    const counter = async (): Promise<void> => {
      while (!stop) {
        counterAttempted++;
        try {
          await coll.updateOne({ _id: 'counter' } as never, { $inc: { n: 1 } }, { upsert: true });
          counterAcked++;
        } catch {
          return;
        }
      }
    };
    const workers = [writer(1), writer(2), writer(3), writer(4), counter()];
    while (acked.size < 2000) await new Promise((r) => setTimeout(r, 20));
    await kill(first, 'SIGKILL');
    stop = true;
    await Promise.allSettled(workers);
    await client.close(true);

    const files = await fs.readdir(dir);
    expect(files, 'a snapshot was written during the run').to.include('snapshot.bson');

    const second = await startStandalone(dir);
    running.push(second);
    const client2 = await connect(second.uri);
    try {
      const c2 = client2.db('crash').collection('docs');
      const present = new Set((await c2.find({ seq: { $exists: true } }, { projection: { seq: 1 } }).toArray()).map((d) => d.seq as number));
      const lost = [...acked].filter((s) => !present.has(s));
      const phantom = [...present].filter((s) => !attempted.has(s));
      expect(lost, 'acknowledged writes lost').to.deep.equal([]);
      expect(phantom, 'documents nobody wrote').to.deep.equal([]);
      const n = ((await c2.findOne({ _id: 'counter' } as never))?.n as number | undefined) ?? 0;
      expect(n).to.be.within(counterAcked, counterAttempted);
      const indexes = await indexesOf(c2);
      expect(indexes.find((i) => i.name === 'seq_1')).to.deep.include({ unique: true });
      const dup = await c2.insertOne({ seq: [...acked][0] }).then(
        () => null,
        (e: { code?: number }) => e.code,
      );
      expect(dup, 'the unique index is enforced after recovery').to.equal(11000);
    } finally {
      await client2.close();
    }
    await kill(second, 'SIGTERM');
  });

  it('ignores a torn or corrupt final journal record and keeps working after it', async function () {
    const dir = path.join(root, 'b');
    const first = await startStandalone(dir);
    running.push(first);
    let client = await connect(first.uri);
    await client.db('torn').collection('docs').insertMany(Array.from({ length: 10 }, (_, i) => ({ _id: i })) as never[]);
    await client.close();
    await kill(first, 'SIGKILL');

    const journal = await lastJournal(dir);
    // The journal is preallocated with zeros past its last record: the data ends where they start.
    const decoded = decodeFrames(await fs.readFile(journal));
    expect(decoded.problem).to.equal(null);
    const goodSize = decoded.validBytes;
    // Written where the next record would go: a complete-looking frame with a wrong checksum, then
    // a frame cut off mid-way (as if the machine died while writing them).
    const payload = Buffer.from('this is not what was written');
    const badCrc = Buffer.alloc(8);
    badCrc.writeUInt32LE(payload.length, 0);
    badCrc.writeUInt32LE((crc32(payload) + 1) >>> 0, 4);
    const torn = Buffer.alloc(8);
    torn.writeUInt32LE(5000, 0);
    const fh = await fs.open(journal, 'r+');
    await fh.write(Buffer.concat([badCrc, payload, torn, Buffer.alloc(40, 7)]), 0, undefined, goodSize);
    await fh.close();

    const second = await startStandalone(dir);
    running.push(second);
    client = await connect(second.uri);
    const coll = client.db('torn').collection('docs');
    expect(await coll.countDocuments()).to.equal(10);
    expect((await fs.stat(journal)).size, 'the damaged tail is cut off').to.equal(goodSize);
    await coll.insertMany(Array.from({ length: 5 }, (_, i) => ({ _id: 100 + i })) as never[]);
    await client.close();
    await kill(second, 'SIGKILL');

    const third = await startStandalone(dir);
    running.push(third);
    client = await connect(third.uri);
    expect(await client.db('torn').collection('docs').countDocuments()).to.equal(15);
    await client.close();
    await kill(third, 'SIGTERM');
  });

  it('a second server refuses a data directory that is in use', async function () {
    const dir = path.join(root, 'c');
    const first = await startStandalone(dir);
    running.push(first);
    let error: unknown;
    try {
      running.push(await startStandalone(dir));
    } catch (err) {
      error = err;
    }
    expect(String(error)).to.match(/in use by process/);
  });
});
