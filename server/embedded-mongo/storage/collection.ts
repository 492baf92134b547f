// One collection: documents by _id plus their indexes. Every write path (insert, replace, delete,
// index build) goes through here so unique/sparse/partial rules are enforced in exactly one place.

import { canonicalKey, compareValues } from '../bson-order.js';
import { MongoServerError } from '../errors.js';
import { Index } from './indexes.js';
import type { Doc, DocRecord, IndexSpec, JournalOp } from './types.js';

export interface CollectionHooks {
  /** Records a durable change for the journal of the current command. */
  journal(op: JournalOp): void;
  /** Next engine-wide write version. */
  nextVersion(): number;
  /** Called before a committed (non-transactional) write touches a document; `writer` is the transaction applying it, if any. */
  beforeWrite(coll: Collection, id: string, writer: unknown): void;
}

/** One document change of a transaction: the committed record it replaces (if any) and the new version (null = delete). */
export interface BatchChange {
  id: string;
  baseRec: DocRecord | undefined;
  doc: Doc | null;
}

export const ID_INDEX_SPEC: IndexSpec = { v: 2, key: { _id: 1 }, name: '_id_' };

export class Collection {
  readonly records = new Map<string, DocRecord>();
  readonly indexes = new Map<string, Index>();
  private nextSeq = 1;

  constructor(
    readonly db: string,
    readonly name: string,
    readonly options: Doc,
    private readonly hooks: CollectionHooks,
  ) {
    this.indexes.set('_id_', new Index(ID_INDEX_SPEC));
  }

  get ns(): string {
    return `${this.db}.${this.name}`;
  }

  get idIndex(): Index {
    return this.indexes.get('_id_') as Index;
  }

  getById(id: unknown): DocRecord | undefined {
    return this.records.get(canonicalKey(id));
  }

  /** Keys of `doc` for every index (throws for parallel arrays before anything changes). */
  private keysOf(doc: Doc): Map<Index, unknown[][] | null> {
    const out = new Map<Index, unknown[][] | null>();
    for (const idx of this.indexes.values()) out.set(idx, idx.keysFor(doc));
    return out;
  }

  /**
   * Throws E11000 if `doc` would duplicate a unique key held by another record. `isTaken` lets a
   * transaction ignore records it has itself changed or deleted.
   */
  checkUnique(doc: Doc, self: DocRecord | null, isTaken?: (rec: DocRecord, key: unknown[], idx: Index) => boolean): void {
    const id = canonicalKey(doc._id);
    const existing = this.records.get(id);
    if (existing && existing !== self && (!isTaken || isTaken(existing, [doc._id], this.idIndex))) {
      throw this.idIndex.duplicateError(this.ns, [doc._id]);
    }
    for (const idx of this.indexes.values()) {
      if (idx.name === '_id_' || !idx.unique) continue;
      idx.checkUnique(idx.keysFor(doc), self, this.ns, isTaken ? (rec, key) => isTaken(rec, key, idx) : undefined);
    }
  }

  /** `unjournaled`: a bulk load's document, made durable by the snapshot that follows the load instead. */
  insert(doc: Doc, opts: { trusted?: boolean; writer?: unknown; unjournaled?: boolean } = {}): DocRecord {
    const id = canonicalKey(doc._id);
    const keys = this.keysOf(doc);
    if (!opts.trusted) {
      this.hooks.beforeWrite(this, id, opts.writer);
      this.checkUnique(doc, null);
    } else {
      // Journal replay: an older version of the same _id is replaced.
      const old = this.records.get(id);
      if (old) return this.replace(old, doc, opts);
    }
    const rec: DocRecord = { id, seq: this.nextSeq++, doc, ver: this.hooks.nextVersion() };
    this.records.set(id, rec);
    for (const [idx, k] of keys) idx.add(rec, k);
    if (!opts.trusted && !opts.unjournaled) this.hooks.journal({ op: 'put', db: this.db, coll: this.name, doc });
    return rec;
  }

  replace(rec: DocRecord, doc: Doc, opts: { trusted?: boolean; writer?: unknown } = {}): DocRecord {
    if (compareValues(rec.doc._id, doc._id) !== 0) {
      throw new MongoServerError('ImmutableField', "Performing an update on the path '_id' would modify the immutable field '_id'");
    }
    const newKeys = this.keysOf(doc);
    if (!opts.trusted) {
      this.hooks.beforeWrite(this, rec.id, opts.writer);
      this.checkUnique(doc, rec);
    }
    for (const idx of this.indexes.values()) {
      const before = idx.keysFor(rec.doc);
      const after = newKeys.get(idx) ?? null;
      if (sameKeys(before, after)) continue;
      idx.remove(rec, before);
      idx.add(rec, after);
    }
    rec.doc = doc;
    rec.ver = this.hooks.nextVersion();
    if (!opts.trusted) this.hooks.journal({ op: 'put', db: this.db, coll: this.name, doc });
    return rec;
  }

  remove(rec: DocRecord, opts: { trusted?: boolean; writer?: unknown } = {}): void {
    if (this.records.get(rec.id) !== rec) return;
    if (!opts.trusted) this.hooks.beforeWrite(this, rec.id, opts.writer);
    for (const idx of this.indexes.values()) idx.remove(rec, idx.keysFor(rec.doc));
    this.records.delete(rec.id);
    this.hooks.nextVersion();
    if (!opts.trusted) this.hooks.journal({ op: 'del', db: this.db, coll: this.name, id: rec.doc._id });
  }

