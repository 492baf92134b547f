// findAndModify (findOneAndUpdate/Replace/Delete): one document, chosen by query + sort, changed
// atomically; errors are command errors (not writeErrors), as in mongod.

import { isPlainObject } from '../bson-order.js';
import { badValue } from '../errors.js';
import { projectDocs } from '../query/projection.js';
import { parseSort } from '../query/sort.js';
import type { UpdateSpec } from '../query/update.js';
import type { Doc } from '../storage/types.js';
import { collectionArg, deleteDoc, findMatches, optionalDoc, type CommandHandler } from './context.js';
import { updateOne } from './write.js';

const findAndModify: CommandHandler = (cmd, ctx) => {
  const name = collectionArg(cmd, Object.keys(cmd)[0] ?? 'findAndModify');
  const query = optionalDoc(cmd, 'query') ?? {};
  const sort = parseSort(cmd.sort);
  const fields = optionalDoc(cmd, 'fields');
  const collation = optionalDoc(cmd, 'collation') ?? null;
  const remove = cmd.remove === true;
  const upsert = cmd.upsert === true;
  const update = cmd.update as UpdateSpec | undefined;
  if (remove && update !== undefined) throw badValue('Cannot specify both an update and remove=true');
  if (!remove && !isPlainObject(update) && !Array.isArray(update)) throw badValue('Either an update or remove=true must be specified');
  if (remove && upsert) throw badValue('Cannot specify both upsert=true and remove=true');
  const project = (d: Doc | undefined): Doc | null => (d ? (projectDocs([d], fields)[0] ?? null) : null);

  if (remove) {
    const coll = ctx.engine.getCollection(ctx.db, name);
    const match = coll ? findMatches(ctx, coll, query, { sort, limit: 1, collation })[0] : undefined;
    if (!coll || !match) return { lastErrorObject: { n: 0 }, value: null, ok: 1 };
    deleteDoc(ctx, coll, match);
    return { lastErrorObject: { n: 1 }, value: project(match.doc), ok: 1 };
  }

  const coll = upsert ? ctx.engine.ensureCollection(ctx.db, name) : ctx.engine.getCollection(ctx.db, name);
  if (!coll) return { lastErrorObject: { n: 0, updatedExisting: false }, value: null, ok: 1 };
  const r = updateOne(ctx, coll, query, update as UpdateSpec, {
    multi: false,
    upsert,
    arrayFilters: Array.isArray(cmd.arrayFilters) ? (cmd.arrayFilters as Doc[]) : undefined,
    collation,
    sort,
  });
  const returnNew = cmd.new === true;
  if (r.upsertedId !== undefined) {
    return {
      lastErrorObject: { n: 1, updatedExisting: false, upserted: r.upsertedId },
      value: returnNew ? project(r.after) : null,
      ok: 1,
    };
  }
  return {
    lastErrorObject: { n: r.matched, updatedExisting: r.matched > 0 },
    value: project(returnNew ? r.after : r.before),
    ok: 1,
  };
};

export const findAndModifyCommands: Record<string, CommandHandler> = { findAndModify, findandmodify: findAndModify };
