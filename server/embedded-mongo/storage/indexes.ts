// A secondary (or _id) index: ordered entries (key tuple, record) in a SortedList, following
// MongoDB's multikey rules, plus the uniqueness / sparse / partial / TTL options.

import { Query } from 'mingo';
import { compareValues, EMPTY_ARRAY_KEY, pathValues, typeRank } from '../bson-order.js';
import { MongoServerError } from '../errors.js';
import { activeCollation, folder, foldValues } from '../query/collation.js';
import { formatDupKey } from './dup-key.js';
import { SortedList, type ListPosition } from './sorted-list.js';
import type { Doc, DocRecord, IndexSpec } from './types.js';

export interface IndexEntry {
  key: unknown[];
  rec: DocRecord;
}

/** Lower/upper bound of an interval; a TypeBound stands for "the start/end of a BSON type". */
export interface TypeBound {
  typeEdge: 'min' | 'max';
  rank: number;
}

export interface Interval {
  lo: unknown;
  loInc: boolean;
  hi: unknown;
  hiInc: boolean;
}

export function isTypeBound(v: unknown): v is TypeBound {
  return typeof v === 'object' && v !== null && 'typeEdge' in v && 'rank' in v;
}

function isPoint(iv: Interval): boolean {
  return iv.loInc && iv.hiInc && !isTypeBound(iv.lo) && compareValues(iv.lo, iv.hi) === 0;
}

function compareToBound(v: unknown, bound: unknown): number {
  if (isTypeBound(bound)) {
    const r = typeRank(v);
    if (r !== bound.rank) return r < bound.rank ? -1 : 1;
    return bound.typeEdge === 'min' ? 1 : -1;
  }
  return compareValues(v, bound);
}

export class Index {
  readonly name: string;
  readonly spec: IndexSpec;
  readonly fields: { path: string; parts: string[]; dir: 1 | -1 }[];
  readonly unique: boolean;
  readonly sparse: boolean;
  readonly ttlSeconds: number | null;
  readonly partial: Query | null;
  /** An index with a non-simple collation: keys hold folded strings, so plain queries cannot use it. */
  readonly collated: boolean;
  private readonly fold: ((s: string) => string) | null;
  /** True once any document stored an array under an indexed path (then index order ≠ sort order). */
  multikey = false;
  private readonly entries: SortedList<IndexEntry>;

  constructor(spec: IndexSpec) {
    this.spec = spec;
    this.name = spec.name;
    this.fields = Object.entries(spec.key).map(([path, d]) => ({ path, parts: path.split('.'), dir: d === -1 ? -1 : 1 }));
    this.unique = spec.unique === true || spec.name === '_id_';
    this.sparse = spec.sparse === true;
    this.ttlSeconds = typeof spec.expireAfterSeconds === 'number' ? spec.expireAfterSeconds : null;
    this.partial = spec.partialFilterExpression ? new Query(spec.partialFilterExpression, {}) : null;
    const collation = activeCollation(spec.collation as Doc | undefined);
    this.collated = collation !== null;
    // Uniqueness under a case/accent-insensitive collation compares folded strings.
    this.fold = folder(collation);
    const fields = this.fields;
    const dir0 = fields[0]?.dir ?? 1;
    this.entries = new SortedList<IndexEntry>((a, b) => {
      for (let i = 0; i < fields.length; i++) {
        const c = compareValues(a.key[i], b.key[i]);
        if (c !== 0) return c * (fields[i] as { dir: number }).dir;
      }
      return (a.rec.seq - b.rec.seq) * dir0;
    });
  }

  get size(): number {
    return this.entries.size;
  }

  /** Key tuples for a document, or null when the index leaves it out (sparse/partial). */
  keysFor(doc: Doc): unknown[][] | null {
    if (this.partial && !this.partial.test(doc)) return null;
    const perField: unknown[][] = [];
    let arrays = 0;
    let allMissing = true;
    for (const f of this.fields) {
      const mk = { value: false };
      const raw = pathValues(doc, f.parts, mk);
      const values: unknown[] = [];
      for (const v of raw) {
        if (v !== undefined) allMissing = false;
        const key = v === undefined ? null : this.fold ? foldValues(v, this.fold) : v;
        if (!values.some((x) => compareValues(x, key) === 0)) values.push(key);
      }
      if (mk.value) this.multikey = true;
      if (values.length > 1) arrays++;
      perField.push(values);
    }
    if (this.sparse && allMissing) return null;
    if (arrays > 1) {
      throw new MongoServerError('CannotIndexParallelArrays', `cannot index parallel arrays [${this.fields.map((f) => f.path).join('] [')}]`);
    }
    let tuples: unknown[][] = [[]];
    for (const values of perField) {
      const next: unknown[][] = [];
      for (const t of tuples) for (const v of values) next.push([...t, v]);
      tuples = next;
    }
    return tuples;
  }