  /**
   * Builds an index over the existing documents. Returns false if an identical index exists.
   * A unique index over duplicates fails with E11000 and leaves nothing behind.
   */
  createIndex(spec: IndexSpec, opts: { trusted?: boolean } = {}): boolean {
    const byName = this.indexes.get(spec.name);
    const sameKey = [...this.indexes.values()].find((i) => sameKeyPattern(i.spec.key, spec.key));
    if (byName) {
      if (sameKeyPattern(byName.spec.key, spec.key) && sameOptions(byName.spec, spec)) return false;
      throw new MongoServerError(
        sameKeyPattern(byName.spec.key, spec.key) ? 'IndexOptionsConflict' : 'IndexKeySpecsConflict',
        `An existing index has the same name as the requested index. When index names are not specified, they are auto generated and can cause conflicts. Please refer to our documentation. Requested index: ${JSON.stringify(spec)}, existing index: ${JSON.stringify(byName.spec)}`,
      );
    }
    if (sameKey && sameOptions(sameKey.spec, spec) && sameKey.spec.name !== spec.name) {
      throw new MongoServerError('IndexOptionsConflict', `Index already exists with a different name: ${sameKey.name}`);
    }
    const idx = new Index(spec);
    const entries = [...this.records.values()].map((rec) => ({ rec, keys: idx.keysFor(rec.doc) }));
    idx.addMany(entries);
    if (!opts.trusted && idx.unique) {
      // Duplicates sit next to each other in the built index: one walk over it finds them.
      const duplicate = idx.firstDuplicateKey();
      if (duplicate) throw idx.duplicateError(this.ns, duplicate);
    }
    this.indexes.set(spec.name, idx);
    if (!opts.trusted) this.hooks.journal({ op: 'createIndex', db: this.db, coll: this.name, spec });
    return true;
  }

  dropIndex(name: string, opts: { trusted?: boolean } = {}): void {
    if (name === '_id_') throw new MongoServerError('InvalidOptions', 'cannot drop _id index');
    if (!this.indexes.delete(name)) throw new MongoServerError('IndexNotFound', `index not found with name [${name}]`);
    if (!opts.trusted) this.hooks.journal({ op: 'dropIndex', db: this.db, coll: this.name, name });
  }

  /**
   * Applies a transaction's changes to this collection all-or-nothing. Old versions leave the
   * indexes first, so swapping unique keys between documents works. Returns an undo function
   * (used when a later collection of the same commit fails).
   */
  applyBatch(changes: BatchChange[], writer: unknown): () => void {
    for (const ch of changes) {
      const cur = this.records.get(ch.id);
      if (cur !== ch.baseRec) {
        throw new MongoServerError('WriteConflict', 'Write conflict during plan execution and yielding is disabled.', {}, ['TransientTransactionError']);
      }
      this.hooks.beforeWrite(this, ch.id, writer);
    }
    const undo: (() => void)[] = [];
    const rollback = (): void => {
      for (let i = undo.length - 1; i >= 0; i--) (undo[i] as () => void)();
    };
    try {
      for (const ch of changes) {
        const rec = ch.baseRec;
        if (!rec) continue;
        for (const idx of this.indexes.values()) idx.remove(rec, idx.keysFor(rec.doc));
        undo.push(() => {
          for (const idx of this.indexes.values()) idx.add(rec, idx.keysFor(rec.doc));
        });
        if (ch.doc === null) {
          this.records.delete(rec.id);
          undo.push(() => this.records.set(rec.id, rec));
        }
      }
      for (const ch of changes) {
        const doc = ch.doc;
        if (doc === null) continue;
        const keys = this.keysOf(doc);
        const base = ch.baseRec;
        if (!base && this.records.has(ch.id)) throw this.idIndex.duplicateError(this.ns, [doc._id]);
        for (const [idx, k] of keys) if (idx.name !== '_id_') idx.checkUnique(k, base ?? null, this.ns);
        const rec: DocRecord = base ?? { id: ch.id, seq: this.nextSeq++, doc, ver: 0 };
        if (base) {
          const oldDoc = base.doc;
          const oldVer = base.ver;
          base.doc = doc;
          undo.push(() => {
            base.doc = oldDoc;
            base.ver = oldVer;
          });
        } else {
          this.records.set(ch.id, rec);
          undo.push(() => this.records.delete(ch.id));
        }
        for (const [idx, k] of keys) idx.add(rec, k);
        undo.push(() => {
          for (const [idx, k] of keys) idx.remove(rec, k);
        });
        rec.ver = this.hooks.nextVersion();
      }
    } catch (err) {
      rollback();
      throw err;
    }
    for (const ch of changes) {
      if (ch.doc) this.hooks.journal({ op: 'put', db: this.db, coll: this.name, doc: ch.doc });
      else if (ch.baseRec) this.hooks.journal({ op: 'del', db: this.db, coll: this.name, id: ch.baseRec.doc._id });
    }
    return rollback;
  }

  findIndexByKey(key: Record<string, unknown>): Index | undefined {
    return [...this.indexes.values()].find((i) => sameKeyPattern(i.spec.key, key));
  }
}

function sameKeys(a: unknown[][] | null, b: unknown[][] | null): boolean {
  if (a === null || b === null) return a === b;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as unknown[];
    const y = b[i] as unknown[];
    for (let j = 0; j < x.length; j++) if (compareValues(x[j], y[j]) !== 0) return false;
  }
  return true;
}

export function sameKeyPattern(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && Number(a[k]) === Number(b[k]));
}

function sameOptions(a: IndexSpec, b: IndexSpec): boolean {
  const opt = (s: IndexSpec): string =>
    JSON.stringify([!!s.unique, !!s.sparse, s.expireAfterSeconds ?? null, s.partialFilterExpression ?? null]);
  return opt(a) === opt(b);
}
