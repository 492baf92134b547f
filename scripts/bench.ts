// npm run bench [-- --cases 100000 --duration 10 --connections 10 --rounds 3 --only search,detail --skip-build --profile-app]
// Seeds (or reuses) a data set in var/bench-data through its own embedded database process, starts the
// compiled app and a bare baseline server on that database, signs in through the real form, and
// measures each page against the baseline in alternating rounds. Prints a table; writes JSON to
// var/bench/<timestamp>.json. Figures only: nothing here passes or fails a build.
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import mongoose from 'mongoose';
import { CaseModel } from '../server/cases/index.js';
import { systemClock } from '../server/platform/clock.js';
import { connectDatabase } from '../server/platform/db/connect.js';
import { findRunningEmbedded } from '../server/platform/db/embedded-registry.js';
import { createLogger } from '../server/platform/logger.js';
import { PROJECT_ROOT } from '../server/platform/paths.js';
import { foldVietnamese } from '../server/platform/text.js';
import { listActiveCommunes, listActiveFields } from '../server/reference/index.js';
import { seedBaseData } from '../server/seed.js';
import { UserModel, hashPassword } from '../server/users/index.js';
import { parseArgs } from './bootstrap.js';
import { hashLinkToken } from '../server/forwarding/index.js';
import { EXTRA_MEASURES } from './bench/extras.js';
import { PAGES, type BenchFixtures, type BenchPage } from './bench/pages.js';
import { BrowserlessSession, freePort, rssMb, startChild, type Child } from './bench/processes.js';
import { BenchArgumentError, judge, parseBenchOptions, renderTable, summarise, type BenchOptions, type PageResult, type Round } from './bench/report.js';
import { parseSeedOptions } from './seed/options.js';
import { seedDataset } from './seed/run.js';

const DATA_DIR = path.join(PROJECT_ROOT, 'var/bench-data');
const DB_DIR = path.join(DATA_DIR, 'db');
const OUT_DIR = path.join(PROJECT_ROOT, 'var/bench');
const DB_NAME = 'dannguyen';
const BENCH_EMAIL = 'bench-officer@bench.dannguyen.local';

async function startDatabase(): Promise<{ uri: string; child: Child | null }> {
  const running = findRunningEmbedded(DB_DIR);
  if (running) return { uri: running.uri, child: null };
  fs.mkdirSync(DB_DIR, { recursive: true });
  fs.rmSync(path.join(DB_DIR, 'server.json'), { force: true });
  // A hundred thousand cases with their visits, letters and timelines need more than the default heap.
  // A larger young generation: about half as many young collections under the same load (measured with
  // --trace-gc). The full collections of the 8 GB old generation still come every minute or so and
  // slow the database for several seconds; a round caught by one shows in the per-round rates.
  const child = await startChild(process.execPath, ['--max-old-space-size=12288', '--max-semi-space-size=64', '--import', 'tsx', 'scripts/db.ts'], { DB_PORT: '0', DB_DATA_DIR: DB_DIR, LOG_LEVEL: 'warn' }, path.join(OUT_DIR, 'db.log'), () => Promise.resolve(findRunningEmbedded(DB_DIR) !== null));
  return { uri: findRunningEmbedded(DB_DIR)!.uri, child };
}

