// Recurring jobs, run by any number of processes (app instances and `npm run worker`) against one
// database. No business rules here: a job is a name, a schedule and a function.
//
// Two kinds of job:
//  - exclusive (the default): one run at a time across every process. Scheduled by agenda
//    (ARCHITECTURE.md: "agenda if it installs and works"; agenda 6 with @agendajs/mongo-backend was
//    checked on Node 20 with mongodb driver 6.20 against the embedded server: locking, lock take-over
//    after a killed process, drain). Its collection `scheduled_jobs` holds one document per job with
//    the lock (lockedAt) and the next run (nextRunAt), so restarts do not reset schedules. A run that
//    holds the lock longer than `lockMs` is taken to be stuck and another process takes the job over.
//  - concurrent (`exclusive: false`): every process runs the job on its own timer. For jobs that are
//    safe to run side by side because they coordinate through their own data — the outbox sender,
//    whose messages are claimed one by one with leases — so that every process helps and a process
//    that dies stops nothing.
// A failing run is logged and the schedule goes on; nothing here ever crashes the process. stop()
// aborts the runs' signal, waits for runs in progress (up to a deadline) and releases the locks.
import { Agenda } from 'agenda';
import { MongoBackend } from '@agendajs/mongo-backend';
import type mongoose from 'mongoose';
import { OFFICE_TIME_ZONE } from '../dates.js';
import type { Logger } from '../logger.js';

export interface JobDefinition {
  /** Unique, e.g. 'outbox:send', 'attachments:purge-orphans'. */
  name: string;
  /** Milliseconds between runs, or (exclusive jobs only) a cron expression in Vietnam time, e.g. '0 7 * * 1-5'. */
  every: number | string;
  /** One run at a time across all processes (default true); false: every process runs it. */
  exclusive?: boolean;
  /** Exclusive jobs: how long a run may hold the lock before it is taken over (default 10 minutes). */
  lockMs?: number;
  /** The work. `signal` aborts when the process is stopping: finish the current item and return. */
  run(signal: AbortSignal): Promise<unknown>;
}

export interface JobRunnerOptions {
  /** The database (mongoose.connection.db). */
  db: mongoose.mongo.Db;
  logger: Logger;
  jobs: readonly JobDefinition[];
  /** Names this process in the locks (default host:pid). */
  instanceName?: string;
  /** How often exclusive jobs are looked for (default 5 s). */
  pollMs?: number;
  collection?: string;
}

export interface JobRunner {
  start(): Promise<void>;
  /** Stops scheduling, aborts the runs' signal and waits for runs in progress, at most `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

const NAME = /^[a-z][a-z0-9:._-]{0,63}$/;
const DEFAULT_LOCK_MS = 10 * 60_000;
export const JOBS_COLLECTION = 'scheduled_jobs';

function validate(jobs: readonly JobDefinition[]): void {
  const seen = new Set<string>();
  for (const job of jobs) {
    if (!NAME.test(job.name) || seen.has(job.name)) throw new Error(`job name '${job.name}' is invalid or used twice`);
    seen.add(job.name);
    const exclusive = job.exclusive ?? true;
    if (typeof job.every === 'number' ? !(Number.isInteger(job.every) && job.every >= 100) : !exclusive || job.every.trim() === '') {
      throw new Error(`job '${job.name}': 'every' must be milliseconds (≥ 100), or a cron expression for an exclusive job`);
    }
  }
}

/** One process's timer for a concurrent job: run, wait the interval, run again; never two runs at once. */
class LocalLoop {
  private timer: NodeJS.Timeout | null = null;
  private current: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly job: JobDefinition & { every: number },
    private readonly signal: AbortSignal,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.schedule(0);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.current = this.runOnce().finally(() => {
        this.current = null;
        this.schedule(this.job.every);
      });
    }, delayMs);
  }

  private async runOnce(): Promise<void> {
    try {
      await this.job.run(this.signal);
    } catch (err) {
      this.logger.error({ err, job: this.job.name }, 'job run failed');
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.current;
  }
}