  add(rec: DocRecord, keys: unknown[][] | null): void {
    if (!keys) return;
    for (const key of keys) this.entries.insert({ key, rec });
  }

  /** Adds the entries of many records at once (building a new index). */
  addMany(entries: { rec: DocRecord; keys: unknown[][] | null }[]): void {
    const flat: IndexEntry[] = [];
    for (const { rec, keys } of entries) if (keys) for (const key of keys) flat.push({ key, rec });
    this.entries.insertMany(flat);
  }

  remove(rec: DocRecord, keys: unknown[][] | null): void {
    if (!keys) return;
    for (const key of keys) this.entries.remove({ key, rec });
  }

  clear(): void {
    this.entries.clear();
  }

  /** Records (other than `self`) holding exactly this key tuple. */
  *withKey(key: unknown[]): Generator<DocRecord> {
    const fields = this.fields;
    const cmpKey = (e: IndexEntry): number => {
      for (let i = 0; i < fields.length; i++) {
        const c = compareValues(e.key[i], key[i]);
        if (c !== 0) return c * (fields[i] as { dir: number }).dir;
      }
      return 0;
    };
    const pos = this.entries.lowerBound((e) => cmpKey(e) >= 0);
    for (const e of this.entries.walk(pos, false)) {
      if (cmpKey(e) !== 0) return;
      yield e.rec;
    }
  }

  /** Throws E11000 if another record already holds one of `keys` in this unique index. */
  checkUnique(keys: unknown[][] | null, self: DocRecord | null, ns: string, isTaken?: (rec: DocRecord, key: unknown[]) => boolean): void {
    if (!this.unique || !keys) return;
    for (const key of keys) {
      for (const rec of this.withKey(key)) {
        if (rec === self || (self !== null && rec.id === self.id)) continue;
        if (isTaken && !isTaken(rec, key)) continue;
        throw this.duplicateError(ns, key);
      }
    }
  }

  /**
   * A key held by two different records, or null. Entries are sorted by key, so equal keys are
   * neighbours (a record never holds the same key twice: keysFor removes repeats).
   */
  firstDuplicateKey(): unknown[] | null {
    const fields = this.fields.length;
    let prev: IndexEntry | null = null;
    for (const e of this.entries.walk(this.entries.start(), false)) {
      if (prev && prev.rec !== e.rec) {
        let same = true;
        for (let i = 0; i < fields && same; i++) same = compareValues(prev.key[i], e.key[i]) === 0;
        if (same) return e.key;
      }
      prev = e;
    }
    return null;
  }

  duplicateError(ns: string, key: unknown[]): MongoServerError {
    const keyPattern: Record<string, unknown> = {};
    const keyValue: Record<string, unknown> = {};
    this.fields.forEach((f, i) => {
      keyPattern[f.path] = this.spec.key[f.path];
      const v = key[i];
      keyValue[f.path] = v === EMPTY_ARRAY_KEY ? undefined : v;
    });
    return new MongoServerError('DuplicateKey', `E11000 duplicate key error collection: ${ns} index: ${this.name} dup key: ${formatDupKey(keyValue)}`, {
      keyPattern,
      keyValue,
    });
  }

  /**
   * Records whose key lies inside the given tuple ranges, in index order (or reversed). Each range
   * constrains the leading fields: points on all but its last field, an interval on the last.
   * Ranges must be disjoint and given in ascending value order of their first differing field.
   */
  /** Where an entry lies against a tuple range: -1 before it, 0 inside, 1 after (in index order). */
  private positionIn(range: Interval[]): (e: IndexEntry) => number {
    const fields = this.fields;
    return (e: IndexEntry): number => {
      for (let i = 0; i < range.length; i++) {
        const iv = range[i] as Interval;
        const v = e.key[i];
        let p = 0;
        const lo = compareToBound(v, iv.lo);
        if (lo < 0 || (lo === 0 && !iv.loInc)) p = -1;
        else {
          const hi = compareToBound(v, iv.hi);
          if (hi > 0 || (hi === 0 && !iv.hiInc)) p = 1;
        }
        if (p !== 0) return p * (fields[i] as { dir: number }).dir;
      }
      return 0;
    };
  }

