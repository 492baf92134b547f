// Seeds a data set: empties the seeded collections (only when asked, or when they are empty anyway),
// generates the cases (with their forwardings) in time order and writes them in batches without
// secondary indexes, then builds the indexes in one pass (much faster than keeping them up to date
// document by document), sets the counters so the app's next numbers follow the seeded ones, and last
// runs the data-set generators (voter meetings) through the services, on the indexed collections.
// When the embedded database runs in this process, the batches are bulk loaded into it and one
// snapshot makes them durable (see server/embedded-mongo/bulk-load.ts); otherwise they are inserted.
import cliProgress from 'cli-progress';
import { MongoClient, type Db, type IndexSpecification } from 'mongodb';
import { generateCase, CaseSeries } from './cases.js';
import { createSeedContext } from './context.js';
import { createCaseGenerators, DATASET_GENERATORS, SEEDED_MODELS } from './generators.js';
import type { SeedOptions } from './options.js';
import { BatchWriter, embeddedSink, wireSink } from './writer.js';
import type { EmbeddedMongo } from '../../server/embedded-mongo/index.js';

export interface SeedResult {
  cases: number;
  written: Record<string, number>;
  /** Generating and writing the cases with everything they carry (and the snapshot of a bulk load). */
  generateSeconds: number;
  /** Bulk loaded into the embedded database in this process, rather than inserted over the wire. */
  bulkLoaded: boolean;
  indexSeconds: number;
  /** The voter meetings, through the services. */
  meetingsSeconds: number;
  totalSeconds: number;
  /** Cases (with their people, visits, letters, timelines and forwardings) per second, index builds included. */
  casesPerSecond: number;
}

/** Written by services rather than the seeder's own models, emptied with the rest on --reset. */
const SERVICE_WRITTEN = ['meeting_events'];
/** Counters the seeded data numbers (case numbers, forwarding documents, petition codes). */
const SEEDED_COUNTERS = /^(case:|forwarding-document:|voter-petition-)/;

export class SeedRefusedError extends Error {}

async function prepareCollections(db: Db, reset: boolean): Promise<void> {
  const names = [...SEEDED_MODELS.map((m) => m.collection.collectionName), ...SERVICE_WRITTEN];
  const existing = new Set((await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name));
  if (!reset) {
    for (const name of names) {
      if (existing.has(name) && (await db.collection(name).estimatedDocumentCount()) > 0) {
        throw new SeedRefusedError(`the collection '${name}' already holds documents: add --reset to replace the seeded collections`);
      }
    }
  }
  for (const name of names) if (existing.has(name)) await db.collection(name).drop();
  await db.collection<{ _id: string }>('counters').deleteMany({ _id: { $regex: SEEDED_COUNTERS } });
}

/**
 * The models' indexes, one at a time. Building an index over a million entries keeps the embedded
 * database busy for a while, longer than the driver's default 30 s before it declares the server
 * unreachable: given the URI, the builds go through a client of their own with patient timeouts.
 */
async function buildIndexes(db: Db, uri: string | undefined): Promise<void> {
  const client = uri ? await MongoClient.connect(uri, { connectTimeoutMS: 900_000, socketTimeoutMS: 0, serverSelectionTimeoutMS: 900_000 }) : null;
  try {
    const target = client ? client.db(db.databaseName) : db;
    for (const model of SEEDED_MODELS) {
      for (const [key, indexOptions] of model.schema.indexes()) await target.collection(model.collection.collectionName).createIndex(key as IndexSpecification, indexOptions ?? {});
    }
  } finally {
    await client?.close();
  }
}

export interface SeedIo {
  progress?: boolean;
  /** The database's URI: index builds get a client of their own with patient timeouts. */
  uri?: string;
  /** The embedded database, when it runs in this process: the cases are bulk loaded into it. */
  embedded?: EmbeddedMongo | null;
}

export async function seedDataset(options: SeedOptions, db: Db, io: SeedIo = {}): Promise<SeedResult> {
  const started = performance.now();
  await prepareCollections(db, options.reset);
  const ctx = await createSeedContext(options);
  const embedded = io.embedded ?? null;
  const writer = new BatchWriter(embedded ? embeddedSink(embedded, db.databaseName) : wireSink(db), options.batchSize);
  const series = new CaseSeries();
  const generators = createCaseGenerators();
  const datasetGenerators = options.meetings ? DATASET_GENERATORS : [];
  const work = options.cases + datasetGenerators.reduce((n, g) => n + g.size(ctx), 0);
  const bar = io.progress
    ? new cliProgress.SingleBar({ format: 'seed |{bar}| {percentage}% | {value}/{total} | {speed}/s | ETA {eta_formatted}', hideCursor: true }, cliProgress.Presets.shades_classic)
    : null;
  bar?.start(work, 0, { speed: 0 });
  const loadStarted = performance.now();
  const tick = (done: number) => bar?.update(done, { speed: Math.round(done / ((performance.now() - loadStarted) / 1000)) });

  for (let i = 0; i < options.cases; i++) {
    const bundle = generateCase(ctx, series, i);
    for (const generator of generators) generator.enrich(bundle, ctx);
    bundle.events.sort((a, b) => (a.at as Date).getTime() - (b.at as Date).getTime());
    writer.add('cases', bundle.kase);
    for (const event of bundle.events) writer.add('case_events', event);
    for (const [collection, docs] of bundle.docs) for (const doc of docs) writer.add(collection, doc);
    if (i % 200 === 199) {
      await writer.flushFull();
      tick(i + 1);
    }
  }
  await writer.close();
  // The loaded documents are in memory only until this snapshot.
  await embedded?.checkpoint();
  tick(options.cases);
  const generateSeconds = (performance.now() - loadStarted) / 1000;

  const indexStarted = performance.now();
  await buildIndexes(db, io.uri);
  const counters = new Map([...series.counters()].map(([year, seq]) => [`case:${year}`, seq]));
  for (const generator of generators) for (const [name, seq] of generator.counters()) counters.set(name, seq);
  for (const [name, seq] of counters) await db.collection<{ _id: string; seq: number }>('counters').updateOne({ _id: name }, { $max: { seq } }, { upsert: true });
  const indexSeconds = (performance.now() - indexStarted) / 1000;

  const meetingsStarted = performance.now();
  let done = options.cases;
  for (const generator of datasetGenerators) await generator.generate(ctx, () => tick(++done));
  tick(work);
  bar?.stop();
  const meetingsSeconds = (performance.now() - meetingsStarted) / 1000;
  const written = Object.fromEntries(writer.written);
  for (const name of ['assembly_sessions', 'voter_meetings', 'voter_petitions']) written[name] = await db.collection(name).estimatedDocumentCount();
  return {
    cases: options.cases,
    written,
    generateSeconds,
    bulkLoaded: embedded !== null,
    indexSeconds,
    meetingsSeconds,
    totalSeconds: (performance.now() - started) / 1000,
    casesPerSecond: Math.round(options.cases / (generateSeconds + indexSeconds)),
  };
}
