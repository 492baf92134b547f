// MongoDB's total order over BSON values, used for sorting and for index keys.
// mingo has a comparator, but it puts ObjectId after every other type and compares objects
// key-order-insensitively; MongoDB's documented order is
//   MinKey < null/missing < numbers < strings < objects < arrays < BinData < ObjectId < bool < date
//   < timestamp < regex < MaxKey
// and indexes/sorts must follow it exactly, so we own this comparator.

/** Sort/index key for an empty array: MongoDB orders it before null. */
export const EMPTY_ARRAY_KEY = Symbol('emptyArray');

const Rank = {
  MinKey: 1,
  EmptyArray: 2,
  Null: 3,
  Number: 4,
  String: 5,
  Object: 6,
  Array: 7,
  Binary: 8,
  ObjectId: 9,
  Boolean: 10,
  Date: 11,
  Timestamp: 12,
  Regex: 13,
  Code: 14,
  MaxKey: 15,
} as const;

interface BsonTagged {
  _bsontype?: string;
}

function bsonType(v: object): string | undefined {
  return (v as BsonTagged)._bsontype;
}

export function typeRank(v: unknown): number {
  switch (typeof v) {
    case 'undefined':
      return Rank.Null;
    case 'number':
    case 'bigint':
      return Rank.Number;
    case 'string':
      return Rank.String;
    case 'boolean':
      return Rank.Boolean;
    case 'symbol':
      return v === EMPTY_ARRAY_KEY ? Rank.EmptyArray : Rank.Null;
    case 'function':
      return Rank.Code;
    default:
      break;
  }
  if (v === null) return Rank.Null;
  if (Array.isArray(v)) return Rank.Array;
  if (v instanceof Date) return Rank.Date;
  if (v instanceof RegExp) return Rank.Regex;
  if (ArrayBuffer.isView(v)) return Rank.Binary;
  switch (bsonType(v as object)) {
    case undefined:
      return Rank.Object;
    case 'ObjectId':
      return Rank.ObjectId;
    case 'Binary':
      return Rank.Binary;
    case 'Long':
    case 'Int32':
    case 'Double':
    case 'Decimal128':
      return Rank.Number;
    case 'Timestamp':
      return Rank.Timestamp;
    case 'BSONRegExp':
      return Rank.Regex;
    case 'BSONSymbol':
      return Rank.String;
    case 'MinKey':
      return Rank.MinKey;
    case 'MaxKey':
      return Rank.MaxKey;
    case 'Code':
      return Rank.Code;
    default:
      return Rank.Object;
  }
}

/** Numeric value of any BSON number type (Long/Int32/Double/Decimal128 wrappers included). */
export function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  const tag = bsonType(v as object);
  if (tag === 'Long') return (v as { toNumber(): number }).toNumber();
  if (tag === 'Int32' || tag === 'Double') return (v as { value: number }).value;
  if (tag === 'Decimal128') return Number.parseFloat(String(v));
  return Number.NaN;
}

function cmpNum(a: number, b: number): number {
  // MongoDB sorts NaN below every other number.
  if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : -1;
  if (Number.isNaN(b)) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Binary (UTF-8 byte) order, which equals code point order; JS `<` is UTF-16 order. */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys) return xs ? 1 : -1; // a surrogate encodes a code point above every BMP char
    return x < y ? -1 : 1;
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

function bytesOf(v: unknown): Uint8Array {
  if (ArrayBuffer.isView(v)) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  const b = v as { buffer: Uint8Array; sub_type?: number };
  return b.buffer;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  // A plain loop: most keys (ObjectIds) are 12 bytes, too short to pay for Buffer views.
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    if (x !== y) return x < y ? -1 : 1;
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

function compareObjects(a: Record<string, unknown>, b: Record<string, unknown>): number {
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  const n = Math.min(ka.length, kb.length);
  for (let i = 0; i < n; i++) {
    const fa = ka[i] as string;
    const fb = kb[i] as string;
    const va = a[fa];
    const vb = b[fb];
    // MongoDB compares each field's type, then its name, then its value.
    const ra = typeRank(va);
    const rb = typeRank(vb);
    if (ra !== rb) return ra < rb ? -1 : 1;
    const kc = compareStrings(fa, fb);
    if (kc !== 0) return kc;
    const vc = compareValues(va, vb);
    if (vc !== 0) return vc;
  }
  return cmpNum(ka.length, kb.length);
}

export function compareValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra < rb ? -1 : 1;
  switch (ra) {
    case Rank.Number:
      if (typeof a === 'number' && typeof b === 'number') return cmpNum(a, b);
      return cmpNum(toNumber(a), toNumber(b));
    case Rank.String:
      return compareStrings(String(a), String(b));
    case Rank.Boolean:
      return a === b ? 0 : a ? 1 : -1;
    case Rank.Date:
      return cmpNum((a as Date).getTime(), (b as Date).getTime());
    case Rank.ObjectId:
      return compareBytes((a as { id: Uint8Array }).id, (b as { id: Uint8Array }).id);
    case Rank.Object:
      return compareObjects(a as Record<string, unknown>, b as Record<string, unknown>);
    case Rank.Array: {
      const xa = a as unknown[];
      const xb = b as unknown[];
      const n = Math.min(xa.length, xb.length);
      for (let i = 0; i < n; i++) {
        const c = compareValues(xa[i], xb[i]);
        if (c !== 0) return c;
      }
      return cmpNum(xa.length, xb.length);
    }
    case Rank.Binary: {
      const ba = bytesOf(a);
      const bb = bytesOf(b);
      if (ba.length !== bb.length) return ba.length < bb.length ? -1 : 1;
      const sa = (a as { sub_type?: number }).sub_type ?? 0;
      const sb = (b as { sub_type?: number }).sub_type ?? 0;
      if (sa !== sb) return sa < sb ? -1 : 1;
      return compareBytes(ba, bb);
    }
    case Rank.Timestamp: {
      const ta = a as { high: number; low: number };
      const tb = b as { high: number; low: number };
      return cmpNum(ta.high >>> 0, tb.high >>> 0) || cmpNum(ta.low >>> 0, tb.low >>> 0);
    }
    case Rank.Regex: {
      const pa = regexParts(a);
      const pb = regexParts(b);
      return compareStrings(pa[0], pb[0]) || compareStrings(pa[1], pb[1]);
    }
    default:
      return 0;
  }
}

