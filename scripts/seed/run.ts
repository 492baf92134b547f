// Seeds a data set: empties the seeded collections (only when asked, or when they are empty anyway),
// generates the cases in time order and writes them in batches without secondary indexes, then builds
// the indexes in one pass (much faster than keeping them up to date document by document) and sets the
// counters so the app's next case number follows the seeded ones.
import cliProgress from 'cli-progress';
import { MongoClient, type Db, type IndexSpecification } from 'mongodb';
import { generateCase, CaseSeries } from './cases.js';
import { createSeedContext } from './context.js';
import type { RawDoc } from './documents.js';
import { CASE_GENERATORS, DATASET_GENERATORS, SEEDED_MODELS } from './generators.js';
import type { SeedOptions } from './options.js';
import { BatchWriter } from './writer.js';

export interface SeedResult {
  cases: number;
  written: Record<string, number>;
  generateSeconds: number;
  indexSeconds: number;
  totalSeconds: number;
  casesPerSecond: number;
}

export class SeedRefusedError extends Error {}

async function prepareCollections(db: Db, reset: boolean): Promise<void> {
  const names = SEEDED_MODELS.map((m) => m.collection.collectionName);
  const existing = new Set((await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name));
  if (!reset) {
    for (const name of names) {
      if (existing.has(name) && (await db.collection(name).estimatedDocumentCount()) > 0) {
        throw new SeedRefusedError(`the collection '${name}' already holds documents: add --reset to replace the seeded collections`);
      }
    }
  }
  for (const name of names) if (existing.has(name)) await db.collection(name).drop();
  await db.collection<{ _id: string }>('counters').deleteMany({ _id: { $regex: /^case:/ } });
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

export async function seedDataset(options: SeedOptions, db: Db, io: { progress?: boolean; uri?: string } = {}): Promise<SeedResult> {
  const started = performance.now();
  await prepareCollections(db, options.reset);
  const ctx = await createSeedContext(options);
  const writer = new BatchWriter(db, options.batchSize);
  const series = new CaseSeries();
  const work = options.cases + DATASET_GENERATORS.reduce((n, g) => n + g.size(ctx), 0);
  const bar = io.progress
    ? new cliProgress.SingleBar({ format: 'seed |{bar}| {percentage}% | {value}/{total} | {speed}/s | ETA {eta_formatted}', hideCursor: true }, cliProgress.Presets.shades_classic)
    : null;
  bar?.start(work, 0, { speed: 0 });
  const loadStarted = performance.now();
  const tick = (done: number) => bar?.update(done, { speed: Math.round(done / ((performance.now() - loadStarted) / 1000)) });
  const emit = (collection: string, doc: RawDoc) => writer.add(collection, doc);

  for (let i = 0; i < options.cases; i++) {
    const bundle = generateCase(ctx, series, i);
    for (const generator of CASE_GENERATORS) generator.enrich(bundle, ctx);
    emit('cases', bundle.kase);
    for (const event of bundle.events) emit('case_events', event);
    for (const [collection, docs] of bundle.docs) for (const doc of docs) emit(collection, doc);
    if (i % 200 === 199) {
      await writer.flushFull();
      tick(i + 1);
    }
  }
  let done = options.cases;
  for (const generator of DATASET_GENERATORS) {
    await generator.generate(ctx, async (collection, doc) => {
      emit(collection, doc);
      await writer.flushFull();
    }, () => tick(++done));
  }
  await writer.close();
  tick(work);
  bar?.stop();
  const generateSeconds = (performance.now() - loadStarted) / 1000;

  const indexStarted = performance.now();
  await buildIndexes(db, io.uri);
  for (const [year, seq] of series.counters()) {
    await db.collection<{ _id: string; seq: number }>('counters').updateOne({ _id: `case:${year}` }, { $max: { seq } }, { upsert: true });
  }
  const indexSeconds = (performance.now() - indexStarted) / 1000;
  const totalSeconds = (performance.now() - started) / 1000;
  return {
    cases: options.cases,
    written: Object.fromEntries(writer.written),
    generateSeconds,
    indexSeconds,
    totalSeconds,
    casesPerSecond: Math.round(options.cases / (generateSeconds + indexSeconds)),
  };
}
