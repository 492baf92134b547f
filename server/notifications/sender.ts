// The outbox sender: claims due messages one at a time with a lease, sends them through nodemailer to
// SMTP_URL and records what happened. Any number of senders (app instances, workers) may run at once:
// the claim is one atomic findOneAndUpdate, so each message has one sender at a time, and a sender
// that dies holding a lease loses the message to the next sender once the lease runs out.
//
// Delivery is at-least-once at SMTP, never silently zero: a sender that crashes after the SMTP server
// accepted a message but before recording it leaves the message claimable, and it is sent again after
// the lease — with the same Message-ID (fixed when the message was written), so the copy is
// recognisable as the same email. The lease must outlast one send (SMTP timeouts below).
import crypto from 'node:crypto';
import os from 'node:os';
import { trusted, type Types } from 'mongoose';
import nodemailer, { type NodemailerError, type Transporter } from 'nodemailer';
import type { Clock } from '../platform/clock.js';
import type { Config } from '../platform/config.js';
import type { Logger } from '../platform/logger.js';
import { AttachmentUnavailableError, freezePdf, loadAttachments } from './message-attachments.js';
import { OutboxMessageModel, PENDING_STATUSES, type Attempt, type AttemptOutcome, type OutboxMessage } from './outbox.model.js';
import { classifySendError, retryDelay, type RetryPolicy } from './outbox.rules.js';
import { resolveSecretLinks } from './secret-links.js';
import { SendingCalendar, windowState } from './sending-window.js';
import { parseSendingWindow, type SendingWindow } from './sending-window.rules.js';

export type SenderConfig = Pick<
  Config,
  'NODE_ENV' | 'SMTP_URL' | 'MAIL_WINDOW' | 'MAIL_MAX_ATTEMPTS' | 'MAIL_RETRY_BASE_SECONDS' | 'MAIL_RETRY_MAX_SECONDS' | 'MAIL_LEASE_SECONDS' | 'MAIL_TEST_SEND_DELAY_MS'
>;

export interface OutboxSenderOptions {
  config: SenderConfig;
  clock: Clock;
  logger: Logger;
  /** Names this sender in leases and in the attempts log (default: host, pid and a random part). */
  owner?: string;
  /** Messages per run at most, so one run never outlasts its job lock (default 100). */
  maxPerRun?: number;
}

export interface SendRunSummary {
  windowOpen: boolean;
  claimed: number;
  sent: number;
  retrying: number;
  failed: number;
  notSent: number;
}

export interface OutboxSender {
  readonly owner: string;
  /** Sends what is due now; resolves when nothing due is left (or maxPerRun was reached, or `signal` aborted). */
  runOnce(signal?: AbortSignal): Promise<SendRunSummary>;
  close(): void;
}

type Claimed = Pick<OutboxMessage, '_id' | 'key' | 'from' | 'to' | 'cc' | 'subject' | 'html' | 'text' | 'attachments' | 'messageId' | 'failures' | 'leaseOwner' | 'leaseUntil'>;
const CLAIM_FIELDS = { key: 1, from: 1, to: 1, cc: 1, subject: 1, html: 1, text: 1, attachments: 1, messageId: 1, failures: 1, leaseOwner: 1, leaseUntil: 1 } as const;

const MAX_TEXT = 1000;

function truncate(text: string): string {
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text;
}

/** nodemailer's options for SMTP_URL: short timeouts so a send always ends well within its lease. */
export function createSmtpTransport(smtpUrl: string): Transporter {
  return nodemailer.createTransport({
    url: smtpUrl,
    connectionTimeout: 30_000,
    greetingTimeout: 30_000,
    socketTimeout: 60_000,
    // Attachments are always bytes we hand over; never let a message read files or fetch URLs.
    disableFileAccess: true,
    disableUrlAccess: true,
  });
}

function mailbox(m: { email: string; name: string | null }) {
  return m.name ? { name: m.name, address: m.email } : m.email;
}

