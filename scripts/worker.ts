// `npm run worker`: the scheduled jobs (outbox sender, reminder scan, daily digests, upload purge)
// without the web server. Run any number of these beside any number of app instances; set
// JOBS_IN_PROCESS=false on the app instances if the jobs should run only here. Connects like the app:
// MONGODB_URI, or the embedded database of DATA_DIR that a running app announced (var/db/server.json).
import path from 'node:path';
import { ensureUploadIndexes } from '../server/attachments/index.js';
import { startScheduledJobs } from '../server/jobs.js';
import { configureNotifications } from '../server/notifications/index.js';
import { systemClock } from '../server/platform/clock.js';
import { readConfigOrExit } from '../server/platform/startup.js';
import { connectDatabase } from '../server/platform/db/connect.js';
import { createTranslator } from '../server/platform/i18n.js';
import { createLogger } from '../server/platform/logger.js';
import { LOCALES_DIR, PROJECT_ROOT } from '../server/platform/paths.js';
import { installShutdown } from '../server/platform/shutdown.js';

async function main(): Promise<void> {
  const config = readConfigOrExit();
  const logger = createLogger(config.LOG_LEVEL).child({ process: 'worker' });
  const database = await connectDatabase({ uri: config.MONGODB_URI, dbName: config.MONGODB_DB, dataDir: path.resolve(PROJECT_ROOT, config.DATA_DIR), logger });
  await ensureUploadIndexes();
  configureNotifications({ config, translator: createTranslator(LOCALES_DIR) });
  const db = database.connection.db;
  if (!db) throw new Error('the database is not connected');
  const jobs = await startScheduledJobs({ config, clock: systemClock, logger, db, role: 'worker' });
  installShutdown(logger, [
    { name: 'jobs', run: () => jobs.stop(10_000) },
    { name: 'database', run: () => database.close() },
  ]);
  logger.info('worker started: running the scheduled jobs');
}

main().catch((err: unknown) => {
  console.error('Dân Nguyện worker failed to start:', err);
  process.exit(1);
});
