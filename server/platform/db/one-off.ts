// Data changes that must happen once per database, such as deriving stored search words again after
// the rule that makes them changed. The first process to claim a task's id runs it (several instances
// starting together run it once); a task that fails is released and tried again at the next start, and
// its failure is logged without stopping the app, which works meanwhile on the words it had. A claim left
// unfinished for longer than STALE_CLAIM_MS (its process died) is taken over by the next start.
import type mongoose from 'mongoose';
import { isDuplicateKeyError } from '../errors.js';
import type { Logger } from '../logger.js';

export const ONE_OFF_COLLECTION = 'one_off_tasks';
/** Far longer than any task takes (the first: 8 s on 100,000 cases). */
export const STALE_CLAIM_MS = 60 * 60 * 1000;

interface Claim {
  _id: string;
  startedAt: Date;
  doneAt: Date | null;
  changed: number | null;
}

export interface OneOffTask {
  /** Never reused: a new change to the same data gets a new id. */
  id: string;
  /** Returns how many documents it changed. Must be safe to run again on data it already changed. */
  run(): Promise<number>;
}

export async function runOneOffTasks(connection: mongoose.Connection, tasks: readonly OneOffTask[], logger: Logger): Promise<void> {
  const runs = connection.collection<Claim>(ONE_OFF_COLLECTION);
  for (const task of tasks) {
    try {
      await runs.insertOne({ _id: task.id, startedAt: new Date(), doneAt: null, changed: null });
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      // Done, or running in another process — unless that process left it unfinished long ago.
      const now = new Date();
      const takenOver = await runs.updateOne({ _id: task.id, doneAt: null, startedAt: { $lt: new Date(now.getTime() - STALE_CLAIM_MS) } }, { $set: { startedAt: now } });
      if (takenOver.modifiedCount === 0) continue;
    }
    try {
      const started = performance.now();
      const changed = await task.run();
      await runs.updateOne({ _id: task.id }, { $set: { doneAt: new Date(), changed } });
      logger.info({ task: task.id, changed, ms: Math.round(performance.now() - started) }, 'one-off data task done');
    } catch (err) {
      await runs.deleteOne({ _id: task.id }).catch(() => undefined);
      logger.error({ err, task: task.id }, 'one-off data task failed; it will be tried again at the next start');
    }
  }
}
