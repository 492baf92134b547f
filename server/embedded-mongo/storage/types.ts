// Shared storage types.

export type Doc = Record<string, unknown>;

/**
 * One stored document. `doc` is never mutated after it is stored (updates store a new object), so
 * cursors, snapshots and transactions can hold references without copying.
 */
export interface DocRecord {
  /** Canonical string of the `_id` value (see canonicalKey). */
  readonly id: string;
  /** Insertion sequence: MongoDB's "natural order", and the tie-break for equal sort keys. */
  readonly seq: number;
  doc: Doc;
  /** Engine-wide version of the last write to this document (for transaction conflict checks). */
  ver: number;
}

export interface IndexSpec {
  v?: number;
  key: Record<string, unknown>;
  name: string;
  unique?: boolean;
  sparse?: boolean;
  partialFilterExpression?: Doc;
  expireAfterSeconds?: number;
  [option: string]: unknown;
}

/** One durable change, as written to the journal and replayed at start-up. */
export type JournalOp =
  | { op: 'put'; db: string; coll: string; doc: Doc }
  | { op: 'del'; db: string; coll: string; id: unknown }
  | { op: 'createColl'; db: string; coll: string; options: Doc }
  | { op: 'dropColl'; db: string; coll: string }
  | { op: 'dropDb'; db: string }
  | { op: 'createIndex'; db: string; coll: string; spec: IndexSpec }
  | { op: 'dropIndex'; db: string; coll: string; name: string }
  | { op: 'rename'; db: string; coll: string; toDb: string; toColl: string };
