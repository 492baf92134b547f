// Buffers documents per collection and writes them with insertMany (unordered) in large batches,
// keeping a few batches in flight so generating the next documents overlaps with the database's work.
import type { Db } from 'mongodb';
import type { RawDoc } from './documents.js';

export class BatchWriter {
  private readonly buffers = new Map<string, RawDoc[]>();
  private readonly inFlight = new Set<Promise<void>>();
  private failure: unknown = null;
  readonly written = new Map<string, number>();

  constructor(
    private readonly db: Db,
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
    const write: Promise<void> = this.db
      .collection(collection)
      .insertMany(docs, { ordered: false })
      .then(
        (res) => {
          this.written.set(collection, (this.written.get(collection) ?? 0) + res.insertedCount);
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
