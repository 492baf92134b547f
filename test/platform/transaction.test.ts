// One business change, one transaction: concurrent changes of the same document (the year's case
// counter under several intakes at once) all commit, each once, after short random waits; a change
// that fails for another reason saves nothing and is not retried.
import { expect } from 'chai';
import mongoose from 'mongoose';
import { inTransaction, retryDelayMs } from '../../server/platform/db/transaction.js';
import { useTestDatabase } from '../support/app.js';

describe('platform: transactions', () => {
  useTestDatabase();

  describe('the wait before a retry', () => {
    const table: [number, number, number][] = [
      // attempt, random, expected ms
      [0, 0, 5],
      [0, 1, 20],
      [1, 1, 40],
      [3, 0.5, 83],
      [4, 1, 250],
      [10, 1, 250],
      [30, 0, 5],
    ];
    for (const [attempt, random, expected] of table) {
      it(`attempt ${attempt}, random ${random}: ${expected} ms`, () => expect(retryDelayMs(attempt, () => random)).to.equal(expected));
    }
  });

  it('commits twelve concurrent increments of one counter, each exactly once, with their own records', async () => {
    const db = mongoose.connection.db!;
    await db.collection<{ _id: string; seq: number }>('counters').insertOne({ _id: 'tx-test', seq: 0 });
    let runs = 0;
    const numbers = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        inTransaction(async (session) => {
          runs++;
          const counter = await db.collection<{ _id: string; seq: number }>('counters').findOneAndUpdate({ _id: 'tx-test' }, { $inc: { seq: 1 } }, { returnDocument: 'after', session });
          // Some work between the counter and the commit, as an intake has (person, case, event, visit).
          await db.collection('tx_records').insertOne({ i, seq: counter!.seq }, { session });
          await db.collection('tx_records').findOne({ i }, { session });
          return counter!.seq;
        }),
      ),
    );
    expect([...numbers].sort((a, b) => a - b)).to.deep.equal(Array.from({ length: 12 }, (_, k) => k + 1));
    expect((await db.collection('counters').findOne({ _id: 'tx-test' } as never))?.seq).to.equal(12);
    expect(await db.collection('tx_records').countDocuments()).to.equal(12);
    // The conflicts were real: at least one change ran more than once.
    expect(runs).to.be.greaterThan(12);
  });

  it('runs the changes of one queue one after another, in the order asked, without a single conflict', async () => {
    const db = mongoose.connection.db!;
    await db.collection<{ _id: string; seq: number }>('counters').insertOne({ _id: 'tx-queued', seq: 0 });
    let runs = 0;
    let running = 0;
    let mostAtOnce = 0;
    const numbers = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        inTransaction(
          async (session) => {
            runs++;
            mostAtOnce = Math.max(mostAtOnce, ++running);
            try {
              const counter = await db.collection<{ _id: string; seq: number }>('counters').findOneAndUpdate({ _id: 'tx-queued' }, { $inc: { seq: 1 } }, { returnDocument: 'after', session });
              await db.collection('tx_records').insertOne({ i, seq: counter!.seq }, { session });
              return counter!.seq;
            } finally {
              running--;
            }
          },
          { oneAtATime: 'tx-test-queue' },
        ),
      ),
    );
    expect(numbers).to.deep.equal(Array.from({ length: 12 }, (_, k) => k + 1));
    expect(runs).to.equal(12);
    expect(mostAtOnce).to.equal(1);
  });

  it('lets the next change of a queue run when the one before it failed', async () => {
    const db = mongoose.connection.db!;
    const failing = inTransaction(
      () => Promise.reject(new Error('invalid input')),
      { oneAtATime: 'tx-test-queue' },
    );
    const next = inTransaction(async (session) => (await db.collection('tx_records').insertOne({ after: true }, { session })).acknowledged, { oneAtATime: 'tx-test-queue' });
    const failure = await failing.then(
      () => null,
      (err: unknown) => err,
    );
    expect(failure).to.be.instanceOf(Error).with.property('message', 'invalid input');
    expect(await next).to.equal(true);
  });

  it('saves nothing and does not retry when the change fails for another reason', async () => {
    const db = mongoose.connection.db!;
    let runs = 0;
    let caught: unknown;
    try {
      await inTransaction(async (session) => {
        runs++;
        await db.collection('tx_records').insertOne({ half: true }, { session });
        throw new Error('invalid input');
      });
    } catch (err) {
      caught = err;
    }
    expect((caught as Error).message).to.equal('invalid input');
    expect(runs).to.equal(1);
    expect(await db.collection('tx_records').countDocuments({ half: true })).to.equal(0);
  });
});