  /** Where a tuple range's run of entries starts and where it ends (just after its last entry). */
  private runOf(range: Interval[]): { from: ListPosition; to: ListPosition } {
    const pos = this.positionIn(range);
    return { from: this.entries.lowerBound((e) => pos(e) >= 0), to: this.entries.lowerBound((e) => pos(e) > 0) };
  }

  /** How many entries lie in the ranges (two binary searches per range, no walk): the planner's estimate. */
  countInRanges(ranges: Interval[][] | null): number {
    if (ranges === null) return this.entries.size;
    let n = 0;
    for (const range of ranges) {
      const { from, to } = this.runOf(range);
      n += this.entries.rank(to) - this.entries.rank(from);
    }
    return n;
  }

  /**
   * The records holding every one of `values` on this one-field index (what an `$all` asks), in index
   * order, one at a time (a count that needs 1,001 stops there). Each value's entries are ordered by
   * insertion sequence, so each of the rarest value's records is sought in the others' runs in that
   * order, every search going on from where the last stopped and passing over whole chunks: no
   * document is read, and a rare word costs a few steps in a common word's thousands of entries.
   */
  *recordsWithAll(values: unknown[], reverse: boolean): Generator<DocRecord> {
    const list = this.entries;
    const dir = (this.fields[0] as { dir: number }).dir;
    const [rarest, ...others] = values
      .map((v) => {
        const { from, to } = this.runOf([{ lo: v, loInc: true, hi: v, hiInc: true }]);
        return { from, to, size: list.rank(to) - list.rank(from) };
      })
      .sort((a, b) => a.size - b.size);
    if (!rarest) return;
    const cursors = others.map((run) => run.from);
    const holdsAll = (rec: DocRecord): boolean => {
      const key = rec.seq * dir;
      for (let k = 0; k < others.length; k++) {
        const run = others[k] as { to: ListPosition };
        const at = list.seek(cursors[k] as ListPosition, run.to, (e) => e.rec.seq * dir >= key);
        cursors[k] = at;
        if (list.at(at)?.rec !== rec || (at.chunk === run.to.chunk && at.index === run.to.index)) return false;
      }
      return true;
    };
    if (!reverse) {
      for (const e of list.between(rarest.from, rarest.to, false)) if (holdsAll(e.rec)) yield e.rec;
      return;
    }
    // Sought in ascending order, given in descending (a reverse walk of a plain one-field index).
    const found: DocRecord[] = [];
    for (const e of list.between(rarest.from, rarest.to, false)) if (holdsAll(e.rec)) found.push(e.rec);
    yield* found.reverse();
  }

  /** Up to `k` records spread evenly over one tuple range, in index order (the planner's sample). */
  sampleRange(range: Interval[], k: number): DocRecord[] {
    const { from, to } = this.runOf(range);
    return this.entries.sample(this.entries.rank(from), this.entries.rank(to), k).map((e) => e.rec);
  }

  *scan(ranges: Interval[][] | null, reverse: boolean): Generator<DocRecord> {
    const list = this.entries;
    const ordered = ranges === null ? [[]] : this.orderRanges(ranges);
    if (reverse) ordered.reverse();
    // A record can come twice from a multikey index (two of its keys in the ranges) — except from one
    // point on every field: a record holds each key once (keysFor), so a word's entries need no set.
    const onePoint = ordered.length === 1 && (ordered[0] as Interval[]).length === this.fields.length && (ordered[0] as Interval[]).every(isPoint);
    const seen = this.multikey && !onePoint ? new Set<DocRecord>() : null;
    for (const range of ordered) {
      // The range's entries are one run: its ends are found once, not tested on every entry.
      const { from, to } = this.runOf(range);
      for (const e of list.between(from, to, reverse)) {
        if (seen) {
          if (seen.has(e.rec)) continue;
          seen.add(e.rec);
        }
        yield e.rec;
      }
    }
  }

  /** Sorts tuple ranges into index order (taking each field's direction into account). */
  private orderRanges(ranges: Interval[][]): Interval[][] {
    const fields = this.fields;
    return ranges.slice().sort((a, b) => {
      const n = Math.min(a.length, b.length);
      for (let i = 0; i < n; i++) {
        const dir = (fields[i] as { dir: number }).dir;
        const ia = a[i] as Interval;
        const ib = b[i] as Interval;
        const c = dir === 1 ? compareToBound(ia.lo, ib.lo) : -compareToBound(ia.hi, ib.hi);
        if (c !== 0) return c;
      }
      return 0;
    });
  }
}
