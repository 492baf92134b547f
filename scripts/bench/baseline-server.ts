// The benchmark's baseline: a bare node HTTP server answering the same URLs as the app with the same
// database work done through the raw driver (same filters, projections, sorts and limits), returned as
// JSON — no Express, no session, no templates. The app's throughput is reported against it.
// Lists, search, the case page (with its emails, forwardings and the ID numbers of protected visits'
// visitors, as the page reads them), the queues' counts and the agency link do their reads here with the
// driver (filters built by the app's own pure filter builders); the statistics and agency-performance
// pages are aggregations, so the baseline calls the modules' own query functions (aggregate pipelines
// that mongoose hands to the driver unchanged) — what it leaves out is the HTTP stack and rendering.
// Started by scripts/bench.ts with BENCH_MONGODB_URI, BENCH_DB and BENCH_PORT; prints "ready" when listening.
import http from 'node:http';
import { MongoClient, ObjectId, type Db, type Document } from 'mongodb';
import mongoose from 'mongoose';
import { permissionsOf, type Actor } from '../../server/access/index.js';
import { buildCaseFilter, caseListQuerySchema, SEARCH_COUNT_LIMIT } from '../../server/cases/cases.queries.js';
import { hashLinkToken, looksLikeLinkToken } from '../../server/forwarding/index.js';
import { configureCaches } from '../../server/platform/cache.js';
import { systemClock } from '../../server/platform/clock.js';
import { loadConfig } from '../../server/platform/config.js';
import { vietnamDateOf } from '../../server/calendar/index.js';
import { homeQueuesFor, queueFilter, queueMoment, QUEUES } from '../../server/queues/index.js';
import { computeStatistics } from '../../server/statistics/index.js';
import { computeAgencyPerformance, parseAgencySort } from '../../server/statistics/agency-performance.service.js';

import { parsePeriodQuery } from '../../server/statistics/statistics.schemas.js';

const CASE_ROW = { number: 1, type: 1, status: 1, confidential: 1, fieldCode: 1, unitCode: 1, summary: 1, receivedAt: 1, visitCount: 1, letterCount: 1, 'handlingDeadline.dueAt': 1, parties: 1 };
const RECEPTION_ROW = { receivedAt: 1, kind: 1, participants: 1, peopleCount: 1, isGroup: 1, content: 1, outcome: 1, caseId: 1, caseNumber: 1, confidential: 1 };
const LETTER_ROW = { receivedAt: 1, channel: 1, forwardedBy: 1, type: 1, anonymous: 1, senders: 1, summary: 1, 'eligibility.eligible': 1, handling: 1, caseIds: 1, caseNumbers: 1, confidential: 1 };
const NEWEST = { receivedAt: -1, _id: -1 } as const;
const FORWARDING_ROW = { status: 1, agencyName: 1, documentNumber: 1, items: 1, deadline: 1, draftedBy: 1, sentAt: 1, createdAt: 1, confidential: 1 };
const OUTBOX_ROW = { createdAt: 1, status: 1, template: 1, subject: 1, to: 1, cc: 1, caseId: 1, sentAt: 1, failedAt: 1, lastError: 1, nextAttemptAt: 1, leaseUntil: 1, attempts: 1, 'attachments.filename': 1, confidentialRecipients: 1 };

/**
 * An officer (sees every case, not denouncers): the same filter the bench user's pages build. Its id
 * becomes the bench user's at start (main), so "my cases" counts the same cases on both sides.
 */
const OFFICER: Actor = { id: '000000000000000000000000', email: 'baseline@bench', name: 'baseline', role: 'officer', permissions: permissionsOf('officer'), locale: 'vi', mustChangePassword: false, twoFactorEnabled: false };
/** The bench officer is granted reports:read, so the statistics pages are read by the same actor on both sides. */
const REPORTER: Actor = { ...OFFICER, permissions: [...permissionsOf('officer'), 'reports:read'] };

async function listPage(db: Db, collection: string, filter: Document, projection: Document, countLimit = 0) {
  const [total, rows] = await Promise.all([db.collection(collection).countDocuments(filter, countLimit ? { limit: countLimit } : {}), db.collection(collection).find(filter, { projection }).sort(NEWEST).limit(26).toArray()]);
  return { total, rows };
}

