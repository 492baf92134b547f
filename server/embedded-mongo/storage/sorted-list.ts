// An ordered multiset kept as a list of small sorted chunks (a flat, two-level B-tree).
// Insert/remove cost O(log n + CHUNK) instead of the O(n) shift of one big sorted array, which keeps
// index maintenance cheap at 100,000+ entries; iteration in either direction from any position is
// a simple walk over the chunks.

const CHUNK = 256;

export interface ListPosition {
  chunk: number;
  index: number;
}

export class SortedList<T> {
  private chunks: T[][] = [];
  private count = 0;
  /** Where each chunk starts (the ranks), kept between changes so the planner's counts cost two lookups. */
  private starts: number[] | null = null;

  constructor(private readonly cmp: (a: T, b: T) => number) {}

  get size(): number {
    return this.count;
  }

  clear(): void {
    this.chunks = [];
    this.count = 0;
    this.starts = null;
  }

  /** Position of the first item for which `isAtOrAfter` is true (the predicate must be monotonic). */
  lowerBound(isAtOrAfter: (item: T) => boolean): ListPosition {
    const chunks = this.chunks;
    let lo = 0;
    let hi = chunks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const c = chunks[mid] as T[];
      if (isAtOrAfter(c[c.length - 1] as T)) hi = mid;
      else lo = mid + 1;
    }
    if (lo === chunks.length) return { chunk: lo, index: 0 };
    const c = chunks[lo] as T[];
    let a = 0;
    let b = c.length;
    while (a < b) {
      const mid = (a + b) >>> 1;
      if (isAtOrAfter(c[mid] as T)) b = mid;
      else a = mid + 1;
    }
    return { chunk: lo, index: a };
  }

  insert(item: T): void {
    this.count++;
    this.starts = null;
    const chunks = this.chunks;
    if (chunks.length === 0) {
      chunks.push([item]);
      return;
    }
    // Ids, receipt dates and sequence numbers mostly arrive in order: one comparison with the last
    // item finds their place, where a search would take twenty.
    const lastChunk = chunks[chunks.length - 1] as T[];
    const atEnd = this.cmp(lastChunk[lastChunk.length - 1] as T, item) < 0;
    const pos = atEnd ? { chunk: chunks.length, index: 0 } : this.lowerBound((x) => this.cmp(x, item) >= 0);
    let ci = pos.chunk;
    let idx = pos.index;
    if (ci === chunks.length) {
      ci = chunks.length - 1;
      idx = (chunks[ci] as T[]).length;
    }
    const c = chunks[ci] as T[];
    c.splice(idx, 0, item);
    if (c.length > CHUNK * 2) {
      // Split an overgrown chunk in two so inserts stay cheap.
      chunks.splice(ci + 1, 0, c.splice(CHUNK));
    }
  }

  /** Adds many items at once: sorted in one go when the list is empty (index builds, start-up). */
  insertMany(items: T[]): void {
    if (this.count > 0 || items.length < CHUNK) {
      for (const item of items) this.insert(item);
      return;
    }
    const sorted = items.slice().sort(this.cmp);
    for (let i = 0; i < sorted.length; i += CHUNK) this.chunks.push(sorted.slice(i, i + CHUNK));
    this.count = sorted.length;
    this.starts = null;
  }

  /** Removes one item equal (cmp === 0) to `item`; returns whether one was found. */
  remove(item: T): boolean {
    const pos = this.lowerBound((x) => this.cmp(x, item) >= 0);
    const c = this.chunks[pos.chunk];
    if (!c) return false;
    const found = c[pos.index];
    if (found === undefined || this.cmp(found, item) !== 0) return false;
    c.splice(pos.index, 1);
    this.count--;
    this.starts = null;
    if (c.length === 0) this.chunks.splice(pos.chunk, 1);
    return true;
  }

  /** Items from `start` onwards (forward) or from just before `start` backwards. */
  *walk(start: ListPosition, reverse: boolean): Generator<T> {
    const chunks = this.chunks;
    if (!reverse) {
      let idx = start.index;
      for (let ci = start.chunk; ci < chunks.length; ci++) {
        const c = chunks[ci] as T[];
        for (let i = idx; i < c.length; i++) yield c[i] as T;
        idx = 0;
      }
      return;
    }
    let ci = start.chunk;
    let idx = start.index - 1;
    while (ci >= 0) {
      if (idx < 0) {
        ci--;
        if (ci < 0) return;
        idx = (chunks[ci] as T[]).length - 1;
        continue;
      }
      const c = chunks[ci];
      if (!c) {
        ci--;
        idx = ci >= 0 ? (chunks[ci] as T[]).length - 1 : -1;
        continue;
      }
      yield c[idx] as T;
      idx--;
    }
  }

  /**
   * Up to `k` items spread evenly over the ranks [from, to): a sample of a run read without walking
   * it (one pass over the chunk lengths).
   */
  sample(from: number, to: number, k: number): T[] {
    const out: T[] = [];
    const n = to - from;
    const take = Math.min(k, n);
    if (take <= 0) return out;
    let next = 0;
    let offset = 0;
    for (const c of this.chunks) {
      while (next < take) {
        const r = from + Math.floor((next * n) / take);
        if (r >= offset + c.length) break;
        out.push(c[r - offset] as T);
        next++;
      }
      if (next >= take) break;
      offset += c.length;
    }
    return out;
  }

  /**
   * The items from position `from` up to (not including) `to`, forward or from the last backwards:
   * a run found by two binary searches is walked without comparing each item to its bounds.
   * Positions come from lowerBound/start/end and hold while the list is not changed.
   */
  *between(from: ListPosition, to: ListPosition, reverse: boolean): Generator<T> {
    const chunks = this.chunks;
    if (!reverse) {
      let i = from.index;
      for (let ci = from.chunk; ci < chunks.length && ci <= to.chunk; ci++) {
        const c = chunks[ci] as T[];
        const stop = ci === to.chunk ? to.index : c.length;
        for (; i < stop; i++) yield c[i] as T;
        i = 0;
      }
      return;
    }
    let ci = to.chunk;
    let end = to.index;
    if (ci >= chunks.length) {
      ci = chunks.length - 1;
      end = ci >= 0 ? (chunks[ci] as T[]).length : 0;
    }
    for (; ci >= from.chunk && ci >= 0; ci--) {
      const c = chunks[ci] as T[];
      const stop = ci === from.chunk ? from.index : 0;
      for (let i = (ci === to.chunk ? end : c.length) - 1; i >= stop; i--) yield c[i] as T;
    }
  }

  /**
   * From `pos`, the first position before `end` whose item satisfies `isAtOrAfter` (monotonic over
   * [pos, end)), or `end`: whole chunks are passed over by their last item, then one is searched.
   */
  seek(pos: ListPosition, end: ListPosition, isAtOrAfter: (item: T) => boolean): ListPosition {
    const chunks = this.chunks;
    let ci = pos.chunk;
    let from = pos.index;
    while (ci < end.chunk && !isAtOrAfter((chunks[ci] as T[])[(chunks[ci] as T[]).length - 1] as T)) {
      ci++;
      from = 0;
    }
    if (ci >= chunks.length) return end;
    const c = chunks[ci] as T[];
    let lo = from;
    let hi = ci === end.chunk ? end.index : c.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (isAtOrAfter(c[mid] as T)) hi = mid;
      else lo = mid + 1;
    }
    return { chunk: ci, index: lo };
  }

  /** The item at a position (undefined at the end). */
  at(pos: ListPosition): T | undefined {
    return this.chunks[pos.chunk]?.[pos.index];
  }

  /** How many items come before `pos` (from the chunks' start ranks, worked out again after a change). */
  rank(pos: ListPosition): number {
    const chunks = this.chunks;
    if (pos.chunk >= chunks.length) return this.count;
    if (!this.starts) {
      const starts = new Array<number>(chunks.length);
      let n = 0;
      for (let ci = 0; ci < chunks.length; ci++) {
        starts[ci] = n;
        n += (chunks[ci] as T[]).length;
      }
      this.starts = starts;
    }
    return (this.starts[pos.chunk] as number) + pos.index;
  }

  start(): ListPosition {
    return { chunk: 0, index: 0 };
  }

  end(): ListPosition {
    return { chunk: this.chunks.length, index: 0 };
  }
}
