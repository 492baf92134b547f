// Use cases of the outbox. enqueueEmail is called by other modules' services inside their own
// transaction, so an email exists exactly when the change that causes it was committed; the
// idempotency key makes a second call for the same email a no-op. The administrators' actions (a test
// email, "retry now") are audited in the same transaction as their change.
import crypto from 'node:crypto';
import mongoose, { trusted, type ClientSession, type Types } from 'mongoose';
import { assertCan, type Actor } from '../access/index.js';
import { getAttachment } from '../attachments/index.js';
import { recordAudit } from '../audit/index.js';
import { systemClock, type Clock } from '../platform/clock.js';
import type { ServiceContext } from '../platform/context.js';
import { inTransaction } from '../platform/db/transaction.js';
import { ConflictError, NotFoundError, isDuplicateKeyError } from '../platform/errors.js';
import type { Language } from '../platform/i18n.js';
import { cleanText } from '../platform/text.js';
import { isEmailPdfKind } from './message-attachments.js';
import { OutboxMessageModel, type Mailbox, type MessageAttachment, type MessageStatus, type OutboxMessage } from './outbox.model.js';
import { messageIdFor } from './outbox.rules.js';
import { mailRenderer } from './render.js';

export interface EmailRecipient {
  email: string;
  name?: string | null;
}

export interface EmailAttachmentInput {
  filename: string;
  contentType: string;
  /** A stored attachment (server/attachments) by id. */
  attachmentId?: string;
  /** A paper generated at the first attempt by a kind registered with registerEmailPdf. */
  pdf?: { kind: string; params: Record<string, unknown> };
}

export interface EnqueueEmailInput {
  /** Unique for the email's whole life, e.g. 'forwarding:<id>:sent', 'reminder:<fwd>:<kind>:<dueDate>'. */
  key: string;
  /** views/emails/<template>/{subject,html,text}.njk */
  template: string;
  locale: Language;
  to: EmailRecipient[];
  cc?: EmailRecipient[];
  /** What the template shows: plain, JSON-safe data (dates as ISO strings). Kept with the message. */
  data: Record<string, unknown>;
  /** The case the email is about: it is listed on that case's page. */
  caseId?: Types.ObjectId | string | null;
  /** The recipients are protected (a denouncer): the email log shows them only to users who may see denouncers. */
  confidentialRecipients?: boolean;
  attachments?: EmailAttachmentInput[];
  /** Not before this instant (a reminder for a later day); the sending window still applies. */
  notBefore?: Date | null;
  /** May leave outside the sending window (only for messages to the office itself, such as the SMTP test). */
  anyTime?: boolean;
  /** Who caused it: a user id, or 'system'. */
  createdBy?: string;
}

export interface EnqueuedEmail {
  id: Types.ObjectId;
  key: string;
  status: MessageStatus;
  /** False when a message with this key already existed (nothing new was written). */
  created: boolean;
}

const KEY = /^[\w.:@/-]{1,200}$/;
const ADDRESS = /^[^\s@<>()[\]",;:\\]+@[^\s@<>()[\]",;:\\]+$/;

function mailboxes(list: readonly EmailRecipient[] | undefined, field: string): Mailbox[] {
  return (list ?? []).map((r) => {
    const email = typeof r?.email === 'string' ? r.email.trim() : '';
    if (!ADDRESS.test(email) || email.length > 254) throw new Error(`enqueueEmail: invalid ${field} address ${JSON.stringify(r?.email)}`);
    const name = typeof r.name === 'string' ? cleanText(r.name).replace(/[\r\n]+/g, ' ').slice(0, 200) : '';
    return { email, name: name || null };
  });
}

/** Plain data only: what JSON can carry is what the template saw and what the log keeps. */
function plainData(data: Record<string, unknown>): Record<string, unknown> {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new Error('enqueueEmail: data must be a plain object');
  return JSON.parse(JSON.stringify(data)) as Record<string, unknown>;
}

