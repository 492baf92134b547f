// Short-lived copies of what many requests read alike:
//  - 'reference': small lists read on almost every page (communes, fields, staff for the selects and
//    filters): on the embedded database each of those reads costs as much as the page's own query;
//  - 'figures': a period's statistics, which read every visit, letter, case and forwarding of the
//    period — seconds of the database's time for a year, the same for every leader who opens it.
// A copy is dropped when a collection it reads is written through a model of this process (see
// invalidateOnWrite) and, for writes by other instances, after its kind's configured seconds at most
// (REFERENCE_CACHE_SECONDS, STATISTICS_CACHE_SECONDS). With 0 seconds (the default until the app
// configures it: scripts, service tests) nothing is kept.
import type { Schema } from 'mongoose';
import type { Clock } from './clock.js';
import { systemClock } from './clock.js';

interface Entry {
  value: Promise<unknown>;
  loadedAt: number;
}

export type CacheKind = 'reference' | 'figures';

const ttlMs: Record<CacheKind, number> = { reference: 0, figures: 0 };
let clock: Clock = systemClock;
/** Every cache, with the collections it reads. */
const caches = new Map<Map<string, Entry>, readonly string[]>();

/** Seconds per kind (a kind left out keeps nothing). */
export function configureCaches(options: { seconds: Partial<Record<CacheKind, number>>; clock: Clock }): void {
  for (const kind of Object.keys(ttlMs) as CacheKind[]) ttlMs[kind] = (options.seconds[kind] ?? 0) * 1000;
  clock = options.clock;
  invalidateAllCaches();
}

export function invalidateAllCaches(): void {
  for (const entries of caches.keys()) entries.clear();
}

/** Drops every cache that reads this collection. */
export function invalidateCachesOf(collection: string): void {
  for (const [entries, collections] of caches) if (collections.includes(collection)) entries.clear();
}

export interface ReferenceCache<A extends unknown[], T> {
  get(...args: A): Promise<T>;
  invalidate(): void;
}

export interface CacheOptions<A extends unknown[]> {
  /** What makes two calls the same (default: all the arguments). */
  key?: (...args: A) => string;
  kind?: CacheKind;
  /**
   * The instant the caller asks as of (default: the configured clock). A copy made later than that is
   * not served — figures judged "overdue" at a later instant are not the answer for an earlier one.
   */
  asOf?: (...args: A) => Date;
}

/**
 * A cached loader: the same arguments (joined into a key) share one load, in flight or done, for the
 * time configured for its kind. A failed load is not kept.
 */
export function referenceCache<A extends unknown[], T>(collections: readonly string[], load: (...args: A) => Promise<T>, options: CacheOptions<A> = {}): ReferenceCache<A, T> {
  const keyOf = options.key ?? ((...args: A) => JSON.stringify(args));
  const kind = options.kind ?? 'reference';
  const entries = new Map<string, Entry>();
  caches.set(entries, collections);
  return {
    get(...args: A): Promise<T> {
      const ttl = ttlMs[kind];
      if (ttl <= 0) return load(...args);
      const key = keyOf(...args);
      const now = (options.asOf ? options.asOf(...args) : clock.now()).getTime();
      const hit = entries.get(key);
      if (hit && now >= hit.loadedAt && now - hit.loadedAt < ttl) return hit.value as Promise<T>;
      // A real promise, awaited by every caller (a mongoose query would run again on each await).
      const value = Promise.resolve().then(() => load(...args));
      entries.set(key, { value, loadedAt: now });
      value.catch(() => {
        if (entries.get(key)?.value === value) entries.delete(key);
      });
      return value;
    },
    invalidate(): void {
      entries.clear();
    },
  };
}

/**
 * Drops the caches that read this schema's collection whenever one of its documents is written through
 * the model. Call it in the model file, before mongoose.model(): hooks added later are not applied.
 */
export function invalidateOnWrite(schema: Schema, collection: string): void {
  const drop = () => invalidateCachesOf(collection);
  schema.post(['save', 'updateOne', 'updateMany', 'findOneAndUpdate', 'findOneAndDelete', 'deleteOne', 'deleteMany', 'replaceOne'], drop);
  schema.post('insertMany', drop);
  schema.post('bulkWrite', drop);
}
