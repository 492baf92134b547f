// Benchmark of the embedded database over the wire with the official driver: `npm run bench:db`.
// On 100,000 small documents: a point lookup by unique key and a 50-document range query on an
// indexed field, each against the same query on a field without an index (a plain scan, measured
// in the same run as the baseline), then acknowledged inserts with durability on (fsync per
// acknowledged write; group commit when concurrent). Figures only — no pass/fail thresholds.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { startEmbeddedMongo } from '../server/embedded-mongo/index.js';

const N = 100_000;
const { MongoClient } = mongoose.mongo;

interface Stats {
  median: number;
  p95: number;
  runs: number;
}

function stats(samples: number[]): Stats {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number): number => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? Number.NaN;
  return { median: at(0.5), p95: at(0.95), runs: s.length };
}

async function time(runs: number, op: (i: number) => Promise<unknown>): Promise<Stats> {
  for (let i = 0; i < Math.min(20, runs); i++) await op(i); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await op(i);
    samples.push(performance.now() - t);
  }
  return stats(samples);
}

const ms = (n: number): string => `${n.toFixed(3)} ms`;

async function main(): Promise<void> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'bench-db-'));
  const server = await startEmbeddedMongo({ dataDir: dir });
  const client = await MongoClient.connect(server.uri);
  try {
    const coll = client.db('bench').collection('cases');
    await coll.createIndex({ code: 1 }, { unique: true });
    await coll.createIndex({ n: 1 });
    let t = performance.now();
    for (let start = 0; start < N; start += 5000) {
      await coll.insertMany(
        Array.from({ length: 5000 }, (_, j) => {
          const i = start + j;
          return { code: `HS-${String(i).padStart(6, '0')}`, n: i, plainCode: `HS-${String(i).padStart(6, '0')}`, plainN: i, district: `d${i % 30}` };
        }),
      );
    }
    const loadSeconds = (performance.now() - t) / 1000;

    const rnd = (i: number): number => (i * 7919) % N;
    const code = (i: number): string => `HS-${String(rnd(i)).padStart(6, '0')}`;
    const pointIdx = await time(2000, (i) => coll.findOne({ code: code(i) }));
    const pointScan = await time(40, (i) => coll.findOne({ plainCode: code(i) }));
    const rangeIdx = await time(1000, (i) => coll.find({ n: { $gte: rnd(i) % (N - 50), $lt: (rnd(i) % (N - 50)) + 50 } }).toArray());
    const rangeScan = await time(40, (i) => coll.find({ plainN: { $gte: rnd(i) % (N - 50), $lt: (rnd(i) % (N - 50)) + 50 } }).toArray());

    const ins = client.db('bench').collection('inserts');
    const SEQ = 5000;
    for (let i = 0; i < 100; i++) await ins.insertOne({ warm: i });
    t = performance.now();
    for (let i = 0; i < SEQ; i++) await ins.insertOne({ i, s: 'small document' });
    const seqPerSec = SEQ / ((performance.now() - t) / 1000);

    const CONC = 8;
    const PER = 1000;
    const clients = await Promise.all(Array.from({ length: CONC }, () => MongoClient.connect(server.uri)));
    t = performance.now();
    await Promise.all(
      clients.map(async (c, k) => {
        const col = c.db('bench').collection('inserts');
        for (let i = 0; i < PER; i++) await col.insertOne({ k, i });
      }),
    );
    const concPerSec = (CONC * PER) / ((performance.now() - t) / 1000);
    await Promise.all(clients.map((c) => c.close()));

    const row = (name: string, s: Stats, base?: Stats): string =>
      `| ${name.padEnd(44)} | ${ms(s.median).padStart(11)} | ${ms(s.p95).padStart(11)} | ${String(s.runs).padStart(5)} | ${base ? `${(base.median / s.median).toFixed(0)}× faster`.padStart(13) : ''.padStart(13)} |`;
    const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
    console.log(`\nEmbedded MongoDB benchmark — ${new Date().toISOString()}`);
    console.log(`Machine: ${cpu}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.type()} ${os.release()}, Node ${process.version}`);
    console.log(`Data: ${N.toLocaleString('en')} documents loaded in ${loadSeconds.toFixed(1)} s (durable, data dir ${dir})\n`);
    console.log('| operation (over the wire, driver 6)           |      median |         p95 |  runs | vs plain scan |');
    console.log('|----------------------------------------------|-------------|-------------|-------|---------------|');
    console.log(row('point lookup by unique key (indexed)', pointIdx, pointScan));
    console.log(row('point lookup, same key without index (scan)', pointScan));
    console.log(row('50-document range on indexed field', rangeIdx, rangeScan));
    console.log(row('50-document range without index (scan)', rangeScan));
    console.log('');
    console.log(`| durable acknowledged inserts, 1 client sequential  | ${seqPerSec.toFixed(0).padStart(7)} /s |`);
    console.log(`| durable acknowledged inserts, ${CONC} clients concurrent | ${concPerSec.toFixed(0).padStart(7)} /s |`);
  } finally {
    await client.close();
    await server.stop();
    await fs.rm(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
