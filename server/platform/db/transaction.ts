// One business change = one transaction: the record, its audit or timeline event and any outgoing
// email commit together or not at all. The driver retries the whole function on transient
// conflicts, so `work` must not have side effects outside the session.
import mongoose, { type ClientSession } from 'mongoose';

export async function inTransaction<T>(work: (session: ClientSession) => Promise<T>): Promise<T> {
  const session = await mongoose.startSession();
  try {
    let result!: T;
    await session.withTransaction(async () => {
      result = await work(session);
    });
    return result;
  } finally {
    await session.endSession();
  }
}