async function prepareData(options: BenchOptions, uri: string): Promise<{ cases: number; seeded: boolean; password: string }> {
  const logger = createLogger('warn');
  const database = await connectDatabase({ uri, dbName: DB_NAME, dataDir: DATA_DIR, logger });
  try {
    await seedBaseData(systemClock);
    let cases = await CaseModel.estimatedDocumentCount();
    let seeded = false;
    if (cases < options.cases) {
      console.log(`seeding ${options.cases} cases (the data set has ${cases})…`);
      const seedOptions = { ...parseSeedOptions({}, new Date()), cases: options.cases, seed: options.seed, reset: true };
      const result = await seedDataset(seedOptions, database.connection.db!, { progress: true, uri });
      console.log(`seeded in ${result.totalSeconds.toFixed(0)} s (${result.casesPerSecond} cases/s)`, result.written);
      cases = options.cases;
      seeded = true;
    }
    const password = crypto.randomBytes(18).toString('base64url');
    const name = 'Cán bộ Đo Tải';
    await UserModel.updateOne(
      { email: BENCH_EMAIL },
      // Granted reports:read so one session measures the statistics pages too (leaders need a second factor).
      { $set: { name, nameFolded: foldVietnamese(name), role: 'officer', grantedPermissions: ['reports:read'], passwordHash: await hashPassword(password), mustChangePassword: false, disabled: false } },
      { upsert: true },
    );
    return { cases, seeded, password };
  } finally {
    await database.close();
  }
}

/**
 * Working tokens of open forwardings' links: the seeder derives each token from the seed and the
 * forwarding's id and stores only its hash, so the bench can recompute tokens the database confirms.
 */
async function openLinkTokens(db: mongoose.mongo.Db, seed: number): Promise<string[]> {
  const open = await db.collection('forwardings').find({ status: { $in: ['sent', 'acknowledged'] } }, { projection: { _id: 1 } }).limit(400).toArray();
  const tokens: string[] = [];
  for (const f of open) {
    const token = crypto.createHash('sha256').update(`${seed}:${String(f._id)}`).digest('base64url');
    const link = await db.collection('forwarding_links').findOne({ tokenHashes: hashLinkToken(token), revokedAt: null, expiresAt: { $gt: new Date() } }, { projection: { _id: 1 } });
    if (link) tokens.push(token);
    if (tokens.length >= 100) break;
  }
  if (tokens.length === 0) throw new Error('no open forwarding with a live link in the data set: seed it again (npm run seed -- --reset)');
  return tokens;
}

/** Case ids spread over the data set, search terms officers would type, filters of the list, agency links. */
async function fixtures(uri: string, seed: number): Promise<Omit<BenchFixtures, 'csrf'>> {
  await mongoose.connect(uri, { dbName: DB_NAME });
  try {
    const db = mongoose.connection.db!;
    const total = await db.collection('cases').estimatedDocumentCount();
    const step = Math.max(1, Math.floor(total / 200));
    const caseIds: string[] = [];
    const names: string[] = [];
    const numbers: string[] = [];
    const cursor = db.collection('cases').find({}, { projection: { _id: 1, number: 1, parties: 1, confidential: 1 } }).sort({ receivedAt: -1, _id: -1 });
    let i = 0;
    for await (const c of cursor) {
      if (i++ % step !== 0) continue;
      caseIds.push(String(c._id));
      numbers.push(String(c.number));
      const filer = (c.parties as { name: string }[])[0];
      if (filer && !c.confidential) names.push(filer.name);
      if (caseIds.length >= 200) break;
    }
    const [communes, fields] = await Promise.all([listActiveCommunes(), listActiveFields()]);
    const agencyTokens = await openLinkTokens(db, seed);
    // Names from across the ten years (every tenth sampled case), not the newest: those are mostly the
    // walk-ins the intake measurement itself records, all under one name.
    const spread = names.filter((_, k) => k % Math.max(1, Math.floor(names.length / 20)) === 0).slice(0, 20);
    const searches = [...spread.map((n) => foldVietnamese(n)), ...numbers.slice(0, 10), 'thu hồi đất', 'bảo hiểm xã hội', 'tranh chấp ranh giới', 'nguyen van', 'sạt lở', 'khai thác cát'];
    const filters = ['status=in-progress', 'status=forwarded', 'type=complaint', 'type=denunciation', `field=${fields[0]!.code}`, `unit=${communes[3]!.code}`, 'from=01/01/2024&to=31/12/2024', 'sort=oldest'];
    return { caseIds, searches, filters, communes: communes.map((c) => c.code), fields: fields.map((f) => f.code), agencyTokens };
  } finally {
    await mongoose.disconnect();
  }
}

