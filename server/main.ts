// Composition root: configuration → database → app → listen → jobs → graceful shutdown.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createApp } from './app.js';
import { seedBaseData } from './seed.js';
import { ONE_OFF_TASKS } from './one-off-tasks.js';
import { runOneOffTasks } from './platform/db/one-off.js';
import { ensureFirstAdmin } from './users/index.js';
import { ensureUploadIndexes } from './attachments/index.js';
import { startScheduledJobs } from './jobs.js';
import { configureNotifications } from './notifications/index.js';
import { systemClock } from './platform/clock.js';
import { readConfigOrExit } from './platform/startup.js';
import { connectDatabase } from './platform/db/connect.js';
import { ensureRateLimitIndexes } from './platform/http/rate-limit.js';
import { ensureSessionIndexes } from './platform/http/session.js';
import { createTranslator } from './platform/i18n.js';
import { createLogger } from './platform/logger.js';
import { LOCALES_DIR, PROJECT_ROOT } from './platform/paths.js';
import { closeServer, installShutdown } from './platform/shutdown.js';

async function main(): Promise<void> {
  const config = readConfigOrExit();
  const logger = createLogger(config.LOG_LEVEL);
  const clock = systemClock;
  const database = await connectDatabase({ uri: config.MONGODB_URI, dbName: config.MONGODB_DB, dataDir: path.resolve(PROJECT_ROOT, config.DATA_DIR), logger });
  await ensureRateLimitIndexes(database.connection);
  await ensureSessionIndexes(database.connection);
  await ensureUploadIndexes();
  await ensureFirstAdmin({ clock }, logger);
  // Reference lists and the calendar: missing entries are added, admins' edits are never overwritten.
  await seedBaseData(clock);
  // Data changes a new version makes once per database (e.g. search words derived by a new rule).
  await runOneOffTasks(database.connection, ONE_OFF_TASKS, logger);

  const translator = createTranslator(LOCALES_DIR);
  const app = createApp({ config, clock, logger, connection: database.connection, translator });
  const server = http.createServer(app);
  server.keepAliveTimeout = 65_000; // longer than common proxies' idle timeouts
  // Emails render with the office's settings; the scheduled jobs (outbox sender, upload purge, …: see
  // jobs.ts) run here unless JOBS_IN_PROCESS=false leaves them to `npm run worker`.
  configureNotifications({ config, translator });
  const db = database.connection.db;
  if (!db) throw new Error('the database is not connected');
  const jobs = config.JOBS_IN_PROCESS ? await startScheduledJobs({ config, clock, logger, db, role: 'app' }) : null;

  // Signals are handled from here on, so a stop during start-up still closes the database cleanly.
  installShutdown(logger, [
    { name: 'jobs', run: () => (jobs ? jobs.stop(10_000) : Promise.resolve()) },
    { name: 'http', run: () => (server.listening ? closeServer(server, 10_000) : Promise.resolve()) },
    { name: 'database', run: () => database.close() },
  ]);
  await new Promise<void>((resolve) => server.listen(config.PORT, config.HOST, resolve));
  const { port } = server.address() as AddressInfo;
  logger.info({ url: config.BASE_URL, host: config.HOST, port }, `Dân Nguyện is listening on http://${config.HOST}:${port} (public address ${config.BASE_URL})`);
}

main().catch((err: unknown) => {
  console.error('Dân Nguyện failed to start:', err);
  process.exit(1);
});
