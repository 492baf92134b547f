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

/** Indexes are part of correctness (unique keys), so wait for them rather than building lazily. */
export async function syncAllIndexes(): Promise<void> {
  for (const model of Object.values(mongoose.models)) {
    await model.init();
  }
}
