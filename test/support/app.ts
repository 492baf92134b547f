// The app under test: the real Express app on the real (embedded or TEST_MONGODB_URI) database,
// with a fixed clock when a test needs one. Each test starts from empty collections.
import mongoose from 'mongoose';
import type { Express } from 'express';
import { createApp } from '../../server/app.js';
import { fixedClock, systemClock, type Clock } from '../../server/platform/clock.js';
import { loadConfig, type Config } from '../../server/platform/config.js';
import { invalidateAllCaches } from '../../server/platform/cache.js';
import { syncAllIndexes } from '../../server/platform/db/connect.js';
import { ensureRateLimitIndexes } from '../../server/platform/http/rate-limit.js';
import { ensureSessionIndexes } from '../../server/platform/http/session.js';
import { createTranslator, type Translator } from '../../server/platform/i18n.js';
import { createLogger } from '../../server/platform/logger.js';
import { LOCALES_DIR } from '../../server/platform/paths.js';
import type { AppDeps } from '../../server/platform/deps.js';
import { getTestMongoUri } from './db.js';

export const TEST_DB_NAME = 'dn_test_app';

let translator: Translator | null = null;

export function testTranslator(): Translator {
  translator ??= createTranslator(LOCALES_DIR);
  return translator;
}

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    SESSION_SECRET: 'test-secret-that-is-long-enough-for-the-check',
    ...overrides,
  });
}

/** Connects the default mongoose connection (used by the models) once, to the test database. */
export async function connectTestDatabase(): Promise<mongoose.Connection> {
  if (mongoose.connection.readyState !== mongoose.ConnectionStates.connected) {
    await mongoose.connect(await getTestMongoUri(), { dbName: TEST_DB_NAME, serverSelectionTimeoutMS: 10_000 });
  }
  await syncAllIndexes();
  await ensureRateLimitIndexes(mongoose.connection);
  await ensureSessionIndexes(mongoose.connection);
  return mongoose.connection;
}

/**
 * Empties every collection but keeps indexes (dropping the database would drop them, and mongoose
 * builds indexes only once per model).
 */
export async function clearDatabase(): Promise<void> {
  const db = mongoose.connection.db;
  if (!db) throw new Error('test database not connected');
  // The collections are emptied through the driver, not the models: cached lists must go too.
  invalidateAllCaches();
  const collections = await db.listCollections({}, { nameOnly: true }).toArray();
  for (const { name } of collections) {
    if (name.startsWith('system.')) continue;
    await db.collection(name).deleteMany({});
  }
}

export interface TestApp {
  app: Express;
  deps: AppDeps;
  clock: Clock;
}

export function buildTestApp(options: { clock?: Clock; config?: Record<string, string> } = {}): TestApp {
  const clock = options.clock ?? systemClock;
  const config = testConfig(options.config);
  const deps: AppDeps = {
    config,
    clock,
    logger: createLogger(config.LOG_LEVEL),
    connection: mongoose.connection,
    translator: testTranslator(),
  };
  return { app: createApp(deps), deps, clock };
}

/** Registers the usual hooks: connect once per file, empty collections before each test. */
export function useTestDatabase(): void {
  before(async function () {
    this.timeout(60_000);
    await connectTestDatabase();
  });
  beforeEach(async () => {
    await clearDatabase();
  });
}

export { fixedClock };
