// Multi-document transactions. Each transaction keeps a private copy-on-write overlay of the
// documents it changed; reads merge the overlay over committed data, so a transaction sees its own
// writes and nobody sees uncommitted ones. A document written by one open transaction is locked:
// another transaction writing it gets WriteConflict (112, TransientTransactionError, which makes
// the driver's withTransaction retry), and a write outside any transaction aborts the holder.
// Commit applies every change atomically (re-checking unique indexes) as one journal record.

import type { Binary } from 'bson';
import { canonicalKey } from './bson-order.js';
import { MongoServerError } from './errors.js';
import type { CollectionView, OverlayEntry } from './query/execute.js';
import type { BatchChange, Collection } from './storage/collection.js';
import type { Engine } from './storage/engine.js';
import type { Doc, DocRecord } from './storage/types.js';

/** Transactions idle longer than this are aborted (MongoDB's transactionLifetimeLimitSeconds). */
const TXN_LIFETIME_MS = 60_000;
const TRANSIENT = ['TransientTransactionError'];

interface TxnWrite extends OverlayEntry {
  baseRec: DocRecord | undefined;
}

export class Transaction {
  state: 'active' | 'committed' | 'aborted' = 'active';
  /** Why the transaction can no longer commit (set when another writer took one of its documents). */
  doomed: MongoServerError | null = null;
  readonly writes = new Map<Collection, Map<string, TxnWrite>>();
  /** Unique-index keys of the pending documents (collection → index → key → ids), so checks stay O(1) per key. */
  readonly pendingKeys = new Map<Collection, Map<string, Map<string, Set<string>>>>();
  lastUsed = Date.now();
  private nextSeq = Number.MAX_SAFE_INTEGER / 2;

  constructor(
    readonly sessionKey: string,
    readonly txnNumber: number,
    readonly startVersion: number,
  ) {}

  overlaySeq(): number {
    return this.nextSeq++;
  }
}

interface Session {
  txn: Transaction | null;
  lastUsed: number;
}

export class TransactionManager {
  private readonly sessions = new Map<string, Session>();
  private readonly locks = new Map<string, Transaction>();

  constructor(private readonly engine: Engine) {
    engine.onBeforeWrite = (coll, id, writer) => {
      const holder = this.locks.get(lockKey(coll, id));
      if (holder && holder !== writer) this.doom(holder);
    };
  }

  /** Resolves the transaction a command runs in (autocommit:false), starting one if asked. */
  forCommand(cmd: Doc, commandName: string): Transaction | null {
    if (cmd.autocommit !== false) return null;
    const key = sessionKeyOf(cmd.lsid);
    const txnNumber = Number(cmd.txnNumber);
    if (!key || !Number.isFinite(txnNumber)) throw new MongoServerError('InvalidOptions', 'autocommit:false requires lsid and txnNumber');
    const session = this.session(key);
    const current = session.txn;
    if (cmd.startTransaction === true) {
      if (current && current.txnNumber >= txnNumber) {
        throw new MongoServerError('TransactionTooOld', `Cannot start transaction ${txnNumber} on session because a newer transaction ${current.txnNumber} has already started`);
      }
      if (current?.state === 'active') this.finish(current, 'aborted');
      const txn = new Transaction(key, txnNumber, this.engine.currentVersion);
      session.txn = txn;
      return txn;
    }
    if (!current || current.txnNumber !== txnNumber) {
      throw new MongoServerError('NoSuchTransaction', `Transaction with { txnNumber: ${txnNumber} } has been aborted.`, {}, TRANSIENT);
    }
    if (current.state === 'committed') {
      if (commandName === 'commitTransaction') return current;
      throw new MongoServerError('TransactionCommitted', `Transaction ${txnNumber} has been committed.`);
    }
    if (current.doomed && current.state === 'active') this.finish(current, 'aborted');
    if (current.state === 'aborted') {
      throw new MongoServerError('NoSuchTransaction', `Transaction with { txnNumber: ${txnNumber} } has been aborted.`, {}, TRANSIENT);
    }
    current.lastUsed = Date.now();
    return current;
  }

  private session(key: string): Session {
    let s = this.sessions.get(key);
    if (!s) {
      s = { txn: null, lastUsed: Date.now() };
      this.sessions.set(key, s);
    }
    s.lastUsed = Date.now();
    return s;
  }

  view(txn: Transaction | null, coll: Collection | undefined): CollectionView {
    return { base: coll, overlay: txn && coll ? txn.writes.get(coll) : undefined };
  }

  /** The document as the transaction sees it (undefined = absent). */
  visible(txn: Transaction | null, coll: Collection, id: string): Doc | undefined {
    const w = txn?.writes.get(coll)?.get(id);
    if (w) return w.doc ?? undefined;
    return coll.records.get(id)?.doc;
  }

  /** Records a transactional write, after conflict and unique-index checks against the transaction's view. */
  stage(txn: Transaction, coll: Collection, id: string, doc: Doc | null): void {
    let writes = txn.writes.get(coll);
    const existing = writes?.get(id);
    const key = lockKey(coll, id);
    if (!existing) {
      const holder = this.locks.get(key);
      const base = coll.records.get(id);
      if ((holder && holder !== txn) || (base && base.ver > txn.startVersion)) {
        this.finish(txn, 'aborted');
        throw new MongoServerError('WriteConflict', 'Write conflict during plan execution and yielding is disabled.', {}, TRANSIENT);
      }
    }
    if (doc) this.checkUnique(txn, coll, id, doc);
    if (!writes) {
      writes = new Map();
      txn.writes.set(coll, writes);
    }
    this.trackKeys(txn, coll, id, existing?.doc ?? null, doc);
    const baseRec = existing ? existing.baseRec : coll.records.get(id);
    writes.set(id, { doc, seq: existing?.seq ?? baseRec?.seq ?? txn.overlaySeq(), baseRec });
    this.locks.set(key, txn);
  }

