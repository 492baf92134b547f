// The outbox: one document per email, written in the transaction of the change that causes it, under a
// unique idempotency key. It is rendered when it is written (subject, HTML and text are stored), so the
// document is a faithful record of what was sent — the office's proof of forwarding and chasing.
//
// Life of a message:
//   queued            → waiting for its first attempt (nextAttemptAt, and the sending window)
//   retry             → a temporary failure; waiting for nextAttemptAt (exponential back-off)
//   sent              → the SMTP server accepted it (its reply and the accepted/rejected lists kept)
//   failed            → a permanent refusal, or every attempt used up: shown to officers
//   not-sent-no-smtp  → no SMTP server was configured when it was due; kept and viewable
// A sender working on a message holds a lease (leaseOwner, leaseUntil); a lease that runs out is
// taken over by any other sender.
import mongoose, { Schema, type Types } from 'mongoose';

export const MESSAGE_STATUSES = ['queued', 'retry', 'sent', 'failed', 'not-sent-no-smtp'] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];
/** Statuses a sender picks up. */
export const PENDING_STATUSES: readonly MessageStatus[] = ['queued', 'retry'];

export const ATTEMPT_OUTCOMES = ['sent', 'temporary', 'permanent', 'interrupted', 'no-smtp', 'requeued'] as const;
export type AttemptOutcome = (typeof ATTEMPT_OUTCOMES)[number];

export interface Mailbox {
  email: string;
  name: string | null;
}

export interface Attempt {
  at: Date;
  outcome: AttemptOutcome;
  /** The SMTP reply code, when the server answered. */
  responseCode: number | null;
  /** The server's reply or the error, as text (never credentials). */
  response: string | null;
  /** The sender process, or the user who put the message back in the queue. */
  by: string | null;
}

export interface MessageAttachment {
  filename: string;
  contentType: string;
  /** A stored attachment (GridFS): given at enqueue, or the generated PDF frozen at the first attempt. */
  attachmentId: Types.ObjectId | null;
  /** A paper generated when the message is first sent, by a registered kind (see registerEmailPdf). */
  pdf: { kind: string; params: Record<string, unknown> } | null;
  size: number | null;
  sha256: string | null;
}

export interface OutboxMessage {
  _id: Types.ObjectId;
  key: string;
  template: string;
  locale: 'vi' | 'en';
  from: string;
  to: Mailbox[];
  cc: Mailbox[];
  /** Every recipient's address, lower case: the filter "to whom" of the email log. */
  recipients: string[];
  subject: string;
  html: string;
  text: string;
  data: Record<string, unknown>;
  attachments: MessageAttachment[];
  messageId: string;
  caseId: Types.ObjectId | null;
  /** The recipients are protected people (a denouncer): only users who may see denouncers see who. */
  confidentialRecipients: boolean;
  /** May leave outside the sending window (the administrators' SMTP test). */
  anyTime: boolean;
  status: MessageStatus;
  notBefore: Date | null;
  nextAttemptAt: Date;
  /** Attempts that reached a verdict since the message was last queued (for the back-off). */
  failures: number;
  attempts: Attempt[];
  leaseOwner: string | null;
  leaseUntil: Date | null;
  sentAt: Date | null;
  smtpResponse: string | null;
  accepted: string[];
  rejected: string[];
  failedAt: Date | null;
  lastError: string | null;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

const mailboxSchema = new Schema<Mailbox>({ email: { type: String, required: true }, name: { type: String, default: null } }, { _id: false });

const attemptSchema = new Schema<Attempt>(
  {
    at: { type: Date, required: true },
    outcome: { type: String, enum: ATTEMPT_OUTCOMES, required: true },
    responseCode: { type: Number, default: null },
    response: { type: String, default: null },
    by: { type: String, default: null },
  },
  { _id: false },
);

const attachmentSchema = new Schema<MessageAttachment>(
  {
    filename: { type: String, required: true },
    contentType: { type: String, required: true },
    attachmentId: { type: Schema.Types.ObjectId, default: null },
    pdf: { type: new Schema({ kind: { type: String, required: true }, params: { type: Schema.Types.Mixed, default: {} } }, { _id: false }), default: null },
    size: { type: Number, default: null },
    sha256: { type: String, default: null },
  },
  { _id: false },
);

const outboxSchema = new Schema<OutboxMessage>(
  {
    key: { type: String, required: true },
    template: { type: String, required: true },
    locale: { type: String, enum: ['vi', 'en'], required: true },
    from: { type: String, required: true },
    to: { type: [mailboxSchema], default: [] },
    cc: { type: [mailboxSchema], default: [] },
    recipients: { type: [String], default: [] },
    subject: { type: String, required: true },
    html: { type: String, required: true },
    text: { type: String, required: true },
    data: { type: Schema.Types.Mixed, default: {} },
    attachments: { type: [attachmentSchema], default: [] },
    messageId: { type: String, required: true },
    caseId: { type: Schema.Types.ObjectId, default: null },
    confidentialRecipients: { type: Boolean, default: false },
    anyTime: { type: Boolean, default: false },
    status: { type: String, enum: MESSAGE_STATUSES, required: true },
    notBefore: { type: Date, default: null },
    nextAttemptAt: { type: Date, required: true },
    failures: { type: Number, default: 0 },
    attempts: { type: [attemptSchema], default: [] },
    leaseOwner: { type: String, default: null },
    leaseUntil: { type: Date, default: null },
    sentAt: { type: Date, default: null },
    smtpResponse: { type: String, default: null },
    accepted: { type: [String], default: [] },
    rejected: { type: [String], default: [] },
    failedAt: { type: Date, default: null },
    lastError: { type: String, default: null },
    createdBy: { type: String, required: true },
    // Set from the service's clock (not mongoose timestamps), so tests with a fixed clock read true dates.
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'outbox_messages', versionKey: false, minimize: false },
);
// The idempotency key: a second enqueue of the same email finds the first.
outboxSchema.index({ key: 1 }, { unique: true });
outboxSchema.index({ messageId: 1 }, { unique: true });
// The senders' claim: pending messages by due time.
outboxSchema.index({ status: 1, nextAttemptAt: 1 });
// The email log: newest first, with each filter it offers, _id as the tie-breaker for keyset paging.
outboxSchema.index({ createdAt: -1, _id: -1 });
outboxSchema.index({ status: 1, createdAt: -1, _id: -1 });
outboxSchema.index({ template: 1, createdAt: -1, _id: -1 });
outboxSchema.index({ recipients: 1, createdAt: -1, _id: -1 });
outboxSchema.index({ caseId: 1, createdAt: -1, _id: -1 });

export const OutboxMessageModel = mongoose.model<OutboxMessage>('OutboxMessage', outboxSchema);
