// Buffers documents per collection and writes them in large batches, keeping a few batches in flight so
// generating the next documents overlaps with the database's work. Batches go to a sink: insert
// commands over the wire, or the bulk load of an embedded database running in this process.
import type { Db } from 'mongodb';
import type { EmbeddedMongo } from '../../server/embedded-mongo/index.js';
import type { RawDoc } from './documents.js';

/** Writes one batch of a collection; resolves to the number of documents written. */
export type BatchSink = (collection: string, docs: RawDoc[]) => Promise<number>;

export function wireSink(db: Db): BatchSink {
  return async (collection, docs) => (await db.collection(collection).insertMany(docs, { ordered: false })).insertedCount;
}

/** Straight into the embedded database's collections: durable once it is checkpointed. */
export function embeddedSink(embedded: EmbeddedMongo, dbName: string): BatchSink {
  return (collection, docs) => embedded.bulkLoad(dbName, collection, docs);
}

export class BatchWriter {
  private readonly buffers = new Map<string, RawDoc[]>();
  private readonly inFlight = new Set<Promise<void>>();
  private failure: unknown = null;
  readonly written = new Map<string, number>();

  constructor(
    private readonly sink: BatchSink,
    private readonly batchSize: number,
    private readonly maxInFlight = 3,
  ) {}

  add(collection: string, doc: RawDoc): void {
    let buffer = this.buffers.get(collection);
    if (!buffer) this.buffers.set(collection, (buffer = []));
    buffer.push(doc);
  }

  /** Sends every full buffer; waits only when too many batches are already in flight. */
  async flushFull(): Promise<void> {
    for (const [collection, buffer] of this.buffers) if (buffer.length >= this.batchSize) await this.send(collection);
  }

  async close(): Promise<void> {
    for (const collection of this.buffers.keys()) await this.send(collection);
    await Promise.all(this.inFlight);
    this.check();
  }

  private async send(collection: string): Promise<void> {
    const docs = this.buffers.get(collection) ?? [];
    if (docs.length === 0) return;
    this.buffers.set(collection, []);
    const write: Promise<void> = this.sink(collection, docs)
      .then(
        (count) => {
          this.written.set(collection, (this.written.get(collection) ?? 0) + count);
        },
        (err: unknown) => {
          this.failure ??= err;
        },
      )
      .finally(() => this.inFlight.delete(write));
    this.inFlight.add(write);
    if (this.inFlight.size >= this.maxInFlight) await Promise.race(this.inFlight);
    this.check();
  }

  private check(): void {
    if (this.failure) throw this.failure instanceof Error ? this.failure : new Error('a batch write failed', { cause: this.failure });
  }
}