async function caseDetail(db: Db, id: string) {
  if (!ObjectId.isValid(id)) return null;
  const _id = new ObjectId(id);
  const kase = await db.collection('cases').findOne({ _id });
  if (!kase) return null;
  const [events, visits, letters, emails, forwardings] = await Promise.all([
    db.collection('case_events').find({ caseId: _id }, { projection: { at: 1, actorName: 1, type: 1, data: 1 } }).sort({ at: 1, _id: 1 }).toArray(),
    db.collection('receptions').find({ caseId: _id }, { projection: RECEPTION_ROW }).sort({ receivedAt: 1 }).toArray(),
    db.collection('letters').find({ caseIds: _id }, { projection: LETTER_ROW }).sort({ receivedAt: 1, _id: 1 }).toArray(),
    db.collection('outbox_messages').find({ caseId: _id }, { projection: OUTBOX_ROW }).sort({ caseId: 1, createdAt: -1, _id: -1 }).limit(201).toArray(),
    db.collection('forwardings').find({ caseIds: _id }, { projection: { ...FORWARDING_ROW, deadlineHistory: 1 } }).sort({ caseIds: 1, createdAt: -1 }).limit(100).toArray(),
  ]);
  return { kase, events, visits, visitors: await protectedVisitors(db, visits), letters, emails, forwardings };
}

/** The ID numbers of protected visits' visitors, blanked in what they said (the officer may not see them). */
async function protectedVisitors(db: Db, visits: Document[]) {
  const ids = [...new Set(visits.filter((v) => v.confidential).flatMap((v) => (v.participants as { personId: ObjectId }[]).map((p) => String(p.personId))))];
  return ids.length ? db.collection('people').find({ _id: { $in: ids.map((id) => new ObjectId(id)) } }, { projection: { citizenId: 1 } }).toArray() : [];
}

/** The home page: the count of each of the officer's work queues. */
async function homeCounts(db: Db, officer: Actor) {
  const m = await queueMoment(new Date());
  return Promise.all(
    homeQueuesFor(officer).map(async (id) => {
      const filter = await queueFilter(officer, id, {}, m);
      return { id, count: filter ? await db.collection(QUEUES[id].subject === 'case' ? 'cases' : 'forwardings').countDocuments(filter) : 0 };
    }),
  );
}

/** The agency's landing page: the token's link and forwarding, and the use logged. */
async function agencyLanding(db: Db, token: string) {
  if (!looksLikeLinkToken(token)) return null;
  const link = await db.collection('forwarding_links').findOne({ tokenHashes: hashLinkToken(token) });
  if (!link) return null;
  const forwarding = await db.collection('forwardings').findOne({ _id: link.forwardingId as ObjectId }, { projection: { status: 1, agencyName: 1, documentNumber: 1 } });
  await db.collection('forwarding_link_access').insertOne({ at: new Date(), forwardingId: link.forwardingId as ObjectId, linkId: link._id, action: 'landing', refusal: null, ip: '127.0.0.1', userAgent: 'bench' });
  return { agencyName: forwarding?.agencyName as string };
}


async function forwardingList(db: Db) {
  const [total, rows] = await Promise.all([db.collection('forwardings').countDocuments({}), db.collection('forwardings').find({}, { projection: FORWARDING_ROW }).sort({ createdAt: -1, _id: -1 }).limit(26).toArray()]);
  return { total, rows };
}

const today = () => vietnamDateOf(new Date());
const serviceCtx = { clock: systemClock, ip: '127.0.0.1', requestId: 'bench' };

/** The writes of a walk-in: counter, person, case, event, visit — in a transaction, into copies of the collections. */
async function intake(client: MongoClient, db: Db, body: URLSearchParams) {
  const at = new Date();
  const session = client.startSession();
  try {
    return await session.withTransaction(async () => {
      const counter = await db.collection<{ _id: string; seq: number }>('bench_counters').findOneAndUpdate({ _id: 'case' }, { $inc: { seq: 1 } }, { upsert: true, returnDocument: 'after', session });
      const personId = new ObjectId();
      const caseId = new ObjectId();
      const name = body.get('name') ?? '';
      await db.collection('bench_people').insertOne({ _id: personId, name, citizenId: body.get('citizenId'), createdAt: at }, { session });
      await db.collection('bench_cases').insertOne({ _id: caseId, number: `B/${counter?.seq ?? 0}`, summary: body.get('content'), parties: [{ personId, name }], receivedAt: at, status: 'received' }, { session });
      await db.collection('bench_case_events').insertOne({ caseId, at, type: 'case.opened' }, { session });
      await db.collection('bench_receptions').insertOne({ caseId, receivedAt: at, submissionKey: body.get('submissionKey'), content: body.get('content') }, { session });
      return { caseId };
    });
  } finally {
    await session.endSession();
  }
}

