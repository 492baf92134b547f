// Shared helpers for the embedded-mongo suites. The conformance suites only use the public
// driver API so they pass unchanged against a real MongoDB (TEST_MONGODB_URI).
import mongoose from 'mongoose';
import { getTestMongoUri, uniqueDbName, usingExternalMongo } from '../support/db.js';

// The driver bundled with mongoose (6.x); the top-level `mongodb` package is connect-mongo's 7.x.
export const { MongoClient, GridFSBucket, ObjectId, Binary, MongoServerError } = mongoose.mongo;
export type MongoClientT = InstanceType<typeof MongoClient>;
export type Db = mongoose.mongo.Db;
export type Document = mongoose.mongo.Document;
export type Collection<T extends Document = Document> = mongoose.mongo.Collection<T>;

export { uniqueDbName, usingExternalMongo };

export async function connectClient(options: Record<string, unknown> = {}): Promise<MongoClientT> {
  return MongoClient.connect(await getTestMongoUri(), { serverSelectionTimeoutMS: 10_000, ...options });
}

/**
 * Skips the current test/suite against an external MongoDB. Callers put the reason in the test
 * title ("embedded only: ..."), so a skip is never silent.
 */
export function embeddedOnly(ctx: Mocha.Context): void {
  if (usingExternalMongo()) ctx.skip();
}

/** The MongoDB error code of a rejected promise. */
export async function errorOf(p: Promise<unknown>): Promise<{ code?: number; codeName?: string; message: string; errorLabels?: string[]; keyPattern?: unknown; keyValue?: unknown }> {
  try {
    await p;
  } catch (err) {
    const e = err as Error & { code?: number; codeName?: string; errorLabels?: string[]; errorResponse?: { errorLabels?: string[] }; keyPattern?: unknown; keyValue?: unknown };
    return { code: e.code, codeName: e.codeName, message: e.message, errorLabels: e.errorLabels ?? e.errorResponse?.errorLabels, keyPattern: e.keyPattern, keyValue: e.keyValue };
  }
  throw new Error('expected the operation to fail, but it succeeded');
}

export async function waitFor(check: () => Promise<boolean> | boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

export interface IndexInfo {
  name: string;
  key: Record<string, number>;
  v?: number;
  unique?: boolean;
  sparse?: boolean;
  expireAfterSeconds?: number;
  partialFilterExpression?: Document;
}

export async function indexesOf(c: Collection): Promise<IndexInfo[]> {
  return (await c.listIndexes().toArray()) as IndexInfo[];
}

export async function indexNames(c: Collection): Promise<string[]> {
  return (await indexesOf(c)).map((i) => i.name);
}

export async function collectionNames(db: Db, filter: Document = {}): Promise<string[]> {
  const infos = (await db.listCollections(filter, { nameOnly: true }).toArray()) as { name: string }[];
  return infos.map((c) => c.name);
}

/** Reply of a cursor-returning command (find, aggregate, getMore), typed for the tests. */
export interface CursorReply {
  cursor: { firstBatch?: Document[]; nextBatch?: Document[]; id: { toString(): string }; ns: string };
  ok: number;
}

export async function cursorCommand(db: Db, cmd: Document): Promise<CursorReply> {
  return (await db.command(cmd)) as CursorReply;
}