async function runRound(base: string, cookie: string | null, page: BenchPage, fx: BenchFixtures, options: BenchOptions, seconds: number): Promise<Round> {
  const sendCookie = cookie !== null && !page.anonymous;
  const latencies: number[] = [];
  let failures = 0;
  let n = 0;
  // Without a callback autocannon returns its tracker, which emits events and is also thenable.
  const instance = autocannon({
    url: base,
    connections: options.connections,
    duration: seconds,
    headers: sendCookie ? { cookie } : {},
    requests: [
      {
        setupRequest: (req) => {
          const r = page.request(n++, fx);
          return { ...req, method: r.method, path: r.path, ...(r.body ? { body: r.body, headers: { ...req.headers, 'content-type': 'application/x-www-form-urlencoded' } } : {}) };
        },
      },
    ],
  }) as unknown as autocannon.Instance & PromiseLike<autocannon.Result>;
  const expect = page.request(0, fx).expect;
  const failureKinds: Record<string, number> = {};
  const fail = (kind: string, n = 1) => {
    if (n <= 0) return;
    failures += n;
    failureKinds[kind] = (failureKinds[kind] ?? 0) + n;
  };
  instance.on('response', (_client, statusCode, _bytes, responseTime) => {
    latencies.push(responseTime);
    // The baseline answers 200 for everything it serves; the app must answer what the page expects.
    if (cookie ? !expect.includes(statusCode) : statusCode !== 200) fail(`HTTP ${statusCode}`);
  });
  const result = await instance;
  // Errors, timeouts, and requests left unanswered beyond the one per connection still in flight when
  // the round ended (a round where nothing came back counts every request sent).
  fail('timeout', result.timeouts);
  fail('error', result.errors - result.timeouts);
  fail('unanswered', latencies.length === 0 ? result.requests.sent : Math.max(0, result.requests.sent - latencies.length - options.connections));
  // Let what the server still has in hand finish, so it does not slow the next round down.
  await new Promise((r) => setTimeout(r, 1500));
  return { requests: latencies.length, seconds: result.duration, latencies, failures, failureKinds };
}

