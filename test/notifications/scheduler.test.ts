// The job runner (server/platform/jobs) against the real database: exclusive jobs run one at a time
// across runners (as across processes), concurrent jobs run in each, failures are logged and the
// schedule goes on, stop() waits for a run in progress, and a stuck run's job is taken over.
import { expect } from 'chai';
import mongoose from 'mongoose';
import { createJobRunner, type JobDefinition, type JobRunner } from '../../server/platform/jobs/index.js';
import { useTestDatabase } from '../support/app.js';
import { eventually, silentLogger } from './support.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function untilAborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));
}

describe('scheduled jobs', function () {
  this.timeout(60_000);
  useTestDatabase();
  const runners: JobRunner[] = [];

  function runner(name: string, jobs: JobDefinition[]): JobRunner {
    const db = mongoose.connection.db;
    if (!db) throw new Error('not connected');
    const r = createJobRunner({ db, logger: silentLogger, jobs, instanceName: name, pollMs: 100 });
    runners.push(r);
    return r;
  }

  afterEach(async () => {
    await Promise.all(runners.splice(0).map((r) => r.stop(5_000)));
  });

  it('runs an exclusive job one run at a time across runners', async () => {
    const runs: { who: string; start: number; end: number }[] = [];
    let active = 0;
    let overlapped = false;
    const job = (who: string): JobDefinition => ({
      name: 'test:exclusive',
      every: 200,
      run: async () => {
        active += 1;
        if (active > 1) overlapped = true;
        const start = Date.now();
        await sleep(150);
        active -= 1;
        runs.push({ who, start, end: Date.now() });
      },
    });
    await Promise.all([runner('one', [job('one')]).start(), runner('two', [job('two')]).start()]);
    await eventually(() => Promise.resolve(runs.length >= 4), 'four runs of the exclusive job');
    expect(overlapped).to.equal(false);
    expect(await mongoose.connection.collection('scheduled_jobs').countDocuments({ name: 'test:exclusive' })).to.equal(1);
  });

  it('runs a concurrent job in every runner', async () => {
    const seen = new Set<string>();
    const job = (who: string): JobDefinition => ({ name: 'test:concurrent', every: 100, exclusive: false, run: () => Promise.resolve(seen.add(who)) });
    await Promise.all([runner('one', [job('one')]).start(), runner('two', [job('two')]).start()]);
    await eventually(() => Promise.resolve(seen.size === 2), 'both runners running the concurrent job');
  });

  it('logs a failing run and keeps the schedule', async () => {
    let runs = 0;
    const failing: JobDefinition = {
      name: 'test:failing',
      every: 100,
      run: () => {
        runs += 1;
        return Promise.reject(new Error('this run fails'));
      },
    };
    const alsoFailing: JobDefinition = { ...failing, name: 'test:failing-concurrent', exclusive: false };
    await runner('one', [failing, alsoFailing]).start();
    await eventually(() => Promise.resolve(runs >= 4), 'the failing jobs running again');
  });

  it('waits in stop() for a run in progress, which sees the abort signal', async () => {
    for (const exclusive of [true, false]) {
      let started = false;
      let finished = false;
      let sawAbort = false;
      const r = runner(`stopper-${exclusive}`, [
        {
          name: `test:slow-${exclusive}`,
          every: 100,
          exclusive,
          run: async (signal) => {
            started = true;
            await untilAborted(signal);
            sawAbort = true;
            await sleep(300); // finishing the current item
            finished = true;
          },
        },
      ]);
      await r.start();
      await eventually(() => Promise.resolve(started), 'the slow job to start');
      await r.stop(5_000);
      expect(sawAbort, `exclusive: ${exclusive}`).to.equal(true);
      expect(finished, `exclusive: ${exclusive}`).to.equal(true);
    }
  });

  it('hands a job whose run got stuck to another runner once its lock has expired', async () => {
    const who: string[] = [];
    const stuck = (name: string): JobDefinition => ({
      name: 'test:stuck',
      every: 100,
      lockMs: 1_000,
      run: async (signal) => {
        who.push(name);
        if (name === 'stuck') await untilAborted(signal); // never finishes by itself
      },
    });
    await runner('stuck', [stuck('stuck')]).start();
    await eventually(() => Promise.resolve(who.includes('stuck')), 'the first runner to take the job');
    await runner('rescuer', [stuck('rescuer')]).start();
    await eventually(() => Promise.resolve(who.includes('rescuer')), 'the second runner to take the job over');
    expect(who.filter((w) => w === 'stuck')).to.have.length(1);
  });

  it('does not start a second run when another runner starts while the job runs', async () => {
    const who: string[] = [];
    const long = (name: string): JobDefinition => ({
      name: 'test:long',
      every: 100,
      lockMs: 60_000,
      run: async (signal) => {
        who.push(name);
        await untilAborted(signal);
      },
    });
    await runner('first', [long('first')]).start();
    await eventually(() => Promise.resolve(who.length === 1), 'the first run');
    await runner('late', [long('late')]).start();
    await sleep(1_500); // fifteen polls of the late runner
    expect(who).to.deep.equal(['first']);
  });

  it('applies a changed schedule to the existing job without a second document', async () => {
    const run = () => Promise.resolve();
    const first = runner('v1', [{ name: 'test:schedule', every: 60_000, run }]);
    await first.start();
    await first.stop();
    await runner('v2', [{ name: 'test:schedule', every: 120_000, run }]).start();
    const docs = await mongoose.connection.collection('scheduled_jobs').find({ name: 'test:schedule' }).toArray();
    expect(docs.map((d) => d.repeatInterval as unknown)).to.deep.equal([120_000]);
  });

  it('refuses a malformed job table', () => {
    const db = mongoose.connection.db!;
    const run = () => Promise.resolve();
    expect(() => createJobRunner({ db, logger: silentLogger, jobs: [{ name: 'Bad Name', every: 1000, run }] })).to.throw(/invalid/);
    expect(() => createJobRunner({ db, logger: silentLogger, jobs: [{ name: 'a', every: 1000, run }, { name: 'a', every: 1000, run }] })).to.throw(/twice/);
    expect(() => createJobRunner({ db, logger: silentLogger, jobs: [{ name: 'a', every: '0 7 * * *', exclusive: false, run }] })).to.throw(/cron/);
  });
});