async function attachmentsOf(list: readonly EmailAttachmentInput[] | undefined): Promise<MessageAttachment[]> {
  const result: MessageAttachment[] = [];
  for (const a of list ?? []) {
    const filename = cleanText(String(a.filename ?? '')).replace(/[\r\n/\\]+/g, ' ').slice(0, 200);
    if (!filename || !/^[\w.+-]+\/[\w.+-]+$/.test(a.contentType ?? '')) throw new Error(`enqueueEmail: attachment needs a file name and a content type`);
    if (a.attachmentId !== undefined === (a.pdf !== undefined)) throw new Error('enqueueEmail: an attachment is either attachmentId or pdf');
    if (a.attachmentId !== undefined) {
      const stored = await getAttachment(a.attachmentId); // 404 when it does not exist: the caller's change fails with it
      result.push({ filename, contentType: stored.contentType ?? a.contentType, attachmentId: stored._id, pdf: null, size: stored.size, sha256: stored.sha256 });
    } else if (a.pdf) {
      if (!isEmailPdfKind(a.pdf.kind)) throw new Error(`enqueueEmail: no PDF kind '${a.pdf.kind}' is registered`);
      result.push({ filename, contentType: a.contentType, attachmentId: null, pdf: { kind: a.pdf.kind, params: plainData(a.pdf.params) }, size: null, sha256: null });
    }
  }
  return result;
}

function caseIdOf(value: EnqueueEmailInput['caseId']): Types.ObjectId | null {
  if (value == null) return null;
  if (!mongoose.isValidObjectId(value)) throw new Error(`enqueueEmail: invalid caseId ${String(value)}`);
  return new mongoose.Types.ObjectId(String(value));
}

/**
 * Writes an email to the outbox — inside the caller's transaction when `session` is given — rendered
 * now in the recipient's language. A message with the same key is returned as it is and nothing is
 * written: that is what keeps a reminder from ever being sent twice.
 */
export async function enqueueEmail(input: EnqueueEmailInput, session: ClientSession | null, ctx: { clock: Clock } = { clock: systemClock }): Promise<EnqueuedEmail> {
  if (typeof input.key !== 'string' || !KEY.test(input.key)) throw new Error(`enqueueEmail: invalid key ${JSON.stringify(input.key)}`);
  const existing = await OutboxMessageModel.findOne({ key: input.key }, { status: 1 }).session(session).lean<Pick<OutboxMessage, '_id' | 'status'>>();
  if (existing) return { id: existing._id, key: input.key, status: existing.status, created: false };

  const to = mailboxes(input.to, 'to');
  const cc = mailboxes(input.cc, 'cc');
  if (to.length === 0) throw new Error('enqueueEmail: at least one recipient is needed');
  const data = plainData(input.data);
  const renderer = mailRenderer();
  // Templates greet the first recipient by name unless the data names someone else.
  const rendered = renderer.render(input.template, input.locale, { recipientName: to[0]!.name, ...data });
  const now = ctx.clock.now();
  const notBefore = input.notBefore ?? null;
  const _id = new mongoose.Types.ObjectId();
  const doc = new OutboxMessageModel({
    _id,
    key: input.key,
    template: input.template,
    locale: input.locale,
    from: renderer.settings.MAIL_FROM,
    to,
    cc,
    recipients: [...new Set([...to, ...cc].map((m) => m.email.toLowerCase()))],
    ...rendered,
    data,
    attachments: await attachmentsOf(input.attachments),
    messageId: messageIdFor(crypto.randomUUID(), renderer.settings.MAIL_FROM, renderer.settings.BASE_URL),
    caseId: caseIdOf(input.caseId),
    confidentialRecipients: input.confidentialRecipients === true,
    anyTime: input.anyTime === true,
    status: 'queued',
    notBefore,
    nextAttemptAt: notBefore && notBefore > now ? notBefore : now,
    createdBy: input.createdBy ?? 'system',
    createdAt: now,
    updatedAt: now,
  });
  await doc.validate();
  // An upsert on the key rather than an insert: two transactions enqueueing the same email at once
  // conflict on MongoDB (the driver retries the loser, which then finds the winner's message); the
  // embedded server reports the duplicate at commit instead, failing the loser's whole transaction.
  // Either way there is one message and no half-saved change.
  try {
    const result = await OutboxMessageModel.updateOne({ key: input.key }, { $setOnInsert: doc.toObject() }, session ? { upsert: true, session } : { upsert: true });
    if (result.upsertedCount === 1) return { id: _id, key: input.key, status: 'queued', created: true };
  } catch (err) {
    if (session || !isDuplicateKeyError(err)) throw err;
  }
  const winner = await OutboxMessageModel.findOne({ key: input.key }, { status: 1 }).session(session).lean<Pick<OutboxMessage, '_id' | 'status'>>();
  if (!winner) throw new Error(`enqueueEmail: message ${input.key} vanished`);
  return { id: winner._id, key: input.key, status: winner.status, created: false };
}

