// Picks an index for a filter and/or sort. The plan only narrows the candidate documents (every
// candidate is re-checked with the full filter), so it must never miss a matching document; when
// in doubt it leaves a field unconstrained.

import { compareValues, isPlainObject, typeRank } from '../bson-order.js';
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
  /** For an `$or`: one plan per branch, whose candidates together hold every match (index is null). */
  union?: Plan[];
  /**
   * A cheap test every match passes (the other words of an `$all` of strings), run before the full
   * filter so most candidates of a multi-word search are dropped without compiling their match.
   */
  prefilter?: (doc: Doc) => boolean;
  /** The candidates passing the prefilter are exactly the documents holding every searched word. */
  prefilterExact?: boolean;
  /**
   * Every value of an `$all` on the plan's one-field index: the candidates are the records holding all
   * of them, intersected in the index (Index.recordsWithAll) instead of the looked-up value's records.
   */
  allOf?: unknown[];
  /**
   * The ranges are separate runs of points (e.g. each status of an `$in`), each in the sort's order:
   * scanned side by side and merged, they give the sort order with no sort (see execute.ts).
   */
  mergeRanges?: boolean;
}

export const COLLSCAN: Plan = { index: null, ranges: null, reverse: false, sortPrefix: 0 };

/**
 * `anyOf`: the field holds every one of these values (`$all`), so any one of them can serve as the point.
 * `nullish`: an equality to null, which matches null and missing alike — the index's null key on an
 * index that is neither multikey (an array holding null would match too) nor sparse (missing fields
 * are left out of it).
 */
type Constraint = { points: unknown[]; nullish?: true } | { range: Interval; nullish?: true } | { anyOf: unknown[] };

const MAX_TUPLES = 1000;
/** The most points one $in can look up in an index on its own. */
const MAX_POINTS = 100_000;
/** Beyond this many runs of points, a sorted query sorts its candidates instead of merging the runs. */
const MAX_MERGED_RUNS = 32;

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
  if (value === null) return { points: [null], nullish: true };
  if (!isPlainObject(value)) return indexable(value) ? { points: [value] } : null;
  const keys = Object.keys(value);
  if (keys.length === 0 || !keys.every((k) => k.startsWith('$'))) return null;
  if ('$eq' in value) return indexable(value.$eq) ? { points: [value.$eq] } : null;
  if ('$all' in value) {
    const list = value.$all;
    if (keys.length === 1 && Array.isArray(list) && list.length > 0 && list.every(indexable)) return { anyOf: list };
    return null;
  }
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

function rankOf(bound: unknown): number {
  return isTypeBound(bound) ? bound.rank : typeRank(bound);
}

/** Both ranges at once, when they bracket the same BSON type (else null: keep the first). */
function intersectRanges(a: Interval, b: Interval): Interval | null {
  if (rankOf(a.lo) !== rankOf(b.lo) || rankOf(a.hi) !== rankOf(b.hi) || rankOf(a.lo) !== rankOf(a.hi)) return null;
  const pick = (x: unknown, xInc: boolean, y: unknown, yInc: boolean, lower: boolean): [unknown, boolean] => {
    if (isTypeBound(x)) return [y, yInc];
    if (isTypeBound(y)) return [x, xInc];
    const c = compareValues(x, y);
    if (c === 0) return [x, xInc && yInc];
    return (lower ? c > 0 : c < 0) ? [x, xInc] : [y, yInc];
  };
  const [lo, loInc] = pick(a.lo, a.loInc, b.lo, b.loInc, true);
  const [hi, hiInc] = pick(a.hi, a.hiInc, b.hi, b.hiInc, false);
  return { lo, loInc, hi, hiInc };
}

