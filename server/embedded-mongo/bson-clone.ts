// A copy of a document as a BSON round trip (serialise, then parse with the wire's options) would give
// it back, made without encoding anything, for the values applications mostly store: null, booleans,
// numbers, strings, dates, ObjectIds, arrays and plain objects. An undefined field or array element
// becomes null (as the driver sends it); strings are shared (they are immutable), everything else is
// new. For any other value — a Binary, Decimal128, RegExp, Map, bigint, a function, a class instance,
// an object with toBSON, an invalid date, a string holding a surrogate code unit (UTF-8 cannot carry a
// lone one), a key holding NUL, a nesting deeper than the limit, or a size that might reach the
// document limit — it answers null and the caller makes the real round trip, which decides those.
// A property test holds the two to the same results.
import { ObjectId } from 'bson';
import type { Doc } from './storage/types.js';

/** Nesting deeper than this goes through the real round trip (which rejects cycles). */
const MAX_DEPTH = 64;
/** Documents whose estimated size passes this go through the real round trip, which checks the exact size. */
const SIZE_ESTIMATE_LIMIT = 8 * 1024 * 1024;
const SURROGATE = /[\uD800-\uDFFF]/;

/** Thrown inside the copy to give up on it (made once: it is thrown often); never escapes cloneLikeBson. */
const GIVE_UP = new Error('not a value the copy handles');

interface Budget {
  bytes: number;
}

function cloneValue(value: unknown, budget: Budget, depth: number): unknown {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'boolean':
      return value;
    case 'number':
      budget.bytes += 8;
      return value;
    case 'string':
      if (SURROGATE.test(value)) throw GIVE_UP;
      // At most three UTF-8 bytes per UTF-16 code unit outside the surrogates.
      budget.bytes += value.length * 3 + 5;
      return value;
    case 'object':
      return cloneObjectValue(value, budget, depth);
    default:
      throw GIVE_UP; // bigint, symbol, function
  }
}

function cloneObjectValue(value: object, budget: Budget, depth: number): unknown {
  if (depth >= MAX_DEPTH) throw GIVE_UP;
  if (Array.isArray(value)) {
    const out: unknown[] = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) {
      budget.bytes += 8;
      out[i] = cloneValue(value[i], budget, depth + 1);
    }
    return out;
  }
  if (value instanceof Date) {
    const time = value.getTime();
    if (Number.isNaN(time)) throw GIVE_UP;
    budget.bytes += 8;
    return new Date(time);
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto === Object.prototype || proto === null) return clonePlainObject(value as Record<string, unknown>, budget, depth);
  // Any copy of bson's ObjectId (the driver's, mongoose's), by its tag: a new one of the server's own.
  if ((value as { _bsontype?: unknown })._bsontype === 'ObjectId' && (value as { id?: unknown }).id instanceof Uint8Array) {
    budget.bytes += 12;
    return new ObjectId(Buffer.from((value as { id: Uint8Array }).id));
  }
  throw GIVE_UP;
}

function clonePlainObject(value: Record<string, unknown>, budget: Budget, depth: number): Doc {
  if (typeof value.toBSON === 'function') throw GIVE_UP;
  const out: Doc = {};
  for (const key of Object.keys(value)) {
    if (key.includes('\0') || SURROGATE.test(key)) throw GIVE_UP;
    const field = value[key];
    // The serialiser leaves functions out (serializeFunctions is off): let it decide.
    if (typeof field === 'function') throw GIVE_UP;
    budget.bytes += key.length * 3 + 2;
    out[key] = cloneValue(field, budget, depth + 1);
  }
  if (budget.bytes > SIZE_ESTIMATE_LIMIT) throw GIVE_UP;
  return out;
}

/** The document as a BSON round trip would give it back, or null when only the round trip can say. */
export function cloneLikeBson(doc: object): Doc | null {
  try {
    const out = cloneObjectValue(doc, { bytes: 0 }, 0);
    return out !== null && typeof out === 'object' && !Array.isArray(out) && !(out instanceof Date) && !(out instanceof ObjectId) ? (out as Doc) : null;
  } catch (err) {
    if (err === GIVE_UP) return null;
    throw err;
  }
}
