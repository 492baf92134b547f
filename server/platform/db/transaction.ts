// One business change = one transaction: the record, its audit or timeline event and any outgoing
// email commit together or not at all. A transient conflict (two transactions writing the same
// document — typically the year's case counter under several intakes at once) runs the whole function
// again, so `work` must not have side effects outside the session.
//
// The retries wait a short random while that grows with each attempt. The driver's withTransaction
// retries at once: with ten officers saving together, the losers kept colliding with each other and a
// save took seconds on the embedded database (one thread, so every hopeless attempt also slows the
// winner); MongoDB gives the same advice for its own write conflicts.
//
// Changes that are bound to collide — every new case takes the year's next number — can also ask to
// run one at a time within this process (`oneAtATime`): they then wait their turn in order instead of
// colliding and retrying, which kept the slowest of ten officers saving at once waiting over a second
// (unlucky losers retried again and again). Other processes' changes still collide and retry as above.
import { setTimeout as sleep } from 'node:timers/promises';
import { Mutex } from 'async-mutex';
import mongoose, { type ClientSession } from 'mongoose';

/** How long a change keeps retrying before the conflict is reported (the driver's own limit is 120 s). */
const RETRY_FOR_MS = 60_000;

function hasLabel(err: unknown, label: string): boolean {
  const e = err as { hasErrorLabel?: (l: string) => boolean } | null;
  return typeof e?.hasErrorLabel === 'function' && e.hasErrorLabel(label);
}

/** 5–20 ms at first, doubling to at most a quarter of a second (a few times what an intake transaction takes). */
export function retryDelayMs(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(20 * 2 ** attempt, 250);
  return Math.round(5 + random() * (ceiling - 5));
}

async function commit(session: ClientSession, started: number): Promise<void> {
  for (;;) {
    try {
      await session.commitTransaction();
      return;
    } catch (err) {
      // The commit may or may not have happened (a network error): committing again is safe.
      if (hasLabel(err, 'UnknownTransactionCommitResult') && Date.now() - started < RETRY_FOR_MS) continue;
      throw err;
    }
  }
}

export interface TransactionOptions {
  /** Transactions of this process naming the same queue run one after another, first come first served. */
  oneAtATime?: string;
}

const queues = new Map<string, Mutex>();

export async function inTransaction<T>(work: (session: ClientSession) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
  const name = options.oneAtATime;
  if (!name) return runTransaction(work);
  let queue = queues.get(name);
  if (!queue) queues.set(name, (queue = new Mutex()));
  // The turn is taken before the transaction starts: a transaction that began earlier would see the
  // counter as it was and collide with the one that just committed.
  return queue.runExclusive(() => runTransaction(work));
}

async function runTransaction<T>(work: (session: ClientSession) => Promise<T>): Promise<T> {
  const session = await mongoose.startSession();
  const started = Date.now();
  try {
    for (let attempt = 0; ; attempt++) {
      session.startTransaction();
      try {
        const result = await work(session);
        await commit(session, started);
        return result;
      } catch (err) {
        if (session.inTransaction()) await session.abortTransaction().catch(() => undefined);
        if (!hasLabel(err, 'TransientTransactionError') || Date.now() - started >= RETRY_FOR_MS) throw err;
        await sleep(retryDelayMs(attempt));
      }
    }
  } finally {
    await session.endSession();
  }
}
