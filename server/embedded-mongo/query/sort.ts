// Sorting with MongoDB's BSON order (arrays sort by their smallest element ascending, largest
// descending). Ties are broken by insertion order in the direction of the first sort key, the same
// order an index walk produces, so index-accelerated and scanned results are identical.

import { compareValues, isPlainObject, sortKey } from '../bson-order.js';
import { badValue } from '../errors.js';
import { activeCollation, stringComparator } from './collation.js';
import type { Doc } from '../storage/types.js';

export interface SortField {
  path: string;
  parts: string[];
  dir: 1 | -1;
}

/** A query result: the visible document and its insertion sequence (for ties). */
export interface Match {
  id: string;
  doc: Doc;
  seq: number;
}

export interface SortSpec {
  fields: SortField[];
  /** `{$natural: ±1}`: insertion order. */
  natural: 1 | -1 | null;
}

export function parseSort(spec: unknown): SortSpec | null {
  if (spec === undefined || spec === null) return null;
  if (!isPlainObject(spec)) throw badValue('sort must be an object');
  const fields: SortField[] = [];
  let natural: 1 | -1 | null = null;
  for (const [path, raw] of Object.entries(spec)) {
    if (isPlainObject(raw) && '$meta' in raw) throw badValue('$meta sort is not supported by the embedded server');
    const n = Number(raw);
    if (n !== 1 && n !== -1) throw badValue(`$sort key ordering must be 1 (for ascending) or -1 (for descending)`);
    if (path === '$natural') {
      natural = n;
      continue;
    }
    fields.push({ path, parts: path.split('.'), dir: n });
  }
  if (fields.length === 0 && natural === null) return null;
  return { fields, natural };
}

/** Compares two documents on the first `k` sort fields only (no tie-break). */
export function compareOnFields(a: Doc, b: Doc, fields: SortField[], k = fields.length): number {
  for (let i = 0; i < k; i++) {
    const f = fields[i] as SortField;
    const c = compareValues(sortKey(a, f.parts, f.dir), sortKey(b, f.parts, f.dir));
    if (c !== 0) return c * f.dir;
  }
  return 0;
}

/**
 * Sorts matches in place (keys are computed once per document). With `keep`, only the first `keep`
 * in order are wanted (a page of a long result): they are selected into a small sorted buffer instead
 * of sorting everything, and the array is cut to them.
 */
export function sortMatches(matches: Match[], spec: SortSpec, collation?: Doc | null, keep?: number): Match[] {
  if (spec.fields.length === 0) {
    const dir = spec.natural ?? 1;
    return matches.sort((a, b) => (a.seq - b.seq) * dir);
  }
  const fields = spec.fields;
  const tieDir = (fields[0] as SortField).dir;
  const strCmp = stringComparator(activeCollation(collation));
  const cmp = strCmp ? (x: unknown, y: unknown): number => (typeof x === 'string' && typeof y === 'string' ? strCmp(x, y) : compareValues(x, y)) : compareValues;
  type Keyed = { m: Match; keys: unknown[] };
  const order = (a: Keyed, b: Keyed): number => {
    for (let i = 0; i < fields.length; i++) {
      const c = cmp(a.keys[i], b.keys[i]);
      if (c !== 0) return c * (fields[i] as SortField).dir;
    }
    return (a.m.seq - b.m.seq) * tieDir;
  };
  const keyOf = (m: Match): Keyed => ({ m, keys: fields.map((f) => sortKey(m.doc, f.parts, f.dir)) });
  if (keep !== undefined && keep > 0 && keep <= 1000 && matches.length > keep * 8) {
    const top: Keyed[] = [];
    for (const m of matches) {
      const k = keyOf(m);
      if (top.length === keep && order(k, top[keep - 1] as Keyed) >= 0) continue;
      let lo = 0;
      let hi = top.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (order(top[mid] as Keyed, k) <= 0) lo = mid + 1;
        else hi = mid;
      }
      top.splice(lo, 0, k);
      if (top.length > keep) top.pop();
    }
    matches.length = top.length;
    for (let i = 0; i < top.length; i++) matches[i] = (top[i] as Keyed).m;
    return matches;
  }
  const keyed = matches.map(keyOf);
  keyed.sort(order);
  for (let i = 0; i < keyed.length; i++) matches[i] = (keyed[i] as Keyed).m;
  return matches;
}
