// Applies MongoDB update documents (operators, replacements, pipelines) with mingo, adding what
// mingo leaves out: $setOnInsert, upsert document construction, and the type errors MongoDB
// raises where mingo would silently do nothing.

import { ObjectId } from 'bson';
import { updateOne } from 'mingo';
import { cloneDeep } from 'mingo/util';
import { isPlainObject, valuesEqual } from '../bson-order.js';
import { badValue, MongoServerError } from '../errors.js';
import type { Doc } from '../storage/types.js';
import { mingoOptions } from './filter.js';

export type UpdateSpec = Doc | Doc[];

export function isPipelineUpdate(u: UpdateSpec): u is Doc[] {
  return Array.isArray(u);
}

/** True for `{$set: ...}`-style updates, false for replacement documents. */
export function isOperatorUpdate(u: UpdateSpec): boolean {
  if (Array.isArray(u)) return false;
  const keys = Object.keys(u);
  if (keys.length === 0) return false;
  const ops = keys.filter((k) => k.startsWith('$')).length;
  if (ops > 0 && ops < keys.length) {
    throw new MongoServerError('FailedToParse', `Unknown modifier: ${keys.find((k) => !k.startsWith('$')) ?? ''}. Expected a valid update modifier or pipeline-style update specified as an array`);
  }
  return ops > 0;
}

interface PathState {
  exists: boolean;
  value: unknown;
  /** A non-object value sits on the path, so the field cannot be created. */
  blockedBy: string | null;
}

function inspectPath(doc: Doc, path: string): PathState | null {
  const parts = path.split('.');
  if (parts.some((p) => p.startsWith('$'))) return null; // positional paths: leave to mingo
  let cur: unknown = doc;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string;
    if (Array.isArray(cur)) return null;
    if (!isPlainObject(cur)) return { exists: false, value: undefined, blockedBy: parts.slice(0, i).join('.') };
    if (!Object.prototype.hasOwnProperty.call(cur, part)) return { exists: false, value: undefined, blockedBy: null };
    cur = cur[part];
  }
  return { exists: true, value: cur, blockedBy: null };
}

function isNumeric(v: unknown): boolean {
  if (typeof v === 'number') return true;
  const tag = (v as { _bsontype?: string } | null)?._bsontype;
  return tag === 'Long' || tag === 'Int32' || tag === 'Double' || tag === 'Decimal128';
}

/** MongoDB's errors for operator/type mismatches mingo would ignore; also seeds $push arrays. */
const UPDATE_OPERATORS = new Set(['$set', '$unset', '$inc', '$mul', '$min', '$max', '$push', '$addToSet', '$pull', '$pullAll', '$pop', '$rename', '$currentDate', '$bit']);

function precheck(doc: Doc, mod: Doc): void {
  for (const op of Object.keys(mod)) {
    if (!UPDATE_OPERATORS.has(op)) throw new MongoServerError('FailedToParse', `Unknown modifier: ${op}. Expected a valid update modifier or pipeline-style update specified as an array`);
  }
  const idText = (): string => JSON.stringify(doc._id ?? null);
  for (const [op, args] of Object.entries(mod)) {
    if (!isPlainObject(args)) throw badValue(`Modifiers operate on fields but we found type ${typeof args} instead. For example: {$mod: {<field>: ...}} not {${op}: ${JSON.stringify(args)}}`);
    for (const [path, arg] of Object.entries(args)) {
      const st = inspectPath(doc, path);
      if (!st) continue;
      if (st.blockedBy !== null && op !== '$unset' && op !== '$pull' && op !== '$pullAll' && op !== '$pop') {
        throw new MongoServerError('PathNotViable', `Cannot create field '${path.split('.').pop() ?? path}' in element {${st.blockedBy}: ${JSON.stringify(inspectPath(doc, st.blockedBy)?.value)}}`);
      }
      if ((op === '$inc' || op === '$mul') && !isNumeric(arg)) {
        throw new MongoServerError('TypeMismatch', `Cannot ${op === '$inc' ? 'increment' : 'multiply'} with non-numeric argument: {${path}: ${JSON.stringify(arg)}}`);
      }
      if ((op === '$inc' || op === '$mul') && st.exists && !isNumeric(st.value)) {
        throw new MongoServerError('TypeMismatch', `Cannot apply ${op} to a value of non-numeric type. {_id: ${idText()}} has the field '${path}' of non-numeric type ${typeof st.value}`);
      }
      if ((op === '$push' || op === '$addToSet') && st.exists && !Array.isArray(st.value)) {
        throw badValue(`The field '${path}' must be an array but is of type ${st.value === null ? 'null' : typeof st.value} in document {_id: ${idText()}}`);
      }
      if (op === '$push' && !st.exists && isPlainObject(arg) && '$each' in arg) {
        // mingo skips $sort/$slice/$position when it creates the array; give it one to push into.
        setPath(doc, path, []);
      }
    }
  }
}

