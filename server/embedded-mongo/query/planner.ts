// Picks an index for a filter and/or sort. The plan only narrows the candidate documents (every
// candidate is re-checked with the full filter), so it must never miss a matching document; when
// in doubt it leaves a field unconstrained.

import { isPlainObject, typeRank } from '../bson-order.js';
import type { Collection } from '../storage/collection.js';
import { isTypeBound, type Index, type Interval, type TypeBound } from '../storage/indexes.js';
import type { Doc } from '../storage/types.js';
import type { SortSpec } from './sort.js';

export interface Plan {
  index: Index | null;
  /** Tuple ranges over the index's leading fields; null = walk the whole index. */
  ranges: Interval[][] | null;
  reverse: boolean;
  /** How many leading sort fields the index order already satisfies (0 = must sort). */
  sortPrefix: number;
}

export const COLLSCAN: Plan = { index: null, ranges: null, reverse: false, sortPrefix: 0 };

type Constraint = { points: unknown[] } | { range: Interval };

const MAX_TUPLES = 1000;

/** Values we can look up in an index with plain BSON comparison. */
function indexable(v: unknown): boolean {
  if (v === null || v === undefined) return false;
  if (typeof v === 'number') return !Number.isNaN(v);
  if (typeof v === 'string' || typeof v === 'boolean') return true;
  if (v instanceof Date) return !Number.isNaN(v.getTime());
  if (Array.isArray(v) || v instanceof RegExp || isPlainObject(v)) return false;
  const tag = (v as { _bsontype?: string })._bsontype;
  return tag === 'ObjectId' || tag === 'Long' || tag === 'Int32' || tag === 'Double';
}

function point(v: unknown): Interval {
  return { lo: v, loInc: true, hi: v, hiInc: true };
}

function constraintOf(value: unknown): Constraint | null {
  if (!isPlainObject(value)) return indexable(value) ? { points: [value] } : null;
  const keys = Object.keys(value);
  if (keys.length === 0 || !keys.every((k) => k.startsWith('$'))) return null;
  if ('$eq' in value) return indexable(value.$eq) ? { points: [value.$eq] } : null;
  if ('$in' in value) {
    const list = value.$in;
    if (Array.isArray(list) && list.length > 0 && list.every(indexable)) return { points: list };
    return null;
  }
  let lo: unknown;
  let hi: unknown;
  let loInc = true;
  let hiInc = true;
  for (const op of ['$gt', '$gte'] as const) {
    if (op in value && indexable(value[op])) {
      lo = value[op];
      loInc = op === '$gte';
    }
  }
  for (const op of ['$lt', '$lte'] as const) {
    if (op in value && indexable(value[op])) {
      hi = value[op];
      hiInc = op === '$lte';
    }
  }
  if (lo === undefined && hi === undefined) return null;
  // Comparison operators only match values of the same BSON type (type bracketing).
  if (lo !== undefined && hi !== undefined && typeRank(lo) !== typeRank(hi)) return null;
  const rank = typeRank(lo ?? hi);
  const min: TypeBound = { typeEdge: 'min', rank };
  const max: TypeBound = { typeEdge: 'max', rank };
  return { range: { lo: lo ?? min, loInc: lo === undefined ? true : loInc, hi: hi ?? max, hiInc: hi === undefined ? true : hiInc } };
}

/** First usable constraint per field path, from top-level fields and top-level $and. */
function collectConstraints(filter: Doc, out: Map<string, Constraint>): void {
  for (const [k, v] of Object.entries(filter)) {
    if (k === '$and' && Array.isArray(v)) {
      for (const sub of v) if (isPlainObject(sub)) collectConstraints(sub, out);
      continue;
    }
    if (k.startsWith('$') || out.has(k)) continue;
    // Paths with numeric parts ('a.0') address array positions; leave those to the scan.
    if (k.split('.').some((p) => /^\d+$/.test(p))) continue;
    const c = constraintOf(v);
    if (c) out.set(k, c);
  }
}