/** Usable constraints per field path, from top-level fields and top-level $and (ranges on one path merged). */
function collectConstraints(filter: Doc, out: Map<string, Constraint>): void {
  for (const [k, v] of Object.entries(filter)) {
    // A one-branch $or is an $and of one clause (the app's search filter can be one).
    if ((k === '$and' || k === '$or') && Array.isArray(v) && (k === '$and' || v.length === 1)) {
      for (const sub of v) if (isPlainObject(sub)) collectConstraints(sub, out);
      continue;
    }
    if (k.startsWith('$')) continue;
    // Paths with numeric parts ('a.0') address array positions; leave those to the scan.
    if (k.split('.').some((p) => /^\d+$/.test(p))) continue;
    const c = constraintOf(v);
    if (!c) continue;
    const known = out.get(k);
    // Two ranges on one field ("from" and "to" as separate clauses) narrow each other.
    if (known && 'range' in known && 'range' in c) {
      const merged = intersectRanges(known.range, c.range);
      if (merged) out.set(k, { range: merged });
      continue;
    }
    if (!known) out.set(k, c);
  }
}

/** The interval a branch's constraint covers, or null when it covers more than one interval can say. */
function coverOf(c: Constraint, compare: (a: unknown, b: unknown) => number): { interval: Interval; nullish: boolean } | null {
  if ('range' in c) return { interval: c.range, nullish: false };
  if (!('points' in c) || c.points.length === 0) return null;
  const sorted = c.points.slice().sort(compare);
  return { interval: { lo: sorted[0], loInc: true, hi: sorted[sorted.length - 1], hiInc: true }, nullish: 'nullish' in c };
}

const isNullPoint = (i: Interval): boolean => i.lo === null && i.hi === null && i.loInc && i.hiInc;

/**
 * The smallest interval holding both, when they bracket the same BSON type (else null). A null point
 * joins anything: null sorts first in BSON order, so from null up to the other's end holds both (and
 * the values of other types in between, which the full filter then rules out).
 */
function hullOf(a: Interval, b: Interval): Interval | null {
  if (isNullPoint(a) || isNullPoint(b)) {
    const other = isNullPoint(a) ? b : a;
    return { lo: null, loInc: true, hi: other.hi, hiInc: other.hiInc };
  }
  if (rankOf(a.lo) !== rankOf(b.lo) || rankOf(a.hi) !== rankOf(b.hi) || rankOf(a.lo) !== rankOf(a.hi)) return null;
  const pick = (x: unknown, xInc: boolean, y: unknown, yInc: boolean, lower: boolean): [unknown, boolean] => {
    if (isTypeBound(x)) return [x, xInc];
    if (isTypeBound(y)) return [y, yInc];
    const c = compareValues(x, y);
    if (c === 0) return [x, xInc || yInc];
    return (lower ? c < 0 : c > 0) ? [x, xInc] : [y, yInc];
  };
  const [lo, loInc] = pick(a.lo, a.loInc, b.lo, b.loInc, true);
  const [hi, hiInc] = pick(a.hi, a.hiInc, b.hi, b.hiInc, false);
  return { lo, loInc, hi, hiInc };
}

/**
 * A `$or` whose every branch bounds the same field — a keyset page's "key below v, or key equal to v
 * and _id below id" — bounds that field by the hull of the branches (key ≤ v). The hull only narrows
 * the candidates (the $or itself is still checked on each), so the page walks its index from the
 * cursor instead of taking the union of the branches, the first of which is most of the collection.
 * Applied after the direct clauses and only to fields they leave free, so the bounds of a field with
 * its own clauses stay exactly those clauses (residualFilter relies on it).
 */
function addOrHulls(filter: Doc, out: Map<string, Constraint>, compare: (a: unknown, b: unknown) => number): void {
  for (const [k, v] of Object.entries(filter)) {
    if (k === '$and' && Array.isArray(v)) {
      for (const sub of v) if (isPlainObject(sub)) addOrHulls(sub, out, compare);
      continue;
    }
    if (k !== '$or' || !Array.isArray(v) || v.length < 2 || !v.every(isPlainObject)) continue;
    const perBranch = (v as Doc[]).map((branch) => {
      const found = new Map<string, Constraint>();
      collectConstraints(branch, found);
      return found;
    });
    for (const [path, first] of perBranch[0] as Map<string, Constraint>) {
      if (out.has(path)) continue;
      // Branches of equalities only are better served by the union of their points (choosePlan).
      if (!perBranch.some((b) => { const c = b.get(path); return c !== undefined && 'range' in c; })) continue;
      const firstCover = coverOf(first, compare);
      let hull = firstCover?.interval ?? null;
      // A branch "= null" also matches documents without the field: only indexes holding those
      // (neither sparse nor multikey) may serve the hull, which choosePlan checks by this flag.
      let nullish = firstCover?.nullish ?? false;
      for (const other of perBranch.slice(1)) {
        const c = other.get(path);
        const cover = c ? coverOf(c, compare) : null;
        hull = hull && cover ? hullOf(hull, cover.interval) : null;
        nullish ||= cover?.nullish ?? false;
        if (!hull) break;
      }
      if (hull) out.set(path, nullish ? { range: hull, nullish: true } : { range: hull });
    }
  }
}

