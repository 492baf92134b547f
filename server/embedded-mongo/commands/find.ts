// Read commands: find, getMore, killCursors, count, distinct, explain.

import { compareValues, canonicalKey, pathValues, EMPTY_ARRAY_KEY } from '../bson-order.js';
import { badValue, MongoServerError } from '../errors.js';
import { projectDocs } from '../query/projection.js';
import { parseSort } from '../query/sort.js';
import type { Doc } from '../storage/types.js';
import { collectionArg, cursorReply, find, optionalDoc, optionalNumber, type CommandContext, type CommandHandler } from './context.js';

function cursorIdOf(v: unknown): number {
  if (typeof v === 'number') return v;
  if (v && typeof v === 'object' && 'toNumber' in v && typeof v.toNumber === 'function') return (v as { toNumber(): number }).toNumber();
  throw new MongoServerError('TypeMismatch', "BSON field 'getMore.getMore' is the wrong type, expected type 'long'");
}

interface FindRequest {
  ns: string;
  docs: Doc[];
  docsExamined: number;
  plan: string;
  indexName: string | null;
}

function runFind(cmd: Doc, ctx: CommandContext): FindRequest {
  const name = collectionArg(cmd, 'find');
  const coll = ctx.engine.getCollection(ctx.db, name);
  const filter = optionalDoc(cmd, 'filter');
  let limit = optionalNumber(cmd, 'limit') ?? 0;
  const skip = optionalNumber(cmd, 'skip') ?? 0;
  if (skip < 0) throw badValue('skip value must be non-negative');
  if (limit < 0) limit = -limit; // legacy negative limit: one batch
  const res = find(ctx, coll, filter, {
    sort: parseSort(cmd.sort),
    skip,
    limit,
    collation: optionalDoc(cmd, 'collation'),
  });
  const docs = projectDocs(
    res.matches.map((m) => m.doc),
    optionalDoc(cmd, 'projection'),
  );
  return {
    ns: `${ctx.db}.${name}`,
    docs,
    docsExamined: res.docsExamined,
    plan: res.plan.index || res.plan.union ? 'IXSCAN' : 'COLLSCAN',
    indexName: res.plan.union ? res.plan.union.map((p) => p.index?.name ?? 'OR').join(',') : (res.plan.index?.name ?? null),
  };
}

const findCmd: CommandHandler = (cmd, ctx) => {
  const r = runFind(cmd, ctx);
  const rawLimit = optionalNumber(cmd, 'limit') ?? 0;
  const singleBatch = cmd.singleBatch === true || rawLimit < 0;
  const batchSize = optionalNumber(cmd, 'batchSize');
  if (batchSize !== undefined && batchSize < 0) throw badValue('batchSize value must be non-negative');
  return cursorReply(r.ns, ctx.cursors.firstBatch(r.ns, r.docs, batchSize, singleBatch), true);
};

const getMore: CommandHandler = (cmd, ctx) => {
  const id = cursorIdOf(cmd.getMore);
  const collName = typeof cmd.collection === 'string' ? cmd.collection : '';
  const ns = `${ctx.db}.${collName}`;
  return cursorReply(ns, ctx.cursors.getMore(id, ns, optionalNumber(cmd, 'batchSize')), false);
};

const killCursors: CommandHandler = (cmd, ctx) => {
  const ids = Array.isArray(cmd.cursors) ? cmd.cursors.map(cursorIdOf) : [];
  const [killed, notFound] = ctx.cursors.kill(ids);
  return { cursorsKilled: killed, cursorsNotFound: notFound, cursorsAlive: [], cursorsUnknown: [], ok: 1 };
};

const count: CommandHandler = (cmd, ctx) => {
  const coll = ctx.engine.getCollection(ctx.db, collectionArg(cmd, 'count'));
  const query = optionalDoc(cmd, 'query');
  const skip = Math.max(0, optionalNumber(cmd, 'skip') ?? 0);
  const limit = Math.abs(optionalNumber(cmd, 'limit') ?? 0);
  if (!coll) return { n: 0, ok: 1 };
  let n: number;
  if (!ctx.txn && (!query || Object.keys(query).length === 0)) {
    n = coll.records.size; // the metadata count MongoDB also uses for an empty query
    n = Math.max(0, n - skip);
    if (limit > 0) n = Math.min(n, limit);
  } else {
    n = find(ctx, coll, query, { skip, limit, collation: optionalDoc(cmd, 'collation') }).matches.length;
  }
  return { n, ok: 1 };
};

const distinct: CommandHandler = (cmd, ctx) => {
  const coll = ctx.engine.getCollection(ctx.db, collectionArg(cmd, 'distinct'));
  const key = cmd.key;
  if (typeof key !== 'string' || key.length === 0) throw badValue("BSON field 'distinct.key' is missing or not a string");
  const matches = find(ctx, coll, optionalDoc(cmd, 'query'), { collation: optionalDoc(cmd, 'collation') }).matches;
  const seen = new Map<string, unknown>();
  const parts = key.split('.');
  for (const m of matches) {
    for (const v of pathValues(m.doc, parts)) {
      if (v === undefined || v === EMPTY_ARRAY_KEY) continue;
      const k = canonicalKey(v);
      if (!seen.has(k)) seen.set(k, v);
    }
  }
  return { values: [...seen.values()].sort(compareValues), ok: 1 };
};

/** explain for find/count: the plan and MongoDB's executionStats counters. */
const explain: CommandHandler = (cmd, ctx) => {
  const inner = optionalDoc(cmd, 'explain');
  if (!inner) throw badValue('explain requires a command document');
  const innerName = Object.keys(inner)[0];
  if (innerName !== 'find') {
    throw new MongoServerError('CommandNotSupported', `explain of '${String(innerName)}' is not supported by the embedded server`);
  }
  const r = runFind(inner, ctx);
  const scan = r.indexName ? { stage: 'IXSCAN', indexName: r.indexName } : { stage: 'COLLSCAN' };
  const winningPlan = r.indexName ? { stage: 'FETCH', inputStage: scan } : scan;
  return {
    queryPlanner: { namespace: r.ns, winningPlan, rejectedPlans: [] },
    executionStats: {
      executionSuccess: true,
      nReturned: r.docs.length,
      totalDocsExamined: r.docsExamined,
      totalKeysExamined: r.indexName ? r.docsExamined : 0,
    },
    ok: 1,
  };
};

export const findCommands: Record<string, CommandHandler> = {
  find: findCmd,
  getMore,
  killCursors,
  count,
  distinct,
  explain,
};