function auditContext(actor: Actor, ctx: ServiceContext) {
  return { at: ctx.clock.now(), actor, ip: ctx.ip, requestId: ctx.requestId };
}

/**
 * The administrators' test email, to check the SMTP settings. It may leave outside the sending
 * window. `submissionKey` comes from the form, so a double click sends one email.
 */
export async function sendTestEmail(actor: Actor, input: { to: string; submissionKey: string }, ctx: ServiceContext): Promise<EnqueuedEmail> {
  assertCan(actor, 'mail:manage');
  return inTransaction(async (session) => {
    const queued = await enqueueEmail(
      {
        key: `smtp-test:${input.submissionKey}`,
        template: 'smtp-test',
        locale: actor.locale,
        to: [{ email: input.to }],
        data: { requestedBy: actor.name, requestedAt: ctx.clock.now().toISOString() },
        anyTime: true,
        createdBy: actor.id,
      },
      session,
      ctx,
    );
    if (queued.created) {
      await recordAudit({ action: 'mail.test-queued', ...auditContext(actor, ctx), target: { type: 'email', id: String(queued.id) }, details: { to: input.to } }, session);
    }
    return queued;
  });
}

const RETRYABLE: readonly MessageStatus[] = ['failed', 'not-sent-no-smtp'];

function requeueUpdate(actor: Actor, now: Date) {
  return {
    $set: { status: 'queued', nextAttemptAt: now, failures: 0, failedAt: null, leaseOwner: null, leaseUntil: null, updatedAt: now },
    $push: { attempts: { at: now, outcome: 'requeued', responseCode: null, response: null, by: actor.name } },
  };
}

/** "Retry now" on a failed or unsent message: back in the queue with a fresh set of attempts. */
export async function retryMessage(actor: Actor, id: string, ctx: ServiceContext): Promise<void> {
  assertCan(actor, 'mail:manage');
  if (!mongoose.isValidObjectId(id)) throw new NotFoundError('notifications.errors.notFound');
  const _id = new mongoose.Types.ObjectId(id);
  await inTransaction(async (session) => {
    const message = await OutboxMessageModel.findById(_id, { status: 1, key: 1 }).session(session).lean<Pick<OutboxMessage, '_id' | 'status' | 'key'>>();
    if (!message) throw new NotFoundError('notifications.errors.notFound');
    const now = ctx.clock.now();
    const updated = await OutboxMessageModel.updateOne({ _id, status: trusted({ $in: RETRYABLE }) }, requeueUpdate(actor, now), { session });
    if (updated.matchedCount !== 1) throw new ConflictError('notifications.errors.notRetryable');
    await recordAudit({ action: 'mail.retried', ...auditContext(actor, ctx), target: { type: 'email', id }, details: { key: message.key, status: message.status } }, session);
  });
}

/**
 * Puts every "not sent: no SMTP server configured" message back in the queue, once an SMTP server has
 * been configured. Never automatic: weeks-old notices should not surprise agencies unless the office
 * decides so.
 */
export async function requeueUnsent(actor: Actor, input: { smtpConfigured: boolean }, ctx: ServiceContext): Promise<number> {
  assertCan(actor, 'mail:manage');
  if (!input.smtpConfigured) throw new ConflictError('notifications.errors.noSmtp');
  return inTransaction(async (session) => {
    const now = ctx.clock.now();
    const result = await OutboxMessageModel.updateMany({ status: 'not-sent-no-smtp' }, requeueUpdate(actor, now), { session });
    if (result.modifiedCount > 0) {
      await recordAudit({ action: 'mail.unsent-requeued', ...auditContext(actor, ctx), target: null, details: { count: result.modifiedCount } }, session);
    }
    return result.modifiedCount;
  });
}
