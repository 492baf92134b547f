// The catalog of databases and collections, the write-version clock, the list of journal ops of
// the command being executed, and the "documents examined" counter used by explain and tests.

import { MongoServerError } from '../errors.js';
import { Collection, type CollectionHooks } from './collection.js';
import type { Doc, JournalOp } from './types.js';

export interface EngineStats {
  /** Documents fetched and tested against a filter (MongoDB's totalDocsExamined). */
  docsExamined: number;
  /** Index entries visited. */
  keysExamined: number;
}

const SYSTEM_DBS = new Set(['admin', 'local', 'config']);

export class Engine {
  private readonly dbs = new Map<string, Map<string, Collection>>();
  private version = 0;
  private pending: JournalOp[] = [];
  readonly stats: EngineStats = { docsExamined: 0, keysExamined: 0 };
  /** Set by the transaction manager: invalidates transactions that touched a document written outside them. */
  onBeforeWrite: (coll: Collection, id: string, writer: unknown) => void = () => undefined;

  private readonly hooks: CollectionHooks = {
    journal: (op) => {
      this.pending.push(op);
    },
    nextVersion: () => ++this.version,
    beforeWrite: (coll, id, writer) => this.onBeforeWrite(coll, id, writer),
  };

  get currentVersion(): number {
    return this.version;
  }

  /** Journal ops produced since the last call (one command's worth). */
  takePending(): JournalOp[] {
    const ops = this.pending;
    this.pending = [];
    return ops;
  }

  /** Number of journal ops pending for the current command (a mark for truncatePending). */
  pendingCount(): number {
    return this.pending.length;
  }

  /** Forgets ops recorded after `mark` (their in-memory effects were rolled back). */
  truncatePending(mark: number): void {
    this.pending.length = mark;
  }

  getCollection(db: string, name: string): Collection | undefined {
    return this.dbs.get(db)?.get(name);
  }

  /** Returns the collection, creating it (implicitly, as MongoDB does on first write) if needed. */
  ensureCollection(db: string, name: string, options: Doc = {}, trusted = false): Collection {
    const existing = this.getCollection(db, name);
    if (existing) return existing;
    validateNamespace(db, name);
    let colls = this.dbs.get(db);
    if (!colls) {
      colls = new Map();
      this.dbs.set(db, colls);
    }
    const coll = new Collection(db, name, options, this.hooks);
    colls.set(name, coll);
    if (!trusted) this.pending.push({ op: 'createColl', db, coll: name, options });
    return coll;
  }

  dropCollection(db: string, name: string, trusted = false): boolean {
    const colls = this.dbs.get(db);
    const coll = colls?.get(name);
    if (!colls || !coll) return false;
    for (const rec of coll.records.values()) this.onBeforeWrite(coll, rec.id, null);
    colls.delete(name);
    if (colls.size === 0) this.dbs.delete(db);
    if (!trusted) this.pending.push({ op: 'dropColl', db, coll: name });
    return true;
  }

  dropDatabase(db: string, trusted = false): void {
    const colls = this.dbs.get(db);
    if (!colls) return;
    for (const name of [...colls.keys()]) this.dropCollection(db, name, true);
    this.dbs.delete(db);
    if (!trusted) this.pending.push({ op: 'dropDb', db });
  }

  renameCollection(db: string, name: string, toDb: string, toName: string, trusted = false): void {
    const from = this.getCollection(db, name);
    if (!from) throw new MongoServerError('NamespaceNotFound', 'source namespace does not exist');
    if (this.getCollection(toDb, toName)) throw new MongoServerError('NamespaceExists', 'target namespace exists');
    const to = this.ensureCollection(toDb, toName, from.options, true);
    for (const idx of from.indexes.values()) if (idx.name !== '_id_') to.createIndex(idx.spec, { trusted: true });
    for (const rec of from.records.values()) to.insert(rec.doc, { trusted: true });
    this.dropCollection(db, name, true);
    if (!trusted) this.pending.push({ op: 'rename', db, coll: name, toDb, toColl: toName });
  }

  databaseNames(): string[] {
    return [...this.dbs.keys()];
  }

  collections(db: string): Collection[] {
    return [...(this.dbs.get(db)?.values() ?? [])];
  }

  allCollections(): Collection[] {
    const out: Collection[] = [];
    for (const colls of this.dbs.values()) out.push(...colls.values());
    return out;
  }

  /** Re-applies one journal op at start-up (no constraint checks: it was valid when written). */
  replay(op: JournalOp): void {
    switch (op.op) {
      case 'put':
        this.ensureCollection(op.db, op.coll, {}, true).insert(op.doc, { trusted: true });
        break;
      case 'del': {
        const coll = this.getCollection(op.db, op.coll);
        const rec = coll?.getById(op.id);
        if (coll && rec) coll.remove(rec, { trusted: true });
        break;
      }
      case 'createColl':
        this.ensureCollection(op.db, op.coll, op.options, true);
        break;
      case 'dropColl':
        this.dropCollection(op.db, op.coll, true);
        break;
      case 'dropDb':
        this.dropDatabase(op.db, true);
        break;
      case 'createIndex': {
        const coll = this.ensureCollection(op.db, op.coll, {}, true);
        if (!coll.indexes.has(op.spec.name)) coll.createIndex(op.spec, { trusted: true });
        break;
      }
      case 'dropIndex':
        if (this.getCollection(op.db, op.coll)?.indexes.has(op.name)) this.getCollection(op.db, op.coll)?.dropIndex(op.name, { trusted: true });
        break;
      case 'rename':
        this.renameCollection(op.db, op.coll, op.toDb, op.toColl, true);
        break;
    }
  }

  isSystemDb(db: string): boolean {
    return SYSTEM_DBS.has(db);
  }
}

export function validateNamespace(db: string, name: string): void {
  if (!db || /[/\\. "$\0]/.test(db) || db.length > 64) {
    throw new MongoServerError('InvalidNamespace', `Invalid database name: '${db}'`);
  }
  if (!name || name.includes('\0') || name.startsWith('$') || name.startsWith('.') || name.endsWith('.')) {
    throw new MongoServerError('InvalidNamespace', `Invalid collection name: '${name}'`);
  }
}