function uniquePoints(points: unknown[], compare: (a: unknown, b: unknown) => number): unknown[] {
  const sorted = points.slice().sort(compare);
  return sorted.filter((p, i) => i === 0 || compare(sorted[i - 1], p) !== 0);
}

/**
 * A top-level array field holds each of these strings as an element (what `$all` of plain strings
 * asks; nested arrays are not searched). A field that is not an array never matches `$all` here, as
 * with the matcher (mingo) that decides every other query, so both give the same answer.
 */
function allStrings(path: string, words: string[]): (doc: Doc) => boolean {
  return (doc) => {
    const v = doc[path];
    return Array.isArray(v) && words.every((w) => v.includes(w));
  };
}

/** An operator object the index bounds express completely: one $eq or $in, or at most one bound on each side. */
function exactlyEncoded(v: unknown): boolean {
  if (!isPlainObject(v)) return true;
  const keys = Object.keys(v);
  if (keys.length === 1 && (keys[0] === '$eq' || keys[0] === '$in')) return true;
  const lower = keys.filter((k) => k === '$gt' || k === '$gte').length;
  const upper = keys.filter((k) => k === '$lt' || k === '$lte').length;
  return keys.length > 0 && lower <= 1 && upper <= 1 && lower + upper === keys.length;
}

/**
 * The fields of a filter made only of equalities, `$in`s and ranges whose index comparison is exactly
 * the matcher's (each field once, ranges on a field merged), or null when it has anything else.
 */
function exactlyEncodedFields(filter: Doc): string[] | null {
  const fields: string[] = [];
  const rangeOnly = new Map<string, Interval | false>();
  const collect = (f: Doc): boolean => {
    for (const [k, v] of Object.entries(f)) {
      if (k === '$and' && Array.isArray(v)) {
        if (!v.every((sub) => isPlainObject(sub) && collect(sub))) return false;
        continue;
      }
      if (k.startsWith('$') || !exactlyEncoded(v)) return false;
      const c = constraintOf(v);
      if (!c || 'anyOf' in c) return false;
      // A field may repeat only as ranges, which the planner merges into one.
      const before = rangeOnly.get(k);
      if (before !== undefined && !(before && 'range' in c && intersectRanges(before, c.range))) return false;
      rangeOnly.set(k, 'range' in c ? (before ? intersectRanges(before, c.range)! : c.range) : false);
      if (!fields.includes(k)) fields.push(k);
    }
    return true;
  };
  return collect(filter) && fields.length > 0 ? fields : null;
}

/**
 * True when the plan's index bounds say everything the filter says: every clause an equality, `$in` or
 * range on a leading field of the chosen index, on an index that is neither multikey nor sparse. Every
 * candidate such a plan yields is then a match, and the matcher need not run.
 */
export function boundsExpressFilter(plan: Plan, filter: Doc): boolean {
  const idx = plan.index;
  if (!idx || !plan.ranges || plan.union || plan.prefilter || idx.multikey || idx.sparse) return false;
  const fields = exactlyEncodedFields(filter);
  if (!fields) return false;
  const used = (plan.ranges[0] ?? []).length;
  const usedFields = new Set(idx.fields.slice(0, used).map((f) => f.path));
  return used === fields.length && fields.every((f) => usedFields.has(f));
}

/**
 * What the matcher must still check of a filter once candidates come from the plan's index bounds:
 * the top-level clauses on fields the bounds constrain exactly are dropped (each such field's clauses
 * all exactly encoded, one equality or `$in`, or ranges only). The rest — other fields, `$or`, `$expr`
 * — is returned as a filter (empty when the bounds say everything). Null when nothing can be dropped.
 */
