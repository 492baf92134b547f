// The map of the scheduled work: every recurring job of the app, in one table. main.ts runs it inside
// the web process (JOBS_IN_PROCESS=true, the default) and scripts/worker.ts runs the same table in a
// separate process (`npm run worker`); any number of both may run against one database.
import os from 'node:os';
import type mongoose from 'mongoose';
import { purgeOrphanUploads } from './attachments/index.js';
import { outboxSenderJob } from './notifications/index.js';
import { reminderJobs } from './reminders/index.js';
// Registers the papers (PDF kinds) its emails carry, so a worker can generate them when it sends.
import './supervision/index.js';
import type { Clock } from './platform/clock.js';
import type { Config } from './platform/config.js';
import { createJobRunner, type JobDefinition } from './platform/jobs/index.js';
import type { Logger } from './platform/logger.js';

export interface JobDeps {
  config: Config;
  clock: Clock;
  logger: Logger;
  db: mongoose.mongo.Db;
  /** Names the process in locks and leases, e.g. 'worker' or 'app'. */
  role: string;
}

export interface ScheduledJobs {
  stop(graceMs?: number): Promise<void>;
}

const HOUR = 3_600_000;

export async function startScheduledJobs(deps: JobDeps, options: { pollMs?: number } = {}): Promise<ScheduledJobs> {
  const instanceName = `${deps.role}@${os.hostname()}:${process.pid}`;
  const outbox = outboxSenderJob({ config: deps.config, clock: deps.clock, logger: deps.logger, owner: instanceName });
  const jobs: JobDefinition[] = [
    outbox.job,
    {
      // Uploads left unlinked by a crash or an abandoned form are removed after a day.
      name: 'attachments:purge-orphans',
      every: HOUR,
      run: () => purgeOrphanUploads(new Date(deps.clock.now().getTime() - 24 * HOUR)),
    },
    // Reminders to agencies (before, on and after their deadlines) and the daily digests.
    ...reminderJobs(deps),
  ];
  const runner = createJobRunner({ db: deps.db, logger: deps.logger, jobs, instanceName, ...(options.pollMs ? { pollMs: options.pollMs } : {}) });
  await runner.start();
  return {
    async stop(graceMs) {
      await runner.stop(graceMs);
      outbox.dispose();
    },
  };
}
