// TTL indexes: a periodic sweep deletes documents whose indexed date (the earliest one, for an
// array) is older than expireAfterSeconds. Like mongod's TTL monitor it runs in the background,
// so expired documents may be visible until the next sweep.

import { pathValues, typeRank } from './bson-order.js';
import type { Interval } from './storage/indexes.js';
import type { Engine } from './storage/engine.js';
import type { DocRecord } from './storage/types.js';

const DATE_RANK = typeRank(new Date(0));

/** Deletes expired documents; returns how many. The caller persists engine.takePending(). */
export function sweepExpired(engine: Engine, now = Date.now()): number {
  let removed = 0;
  for (const coll of engine.allCollections()) {
    for (const idx of coll.indexes.values()) {
      if (idx.ttlSeconds === null || idx.fields.length !== 1) continue;
      const cutoff = new Date(now - idx.ttlSeconds * 1000);
      const range: Interval = { lo: { typeEdge: 'min', rank: DATE_RANK }, loInc: true, hi: cutoff, hiInc: false };
      const parts = (idx.fields[0] as { parts: string[] }).parts;
      const expired: DocRecord[] = [];
      for (const rec of idx.scan([[range]], false)) {
        const dates = pathValues(rec.doc, parts).filter((v): v is Date => v instanceof Date);
        if (dates.length > 0 && Math.min(...dates.map((d) => d.getTime())) < cutoff.getTime()) expired.push(rec);
      }
      for (const rec of expired) {
        coll.remove(rec);
        removed++;
      }
    }
  }
  return removed;
}
