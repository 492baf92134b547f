// Server-side cursors: the rest of a result set, handed out in batches by getMore.
// Results are materialised when the query runs (documents are immutable, so this holds references,
// not copies). Ids are random integers below 2^53 so they survive the driver's Int64 round trip.

import { calculateObjectSize, Long } from 'bson';
import { randomInt } from 'node:crypto';
import { MongoServerError } from './errors.js';
import type { Doc } from './storage/types.js';

/** Stay under the 16 MiB BSON limit of the reply document, leaving room for its envelope. */
const MAX_BATCH_BYTES = 16 * 1024 * 1024 - 64 * 1024;
const DEFAULT_FIRST_BATCH = 101;
const IDLE_TIMEOUT_MS = 10 * 60_000;

interface OpenCursor {
  ns: string;
  docs: Doc[];
  pos: number;
  lastUsed: number;
}

export interface Batch {
  docs: Doc[];
  /** 0 when the cursor is exhausted (and closed). */
  cursorId: Long;
}

export class CursorRegistry {
  private readonly cursors = new Map<number, OpenCursor>();

  /** First batch of a result set; opens a cursor when documents remain. */
  firstBatch(ns: string, docs: Doc[], batchSize: number | undefined, singleBatch = false): Batch {
    const size = batchSize === undefined ? DEFAULT_FIRST_BATCH : batchSize;
    const cursor: OpenCursor = { ns, docs, pos: 0, lastUsed: Date.now() };
    // batchSize 0 asks for an empty first batch and an open cursor.
    const batch = takeBatch(cursor, size);
    if (cursor.pos >= docs.length || singleBatch) return { docs: batch, cursorId: Long.ZERO };
    let id = randomInt(1, 2 ** 47) * 64 + randomInt(0, 64);
    while (this.cursors.has(id)) id++;
    this.cursors.set(id, cursor);
    return { docs: batch, cursorId: Long.fromNumber(id) };
  }

  getMore(id: number, ns: string, batchSize: number | undefined): Batch {
    const cursor = this.cursors.get(id);
    if (!cursor) throw new MongoServerError('CursorNotFound', `cursor id ${id} not found`);
    if (cursor.ns !== ns) throw new MongoServerError('Unauthorized', `Requested getMore on namespace '${ns}', but cursor belongs to a different namespace ${cursor.ns}`);
    cursor.lastUsed = Date.now();
    const batch = takeBatch(cursor, batchSize && batchSize > 0 ? batchSize : Infinity);
    if (cursor.pos >= cursor.docs.length) {
      this.cursors.delete(id);
      return { docs: batch, cursorId: Long.ZERO };
    }
    return { docs: batch, cursorId: Long.fromNumber(id) };
  }

  /** Returns [killed, notFound]. */
  kill(ids: number[]): [number[], number[]] {
    const killed: number[] = [];
    const notFound: number[] = [];
    for (const id of ids) (this.cursors.delete(id) ? killed : notFound).push(id);
    return [killed, notFound];
  }

  sweep(now = Date.now()): void {
    for (const [id, c] of this.cursors) if (now - c.lastUsed > IDLE_TIMEOUT_MS) this.cursors.delete(id);
  }

  get openCount(): number {
    return this.cursors.size;
  }

  clear(): void {
    this.cursors.clear();
  }
}

function takeBatch(cursor: OpenCursor, max: number): Doc[] {
  const out: Doc[] = [];
  let bytes = 0;
  while (cursor.pos < cursor.docs.length && out.length < max) {
    const doc = cursor.docs[cursor.pos] as Doc;
    const size = calculateObjectSize(doc);
    if (out.length > 0 && bytes + size > MAX_BATCH_BYTES) break;
    out.push(doc);
    bytes += size;
    cursor.pos++;
  }
  return out;
}