function setPath(doc: Doc, path: string, value: unknown): void {
  const parts = path.split('.');
  let cur: Doc = doc;
  for (let i = 0; i < parts.length - 1; i++) {
    const part = parts[i] as string;
    if (!isPlainObject(cur[part])) cur[part] = {};
    cur = cur[part] as Doc;
  }
  cur[parts[parts.length - 1] as string] = value;
}

export interface ApplyOptions {
  filter: Doc;
  arrayFilters?: Doc[];
  /** True when the update creates a new document through upsert ($setOnInsert applies). */
  inserting: boolean;
  collation?: Doc | null;
}

/** Returns the updated copy of `doc`; never mutates it. */
export function applyUpdate(doc: Doc, update: UpdateSpec, opts: ApplyOptions): Doc {
  if (isPipelineUpdate(update)) {
    const docs = [cloneDeep<Doc>(doc)];
    updateOne(docs, {}, update as never, {}, mingoOptions(opts.collation));
    return keepIdFirst(docs[0] as Doc, doc._id);
  }
  if (!isOperatorUpdate(update)) return replacement(doc, update);
  const mod: Doc = { ...update };
  const onInsert = mod.$setOnInsert;
  delete mod.$setOnInsert;
  if (opts.inserting && isPlainObject(onInsert)) mod.$set = { ...(isPlainObject(mod.$set) ? mod.$set : {}), ...onInsert };
  const copy = cloneDeep<Doc>(doc);
  // `$set: {_id: <same value>}` is legal in MongoDB (connect-mongo does it); mingo rejects any _id path.
  if (isPlainObject(mod.$set) && '_id' in mod.$set) {
    const { _id: newId, ...rest } = mod.$set;
    if (copy._id === undefined) copy._id = newId;
    else if (!valuesEqual(copy._id, newId)) {
      throw new MongoServerError('ImmutableField', "Performing an update on the path '_id' would modify the immutable field '_id'");
    }
    if (Object.keys(rest).length > 0) mod.$set = rest;
    else delete mod.$set;
  }
  if (Object.keys(mod).length === 0) return copy;
  precheck(copy, mod);
  const positional = JSON.stringify(Object.values(mod).map((v) => (isPlainObject(v) ? Object.keys(v) : []))).includes('.$');
  const docs = [copy];
  // The document already matched the query; mingo needs the query again only to find the element a
  // plain '$' stands for. '$[x]' and '$[]' are resolved by the array filters alone.
  const run = (m: Doc) => updateOne(docs, positional && usesPlainPositional(m) ? opts.filter : {}, m as never, { arrayFilters: opts.arrayFilters as never }, mingoOptions(opts.collation));
  if (positional && hasSiblingPositionalPaths(mod)) {
    // mingo treats 'a.$[x].b' and 'a.$[x].c' as the same path 'a' and refuses them together, while
    // MongoDB accepts them (they are distinct fields). They cannot overlap, so applying them one at a
    // time — array filters evaluated against the original document, hence the order below — is the same.
    for (const m of splitByPath(mod, opts.arrayFilters ?? [], opts.filter ?? {})) run(m);
  } else {
    run(mod);
  }
  return keepIdFirst(docs[0] as Doc, doc._id);
}

/** True when an update has a plain positional path ('a.$.b'), which only the query can resolve. */
function usesPlainPositional(mod: Doc): boolean {
  return Object.values(mod).some((args) => isPlainObject(args) && Object.keys(args).some((path) => /\.\$(\.|$)/.test(path)));
}

