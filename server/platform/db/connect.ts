// The app's database: MongoDB when MONGODB_URI is given, otherwise the project's own embedded
// MongoDB-compatible server with its data on disk under DATA_DIR. Either way the rest of the app sees
// an ordinary mongoose connection.
import path from 'node:path';
import mongoose from 'mongoose';
import { startEmbeddedMongo, type EmbeddedMongo } from '../../embedded-mongo/index.js';
import type { Logger } from '../logger.js';
import { announceEmbedded, findRunningEmbedded, withdrawEmbedded } from './embedded-registry.js';

export interface Database {
  connection: mongoose.Connection;
  uri: string;
  embedded: EmbeddedMongo | null;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  uri?: string | undefined;
  dbName: string;
  dataDir: string;
  logger: Logger;
}

// Guards against operator injection and typos in filters for every model, once, before any model
// is compiled: `{ email: { $gt: '' } }` coming from a request becomes a literal match.
mongoose.set('sanitizeFilter', true);
mongoose.set('strictQuery', true);
mongoose.set('autoIndex', true);
// Mongoose otherwise takes a stack trace at every query, only to name where a query object was first
// run should it be run twice (a programming error the tests would show): about 1% of a page's CPU.
mongoose.set('skipOriginalStackTraces', true);

export async function connectDatabase(options: DatabaseOptions): Promise<Database> {
  let embedded: EmbeddedMongo | null = null;
  let uri: string;
  const dbDir = path.resolve(options.dataDir, 'db');
  if (options.uri) {
    uri = options.uri;
  } else {
    const running = findRunningEmbedded(dbDir);
    if (running) {
      uri = running.uri;
      options.logger.info({ uri, pid: running.pid }, 'using the embedded database already running for this data directory');
    } else {
      embedded = await startEmbeddedMongo({ dataDir: dbDir, logger: options.logger.child({ component: 'embedded-db' }) });
      uri = embedded.uri;
      announceEmbedded(dbDir, uri);
      options.logger.warn(
        { dataDir: dbDir, uri },
        'MONGODB_URI is not set: using the embedded database (fine for trying the app and for a small office; production should use a MongoDB replica set)',
      );
    }
  }
  await mongoose.connect(uri, { dbName: options.dbName, serverSelectionTimeoutMS: 10_000 });
  await syncAllIndexes();
  options.logger.info({ db: options.dbName, embedded: embedded !== null }, 'database connected');
  return {
    connection: mongoose.connection,
    uri,
    embedded,
    async close() {
      await mongoose.disconnect();
      if (embedded) {
        withdrawEmbedded(dbDir);
        await embedded.stop();
      }
    },
  };
}

/**
 * An index a model no longer declares, with the data change that must come first (e.g. filling a new
 * field the index that replaces it needs). model.init() only adds indexes, so a retired unique index
 * would otherwise keep refusing writes on databases created before the change.
 */
export interface RetiredIndex {
  collection: string;
  name: string;
  migrate?: (connection: mongoose.Connection) => Promise<void>;
}

const retiredIndexes: RetiredIndex[] = [];

/** Modules register retired indexes when their model file loads, like the models themselves. */
export function retireIndex(index: RetiredIndex): void {
  retiredIndexes.push(index);
}

async function dropRetiredIndexes(): Promise<void> {
  const db = mongoose.connection.db;
  if (!db) return;
  for (const retired of retiredIndexes) {
    const exists = await db.collection(retired.collection).indexExists(retired.name).catch(() => false);
    if (!exists) continue;
    await retired.migrate?.(mongoose.connection);
    // Another instance starting at the same moment may have dropped it first.
    await db.collection(retired.collection).dropIndex(retired.name).catch(() => undefined);
  }
}

/** Indexes are part of correctness (unique keys), so wait for them rather than building lazily. */
export async function syncAllIndexes(): Promise<void> {
  await dropRetiredIndexes();
  for (const model of Object.values(mongoose.models)) {
    await model.init();
  }
}
