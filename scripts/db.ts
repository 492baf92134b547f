// Standalone embedded MongoDB-compatible server: `npm run db`.
//   DB_PORT      port on 127.0.0.1 (default 27017; 0 = any free port)
//   DB_HOST      loopback address to bind (default 127.0.0.1; anything else is refused: no auth)
//   DB_DATA_DIR  data directory (default var/db)
//   DB_TTL_SWEEP_MS, DB_JOURNAL_COMPACT_MB  tuning (defaults 1000 ms, 64 MB)
// Logs one line with the URI to use as MONGODB_URI, and stops cleanly on SIGINT/SIGTERM. It also
// announces itself next to its data (server.json) so the app and scripts started without
// MONGODB_URI connect to it instead of opening the same data directory.
import { pino } from 'pino';
import path from 'node:path';
import { startEmbeddedMongo } from '../server/embedded-mongo/index.js';
import { announceEmbedded, withdrawEmbedded } from '../server/platform/db/embedded-registry.js';

const logger = pino({ level: process.env.LOG_LEVEL ?? 'info', base: { app: 'dannguyen-db' } });

async function main(): Promise<void> {
  const port = Number(process.env.DB_PORT ?? 27017);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`DB_PORT must be a port number, got '${process.env.DB_PORT ?? ''}'`);
  const dataDir = process.env.DB_DATA_DIR ?? 'var/db';
  const ttlSweepMs = process.env.DB_TTL_SWEEP_MS ? Number(process.env.DB_TTL_SWEEP_MS) : undefined;
  const journalCompactBytes = process.env.DB_JOURNAL_COMPACT_MB ? Number(process.env.DB_JOURNAL_COMPACT_MB) * 1024 * 1024 : undefined;
  const db = await startEmbeddedMongo({ host: process.env.DB_HOST ?? '127.0.0.1', port, dataDir, ttlSweepMs, logger, journalCompactBytes });
  announceEmbedded(path.resolve(dataDir), db.uri);
  logger.info({ uri: db.uri, dataDir }, `embedded MongoDB ready: MONGODB_URI=${db.uri}`);

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping embedded MongoDB');
    withdrawEmbedded(path.resolve(dataDir));
    db.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'embedded MongoDB did not stop cleanly');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  logger.error({ err }, 'embedded MongoDB failed to start');
  process.exit(1);
});
