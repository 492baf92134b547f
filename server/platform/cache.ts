// Short-lived copies of small reference lists read on almost every page (communes, fields, staff for
// the selects and filters): on the embedded database each of those reads costs as much as the page's
// own query. A copy is dropped when a collection it reads is written through a model of this process
// (see invalidateOnWrite) and, for writes by other instances, after REFERENCE_CACHE_SECONDS at most.
// With 0 seconds (the default until the app configures it: scripts, service tests) nothing is kept.
import type { Schema } from 'mongoose';
import type { Clock } from './clock.js';
import { systemClock } from './clock.js';

interface Entry {
  value: Promise<unknown>;
  loadedAt: number;
}

let ttlMs = 0;
let clock: Clock = systemClock;
/** Every cache, with the collections it reads. */
const caches = new Map<Map<string, Entry>, readonly string[]>();

export function configureCaches(options: { seconds: number; clock: Clock }): void {
  ttlMs = options.seconds * 1000;
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

/**
 * A cached loader: the same arguments (joined into a key) share one load, in flight or done, for the
 * configured time. A failed load is not kept.
 */
export function referenceCache<A extends unknown[], T>(collections: readonly string[], load: (...args: A) => Promise<T>, keyOf: (...args: A) => string = (...args) => JSON.stringify(args)): ReferenceCache<A, T> {
  const entries = new Map<string, Entry>();
  caches.set(entries, collections);
  return {
    get(...args: A): Promise<T> {
      if (ttlMs <= 0) return load(...args);
      const key = keyOf(...args);
      const now = clock.now().getTime();
      const hit = entries.get(key);
      if (hit && now - hit.loadedAt < ttlMs) return hit.value as Promise<T>;
      // A real promise, awaited by every caller (a mongoose query would run again on each await).
      const value = Promise.resolve().then(() => load(...args));
      entries.set(key, { value, loadedAt: now });
      value.catch(() => entries.delete(key));
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