function regexParts(v: unknown): [string, string] {
  if (v instanceof RegExp) return [v.source, v.flags];
  const r = v as { pattern: string; options: string };
  return [r.pattern, r.options];
}

/** Strict BSON equality (order-sensitive for objects, numeric across number types). */
export function valuesEqual(a: unknown, b: unknown): boolean {
  return compareValues(a, b) === 0;
}

/** A plain (non-BSON-class) object: the kind of value a dotted path can descend into. */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  if (v instanceof Date || v instanceof RegExp || ArrayBuffer.isView(v)) return false;
  return bsonType(v) === undefined;
}

/**
 * Every value a dotted path reaches in a document, expanding arrays the way MongoDB's multikey
 * indexes and sorts do. A missing field yields `undefined`; an empty terminal array yields
 * EMPTY_ARRAY_KEY. `multikey.value` is set when an array was expanded.
 */
export function pathValues(doc: unknown, parts: readonly string[], multikey?: { value: boolean }): unknown[] {
  const out: unknown[] = [];
  collect(doc, parts, 0, out, multikey);
  return out;
}

function collect(value: unknown, parts: readonly string[], i: number, out: unknown[], mk?: { value: boolean }): void {
  if (i === parts.length) {
    if (Array.isArray(value)) {
      if (mk) mk.value = true;
      if (value.length === 0) out.push(EMPTY_ARRAY_KEY);
      else for (const el of value) out.push(el);
    } else {
      out.push(value);
    }
    return;
  }
  const part = parts[i] as string;
  if (Array.isArray(value)) {
    if (mk) mk.value = true;
    if (/^\d+$/.test(part)) {
      collect(value[Number(part)], parts, i + 1, out, mk);
      return;
    }
    if (value.length === 0) {
      out.push(undefined);
      return;
    }
    for (const el of value) {
      if (isPlainObject(el)) collect(el, parts, i, out, mk);
      else out.push(undefined);
    }
    return;
  }
  if (isPlainObject(value)) {
    collect(Object.prototype.hasOwnProperty.call(value, part) ? value[part] : undefined, parts, i + 1, out, mk);
    return;
  }
  out.push(undefined);
}

/** Sort key of one field: the smallest value for ascending sorts, the largest for descending. */
export function sortKey(doc: unknown, parts: readonly string[], dir: 1 | -1): unknown {
  const values = pathValues(doc, parts);
  let best = values[0];
  for (let i = 1; i < values.length; i++) {
    const c = compareValues(values[i], best);
    if ((dir === 1 && c < 0) || (dir === -1 && c > 0)) best = values[i];
  }
  return best;
}

/**
 * A string that is equal for two values exactly when compareValues says they are equal; used as
 * the Map key of documents by `_id`.
 */
export function canonicalKey(v: unknown): string {
  switch (typeRank(v)) {
    case Rank.Null:
      return 'z';
    case Rank.Number:
      return 'n' + String(toNumber(v));
    case Rank.String:
      return 's' + String(v);
    case Rank.Boolean:
      return v ? 'b1' : 'b0';
    case Rank.Date:
      return 'd' + String((v as Date).getTime());
    case Rank.ObjectId:
      return 'o' + Buffer.from((v as { id: Uint8Array }).id).toString('hex');
    case Rank.Binary:
      return 'x' + String((v as { sub_type?: number }).sub_type ?? 0) + ':' + Buffer.from(bytesOf(v)).toString('base64');
    case Rank.Array:
      return 'A' + JSON.stringify((v as unknown[]).map(canonicalKey));
    case Rank.Object:
      return 'O' + JSON.stringify(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, canonicalKey(x)]));
    case Rank.Regex:
      return 'r' + JSON.stringify(regexParts(v));
    case Rank.Timestamp: {
      const t = v as { high: number; low: number };
      return 't' + String(t.high >>> 0) + ':' + String(t.low >>> 0);
    }
    default:
      return 'u' + String(typeRank(v));
  }
}