export function residualFilter(plan: Plan, filter: Doc): Doc | null {
  const idx = plan.index;
  if (!idx || !plan.ranges || plan.union || idx.multikey || idx.sparse) return null;
  const used = new Set(idx.fields.slice(0, (plan.ranges[0] ?? []).length).map((f) => f.path));
  if (used.size === 0) return null;
  const clauses: [string, unknown][] = [];
  const flatten = (f: Doc): void => {
    for (const [k, v] of Object.entries(f)) {
      if (k === '$and' && Array.isArray(v) && v.every(isPlainObject)) for (const sub of v as Doc[]) flatten(sub);
      else clauses.push([k, v]);
    }
  };
  flatten(filter);
  const byField = new Map<string, unknown[]>();
  for (const [k, v] of clauses) byField.set(k, [...(byField.get(k) ?? []), v]);
  const expressed = new Set<string>();
  for (const [field, values] of byField) {
    if (field.startsWith('$') || !used.has(field) || !values.every(exactlyEncoded)) continue;
    const constraints = values.map(constraintOf);
    if (constraints.some((c) => !c || 'anyOf' in c)) continue;
    if (values.length === 1) expressed.add(field);
    else if (constraints.every((c) => c && 'range' in c)) {
      // Ranges the planner cannot intersect into one interval (mixed types) bound nothing exactly.
      let merged: Interval | null = (constraints[0] as { range: Interval }).range;
      for (const c of constraints.slice(1)) merged = merged ? intersectRanges(merged, (c as { range: Interval }).range) : null;
      if (merged) expressed.add(field);
    }
  }
  if (expressed.size === 0) return null;
  const rest = clauses.filter(([k]) => !expressed.has(k)).map(([k, v]) => ({ [k]: v }));
  return rest.length === 0 ? {} : rest.length === 1 ? (rest[0] as Doc) : { $and: rest };
}

/**
 * The number of matches of `filter` read off an index without visiting a document, when the index
 * bounds say everything the filter says (see boundsExpressFilter). Otherwise null.
 */
export function coveredCount(coll: Collection, filter: Doc, compare: (a: unknown, b: unknown) => number): number | null {
  if (!exactlyEncodedFields(filter)) return null;
  const plan = choosePlan(coll, filter, null, null, compare);
  if (!boundsExpressFilter(plan, filter)) return null;
  return plan.index!.countInRanges(plan.ranges);
}

interface Candidate {
  plan: Plan;
  score: number;
  estimate: number | null;
}

/** The first `$or` of two or more branches, at the top level or in a top-level `$and`. */
function findOr(filter: Doc): Doc[] | null {
  const own = filter.$or;
  if (Array.isArray(own) && own.length > 1 && own.every(isPlainObject)) return own;
  if (Array.isArray(filter.$and)) {
    for (const sub of filter.$and) {
      if (!isPlainObject(sub)) continue;
      const found = findOr(sub);
      if (found) return found;
    }
  }
  return null;
}

