// Public API of the embedded MongoDB-compatible server.
//
//   const db = await startEmbeddedMongo({ dataDir: 'var/db' });
//   await mongoose.connect(db.uri, { dbName: 'dannguyen' });
//
// `uri` is a base URI without a database name, e.g. `mongodb://127.0.0.1:40123/?directConnection=true`;
// pass the database with the `dbName` option (or insert it before the `?`:
// `mongodb://127.0.0.1:40123/dannguyen?directConnection=true`). The server presents itself as the
// primary of a one-member replica set named `rs0`, so transactions work; `directConnection=true`
// stops the driver from looking for other members.

import { bulkLoad } from './bulk-load.js';
import type { Logger } from './commands/context.js';
import { CursorRegistry } from './cursors.js';
import { WireServer, type Durability } from './server.js';
import { Engine } from './storage/engine.js';
import { openDataDir, type DataDir } from './storage/persistence.js';
import { TransactionManager } from './transactions.js';
import { sweepExpired } from './ttl.js';

export interface EmbeddedMongoOptions {
  host?: string; // default '127.0.0.1' — loopback only, it has no authentication
  port?: number; // default 0 = a free port
  dataDir?: string | null; // null/undefined = in-memory
  ttlSweepMs?: number; // default 1000
  logger?: Logger; // pino-compatible; default silent
  /** Log commands slower than this (ms); default EMBEDDED_MONGO_SLOW_MS from the environment, else off. */
  slowCommandMs?: number;
}

export interface EmbeddedMongo {
  uri: string;
  port: number;
  host: string;
  /**
   * Loads documents straight into a collection, all or none, without the wire or a journal record each
   * (see bulk-load.ts): for a tool that runs the server in its own process and writes a large data set. Not
   * durable until `checkpoint()`.
   */
  bulkLoad(db: string, collection: string, docs: readonly object[]): Promise<number>;
  /** Writes a snapshot of everything now and drops the journals it covers (no-op in memory). */
  checkpoint(): Promise<void>;
  stop(): Promise<void>;
}

/** Options for the embedded server's own tests and tools (not part of the app contract). */
export interface EmbeddedMongoInternalOptions extends EmbeddedMongoOptions {
  /** Compact the journal into a snapshot once it grows past this many bytes (default 64 MiB). */
  journalCompactBytes?: number;
}

/** Extra handles for the embedded server's own tests and tools (not part of the app contract). */
export interface EmbeddedMongoInternals extends EmbeddedMongo {
  readonly engine: Engine;
  readonly txns: TransactionManager;
  readonly cursors: CursorRegistry;
  /** Compacts the journal into a snapshot now (no-op in memory). */
  compact(): Promise<void>;
}

const SILENT: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };
const MAINTENANCE_MS = 30_000;

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

export async function startEmbeddedMongo(options: EmbeddedMongoInternalOptions = {}): Promise<EmbeddedMongoInternals> {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopback(host)) {
    throw new Error(`embedded-mongo has no authentication and only listens on loopback addresses, not '${host}'`);
  }
  const logger = options.logger ?? SILENT;
  const engine = new Engine();
  const txns = new TransactionManager(engine);
  const cursors = new CursorRegistry();
  let dataDir: DataDir | null = null;
  if (options.dataDir) dataDir = await openDataDir(options.dataDir, engine, logger, options.journalCompactBytes);
  const durability: Durability = dataDir ?? { commit: () => Promise.resolve() };
  const slowCommandMs = options.slowCommandMs ?? (Number(process.env.EMBEDDED_MONGO_SLOW_MS) || 0);
  const server = new WireServer({ engine, txns, cursors, durability, logger, slowCommandMs });
  let bound: { host: string; port: number };
  try {
    bound = await server.listen(host, options.port ?? 0);
  } catch (err) {
    await dataDir?.close();
    throw err;
  }

  let sweeping: Promise<void> = Promise.resolve();
  const ttlTimer = setInterval(() => {
    sweeping = sweeping.then(async () => {
      try {
        if (sweepExpired(engine) > 0) await durability.commit(engine.takePending());
      } catch (err) {
        logger.error({ err }, 'embedded-mongo: TTL sweep failed');
      }
    });
  }, options.ttlSweepMs ?? 1000);
  ttlTimer.unref();
  const maintenanceTimer = setInterval(() => {
    cursors.sweep();
    txns.sweep();
  }, MAINTENANCE_MS);
  maintenanceTimer.unref();

  const uriHost = bound.host.includes(':') ? `[${bound.host}]` : bound.host;
  const uri = `mongodb://${uriHost}:${bound.port}/?directConnection=true`;
  logger.info({ uri, dataDir: options.dataDir ?? null, inMemory: !options.dataDir }, 'embedded-mongo: listening');

  // Bulk loaded documents are only in memory until a snapshot: a clean stop writes one rather than lose them.
  let loadedSinceCheckpoint = false;
  async function checkpoint(): Promise<void> {
    const pending = loadedSinceCheckpoint;
    loadedSinceCheckpoint = false;
    try {
      await dataDir?.compact();
    } catch (err) {
      loadedSinceCheckpoint ||= pending;
      throw err;
    }
  }

  let stopped: Promise<void> | null = null;
  return {
    uri,
    port: bound.port,
    host: bound.host,
    engine,
    txns,
    cursors,
    compact: checkpoint,
    checkpoint,
    async bulkLoad(db, collection, docs) {
      try {
        const loaded = bulkLoad(engine, db, collection, docs);
        if (loaded > 0) loadedSinceCheckpoint = true;
        return loaded;
      } finally {
        // The collection's creation, if this made it, is journaled like any command's.
        await durability.commit(engine.takePending());
      }
    },
    stop() {
      stopped ??= (async () => {
        clearInterval(ttlTimer);
        clearInterval(maintenanceTimer);
        await server.close();
        await sweeping;
        cursors.clear();
        if (loadedSinceCheckpoint) await checkpoint();
        await dataDir?.close();
        logger.info({ uri }, 'embedded-mongo: stopped');
      })();
      return stopped;
    },
  };
}
