// createIndexes, listIndexes, dropIndexes.

import { isPlainObject } from '../bson-order.js';
import { badValue, MongoServerError } from '../errors.js';
import { compileFilter } from '../query/filter.js';
import type { Doc, IndexSpec } from '../storage/types.js';
import { collectionArg, cursorReply, optionalDoc, optionalNumber, type CommandHandler } from './context.js';

const UNSUPPORTED_INDEX_TYPES = new Set(['text', '2d', '2dsphere', 'geoHaystack', 'columnstore']);
const KNOWN_OPTIONS = new Set(['key', 'name', 'unique', 'sparse', 'partialFilterExpression', 'expireAfterSeconds', 'background', 'collation', 'hidden', 'v', 'ns', 'weights', 'default_language', 'language_override', 'textIndexVersion', 'storageEngine']);

function defaultName(key: Doc): string {
  return Object.entries(key)
    .map(([k, v]) => `${k}_${String(v)}`)
    .join('_');
}

function toSpec(raw: unknown): IndexSpec {
  if (!isPlainObject(raw)) throw badValue('index specification must be an object');
  const key = raw.key;
  if (!isPlainObject(key) || Object.keys(key).length === 0) throw new MongoServerError('CannotCreateIndex', 'Index keys cannot be empty.');
  const normalized: Doc = {};
  for (const [field, dir] of Object.entries(key)) {
    if (typeof dir === 'string') {
      if (UNSUPPORTED_INDEX_TYPES.has(dir)) {
        throw new MongoServerError('CannotCreateIndex', `'${dir}' indexes are not supported by the embedded server (field '${field}')`);
      }
      if (dir !== 'hashed') throw new MongoServerError('CannotCreateIndex', `Unknown index plugin '${dir}'`);
      normalized[field] = dir;
      continue;
    }
    const n = Number(dir);
    if (!Number.isFinite(n) || n === 0) throw new MongoServerError('CannotCreateIndex', `Values in the index key pattern can't be 0 or non-numeric: ${field}`);
    normalized[field] = n < 0 ? -1 : 1;
  }
  const name = typeof raw.name === 'string' && raw.name.length > 0 ? raw.name : defaultName(key);
  const spec: IndexSpec = { v: 2, key: normalized, name };
  for (const [k, v] of Object.entries(raw)) {
    if (k === 'key' || k === 'name' || k === 'v' || k === 'ns' || k === 'background') continue;
    if (!KNOWN_OPTIONS.has(k)) throw new MongoServerError('InvalidIndexSpecificationOption', `The field '${k}' is not valid for an index specification.`);
    spec[k] = v;
  }
  if (spec.unique === false) delete spec.unique;
  if (spec.sparse === false) delete spec.sparse;
  if (spec.expireAfterSeconds !== undefined) {
    const s = Number(spec.expireAfterSeconds);
    if (!Number.isFinite(s) || s < 0) throw new MongoServerError('CannotCreateIndex', 'TTL index \'expireAfterSeconds\' option must be a non-negative number');
    spec.expireAfterSeconds = s;
  }
  if (spec.partialFilterExpression !== undefined) {
    if (!isPlainObject(spec.partialFilterExpression)) throw new MongoServerError('CannotCreateIndex', 'partialFilterExpression must be an object');
    compileFilter(spec.partialFilterExpression);
  }
  if (name === '_id_' && Object.keys(normalized).join() !== '_id') throw badValue('The index name \'_id_\' is reserved for the _id index');
  return spec;
}

const createIndexes: CommandHandler = (cmd, ctx) => {
  const name = collectionArg(cmd, 'createIndexes');
  if (!Array.isArray(cmd.indexes) || cmd.indexes.length === 0) throw badValue('Must specify at least one index to create');
  const specs = cmd.indexes.map(toSpec);
  const existed = ctx.engine.getCollection(ctx.db, name) !== undefined;
  const coll = ctx.engine.ensureCollection(ctx.db, name);
  const before = coll.indexes.size;
  const mark = ctx.engine.pendingCount();
  const created: string[] = [];
  try {
    for (const spec of specs) {
      if (spec.name === '_id_' && coll.indexes.has('_id_')) continue;
      if (coll.createIndex(spec)) created.push(spec.name);
    }
  } catch (err) {
    // All or nothing: undo the indexes this command already built.
    for (const n of created) coll.indexes.delete(n);
    ctx.engine.truncatePending(mark);
    if (!existed && coll.records.size === 0) ctx.engine.dropCollection(ctx.db, name);
    throw err;
  }
  const reply: Doc = { numIndexesBefore: before, numIndexesAfter: coll.indexes.size, createdCollectionAutomatically: !existed, ok: 1 };
  if (created.length === 0) reply.note = 'all indexes already exist';
  return reply;
};

const listIndexes: CommandHandler = (cmd, ctx) => {
  const name = collectionArg(cmd, 'listIndexes');
  const coll = ctx.engine.getCollection(ctx.db, name);
  const ns = `${ctx.db}.${name}`;
  if (!coll) throw new MongoServerError('NamespaceNotFound', `ns does not exist: ${ns}`);
  const specs = [...coll.indexes.values()].map((i) => ({ ...i.spec }));
  const cursor = optionalDoc(cmd, 'cursor') ?? {};
  return cursorReply(ns, ctx.cursors.firstBatch(ns, specs, optionalNumber(cursor, 'batchSize')), true);
};

const dropIndexes: CommandHandler = (cmd, ctx) => {
  const name = collectionArg(cmd, Object.keys(cmd)[0] ?? 'dropIndexes');
  const coll = ctx.engine.getCollection(ctx.db, name);
  if (!coll) throw new MongoServerError('NamespaceNotFound', `ns not found ${ctx.db}.${name}`);
  const was = coll.indexes.size;
  const which = cmd.index;
  if (which === '*') {
    for (const n of [...coll.indexes.keys()]) if (n !== '_id_') coll.dropIndex(n);
  } else if (typeof which === 'string') {
    coll.dropIndex(which);
  } else if (Array.isArray(which)) {
    for (const n of which) if (typeof n === 'string') coll.dropIndex(n);
  } else if (isPlainObject(which)) {
    const idx = coll.findIndexByKey(which);
    if (!idx) throw new MongoServerError('IndexNotFound', `can't find index with key: ${JSON.stringify(which)}`);
    coll.dropIndex(idx.name);
  } else {
    throw badValue("BSON field 'dropIndexes.index' is missing");
  }
  return { nIndexesWas: was, ok: 1 };
};

export const indexCommands: Record<string, CommandHandler> = { createIndexes, listIndexes, dropIndexes, deleteIndexes: dropIndexes };
