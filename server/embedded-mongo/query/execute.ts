// Runs a filter + sort + skip/limit over a collection (and a transaction's private changes),
// using the planner's index when one fits and mingo to re-check every candidate.

import { compareValues } from '../bson-order.js';
import type { Collection } from '../storage/collection.js';
import type { EngineStats } from '../storage/engine.js';
import type { Doc, DocRecord } from '../storage/types.js';
import { compileFilter } from './filter.js';
import { choosePlan, COLLSCAN, onlyStringAlls, residualFilter, type Plan } from './planner.js';
import { compareOnFields, sortMatches, type Match, type SortSpec } from './sort.js';

/** A transaction's pending version of a document (null = deleted in the transaction). */
export interface OverlayEntry {
  doc: Doc | null;
  seq: number;
}

/** What a command reads: the committed collection plus, inside a transaction, its own changes. */
export interface CollectionView {
  readonly base: Collection | undefined;
  readonly overlay: ReadonlyMap<string, OverlayEntry> | undefined;
}

export interface QueryOptions {
  sort?: SortSpec | null;
  skip?: number;
  /** 0 or undefined = no limit. */
  limit?: number;
  collation?: Doc | null;
  /** Ignore indexes (used by tests to compare against a plain scan). */
  forceScan?: boolean;
}

export interface QueryResult {
  matches: Match[];
  plan: Plan;
  docsExamined: number;
}

/**
 * The runs of a plan's ranges scanned side by side, always taking the record that comes first in the
 * sort: each run is already in sort order, so the merge is too (ties in any order — they are sorted
 * by insertion afterwards).
 */
function* mergedScan(plan: Plan, sort: SortSpec): Generator<DocRecord> {
  const runs = (plan.ranges ?? []).map((range) => plan.index!.scan([range], plan.reverse)[Symbol.iterator]());
  const heads = runs.map((run) => run.next());
  for (;;) {
    let first = -1;
    for (let i = 0; i < heads.length; i++) {
      const head = heads[i] as IteratorResult<DocRecord>;
      if (head.done) continue;
      if (first < 0 || compareOnFields(head.value.doc, (heads[first] as IteratorYieldResult<DocRecord>).value.doc, sort.fields, plan.sortPrefix) < 0) first = i;
    }
    if (first < 0) return;
    yield (heads[first] as IteratorYieldResult<DocRecord>).value;
    heads[first] = (runs[first] as Iterator<DocRecord>).next();
  }
}

/** The candidates a plan's index gives: the records in its ranges, or those holding every value of an `$all`. */
function indexCandidates(plan: Plan): Iterable<DocRecord> {
  if (!plan.index) return [];
  return plan.allOf ? plan.index.recordsWithAll(plan.allOf, plan.reverse) : plan.index.scan(plan.ranges, plan.reverse);
}

/** The candidates of every branch of an `$or`, each record once. */
function* unionScan(plans: Plan[]): Generator<DocRecord> {
  const seen = new Set<DocRecord>();
  for (const plan of plans) {
    const source = plan.union ? unionScan(plan.union) : indexCandidates(plan);
    for (const rec of source) {
      if (seen.has(rec)) continue;
      seen.add(rec);
      yield rec;
    }
  }
}

export function runQuery(view: CollectionView, filter: Doc | undefined, opts: QueryOptions, stats: EngineStats): QueryResult {
  const base = view.base;
  const overlay = view.overlay && view.overlay.size > 0 ? view.overlay : undefined;
  const sort = opts.sort ?? null;
  const skip = opts.skip ?? 0;
  const limit = opts.limit ?? 0;
  const plan = base && !opts.forceScan ? choosePlan(base, filter ?? {}, sort, opts.collation, compareValues, limit > 0 ? skip + limit : 0) : COLLSCAN;
  // When the filter is only `$all`s of strings, the plan's prefilter tests exactly that: the
  // (much slower) general matcher adds nothing.
  const prefilterDecides = plan.prefilterExact === true && !opts.collation && onlyStringAlls(filter ?? {});
  // What index bounds already say (an _id $in of a lookup, a status and a date range) is not checked
  // again on each candidate: the matcher gets the rest of the filter, or nothing. Documents changed in
  // a transaction (the overlay) did not come from the index and get the whole filter.
  const matcher = compileFilter(filter ?? {}, opts.collation);
  const residual = !opts.collation && filter !== undefined ? residualFilter(plan, filter) : null;
  const candidateMatcher = residual === null ? matcher : compileFilter(residual, opts.collation);

  let examined = 0;
  const matches: Match[] = [];
  if (base) {
    const source: Iterable<DocRecord> = plan.union
      ? unionScan(plan.union)
      : plan.index && plan.mergeRanges && sort
        ? mergedScan(plan, sort)
        : plan.index
          ? indexCandidates(plan)
          : base.records.values();
    // With an index that already yields the sort order (or no sort at all), stop early once
    // skip+limit results are in hand, finishing the run of ties on the sorted prefix.
    const ordered = !overlay && (sort === null || (plan.sortPrefix > 0 && sort.fields.length > 0));
    const need = limit > 0 ? skip + limit : Infinity;
    for (const rec of source) {
      if (overlay?.has(rec.id)) continue;
      examined++;
      if (plan.prefilter && !plan.prefilter(rec.doc)) continue;
      if (!prefilterDecides && !candidateMatcher.test(rec.doc)) continue;
      if (ordered && matches.length >= need) {
        if (sort === null) break;
        const last = matches[matches.length - 1] as Match;
        if (compareOnFields(rec.doc, last.doc, sort.fields, plan.sortPrefix) !== 0) break;
      }
      matches.push({ id: rec.id, doc: rec.doc, seq: rec.seq });
    }
  }
  if (overlay) {
    for (const [id, entry] of overlay) {
      if (!entry.doc) continue;
      examined++;
      if (matcher.test(entry.doc)) matches.push({ id, doc: entry.doc, seq: entry.seq });
    }
  }
  stats.docsExamined += examined;
  let result = matches;
  if (sort) sortMatches(result, sort, opts.collation, limit > 0 ? skip + limit : undefined);
  else if (overlay) result.sort((a, b) => a.seq - b.seq);
  if (skip > 0 || limit > 0) result = result.slice(skip, limit > 0 ? skip + limit : undefined);
  return { matches: result, plan, docsExamined: examined };
}