export function choosePlan(
  coll: Collection,
  filter: Doc,
  sort: SortSpec | null,
  collation: Doc | null | undefined,
  compare: (a: unknown, b: unknown) => number,
  limit = 0,
): Plan {
  // A non-simple collation changes string comparison; our index order is binary.
  if (collation && collation.locale !== 'simple') return COLLSCAN;
  const constraints = new Map<string, Constraint>();
  collectConstraints(filter, constraints);
  addOrHulls(filter, constraints, compare);
  let best: Candidate | null = null;
  for (const idx of coll.indexes.values()) {
    if ((idx.partial && !partialImplied(idx, constraints)) || idx.collated) continue;
    let tuples: Interval[][] = [[]];
    let prefilter: ((doc: Doc) => boolean) | undefined;
    let allOf: unknown[] | undefined;
    let points = 0;
    let ranged = false;
    for (const f of idx.fields) {
      let c = constraints.get(f.path);
      if (!c || ('nullish' in c && (idx.multikey || idx.sparse))) break;
      if ('anyOf' in c) {
        // Every value must be present: look up the rarest one (counted on a leading field).
        const values = c.anyOf;
        let chosen = values[0];
        if (tuples.length === 1 && (tuples[0] as Interval[]).length === 0 && values.length > 1) {
          let fewest = Infinity;
          for (const v of values) {
            const n = idx.countInRanges([[point(v)]]);
            if (n < fewest) [fewest, chosen] = [n, v];
          }
        }
        c = { points: [chosen] };
        const others = values.filter((v) => v !== chosen);
        if (f.parts.length === 1 && values.every((v) => typeof v === 'string')) prefilter = allStrings(f.path, others as string[]);
        if (idx.fields.length === 1 && values.length > 1) allOf = values;
      }
      if ('points' in c) {
        const pts = uniquePoints(c.points, compare);
        // Tuples multiply on compound indexes; one long $in on its own is one point each (a $lookup
        // of thousands of ids must not fall back to a scan with an $in test on every document).
        if (tuples.length * pts.length > (tuples.length === 1 ? MAX_POINTS : MAX_TUPLES)) break;
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
    // The looked-up word plus the prefilter's other words are the whole filter when it has no other field.
    const plan: Plan = { index: idx, ranges: tuples, reverse: false, sortPrefix: 0, ...(prefilter ? { prefilter, prefilterExact: constraints.size === 1 } : {}), ...(allOf ? { allOf } : {}) };
    applySortOrder(plan, sort);
    const score = (exact ? 1000 : 0) + constrained * 10 + (ranged ? 0 : 5) + (plan.sortPrefix > 0 ? 2 : 0);
    if (!best || score > best.score) best = { plan, score, estimate: null };
    else if (score === best.score) {
      // Equally good on paper: take the index with fewer entries to walk.
      best.estimate ??= best.plan.index?.countInRanges(best.plan.ranges) ?? Infinity;
      const estimate = idx.countInRanges(tuples);
      if (estimate < best.estimate) best = { plan, score, estimate };
    }
  }
  if (best) return preferSortedWalk(coll, best, constraints, sort, limit);
  const branches = findOr(filter);
  if (branches) {
    const plans = branches.map((b) => choosePlan(coll, b, null, collation, compare));
    if (plans.every((p) => (p.index !== null && p.ranges !== null) || (p.union?.length ?? 0) > 0)) return { index: null, ranges: null, reverse: false, sortPrefix: 0, union: plans };
  }
  return sortedWalk(coll, sort) ?? COLLSCAN;
}

/** A document holding `value` at the dotted `path`, to test an index's partial filter against. */
function docWith(path: string, value: unknown): Doc {
  const parts = path.split('.');
  const doc: Doc = {};
  let node = doc;
  for (const part of parts.slice(0, -1)) node = (node[part] = {});
  node[parts[parts.length - 1] as string] = value;
  return doc;
}

/**
 * A partial index holds only the documents its filter accepts, so a query may use it only when every
 * match is among them. Said here for the common form — a filter on one field ("citizenId is a
 * string") — and a query naming that field by equality or $in with values the filter accepts: looking
 * up a person by CCCD then uses the unique index instead of scanning every person.
 */
function partialImplied(idx: Index, constraints: Map<string, Constraint>): boolean {
  const expr = idx.spec.partialFilterExpression;
  if (!isPlainObject(expr) || !idx.partial) return false;
  const fields = Object.keys(expr);
  const field = fields[0];
  if (fields.length !== 1 || field === undefined || field.startsWith('$')) return false;
  const c = constraints.get(field);
  if (!c || !('points' in c) || 'nullish' in c) return false;
  return c.points.every((p) => idx.partial!.test(docWith(field, p)));
}

/** A walk of a whole index whose order gives the sort (cheap with a limit), or null. */
function sortedWalk(coll: Collection, sort: SortSpec | null): Plan | null {
  if (!sort || sort.fields.length === 0) return null;
  for (const idx of coll.indexes.values()) {
    if (idx.partial || idx.sparse || idx.collated) continue;
    const plan: Plan = { index: idx, ranges: null, reverse: false, sortPrefix: 0 };
    applySortOrder(plan, sort);
    if (plan.sortPrefix > 0) return plan;
  }
  return null;
}

/** Up to this many candidates, a word search with sort and limit tests them all (no estimate needed). */
const WALK_INSTEAD_ABOVE = 2000;
/** How many of the looked-up word's entries are read to estimate how many candidates hold every word. */
const MATCH_SAMPLE = 256;

/**
 * A search for common words ("thu hồi đất") has tens of thousands of candidates that would all be
 * tested and sorted for one page of 25. When the filter is only `$all`s of strings, walking the
 * index of the sort order with a cheap membership test finds the first page after a few hundred
 * documents. But common words that rarely meet ("võ cẩm liên": thousands of each, 21 together) would
 * make that walk visit every document: so the matches are estimated from an even sample of the
 * looked-up word's entries, and the walk is taken only when it should fill its page sooner (about
 * limit × documents ÷ matches visits) than testing every candidate.
 */
function preferSortedWalk(coll: Collection, best: Candidate, constraints: Map<string, Constraint>, sort: SortSpec | null, limit: number): Plan {
  const plan = best.plan;
  if (limit <= 0 || plan.sortPrefix > 0 || !plan.prefilter || !plan.index) return plan;
  const words = [...constraints].filter(([path, c]) => 'anyOf' in c && !path.includes('.') && c.anyOf.every((v) => typeof v === 'string'));
  if (words.length !== constraints.size) return plan;
  const candidates = best.estimate ?? plan.index.countInRanges(plan.ranges);
  if (candidates <= WALK_INSTEAD_ABOVE) return plan;
  const walk = sortedWalk(coll, sort);
  if (!walk?.index) return plan;
  const tests = words.map(([path, c]) => allStrings(path, (c as { anyOf: string[] }).anyOf));
  const holdsEvery = (doc: Doc): boolean => tests.every((t) => t(doc));
  const sample = plan.ranges?.length === 1 ? plan.index.sampleRange(plan.ranges[0] as Interval[], MATCH_SAMPLE) : [];
  if (sample.length > 0) {
    // Half a hit when none is seen: a rare meeting of words is not taken for no match at all.
    const hits = Math.max(0.5, sample.filter((rec) => holdsEvery(rec.doc)).length);
    const matches = (candidates * hits) / sample.length;
    if ((limit * walk.index.size) / matches >= candidates) return plan;
  }
  return { ...walk, prefilter: holdsEvery, prefilterExact: true };
}

/**
 * Whether `filter` says nothing beyond `$all`s of strings on top-level fields (possibly inside a
 * one-branch `$or` or an `$and`), each field once: then a plan's prefilter for those words decides a
 * match alone.
 */
export function onlyStringAlls(filter: Doc): boolean {
  const paths: string[] = [];
  const walk = (f: Doc): boolean => {
    const entries = Object.entries(f);
    if (entries.length === 0) return false;
    return entries.every(([k, v]) => {
      if (k === '$and' || k === '$or') return Array.isArray(v) && (k === '$and' || v.length === 1) && v.every((sub) => isPlainObject(sub) && walk(sub));
      if (k.startsWith('$') || k.includes('.') || !isPlainObject(v)) return false;
      const keys = Object.keys(v);
      paths.push(k);
      return keys.length === 1 && keys[0] === '$all' && Array.isArray(v.$all) && v.$all.length > 0 && v.$all.every((w) => typeof w === 'string');
    });
  };
  return walk(filter) && new Set(paths).size === paths.length;
}

/** Sets plan.sortPrefix/reverse when walking the index yields the requested sort order. */
function applySortOrder(plan: Plan, sort: SortSpec | null): void {
  const idx = plan.index;
  if (!idx || !sort || sort.fields.length === 0 || idx.multikey) return;
  // Leading fields pinned to one value do not affect the order of what follows them. With several
  // tuples (an $in on a leading field), each tuple's run is in order, and the runs can be merged.
  let pinned = 0;
  const tuples = plan.ranges ?? [];
  if (tuples.length >= 1 && tuples.length <= MAX_MERGED_RUNS) {
    const first = tuples[0] as Interval[];
    for (let i = 0; i < first.length; i++) {
      if (tuples.every((t) => { const iv = t[i]; return iv !== undefined && iv.lo === iv.hi && iv.loInc && iv.hiInc; })) pinned++;
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
      if (tuples.length > 1) plan.mergeRanges = true;
      return;
    }
  }
}