function uniquePoints(points: unknown[], compare: (a: unknown, b: unknown) => number): unknown[] {
  const sorted = points.slice().sort(compare);
  return sorted.filter((p, i) => i === 0 || compare(sorted[i - 1], p) !== 0);
}

interface Candidate {
  plan: Plan;
  score: number;
}

export function choosePlan(
  coll: Collection,
  filter: Doc,
  sort: SortSpec | null,
  collation: Doc | null | undefined,
  compare: (a: unknown, b: unknown) => number,
): Plan {
  // A non-simple collation changes string comparison; our index order is binary.
  if (collation && collation.locale !== 'simple') return COLLSCAN;
  const constraints = new Map<string, Constraint>();
  collectConstraints(filter, constraints);
  let best: Candidate | null = null;
  for (const idx of coll.indexes.values()) {
    if (idx.partial || idx.collated) continue;
    let tuples: Interval[][] = [[]];
    let points = 0;
    let ranged = false;
    for (const f of idx.fields) {
      const c = constraints.get(f.path);
      if (!c) break;
      if ('points' in c) {
        const pts = uniquePoints(c.points, compare);
        if (tuples.length * pts.length > MAX_TUPLES) break;
        tuples = tuples.flatMap((t) => pts.map((p) => [...t, point(p)]));
        points++;
      } else {
        // On a multikey index each bound may be met by a different array element ({a: [0, -3]}
        // matches {a: {$gte: -2, $lt: -2}}), so only one bound can narrow the scan.
        const range = idx.multikey && !isTypeBound(c.range.lo) ? { ...c.range, hi: { typeEdge: 'max', rank: typeRank(c.range.lo) }, hiInc: true } : c.range;
        tuples = tuples.map((t) => [...t, range]);
        ranged = true;
        break;
      }
    }
    const constrained = points + (ranged ? 1 : 0);
    if (constrained === 0) continue;
    const exact = idx.unique && !ranged && points === idx.fields.length && tuples.length === 1;
    const plan: Plan = { index: idx, ranges: tuples, reverse: false, sortPrefix: 0 };
    applySortOrder(plan, sort);
    const score = (exact ? 1000 : 0) + constrained * 10 + (ranged ? 0 : 5) + (plan.sortPrefix > 0 ? 2 : 0);
    if (!best || score > best.score) best = { plan, score };
  }
  if (best) return best.plan;
  if (sort && sort.fields.length > 0) {
    // No filter index: walk an index whose order gives the sort (cheap with a limit).
    for (const idx of coll.indexes.values()) {
      if (idx.partial || idx.sparse || idx.collated) continue;
      const plan: Plan = { index: idx, ranges: null, reverse: false, sortPrefix: 0 };
      applySortOrder(plan, sort);
      if (plan.sortPrefix > 0) return plan;
    }
  }
  return COLLSCAN;
}

/** Sets plan.sortPrefix/reverse when walking the index yields the requested sort order. */
function applySortOrder(plan: Plan, sort: SortSpec | null): void {
  const idx = plan.index;
  if (!idx || !sort || sort.fields.length === 0 || idx.multikey) return;
  // Leading fields pinned to one value do not affect the order of what follows them.
  let pinned = 0;
  if (plan.ranges && plan.ranges.length === 1) {
    for (const iv of plan.ranges[0] as Interval[]) {
      if (iv.lo === iv.hi && iv.loInc && iv.hiInc) pinned++;
      else break;
    }
  }
  for (let start = 0; start <= pinned && start < idx.fields.length; start++) {
    let k = 0;
    let rel = 0;
    while (k < sort.fields.length && start + k < idx.fields.length) {
      const s = sort.fields[k] as { path: string; dir: number };
      const f = idx.fields[start + k] as { path: string; dir: number };
      if (s.path !== f.path) break;
      const r = s.dir * f.dir;
      if (rel === 0) rel = r;
      else if (r !== rel) break;
      k++;
    }
    if (k > 0) {
      plan.sortPrefix = k;
      plan.reverse = rel === -1;
      return;
    }
  }
}