/** The copies get the real collections' indexes, so the baseline's writes maintain as many. */
async function prepareCopies(db: Db): Promise<void> {
  for (const name of ['people', 'cases', 'case_events', 'receptions']) {
    const copy = `bench_${name}`;
    await db.collection(copy).drop().catch(() => undefined);
    const indexes = (await db.collection(name).listIndexes().toArray()).map((i) => i as { name: string; key: Document }).filter((i) => i.name !== '_id_');
    // Unique keys that the baseline's documents do not carry would clash on null: keep them non-unique.
    if (indexes.length) await db.collection(copy).createIndexes(indexes.map((i) => ({ key: i.key, name: i.name })));
  }
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}

async function main(): Promise<void> {
  const uri = process.env.BENCH_MONGODB_URI;
  if (!uri) throw new Error('BENCH_MONGODB_URI is not set');
  const client = await MongoClient.connect(uri);
  const db = client.db(process.env.BENCH_DB ?? 'dannguyen');
  // The app's query functions (queues' calendar, statistics) read through mongoose's connection.
  await mongoose.connect(uri, { dbName: db.databaseName });
  // The statistics pages' figures are kept as the app keeps them (STATISTICS_CACHE_SECONDS, 60 s by
  // default), so both sides compare the same work per request; what computing them from scratch
  // costs is measured on its own (scripts/bench/extras.ts).
  configureCaches({ seconds: { figures: loadConfig({}).STATISTICS_CACHE_SECONDS }, clock: systemClock });
  await prepareCopies(db);
  const benchUser = await db.collection('users').findOne({ email: process.env.BENCH_EMAIL ?? '' }, { projection: { _id: 1 } });
  const officer: Actor = benchUser ? { ...OFFICER, id: String(benchUser._id) } : OFFICER;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const answer = async (): Promise<unknown> => {
      const query = Object.fromEntries(url.searchParams);
      if (req.method === 'POST' && url.pathname === '/receptions') return intake(client, db, new URLSearchParams(await readBody(req)));
      // A word search is counted up to a limit, as the app's list does (SEARCH_COUNT_LIMIT).
      if (url.pathname === '/cases') return listPage(db, 'cases', buildCaseFilter(OFFICER, caseListQuerySchema.parse(query), new Date()), CASE_ROW, query.q ? SEARCH_COUNT_LIMIT + 1 : 0);
      if (url.pathname.startsWith('/cases/')) return caseDetail(db, url.pathname.slice('/cases/'.length));
      if (url.pathname === '/receptions') {
        const page = await listPage(db, 'receptions', {}, RECEPTION_ROW);
        return { ...page, visitors: await protectedVisitors(db, page.rows) };
      }
      if (url.pathname === '/letters') return listPage(db, 'letters', {}, LETTER_ROW);
      if (url.pathname === '/') return homeCounts(db, officer);
      if (url.pathname === '/forwardings') return forwardingList(db);
      if (url.pathname.startsWith('/a/')) return agencyLanding(db, url.pathname.slice('/a/'.length));
      if (url.pathname === '/statistics') return computeStatistics(REPORTER, parsePeriodQuery(query, today()), 'vi', serviceCtx);
      if (url.pathname === '/statistics/agencies') return computeAgencyPerformance(REPORTER, parsePeriodQuery(query, today()), parseAgencySort(query), 'Tổng cộng', serviceCtx);
      return undefined;
    };
    answer().then(
      (body) => {
        if (body === undefined || body === null) {
          res.writeHead(404).end();
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      },
      (err: unknown) => {
        // Logged: a failing baseline would otherwise only show as a throughput of zero.
        console.error(req.method, req.url, err);
        res.writeHead(500).end(String(err));
      },
    );
  });
  server.keepAliveTimeout = 65_000;
  server.listen(Number(process.env.BENCH_PORT ?? 0), '127.0.0.1', () => console.log('ready'));
  const stop = () => server.close(() => void Promise.all([client.close(), mongoose.disconnect()]).then(() => process.exit(0)));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