/** The last segment of each dotted query path and each $elemMatch field: what a plain '$' part might change. */
function queryArrayFields(query: Doc): string[] {
  const out: string[] = [];
  for (const [key, value] of Object.entries(query)) {
    if (key.includes('.')) out.push(key.slice(key.lastIndexOf('.') + 1));
    if (isPlainObject(value) && isPlainObject(value.$elemMatch)) out.push(...Object.keys(value.$elemMatch));
  }
  return out;
}

/** Two or more positional paths under the same array in one update. */
function hasSiblingPositionalPaths(mod: Doc): boolean {
  const arrays = new Map<string, number>();
  for (const args of Object.values(mod)) {
    if (!isPlainObject(args)) continue;
    for (const path of Object.keys(args)) {
      const at = path.indexOf('.$');
      if (at < 0) continue;
      const base = path.slice(0, at);
      arrays.set(base, (arrays.get(base) ?? 0) + 1);
    }
  }
  return [...arrays.values()].some((n) => n > 1);
}

/**
 * One update per path, the fields that array filters test written last: with a filter like
 * {'p.personId': x}, setting 'list.$[p].personId' first would stop the filter matching for the others.
 */
function splitByPath(mod: Doc, arrayFilters: Doc[], query: Doc): Doc[] {
  // Fields the array filters test, and (for a plain '$') fields the query tests inside the array.
  const tested = new Set([...arrayFilters.flatMap((f) => Object.keys(f).map((k) => k.slice(k.indexOf('.') + 1))), ...queryArrayFields(query)]);
  const parts: { op: string; path: string; value: unknown; late: boolean }[] = [];
  for (const [op, args] of Object.entries(mod)) {
    if (!isPlainObject(args)) continue;
    for (const [path, value] of Object.entries(args)) {
      // 'list.$[p].name' and 'list.$.name' both change 'name'.
      const field = path.replace(/^.*\.\$(\[[^\]]*\])?\.?/, '');
      parts.push({ op, path, value, late: tested.has(field) });
    }
  }
  parts.sort((a, b) => Number(a.late) - Number(b.late));
  return parts.map((p) => ({ [p.op]: { [p.path]: p.value } }));
}

function replacement(doc: Doc, repl: Doc): Doc {
  for (const k of Object.keys(repl)) {
    if (k.startsWith('$')) throw badValue(`The dollar ($) prefixed field '${k}' in '${k}' is not allowed in the context of an update's replacement document.`);
  }
  const out: Doc = { _id: doc._id };
  for (const [k, v] of Object.entries(repl)) if (k !== '_id') out[k] = v;
  if ('_id' in repl && repl._id !== undefined) out._id = repl._id;
  return out;
}

function keepIdFirst(doc: Doc, id: unknown): Doc {
  if (!('_id' in doc)) return { _id: id, ...doc };
  if (Object.keys(doc)[0] === '_id') return doc;
  const { _id, ...rest } = doc;
  return { _id, ...rest };
}

/** Equality fields of a filter, as the seed of an upserted document. */
function equalityFields(filter: Doc, out: Doc): void {
  for (const [k, v] of Object.entries(filter)) {
    if (k === '$and' && Array.isArray(v)) {
      for (const sub of v) if (isPlainObject(sub)) equalityFields(sub, out);
      continue;
    }
    if (k.startsWith('$')) continue;
    if (isPlainObject(v)) {
      const keys = Object.keys(v);
      if (keys.length > 0 && keys.every((x) => x.startsWith('$'))) {
        if ('$eq' in v) setPath(out, k, v.$eq);
        continue;
      }
    }
    if (v instanceof RegExp) continue;
    setPath(out, k, v);
  }
}

/** The document an upsert inserts when nothing matched. */
export function buildUpsertDoc(filter: Doc, update: UpdateSpec, arrayFilters: Doc[] | undefined, collation?: Doc | null): Doc {
  const seed: Doc = {};
  equalityFields(filter, seed);
  let doc: Doc;
  if (!isPipelineUpdate(update) && !isOperatorUpdate(update)) {
    doc = replacement({ _id: seed._id }, update);
  } else {
    doc = applyUpdate(seed, update, { filter: {}, arrayFilters, inserting: true, collation });
  }
  if (doc._id === undefined) doc._id = new ObjectId();
  return keepIdFirst(doc, doc._id);
}