function machine() {
  const cpus = os.cpus();
  return { cpu: cpus[0]?.model ?? 'unknown', cores: cpus.length, memoryGb: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.type()} ${os.release()}`, loadAverage: os.loadavg() };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  let options: BenchOptions;
  try {
    options = parseBenchOptions(args);
  } catch (err) {
    if (!(err instanceof BenchArgumentError)) throw err;
    console.error(err.message);
    process.exit(2);
  }
  fs.mkdirSync(OUT_DIR, { recursive: true });
  if (args['skip-build'] !== 'true') execFileSync('npm', ['run', 'build'], { stdio: 'inherit', cwd: PROJECT_ROOT });
  const children: Child[] = [];
  try {
    const { uri, child: dbChild } = await startDatabase();
    if (dbChild) children.push(dbChild);
    const data = await prepareData(options, uri);
    const fx0 = await fixtures(uri, options.seed);

    const appPort = await freePort();
    const appBase = `http://127.0.0.1:${appPort}`;
    const app = await startChild(
      process.execPath,
      // --profile-app: a CPU profile of the app under the load, in var/bench/profile, to see where its time goes.
      [...(args['profile-app'] === 'true' ? ['--cpu-prof', `--cpu-prof-dir=${path.join(OUT_DIR, 'profile')}`] : []), 'dist/server/main.js'],
      { MONGODB_URI: uri, MONGODB_DB: DB_NAME, PORT: String(appPort), HOST: '127.0.0.1', BASE_URL: appBase, NODE_ENV: 'production', SESSION_SECRET: crypto.randomBytes(32).toString('hex'), JOBS_IN_PROCESS: 'false', LOG_LEVEL: 'warn', LOGIN_MAX_PER_IP: '1000', AGENCY_LINK_MAX_PER_IP: '100000' },
      path.join(OUT_DIR, 'app.log'),
      async () => (await fetch(`${appBase}/login`)).status === 200,
    );
    children.push(app);
    const basePort = await freePort();
    const baseUrl = `http://127.0.0.1:${basePort}`;
    const baseline = await startChild(process.execPath, ['--import', 'tsx', 'scripts/bench/baseline-server.ts'], { BENCH_MONGODB_URI: uri, BENCH_DB: DB_NAME, BENCH_PORT: String(basePort), BENCH_EMAIL }, path.join(OUT_DIR, 'baseline.log'), async () => (await fetch(`${baseUrl}/`)).status === 200);
    children.push(baseline);

    const session = new BrowserlessSession(appBase);
    await session.signIn(BENCH_EMAIL, data.password);
    const fx: BenchFixtures = { ...fx0, csrf: await session.csrf('/receptions/new') };
    const memoryAfterStart = rssMb(app.pid);

    const pages = PAGES.filter((p) => options.only.length === 0 || options.only.some((o) => p.name.includes(o)));
    const results: PageResult[] = [];
    for (const page of pages) {
      // A short warm-up of both sides, then page and baseline in turn, so drifts of a shared machine hit both.
      await runRound(appBase, session.cookieHeader, page, fx, options, 2);
      await runRound(baseUrl, null, page, fx, options, 2);
      const pageRounds: Round[] = [];
      const baseRounds: Round[] = [];
      for (let r = 0; r < options.rounds; r++) {
        pageRounds.push(await runRound(appBase, session.cookieHeader, page, fx, options, options.duration));
        baseRounds.push(await runRound(baseUrl, null, page, fx, options, options.duration));
      }
      const result = judge(page.name, summarise(pageRounds), summarise(baseRounds), page.targets);
      results.push(result);
      // Each round's rate too: a round much slower than the others is a pause of the machine, not the page.
      const rates = (rounds: Round[]) => rounds.map((r) => (r.requests / r.seconds).toFixed(0)).join('/');
      console.log(`${page.name}: ${result.page.rps.toFixed(0)} rps (rounds ${rates(pageRounds)}), p95 ${result.page.p95.toFixed(1)} ms; baseline ${result.baseline.rps.toFixed(0)} rps (${rates(baseRounds)}) → ${result.ratio.toFixed(2)}×`);
    }
    // Memory at rest: after the load, once the app has had a moment to settle.
    await new Promise((r) => setTimeout(r, 5000));
    const memoryAtRest = rssMb(app.pid);
    const extras: Record<string, Record<string, number>> = {};
    await mongoose.connect(uri, { dbName: DB_NAME });
    try {
      // --only narrows these too ("--only scan", "--only XLSX"), so a profile of one page holds that page alone.
      for (const measure of EXTRA_MEASURES.filter((m) => options.only.length === 0 || options.only.some((o) => m.name.includes(o)))) {
        extras[measure.name] = await measure.run({ appBase, cookie: session.cookieHeader, appPid: app.pid });
        console.log(`${measure.name}:`, extras[measure.name]);
      }
    } finally {
      await mongoose.disconnect();
    }

    console.log(`\n${data.cases} cases, ${options.connections} connections, ${options.rounds} × ${options.duration} s per side\n`);
    console.log(renderTable(results));
    console.log(`\napp memory (RSS): ${memoryAfterStart?.toFixed(0)} MB after start, ${memoryAtRest?.toFixed(0)} MB at rest after the load`);
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const file = path.join(OUT_DIR, `${stamp}.json`);
    fs.writeFileSync(file, JSON.stringify({ at: new Date().toISOString(), machine: machine(), options, dataset: { cases: data.cases, seeded: data.seeded }, memory: { afterStartMb: memoryAfterStart, atRestMb: memoryAtRest }, results, extras }, (k, v: unknown) => (k === 'latencies' ? undefined : v), 2));
    console.log(`written to ${path.relative(PROJECT_ROOT, file)}`);
  } finally {
    for (const child of children.reverse()) await child.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
