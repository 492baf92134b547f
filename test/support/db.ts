// The database the test suite runs against: TEST_MONGODB_URI when set (a real MongoDB replica set),
// otherwise ONE in-memory embedded server per test run, started on first use.
import { randomBytes } from 'node:crypto';
import { startEmbeddedMongo, type EmbeddedMongo } from '../../server/embedded-mongo/index.js';

let embedded: Promise<EmbeddedMongo> | null = null;

/** True when the suite runs against an external MongoDB rather than the embedded server. */
export function usingExternalMongo(): boolean {
  return Boolean(process.env.TEST_MONGODB_URI);
}

export async function getTestMongoUri(): Promise<string> {
  const external = process.env.TEST_MONGODB_URI;
  if (external) return external;
  embedded ??= startEmbeddedMongo({ ttlSweepMs: 200 });
  return (await embedded).uri;
}

/** The embedded server the suite runs against (in this process), or null against an external MongoDB. */
export async function testEmbeddedMongo(): Promise<EmbeddedMongo | null> {
  if (usingExternalMongo()) return null;
  await getTestMongoUri();
  return embedded ? await embedded : null;
}

export async function stopTestMongo(): Promise<void> {
  if (!embedded) return;
  const started = embedded;
  embedded = null;
  await (await started).stop();
}

/** A database name no other test file uses, e.g. `t_users_3f9a1c2b`. */
export function uniqueDbName(prefix: string): string {
  const safe = prefix.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 40);
  return `t_${safe}_${randomBytes(4).toString('hex')}`;
}
