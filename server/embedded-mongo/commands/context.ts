// What a command handler receives, and the read/write helpers every handler shares so that each
// write goes through the same transaction-aware path.

import { ObjectId } from 'bson';
import { isPlainObject } from '../bson-order.js';
import type { CursorRegistry } from '../cursors.js';
import { badValue, MongoServerError } from '../errors.js';
import { runQuery, type QueryOptions, type QueryResult } from '../query/execute.js';
import type { Match } from '../query/sort.js';
import type { Collection } from '../storage/collection.js';
import type { Engine } from '../storage/engine.js';
import type { Doc } from '../storage/types.js';
import type { Transaction, TransactionManager } from '../transactions.js';
import { canonicalKey } from '../bson-order.js';

export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface ServerInfo {
  host: string;
  port: number;
  startedAt: Date;
}

export interface CommandContext {
  readonly engine: Engine;
  readonly txns: TransactionManager;
  readonly cursors: CursorRegistry;
  readonly db: string;
  readonly txn: Transaction | null;
  readonly connectionId: number;
  readonly server: ServerInfo;
  readonly logger: Logger;
  /** Size of the request message (large ones get document size checks). */
  readonly messageSize: number;
}

export type CommandHandler = (cmd: Doc, ctx: CommandContext) => Doc;

/** The collection name given as the value of the command's first field. */
export function collectionArg(cmd: Doc, name: string): string {
  const v = cmd[name];
  if (typeof v !== 'string' || v.length === 0) {
    throw new MongoServerError('InvalidNamespace', `collection name has invalid type ${typeof v}`);
  }
  return v;
}

export function optionalDoc(cmd: Doc, field: string): Doc | undefined {
  const v = cmd[field];
  if (v === undefined || v === null) return undefined;
  if (!isPlainObject(v)) throw new MongoServerError('TypeMismatch', `BSON field '${field}' is the wrong type '${typeof v}', expected type 'object'`);
  return v;
}

export function optionalNumber(cmd: Doc, field: string): number | undefined {
  const v = cmd[field];
  if (v === undefined || v === null) return undefined;
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isFinite(n)) throw new MongoServerError('TypeMismatch', `BSON field '${field}' must be a number`);
  return n;
}

export function find(ctx: CommandContext, coll: Collection | undefined, filter: Doc | undefined, opts: QueryOptions): QueryResult {
  return runQuery(ctx.txns.view(ctx.txn, coll), filter, opts, ctx.engine.stats);
}

export function findMatches(ctx: CommandContext, coll: Collection | undefined, filter: Doc | undefined, opts: QueryOptions): Match[] {
  return find(ctx, coll, filter, opts).matches;
}

/** Every visible document of a collection (for $lookup and friends). */
export function allDocs(ctx: CommandContext, coll: Collection | undefined): Doc[] {
  return findMatches(ctx, coll, undefined, {}).map((m) => m.doc);
}

/** Validates a document for insertion and gives it an `_id` (first, as MongoDB does). */
export function prepareInsert(doc: unknown): Doc {
  if (!isPlainObject(doc)) throw badValue('document to insert must be an object');
  const id = doc._id;
  if (Array.isArray(id)) throw new MongoServerError('InvalidIdField', "The '_id' value cannot be of type array");
  if (id instanceof RegExp) throw new MongoServerError('InvalidIdField', "The '_id' value cannot be of type regex");
  if (id === undefined) return { _id: new ObjectId(), ...doc };
  if (Object.keys(doc)[0] === '_id') return doc;
  const { _id, ...rest } = doc;
  return { _id, ...rest };
}

export function insertDoc(ctx: CommandContext, coll: Collection, doc: Doc): void {
  if (ctx.txn) {
    const id = canonicalKey(doc._id);
    if (ctx.txns.visible(ctx.txn, coll, id) !== undefined) throw coll.idIndex.duplicateError(coll.ns, [doc._id]);
    ctx.txns.stage(ctx.txn, coll, id, doc);
    return;
  }
  coll.insert(doc);
}

export function replaceDoc(ctx: CommandContext, coll: Collection, match: Match, doc: Doc): void {
  if (ctx.txn) {
    ctx.txns.stage(ctx.txn, coll, match.id, doc);
    return;
  }
  const rec = coll.records.get(match.id);
  if (!rec) return; // deleted meanwhile: nothing to update
  coll.replace(rec, doc);
}

export function deleteDoc(ctx: CommandContext, coll: Collection, match: Match): void {
  if (ctx.txn) {
    ctx.txns.stage(ctx.txn, coll, match.id, null);
    return;
  }
  const rec = coll.records.get(match.id);
  if (rec) coll.remove(rec);
}

/** Errors that end the whole command (and transaction) instead of becoming a writeError. */
export function isFatalWriteError(err: unknown): boolean {
  return err instanceof MongoServerError && (err.codeName === 'WriteConflict' || err.codeName === 'NoSuchTransaction');
}

export function cursorReply(ns: string, batch: { docs: Doc[]; cursorId: unknown }, first: boolean): Doc {
  return { cursor: { [first ? 'firstBatch' : 'nextBatch']: batch.docs, id: batch.cursorId, ns }, ok: 1 };
}
