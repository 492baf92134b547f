// Composition root: configuration → database → app → listen → jobs → graceful shutdown.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createApp } from './app.js';
import { ensureFirstAdmin } from './users/index.js';
import { seedCalendar } from './calendar/index.js';
import { ensureUploadIndexes, purgeOrphanUploads } from './attachments/index.js';
import { seedReferenceData } from './reference/index.js';
import { systemClock } from './platform/clock.js';
import { ConfigError, loadConfig } from './platform/config.js';
import { connectDatabase } from './platform/db/connect.js';
import { ensureRateLimitIndexes } from './platform/http/rate-limit.js';
import { ensureSessionIndexes } from './platform/http/session.js';
import { createTranslator } from './platform/i18n.js';
import { createLogger } from './platform/logger.js';
import { LOCALES_DIR, PROJECT_ROOT } from './platform/paths.js';
import { closeServer, installShutdown } from './platform/shutdown.js';

function loadDotEnv(): void {
  const file = path.join(PROJECT_ROOT, '.env');
  // Node ≥ 20.12 reads .env files itself; variables already set in the environment win.
  if (fs.existsSync(file)) process.loadEnvFile(file);
}

async function main(): Promise<void> {
  loadDotEnv();
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  const logger = createLogger(config.LOG_LEVEL);
  const clock = systemClock;
  const database = await connectDatabase({ uri: config.MONGODB_URI, dbName: config.MONGODB_DB, dataDir: path.resolve(PROJECT_ROOT, config.DATA_DIR), logger });
  await ensureRateLimitIndexes(database.connection);
  await ensureSessionIndexes(database.connection);
  await ensureUploadIndexes();
  await ensureFirstAdmin({ clock }, logger);
  // Reference lists and the calendar: missing entries are added, admins' edits are never overwritten.
  await seedReferenceData();
  await seedCalendar(clock);

  const translator = createTranslator(LOCALES_DIR);
  const app = createApp({ config, clock, logger, connection: database.connection, translator });
  const server = http.createServer(app);
  server.keepAliveTimeout = 65_000; // longer than common proxies' idle timeouts
  // Signals are handled from here on, so a stop during start-up still closes the database cleanly.
  // Uploads left unlinked by a crash or an abandoned form are removed after a day. Idempotent, so any
  // number of instances may run it (the job scheduler of the notifications module will take it over).
  const purge = setInterval(() => {
    purgeOrphanUploads(new Date(clock.now().getTime() - 24 * 3_600_000)).catch((err: unknown) => logger.error({ err }, 'purging orphan uploads failed'));
  }, 3_600_000);
  purge.unref();

  installShutdown(logger, [
    { name: 'jobs', run: () => Promise.resolve(clearInterval(purge)) },
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
