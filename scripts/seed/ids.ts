// Deterministic ObjectIds: the first four bytes are the creation time (as MongoDB's are, so ids still
// sort roughly by time), the other eight come from a counter mixed with the seed. The same seed gives
// the same ids, which is what makes the data set reproducible document for document.
import mongoose from 'mongoose';

export class IdFactory {
  private counter = 0;

  constructor(private readonly seed: number) {}

  next(at: Date): mongoose.Types.ObjectId {
    const bytes = Buffer.alloc(12);
    bytes.writeUInt32BE(Math.max(0, Math.floor(at.getTime() / 1000)) >>> 0, 0);
    bytes.writeUInt32BE(this.seed >>> 0, 4);
    bytes.writeUInt32BE(this.counter++ >>> 0, 8);
    return new mongoose.Types.ObjectId(bytes);
  }
}

/** 32 hex characters from the generator (a form's submission key). */
export function hexKey(next: () => number): string {
  let out = '';
  for (let i = 0; i < 4; i++) out += Math.floor(next() * 2 ** 32).toString(16).padStart(8, '0');
  return out;
}
