// Scheduled work of the notifications module: the outbox sender. Every process runs it (a concurrent
// job): messages are claimed one at a time with leases, so senders side by side never send one
// message twice in normal operation, and a sender that dies only delays its message until its lease
// runs out.
import type { JobDefinition } from '../platform/jobs/index.js';
import { createOutboxSender, type OutboxSender, type OutboxSenderOptions } from './sender.js';

export interface OutboxJob {
  job: JobDefinition;
  sender: OutboxSender;
  /** Closes the SMTP transport (after the runner has stopped). */
  dispose(): void;
}

export function outboxSenderJob(options: OutboxSenderOptions & { config: OutboxSenderOptions['config'] & { MAIL_POLL_SECONDS: number } }): OutboxJob {
  const sender = createOutboxSender(options);
  return {
    sender,
    job: {
      name: 'outbox:send',
      every: options.config.MAIL_POLL_SECONDS * 1000,
      exclusive: false,
      run: (signal) => sender.runOnce(signal),
    },
    dispose: () => sender.close(),
  };
}
