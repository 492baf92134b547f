// Batch write commands: insert, update, delete. Each statement's failure becomes an entry of
// `writeErrors` (ordered batches stop at the first one), exactly like mongod's replies.

import { calculateObjectSize } from 'bson';
import { isPlainObject, valuesEqual } from '../bson-order.js';
import { badValue, MongoServerError, toServerError } from '../errors.js';
import { applyUpdate, buildUpsertDoc, isOperatorUpdate, isPipelineUpdate, type UpdateSpec } from '../query/update.js';
import type { SortSpec } from '../query/sort.js';
import type { Collection } from '../storage/collection.js';
import type { Doc } from '../storage/types.js';
import { MAX_BSON_SIZE } from '../wire.js';
import {
  collectionArg,
  deleteDoc,
  findMatches,
  insertDoc,
  isFatalWriteError,
  prepareInsert,
  replaceDoc,
  type CommandContext,
  type CommandHandler,
} from './context.js';

function statements(cmd: Doc, field: string): Doc[] {
  const v = cmd[field];
  if (!Array.isArray(v)) throw badValue(`BSON field '${field}' is missing or not an array`);
  return v.map((s) => {
    if (!isPlainObject(s)) throw badValue(`each entry of '${field}' must be an object`);
    return s;
  });
}

/** Runs the statements of a batch, collecting writeErrors; transaction-ending errors propagate. */
function runBatch(ctx: CommandContext, cmd: Doc, stmts: Doc[], each: (stmt: Doc, index: number) => void): Doc[] {
  const ordered = cmd.ordered !== false;
  const writeErrors: Doc[] = [];
  for (let i = 0; i < stmts.length; i++) {
    try {
      each(stmts[i] as Doc, i);
    } catch (err) {
      if (isFatalWriteError(err)) throw err;
      const e = toServerError(err);
      if (e.codeName === 'InternalError') ctx.logger.error({ err }, 'embedded-mongo: internal error in write');
      writeErrors.push(e.toWriteError(i));
      // A failed statement aborts the transaction it ran in (as in MongoDB).
      if (ctx.txn) ctx.txns.abort(ctx.txn);
      if (ordered || ctx.txn) break;
    }
  }
  return writeErrors;
}

function withErrors(reply: Doc, writeErrors: Doc[]): Doc {
  if (writeErrors.length > 0) reply.writeErrors = writeErrors;
  return reply;
}

const insert: CommandHandler = (cmd, ctx) => {
  const coll = ctx.engine.ensureCollection(ctx.db, collectionArg(cmd, 'insert'));
  const docs = statements(cmd, 'documents');
  let n = 0;
  const writeErrors = runBatch(ctx, cmd, docs, (raw) => {
    if (ctx.messageSize > MAX_BSON_SIZE) {
      const size = calculateObjectSize(raw);
      if (size > MAX_BSON_SIZE) throw new MongoServerError('BSONObjectTooLarge', `object to insert too large. size in bytes: ${size}, max size: ${MAX_BSON_SIZE}`);
    }
    insertDoc(ctx, coll, prepareInsert(raw));
    n++;
  });
  return withErrors({ n, ok: 1 }, writeErrors);
};

export interface UpdateOutcome {
  matched: number;
  modified: number;
  upsertedId?: unknown;
  /** The document before/after the change (for findAndModify). */
  before?: Doc;
  after?: Doc;
}

/** One update statement (also used by findAndModify). */
export function updateOne(
  ctx: CommandContext,
  coll: Collection,
  q: Doc,
  u: UpdateSpec,
  opts: { multi: boolean; upsert: boolean; arrayFilters?: Doc[]; collation?: Doc | null; sort?: SortSpec | null },
): UpdateOutcome {
  if (opts.multi && !isPipelineUpdate(u) && !isOperatorUpdate(u)) {
    throw new MongoServerError('FailedToParse', 'multi update is not supported for replacement-style update');
  }
  const matches = findMatches(ctx, coll, q, { limit: opts.multi ? 0 : 1, collation: opts.collation, sort: opts.sort ?? null });
  if (matches.length === 0) {
    if (!opts.upsert) return { matched: 0, modified: 0 };
    const doc = buildUpsertDoc(q, u, opts.arrayFilters, opts.collation);
    insertDoc(ctx, coll, doc);
    return { matched: 0, modified: 0, upsertedId: doc._id, after: doc };
  }
  let modified = 0;
  let before: Doc | undefined;
  let after: Doc | undefined;
  for (const m of matches) {
    const next = applyUpdate(m.doc, u, { filter: q, arrayFilters: opts.arrayFilters, inserting: false, collation: opts.collation });
    before ??= m.doc;
    after ??= next;
    if (valuesEqual(m.doc, next)) continue;
    replaceDoc(ctx, coll, m, next);
    modified++;
  }
  return { matched: matches.length, modified, before, after };
}

const update: CommandHandler = (cmd, ctx) => {
  const name = collectionArg(cmd, 'update');
  const stmts = statements(cmd, 'updates');
  // Like mongod, only an upsert creates a missing collection.
  const coll = ctx.engine.getCollection(ctx.db, name) ?? (stmts.some((s) => s.upsert === true) ? ctx.engine.ensureCollection(ctx.db, name) : undefined);
  if (!coll) return { n: 0, nModified: 0, ok: 1 };
  let n = 0;
  let nModified = 0;
  const upserted: Doc[] = [];
  const writeErrors = runBatch(ctx, cmd, stmts, (s, index) => {
    const q = isPlainObject(s.q) ? s.q : {};
    const u = s.u;
    if (!isPlainObject(u) && !Array.isArray(u)) throw badValue("BSON field 'update.updates.u' is missing or not an object");
    const r = updateOne(ctx, coll, q, u as UpdateSpec, {
      multi: s.multi === true,
      upsert: s.upsert === true,
      arrayFilters: Array.isArray(s.arrayFilters) ? (s.arrayFilters as Doc[]) : undefined,
      collation: isPlainObject(s.collation) ? s.collation : null,
    });
    if (r.upsertedId !== undefined) {
      upserted.push({ index, _id: r.upsertedId });
      n++;
    } else {
      n += r.matched;
      nModified += r.modified;
    }
  });
  const reply: Doc = { n, nModified, ok: 1 };
  if (upserted.length > 0) reply.upserted = upserted;
  return withErrors(reply, writeErrors);
};

const del: CommandHandler = (cmd, ctx) => {
  const coll = ctx.engine.getCollection(ctx.db, collectionArg(cmd, 'delete'));
  const stmts = statements(cmd, 'deletes');
  let n = 0;
  const writeErrors = runBatch(ctx, cmd, stmts, (s) => {
    const limit = Number(s.limit ?? 0);
    if (limit !== 0 && limit !== 1) throw badValue(`The limit field in delete objects must be 0 or 1. Got ${limit}`);
    if (!coll) return;
    const matches = findMatches(ctx, coll, isPlainObject(s.q) ? s.q : {}, {
      limit,
      collation: isPlainObject(s.collation) ? s.collation : null,
    });
    for (const m of matches) {
      deleteDoc(ctx, coll, m);
      n++;
    }
  });
  return withErrors({ n, ok: 1 }, writeErrors);
};

export const writeCommands: Record<string, CommandHandler> = { insert, update, delete: del };
