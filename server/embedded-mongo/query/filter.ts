// Compiles MongoDB filters with mingo, after rejecting what the embedded server does not support
// with the error MongoDB itself would give (or a clear one), and with a BSON-aware $type.

import { Context, Query } from 'mingo';
import type { Options } from 'mingo/types';
import { resolve } from 'mingo/util';
import { isPlainObject } from '../bson-order.js';
import { badValue, MongoServerError } from '../errors.js';
import type { Doc } from '../storage/types.js';
import { activeCollation, folder, foldValues } from './collation.js';

const UNSUPPORTED: Record<string, string> = {
  $where: '$where is not allowed in this context',
  $near: 'geo queries ($near) are not supported by the embedded server',
  $nearSphere: 'geo queries ($nearSphere) are not supported by the embedded server',
  $geoWithin: 'geo queries ($geoWithin) are not supported by the embedded server',
  $geoIntersects: 'geo queries ($geoIntersects) are not supported by the embedded server',
  $function: '$function is not allowed in this context',
  $accumulator: '$accumulator is not allowed in this context',
};

const BSON_TYPE_ALIASES: Record<string, string> = {
  '1': 'double',
  '2': 'string',
  '3': 'object',
  '4': 'array',
  '5': 'binData',
  '6': 'undefined',
  '7': 'objectId',
  '8': 'bool',
  '9': 'date',
  '10': 'null',
  '11': 'regex',
  '13': 'javascript',
  '16': 'int',
  '17': 'timestamp',
  '18': 'long',
  '19': 'decimal',
  '-1': 'minKey',
  '127': 'maxKey',
};

/** BSON type name of a deserialized value (numbers: int32 range integers are 'int', as bson encodes them). */
export function bsonTypeName(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) && v >= -2147483648 && v <= 2147483647 ? 'int' : 'double';
  if (typeof v === 'bigint') return 'long';
  if (Array.isArray(v)) return 'array';
  if (v instanceof Date) return 'date';
  if (v instanceof RegExp) return 'regex';
  switch ((v as { _bsontype?: string })._bsontype) {
    case 'ObjectId':
      return 'objectId';
    case 'Binary':
      return 'binData';
    case 'Long':
      return 'long';
    case 'Int32':
      return 'int';
    case 'Double':
      return 'double';
    case 'Decimal128':
      return 'decimal';
    case 'Timestamp':
      return 'timestamp';
    case 'BSONRegExp':
      return 'regex';
    case 'MinKey':
      return 'minKey';
    case 'MaxKey':
      return 'maxKey';
    case 'Code':
      return 'javascript';
    default:
      return 'object';
  }
}

function typeMatches(v: unknown, wanted: unknown): boolean {
  const name = BSON_TYPE_ALIASES[String(wanted)] ?? String(wanted);
  const actual = bsonTypeName(v);
  if (name === 'number') return actual === 'int' || actual === 'long' || actual === 'double' || actual === 'decimal';
  // JS numbers lose the int/long/double distinction of the original BSON; accept the near kinds.
  if (name === 'double' && typeof v === 'number') return true;
  if (name === 'long' && typeof v === 'number') return Number.isInteger(v);
  return actual === name;
}

/** MongoDB's $type: an array field matches 'array' or any element's type. */
const $type = (selector: string, value: unknown): ((o: Doc) => boolean) => {
  const wanted = Array.isArray(value) ? value : [value];
  return (o: Doc) => {
    const v: unknown = resolve(o, selector);
    if (v === undefined) return false;
    const candidates: unknown[] = Array.isArray(v) ? [v, ...(v as unknown[])] : [v];
    return candidates.some((c) => wanted.some((w) => typeMatches(c, w)));
  };
};

const CONTEXT = Context.init({ query: { $type } as never });

export function mingoOptions(collation?: Doc | null, extra: Partial<Options> = {}): Partial<Options> {
  const useCollation = collation && typeof collation.locale === 'string' && collation.locale !== 'simple';
  return {
    idKey: '_id',
    scriptEnabled: false,
    useStrictMode: true,
    context: CONTEXT,
    ...extra,
    ...(useCollation ? { collation: collation as unknown as Options['collation'] } : {}),
  };
}

/** Throws a MongoDB-style error for operators we refuse before mingo sees them. */
export function validateFilter(filter: unknown, depth = 0): void {
  if (depth > 100) throw badValue('filter is nested too deeply');
  if (Array.isArray(filter)) {
    for (const f of filter) validateFilter(f, depth + 1);
    return;
  }
  if (!isPlainObject(filter)) return;
  for (const [k, v] of Object.entries(filter)) {
    if (k === '$text') {
      throw new MongoServerError('IndexNotFound', 'text index required for $text query (the embedded server does not support $text; use a folded search field)');
    }
    const reason = UNSUPPORTED[k];
    if (reason) throw badValue(reason);
    if (k === '$expr') continue;
    validateFilter(v, depth + 1);
  }
}

export interface Matcher {
  test(doc: Doc): boolean;
  readonly matchesAll: boolean;
}

export function compileFilter(filter: unknown, collation?: Doc | null): Matcher {
  if (filter === undefined || filter === null) return { test: () => true, matchesAll: true };
  if (!isPlainObject(filter)) throw new MongoServerError('TypeMismatch', 'filter must be an object');
  validateFilter(filter);
  if (Object.keys(filter).length === 0) return { test: () => true, matchesAll: true };
  const fold = folder(activeCollation(collation));
  if (fold) {
    const q = new Query(foldValues(filter, fold) as Doc, mingoOptions(collation));
    return { test: (d) => q.test(foldValues(d, fold) as Doc), matchesAll: false };
  }
  const q = new Query(filter, mingoOptions(collation));
  return { test: (d) => q.test(d), matchesAll: false };
}
