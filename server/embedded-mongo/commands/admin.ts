// Catalog commands: create, drop, dropDatabase, listCollections, listDatabases,
// renameCollection, and the stats commands tools like to call.

import { calculateObjectSize, UUID } from 'bson';
import { Query } from 'mingo';
import { badValue, MongoServerError } from '../errors.js';
import { mingoOptions } from '../query/filter.js';
import type { Collection } from '../storage/collection.js';
import type { Doc } from '../storage/types.js';
import { collectionArg, cursorReply, optionalDoc, optionalNumber, type CommandHandler } from './context.js';

const UNSUPPORTED_CREATE_OPTIONS: Record<string, string> = {
  capped: 'capped collections are not supported by the embedded server',
  viewOn: 'views are not supported by the embedded server',
  timeseries: 'time-series collections are not supported by the embedded server',
  clusteredIndex: 'clustered collections are not supported by the embedded server',
  changeStreamPreAndPostImages: 'change streams are not supported by the embedded server',
};

/** A stable UUID per collection object, reported by listCollections. */
const uuids = new WeakMap<Collection, UUID>();
function uuidOf(coll: Collection): UUID {
  let u = uuids.get(coll);
  if (!u) {
    u = new UUID();
    uuids.set(coll, u);
  }
  return u;
}

const create: CommandHandler = (cmd, ctx) => {
  const name = collectionArg(cmd, 'create');
  for (const [opt, reason] of Object.entries(UNSUPPORTED_CREATE_OPTIONS)) {
    if (cmd[opt] !== undefined && cmd[opt] !== false) throw new MongoServerError('CommandNotSupported', reason);
  }
  if (ctx.engine.getCollection(ctx.db, name)) throw new MongoServerError('NamespaceExists', `Collection ${ctx.db}.${name} already exists.`);
  const options: Doc = {};
  for (const k of ['validator', 'validationLevel', 'validationAction', 'collation']) if (cmd[k] !== undefined) options[k] = cmd[k];
  ctx.engine.ensureCollection(ctx.db, name, options);
  return { ok: 1 };
};

const drop: CommandHandler = (cmd, ctx) => {
  const name = collectionArg(cmd, 'drop');
  const coll = ctx.engine.getCollection(ctx.db, name);
  if (!coll) return { ok: 1 }; // MongoDB 7.0+: dropping a missing collection succeeds
  const nIndexesWas = coll.indexes.size;
  ctx.engine.dropCollection(ctx.db, name);
  return { nIndexesWas, ns: `${ctx.db}.${name}`, ok: 1 };
};

const dropDatabase: CommandHandler = (_cmd, ctx) => {
  ctx.engine.dropDatabase(ctx.db);
  return { dropped: ctx.db, ok: 1 };
};

function collectionInfo(coll: Collection, nameOnly: boolean): Doc {
  if (nameOnly) return { name: coll.name, type: 'collection' };
  return {
    name: coll.name,
    type: 'collection',
    options: { ...coll.options },
    info: { readOnly: false, uuid: uuidOf(coll) },
    idIndex: { v: 2, key: { _id: 1 }, name: '_id_' },
  };
}

const listCollections: CommandHandler = (cmd, ctx) => {
  const nameOnly = cmd.nameOnly === true;
  const filter = optionalDoc(cmd, 'filter');
  let infos = ctx.engine.collections(ctx.db).map((c) => collectionInfo(c, nameOnly));
  if (filter && Object.keys(filter).length > 0) {
    const q = new Query(filter, mingoOptions());
    // A nameOnly listing still filters on the full description.
    infos = ctx.engine
      .collections(ctx.db)
      .filter((c) => q.test(collectionInfo(c, false)))
      .map((c) => collectionInfo(c, nameOnly));
  }
  const ns = `${ctx.db}.$cmd.listCollections`;
  const cursor = optionalDoc(cmd, 'cursor') ?? {};
  return cursorReply(ns, ctx.cursors.firstBatch(ns, infos, optionalNumber(cursor, 'batchSize')), true);
};

