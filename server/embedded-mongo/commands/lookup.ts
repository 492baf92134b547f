// The equality form of $lookup ({from, localField, foreignField, as}) run by the server itself: one
// indexed query for every local value at once, then a hash join. Handed to mingo, the same stage
// received every document of the foreign collection (copied when later stages could modify them) for
// each aggregation — seconds per request on a collection of a hundred thousand cases.
import { Double, Int32, Long, ObjectId } from 'bson';
import { isPlainObject } from '../bson-order.js';
import type { Doc } from '../storage/types.js';
import { find, type CommandContext } from './context.js';

export interface EqualityLookup {
  from: string;
  localField: string;
  foreignField: string;
  as: string;
}

/** The stage's arguments when it is the plain equality form (no pipeline, let or sub-options). */
export function equalityLookup(stage: Doc): EqualityLookup | null {
  const arg = stage.$lookup;
  if (!isPlainObject(arg)) return null;
  const keys = Object.keys(arg).sort().join(',');
  if (keys !== 'as,foreignField,from,localField') return null;
  const { from, localField, foreignField, as } = arg;
  if (typeof from !== 'string' || typeof localField !== 'string' || typeof foreignField !== 'string' || typeof as !== 'string') return null;
  if ([localField, foreignField, as].some((f) => f === '' || f.startsWith('$'))) return null;
  return { from, localField, foreignField, as };
}

/** Every value at a dotted path, arrays along the way opened (as MongoDB reads a path for matching). */
function valuesAt(doc: unknown, path: readonly string[]): unknown[] {
  if (path.length === 0) return Array.isArray(doc) ? [doc, ...(doc as unknown[])] : [doc];
  if (Array.isArray(doc)) return doc.flatMap((item) => valuesAt(item, path));
  if (!isPlainObject(doc)) return [undefined];
  return valuesAt(doc[path[0] as string], path.slice(1));
}

/** A key equal for values MongoDB's equality treats as equal (for the types lookups join on). */
function keyOf(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (value instanceof ObjectId) return `o:${value.toHexString()}`;
  if (value instanceof Date) return `d:${value.getTime()}`;
  if (typeof value === 'string') return `s:${value}`;
  if (typeof value === 'number' || typeof value === 'bigint') return `n:${String(value)}`;
  if (typeof value === 'boolean') return `b:${String(value)}`;
  if (value instanceof Long) return `n:${value.toNumber()}`;
  if (value instanceof Int32 || value instanceof Double) return `n:${value.valueOf()}`;
  return `j:${JSON.stringify(value)}`;
}

/**
 * Adds `as` to each document: the foreign documents whose foreignField equals the localField (either
 * side an array: any element). A missing or null local value joins the foreign documents where the
 * field is null or missing, as in MongoDB.
 */
export function runEqualityLookup(ctx: CommandContext, docs: Doc[], spec: EqualityLookup): Doc[] {
  const localPath = spec.localField.split('.');
  const wanted = new Map<string, unknown>();
  const localKeys = docs.map((doc) => {
    const keys = new Set<string>();
    for (const value of valuesAt(doc, localPath)) {
      if (Array.isArray(value)) continue;
      const key = keyOf(value);
      keys.add(key);
      wanted.set(key, value ?? null);
    }
    return [...keys];
  });
  const byKey = new Map<string, Doc[]>();
  if (wanted.size > 0) {
    const coll = ctx.engine.getCollection(ctx.db, spec.from);
    const values = [...wanted.values()].filter((v) => v !== null);
    // Two queries rather than one $or: each uses the index on its own, where the planner scans a $or.
    const filters: Doc[] = [];
    if (values.length > 0) filters.push({ [spec.foreignField]: { $in: values } });
    if (wanted.has('null')) filters.push({ [spec.foreignField]: null });
    const foreignPath = spec.foreignField.split('.');
    const found = new Set<Doc>();
    for (const filter of filters) for (const { doc } of find(ctx, coll, filter, {}).matches) found.add(doc);
    for (const doc of found) {
      const keys = new Set(valuesAt(doc, foreignPath).filter((v) => !Array.isArray(v)).map(keyOf));
      for (const key of keys) {
        if (!wanted.has(key)) continue;
        const list = byKey.get(key);
        if (list) list.push(doc);
        else byKey.set(key, [doc]);
      }
    }
  }
  return docs.map((doc, i) => {
    const seen = new Set<Doc>();
    const joined: Doc[] = [];
    for (const key of localKeys[i]!) for (const f of byKey.get(key) ?? []) if (!seen.has(f)) joined.push((seen.add(f), f));
    return setPath(doc, spec.as.split('.'), joined);
  });
}

/** A shallow copy of the document with `value` at the path (objects along the path copied, not shared). */
function setPath(doc: Doc, path: readonly string[], value: unknown): Doc {
  const [head, ...rest] = path as [string, ...string[]];
  if (rest.length === 0) return { ...doc, [head]: value };
  const inner = isPlainObject(doc[head]) ? (doc[head] as Doc) : {};
  return { ...doc, [head]: setPath(inner, rest, value) };
}