  private checkUnique(txn: Transaction, coll: Collection, id: string, doc: Doc): void {
    const writes = txn.writes.get(coll);
    const self = coll.records.get(id) ?? null;
    // Committed holders of the key only count if the transaction has not changed them.
    coll.checkUnique(doc, self, (rec, key, idx) => {
      const w = writes?.get(rec.id);
      if (!w) return true;
      if (!w.doc) return false;
      const wanted = keyString(key);
      return (idx.keysFor(w.doc) ?? []).some((k) => keyString(k) === wanted);
    });
    const pending = txn.pendingKeys.get(coll);
    if (!pending) return;
    for (const idx of coll.indexes.values()) {
      if (!idx.unique) continue;
      const byKey = pending.get(idx.name);
      for (const k of idx.keysFor(doc) ?? []) {
        const holders = byKey?.get(keyString(k));
        if (holders && [...holders].some((h) => h !== id)) throw idx.duplicateError(coll.ns, k);
      }
    }
  }

  /** Moves a pending document's unique keys from its previous version to its new one. */
  private trackKeys(txn: Transaction, coll: Collection, id: string, before: Doc | null, after: Doc | null): void {
    let pending = txn.pendingKeys.get(coll);
    if (!pending) {
      pending = new Map();
      txn.pendingKeys.set(coll, pending);
    }
    for (const idx of coll.indexes.values()) {
      if (!idx.unique) continue;
      let byKey = pending.get(idx.name);
      if (!byKey) {
        byKey = new Map();
        pending.set(idx.name, byKey);
      }
      for (const k of before ? (idx.keysFor(before) ?? []) : []) byKey.get(keyString(k))?.delete(id);
      for (const k of after ? (idx.keysFor(after) ?? []) : []) {
        const ks = keyString(k);
        const holders = byKey.get(ks) ?? new Set<string>();
        holders.add(id);
        byKey.set(ks, holders);
      }
    }
  }

  commit(txn: Transaction): void {
    if (txn.state === 'committed') return;
    if (txn.doomed) {
      this.finish(txn, 'aborted');
      throw new MongoServerError('NoSuchTransaction', `Transaction with { txnNumber: ${txn.txnNumber} } has been aborted.`, {}, TRANSIENT);
    }
    const mark = this.engine.pendingCount();
    const undos: (() => void)[] = [];
    try {
      for (const [coll, writes] of txn.writes) {
        if (this.engine.getCollection(coll.db, coll.name) !== coll) continue; // dropped meanwhile
        const changes: BatchChange[] = [...writes].map(([id, w]) => ({ id, baseRec: w.baseRec, doc: w.doc }));
        undos.push(coll.applyBatch(changes, txn));
      }
    } catch (err) {
      for (let i = undos.length - 1; i >= 0; i--) (undos[i] as () => void)();
      this.engine.truncatePending(mark);
      this.finish(txn, 'aborted');
      throw err;
    }
    this.finish(txn, 'committed');
  }

  abort(txn: Transaction): void {
    if (txn.state === 'active') this.finish(txn, 'aborted');
  }

  /** Aborts the transactions of ended sessions and forgets the sessions. */
  endSessions(lsids: unknown[]): void {
    for (const lsid of lsids) {
      const key = sessionKeyOf(lsid);
      if (!key) continue;
      const s = this.sessions.get(key);
      if (s?.txn?.state === 'active') this.finish(s.txn, 'aborted');
      this.sessions.delete(key);
    }
  }

  /** Aborts transactions left idle too long (e.g. by a client that died), releasing their locks. */
  sweep(now = Date.now()): void {
    for (const [key, s] of this.sessions) {
      if (s.txn?.state === 'active' && now - s.txn.lastUsed > TXN_LIFETIME_MS) this.finish(s.txn, 'aborted');
      if (now - s.lastUsed > 30 * 60_000 && s.txn?.state !== 'active') this.sessions.delete(key);
    }
  }

  activeCount(): number {
    let n = 0;
    for (const s of this.sessions.values()) if (s.txn?.state === 'active') n++;
    return n;
  }

  private doom(txn: Transaction): void {
    if (txn.state !== 'active' || txn.doomed) return;
    txn.doomed = new MongoServerError('WriteConflict', 'Write conflict: the document was changed outside the transaction.', {}, TRANSIENT);
    this.releaseLocks(txn);
  }

  private finish(txn: Transaction, state: 'committed' | 'aborted'): void {
    txn.state = state;
    this.releaseLocks(txn);
    txn.writes.clear();
    txn.pendingKeys.clear();
  }

  private releaseLocks(txn: Transaction): void {
    for (const [coll, writes] of txn.writes) {
      for (const id of writes.keys()) {
        const key = lockKey(coll, id);
        if (this.locks.get(key) === txn) this.locks.delete(key);
      }
    }
  }
}

function keyString(key: unknown[]): string {
  return key.map(canonicalKey).join('\0');
}

function lockKey(coll: Collection, id: string): string {
  return `${coll.ns}\0${id}`;
}

export function sessionKeyOf(lsid: unknown): string | null {
  if (!lsid || typeof lsid !== 'object') return null;
  const id = (lsid as { id?: Binary }).id;
  if (!id || typeof id !== 'object' || !('buffer' in id)) return null;
  return Buffer.from(id.buffer).toString('hex');
}
