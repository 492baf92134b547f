// Gap-free sequence numbers (case numbers 2026/000123, document numbers) from a counters collection.
// Taken inside the caller's transaction, so a rolled-back change does not consume a number.
import mongoose, { type ClientSession } from 'mongoose';

interface Counter {
  _id: string;
  seq: number;
}

export async function nextSequence(name: string, session?: ClientSession): Promise<number> {
  const counters = mongoose.connection.collection<Counter>('counters');
  const result = await counters.findOneAndUpdate({ _id: name }, { $inc: { seq: 1 } }, { upsert: true, returnDocument: 'after', ...(session ? { session } : {}) });
  if (!result) throw new Error(`counter ${name} was not returned`);
  return result.seq;
}