export function createOutboxSender(options: OutboxSenderOptions): OutboxSender {
  const { config, clock, logger } = options;
  const owner = options.owner ?? `${os.hostname()}:${process.pid}:${crypto.randomBytes(3).toString('hex')}`;
  const maxPerRun = options.maxPerRun ?? 100;
  const leaseMs = config.MAIL_LEASE_SECONDS * 1000;
  const policy: RetryPolicy = { maxAttempts: config.MAIL_MAX_ATTEMPTS, baseMs: config.MAIL_RETRY_BASE_SECONDS * 1000, maxMs: config.MAIL_RETRY_MAX_SECONDS * 1000 };
  const window: SendingWindow = parseSendingWindow(config.MAIL_WINDOW);
  const calendars = new SendingCalendar();
  const testDelayMs = config.NODE_ENV === 'test' ? config.MAIL_TEST_SEND_DELAY_MS : 0;
  const transport = config.SMTP_URL ? createSmtpTransport(config.SMTP_URL) : null;
  const log = logger.child({ component: 'outbox-sender', owner });

  const attempt = (outcome: AttemptOutcome, fields: Partial<Attempt> = {}): Attempt => ({ at: clock.now(), outcome, responseCode: null, response: null, by: owner, ...fields });

  /** Atomically takes the next due message; null when there is none. */
  async function claimNext(windowOpen: boolean): Promise<Claimed | null> {
    const now = clock.now();
    const filter: Record<string, unknown> = {
      status: trusted({ $in: PENDING_STATUSES }),
      nextAttemptAt: trusted({ $lte: now }),
      $or: [{ leaseUntil: null }, { leaseUntil: trusted({ $lte: now }) }],
    };
    if (!windowOpen) filter.anyTime = true;
    // The document as it was before the claim tells whether another sender's lease ran out on it.
    return OutboxMessageModel.findOneAndUpdate(
      filter,
      { $set: { leaseOwner: owner, leaseUntil: new Date(now.getTime() + leaseMs), updatedAt: now } },
      { sort: { nextAttemptAt: 1, _id: 1 }, new: false, projection: CLAIM_FIELDS },
    ).lean<Claimed>();
  }

  /** Records a verdict on a message this sender holds; false when the lease was lost meanwhile. */
  async function conclude(id: Types.ObjectId, set: Record<string, unknown>, entry: Attempt): Promise<boolean> {
    const now = clock.now();
    const result = await OutboxMessageModel.updateOne(
      { _id: id, leaseOwner: owner, status: trusted({ $in: PENDING_STATUSES }) },
      { $set: { ...set, leaseOwner: null, leaseUntil: null, updatedAt: now }, $push: { attempts: entry } },
    );
    if (result.matchedCount === 1) return true;
    // Someone else holds it now: keep the record of this attempt without touching their state.
    await OutboxMessageModel.updateOne({ _id: id }, { $push: { attempts: entry } });
    return false;
  }

  async function failure(message: Claimed, failuresSoFar: number, err: NodemailerError | AttachmentUnavailableError, summary: SendRunSummary): Promise<void> {
    const info = { code: err.code, responseCode: 'responseCode' in err ? err.responseCode : undefined };
    const kind = classifySendError(info);
    const response = truncate(('response' in err && typeof err.response === 'string' ? err.response : '') || err.message);
    const entry = attempt(kind, { responseCode: info.responseCode ?? null, response });
    const failures = failuresSoFar + 1;
    const delay = kind === 'temporary' ? retryDelay(failures, policy) : null;
    const now = clock.now();
    if (delay !== null) {
      await conclude(message._id, { status: 'retry', failures, nextAttemptAt: new Date(now.getTime() + delay), lastError: response }, entry);
      summary.retrying += 1;
      log.warn({ key: message.key, messageId: message.messageId, failures, retryInMs: delay, responseCode: info.responseCode, code: info.code }, 'email not sent; will retry');
    } else {
      await conclude(message._id, { status: 'failed', failures, failedAt: now, lastError: response }, entry);
      summary.failed += 1;
      log.error({ key: message.key, messageId: message.messageId, failures, responseCode: info.responseCode, code: info.code, kind }, 'email failed for good');
    }
  }

  /** Generated papers are stored once, at the first attempt, so every attempt sends the same bytes. */
  async function freezeAttachments(message: Claimed): Promise<void> {
    for (const [index, a] of message.attachments.entries()) {
      if (a.attachmentId || !a.pdf) continue;
      const frozen = await freezePdf(message._id, a, clock);
      const set = { [`attachments.${index}.attachmentId`]: frozen.attachmentId, [`attachments.${index}.size`]: frozen.size, [`attachments.${index}.sha256`]: frozen.sha256 };
      await OutboxMessageModel.updateOne({ _id: message._id, leaseOwner: owner }, { $set: set });
      message.attachments[index] = { ...a, ...frozen };
    }
  }

  async function deliver(message: Claimed, summary: SendRunSummary): Promise<void> {
    let failures = message.failures ?? 0;
    if (message.leaseOwner) {
      // Taken over from a sender whose lease ran out: it may or may not have reached the SMTP server.
      failures += 1;
      const entry = attempt('interrupted', { by: message.leaseOwner, response: `lease expired at ${message.leaseUntil?.toISOString() ?? '?'}; taken over by ${owner}` });
      if (failures >= policy.maxAttempts) {
        await conclude(message._id, { status: 'failed', failures, failedAt: clock.now(), lastError: entry.response }, entry);
        summary.failed += 1;
        return;
      }
      await OutboxMessageModel.updateOne({ _id: message._id, leaseOwner: owner }, { $set: { failures }, $push: { attempts: entry } });
    }
    if (!transport) {
      await conclude(message._id, { status: 'not-sent-no-smtp' }, attempt('no-smtp', { response: 'SMTP_URL is not configured' }));
      summary.notSent += 1;
      return;
    }
    if (testDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, testDelayMs));
    let attachments;
    try {
      await freezeAttachments(message);
      attachments = await loadAttachments(message.attachments);
    } catch (err) {
      if (!(err instanceof AttachmentUnavailableError)) throw err;
      await failure(message, failures, err, summary);
      return;
    }
    try {
      // Secure links are created now, for this attempt, and exist only in the email that leaves.
      const body = await resolveSecretLinks({ html: message.html, text: message.text });
      const info = await transport.sendMail({
        from: message.from,
        to: message.to.map(mailbox),
        cc: message.cc.map(mailbox),
        subject: message.subject,
        text: body.text,
        html: body.html,
        messageId: message.messageId,
        // RFC 3834: an automatic message; asks vacation responders not to answer it.
        headers: { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' },
        attachments: attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, content: a.content })),
      });
      const sent = info as { response?: string; accepted?: unknown[]; rejected?: unknown[] };
      const response = truncate(String(sent.response ?? ''));
      const list = (values: unknown[] | undefined) => (values ?? []).map((v) => (typeof v === 'string' ? v : String((v as { address?: string }).address ?? v)));
      const now = clock.now();
      const entry = attempt('sent', { responseCode: Number(/^\d{3}/.exec(response)?.[0] ?? 250), response });
      // Accepted by the server is the truth, whoever holds the lease by now; only the first sender's
      // acceptance sets the record, a later duplicate only adds its attempt.
      const marked = await OutboxMessageModel.updateOne(
        { _id: message._id, status: trusted({ $ne: 'sent' }) },
        {
          $set: { status: 'sent', sentAt: now, smtpResponse: response, accepted: list(sent.accepted), rejected: list(sent.rejected), failures, leaseOwner: null, leaseUntil: null, lastError: null, updatedAt: now },
          $push: { attempts: entry },
        },
      );
      if (marked.matchedCount === 0) await OutboxMessageModel.updateOne({ _id: message._id }, { $push: { attempts: entry } });
      summary.sent += 1;
      log.info({ key: message.key, messageId: message.messageId, response }, 'email sent');
    } catch (err) {
      await failure(message, failures, err as NodemailerError, summary);
    }
  }

  return {
    owner,
    async runOnce(signal) {
      const now = clock.now();
      const { open } = await windowState(window, now, calendars);
      const summary: SendRunSummary = { windowOpen: open, claimed: 0, sent: 0, retrying: 0, failed: 0, notSent: 0 };
      while (summary.claimed < maxPerRun && !signal?.aborted) {
        const message = await claimNext(open);
        if (!message) break;
        summary.claimed += 1;
        try {
          await deliver(message, summary);
        } catch (err) {
          // A database error while recording: the lease runs out and another attempt follows.
          log.error({ err, key: message.key }, 'could not finish sending an email');
          break;
        }
      }
      return summary;
    },
    close() {
      transport?.close();
    },
  };
}
