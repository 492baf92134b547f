// The module's scheduled work, for the job table of server/jobs.ts. Both jobs are exclusive (one run at
// a time across every app instance and worker) and idempotent by their outbox keys, so a run taken
// over after a crash, or repeated every 15 minutes all day, queues nothing twice.
import type { Clock } from '../platform/clock.js';
import type { JobDefinition } from '../platform/jobs/index.js';
import type { Logger } from '../platform/logger.js';
import { sendDigests } from './digest.service.js';
import { scanReminders } from './scan.service.js';

const EVERY = 15 * 60_000;

export function reminderJobs(deps: { clock: Clock; logger: Logger }): JobDefinition[] {
  const logger = deps.logger.child({ component: 'reminders' });
  return [
    { name: 'reminders:scan', every: EVERY, run: () => scanReminders(deps.clock.now(), { logger }) },
    { name: 'reminders:digest', every: EVERY, run: () => sendDigests(deps.clock.now(), { logger }) },
  ];
}