export function createJobRunner(options: JobRunnerOptions): JobRunner {
  validate(options.jobs);
  const logger = options.logger.child({ component: 'jobs' });
  const controller = new AbortController();
  const exclusive = options.jobs.filter((j) => j.exclusive ?? true);
  const loops = options.jobs
    .filter((j): j is JobDefinition & { every: number } => !(j.exclusive ?? true) && typeof j.every === 'number')
    .map((j) => new LocalLoop(j, controller.signal, logger));
  const collection = options.collection ?? JOBS_COLLECTION;
  const pollEvery = options.pollMs ?? 5000;
  let agenda: Agenda | null = null;
  let started = false;

  async function startAgenda(): Promise<void> {
    if (exclusive.length === 0) return;
    // One document per recurring job, whatever the number of processes starting at once: two
    // documents would mean two locks, and two runs at a time.
    const jobDocuments = options.db.collection(collection);
    await jobDocuments.createIndex({ name: 1 }, { unique: true, name: 'one_document_per_job' });
    agenda = new Agenda({
      backend: new MongoBackend({ mongo: options.db, collection }),
      ...(options.instanceName ? { name: options.instanceName } : {}),
      processEvery: pollEvery,
      maxConcurrency: Math.max(4, exclusive.length),
      defaultLockLifetime: DEFAULT_LOCK_MS,
    });
    agenda.on('error', (err: Error) => logger.error({ err }, 'job scheduler error'));
    // Runs already in progress in this process when agenda thinks a lock expired are not started twice.
    const running = new Map<string, Promise<unknown>>();
    for (const job of exclusive) {
      agenda.define(
        job.name,
        async () => {
          if (running.has(job.name)) {
            logger.warn({ job: job.name }, 'previous run still in progress in this process; skipping this one');
            // Our run is stuck and agenda, past the lock's lifetime, gave the job back to every process,
            // this one included. Handing it back at once would make the next lock go to whichever
            // process polls first after the next run time — with steady poll timers, the same one each
            // time, possibly this one forever, so a healthy process would never take the job over.
            // Holding the lock a random part of a poll interval makes the next winner a fair draw.
            await new Promise((resolve) => setTimeout(resolve, Math.random() * 2 * pollEvery));
            return;
          }
          const run = job.run(controller.signal);
          running.set(job.name, run);
          try {
            await run;
          } catch (err) {
            logger.error({ err, job: job.name }, 'job run failed');
            throw err;
          } finally {
            running.delete(job.name);
          }
        },
        { concurrency: 1, lockLimit: 1, lockLifetime: job.lockMs ?? DEFAULT_LOCK_MS },
      );
    }
    await agenda.start();
    for (const job of exclusive) {
      const timezone = typeof job.every === 'string' ? OFFICE_TIME_ZONE : null;
      // The job document is created once and never re-saved. agenda's every() re-saves the whole
      // document at each start, which clears the lock of a run in progress in another process (seen
      // with agenda 6.2.6 and @agendajs/mongo-backend 4.0.3): a process starting would let a job run
      // twice at once. An insert-only upsert keyed by name leaves a running job alone.
      const recurring = agenda.create(job.name);
      recurring.repeatEvery(job.every, timezone ? { timezone } : {});
      recurring.unique({ name: job.name }, { insertOnly: true });
      try {
        await recurring.save();
      } catch (err) {
        // Another process created it at the same instant; theirs is as good as ours.
        if ((err as { code?: unknown }).code !== 11000) throw err;
      }
      // A schedule changed by configuration applies from the next run; the lock is not touched.
      await jobDocuments.updateOne({ name: job.name, repeatInterval: { $ne: job.every } }, { $set: { repeatInterval: job.every, repeatTimezone: timezone } });
    }
  }

  return {
    async start() {
      if (started) return;
      started = true;
      await startAgenda();
      for (const loop of loops) loop.start();
      logger.info({ jobs: options.jobs.map((j) => j.name), instance: options.instanceName }, 'scheduled jobs started');
    },
    async stop(graceMs = 10_000) {
      if (!started) return;
      started = false;
      controller.abort();
      const stopping = Promise.all([
        ...loops.map((l) => l.stop()),
        agenda ? agenda.drain({ timeout: graceMs, closeConnection: false }).then(() => undefined) : Promise.resolve(),
      ]);
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), graceMs + 1000);
        timer.unref();
      });
      const outcome = await Promise.race([stopping.then(() => 'done' as const), deadline]);
      clearTimeout(timer);
      if (outcome === 'timeout') logger.warn('some job runs did not finish before the shutdown deadline; their locks will expire');
      logger.info('scheduled jobs stopped');
    },
  };
}