function dataSize(colls: Collection[]): number {
  let bytes = 0;
  for (const c of colls) for (const r of c.records.values()) bytes += calculateObjectSize(r.doc);
  return bytes;
}

const listDatabases: CommandHandler = (cmd, ctx) => {
  const nameOnly = cmd.nameOnly === true;
  let dbs: Doc[] = ctx.engine.databaseNames().map((name) => {
    if (nameOnly) return { name };
    const size = dataSize(ctx.engine.collections(name));
    return { name, sizeOnDisk: size, empty: size === 0 };
  });
  const filter = optionalDoc(cmd, 'filter');
  if (filter && Object.keys(filter).length > 0) {
    const q = new Query(filter, mingoOptions());
    dbs = dbs.filter((d) => q.test(d));
  }
  const reply: Doc = { databases: dbs, ok: 1 };
  if (!nameOnly) reply.totalSize = dbs.reduce((s, d) => s + Number(d.sizeOnDisk ?? 0), 0);
  return reply;
};

function splitNs(ns: unknown): [string, string] {
  if (typeof ns !== 'string' || !ns.includes('.')) throw badValue(`Invalid namespace specified '${String(ns)}'`);
  const dot = ns.indexOf('.');
  return [ns.slice(0, dot), ns.slice(dot + 1)];
}

const renameCollection: CommandHandler = (cmd, ctx) => {
  const [db, name] = splitNs(cmd.renameCollection);
  const [toDb, toName] = splitNs(cmd.to);
  if (!ctx.engine.getCollection(db, name)) throw new MongoServerError('NamespaceNotFound', 'Source collection does not exist');
  if (ctx.engine.getCollection(toDb, toName)) {
    if (cmd.dropTarget !== true) throw new MongoServerError('NamespaceExists', 'target namespace exists');
    ctx.engine.dropCollection(toDb, toName);
  }
  ctx.engine.renameCollection(db, name, toDb, toName);
  return { ok: 1 };
};

const collStats: CommandHandler = (cmd, ctx) => {
  const name = collectionArg(cmd, 'collStats');
  const coll = ctx.engine.getCollection(ctx.db, name);
  if (!coll) throw new MongoServerError('NamespaceNotFound', `Collection [${ctx.db}.${name}] not found.`);
  const size = dataSize([coll]);
  return { ns: coll.ns, count: coll.records.size, size, storageSize: size, nindexes: coll.indexes.size, ok: 1 };
};

const dbStats: CommandHandler = (_cmd, ctx) => {
  const colls = ctx.engine.collections(ctx.db);
  const size = dataSize(colls);
  const objects = colls.reduce((n, c) => n + c.records.size, 0);
  return {
    db: ctx.db,
    collections: colls.length,
    views: 0,
    objects,
    dataSize: size,
    storageSize: size,
    indexes: colls.reduce((n, c) => n + c.indexes.size, 0),
    ok: 1,
  };
};

const validate: CommandHandler = (cmd, ctx) => {
  const name = collectionArg(cmd, 'validate');
  const coll = ctx.engine.getCollection(ctx.db, name);
  if (!coll) throw new MongoServerError('NamespaceNotFound', `Collection '${ctx.db}.${name}' does not exist to validate.`);
  const keysPerIndex: Doc = {};
  for (const idx of coll.indexes.values()) keysPerIndex[idx.name] = idx.size;
  return { ns: coll.ns, nrecords: coll.records.size, nIndexes: coll.indexes.size, keysPerIndex, valid: true, errors: [], ok: 1 };
};

export const adminCommands: Record<string, CommandHandler> = {
  create,
  drop,
  dropDatabase,
  listCollections,
  listDatabases,
  renameCollection,
  collStats,
  dbStats,
  validate,
};
