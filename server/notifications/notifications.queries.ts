// Reads for the email log: the office-wide list with filters (newest first, paginated by key), one
// message with everything that was sent and every attempt, and the emails of one case.
import fs from 'node:fs';
import path from 'node:path';
import { TZDate } from '@date-fns/tz';
import mongoose, { trusted, type Types } from 'mongoose';
import { assertCan, can, type Actor } from '../access/index.js';
import { OFFICE_TIME_ZONE } from '../platform/dates.js';
import { NotFoundError } from '../platform/errors.js';
import { VIEWS_DIR } from '../platform/paths.js';
import { OutboxMessageModel, PENDING_STATUSES, type OutboxMessage } from './outbox.model.js';
import type { EmailListQuery } from './notifications.schemas.js';
import { maskSecretLinks } from './secret-links.js';

export const EMAILS_PAGE_SIZE = 50;
/** A case rarely has more; the page says so if it does. */
export const CASE_EMAILS_LIMIT = 200;

export type EmailRow = Pick<
  OutboxMessage,
  | '_id'
  | 'createdAt'
  | 'status'
  | 'template'
  | 'subject'
  | 'to'
  | 'cc'
  | 'caseId'
  | 'sentAt'
  | 'failedAt'
  | 'lastError'
  | 'nextAttemptAt'
  | 'leaseUntil'
  | 'attempts'
  | 'attachments'
  | 'confidentialRecipients'
> & { inProgress: boolean; attemptCount: number };

const ROW_FIELDS = {
  createdAt: 1,
  status: 1,
  template: 1,
  subject: 1,
  to: 1,
  cc: 1,
  caseId: 1,
  sentAt: 1,
  failedAt: 1,
  lastError: 1,
  nextAttemptAt: 1,
  leaseUntil: 1,
  attempts: 1,
  'attachments.filename': 1,
  confidentialRecipients: 1,
} as const;

/** Shown instead of a protected recipient's address. */
const WITHHELD = '[bảo mật — confidential]';

/**
 * A message to a protected person (a denouncer who asked for notices) as a user who may not see
 * denouncers reads it: the address is replaced wherever the log shows it, SMTP replies included
 * (a refusal often quotes the address). Luật Tố cáo 2018, Điều 9.
 */
function withholdRecipients<T extends Partial<OutboxMessage>>(doc: T, actor: Actor): T {
  if (!doc.confidentialRecipients || can(actor, 'view-denouncer-identity')) return doc;
  const addresses = [...(doc.to ?? []), ...(doc.cc ?? [])].map((m) => m.email.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const pattern = addresses.length ? new RegExp(addresses.join('|'), 'gi') : null;
  const scrub = <V extends string | null | undefined>(text: V): V => (pattern && typeof text === 'string' ? (text.replace(pattern, WITHHELD) as V) : text);
  const hidden = (list: OutboxMessage['to'] | undefined) => list?.map(() => ({ email: WITHHELD, name: null }));
  return {
    ...doc,
    ...(doc.to && { to: hidden(doc.to) }),
    ...(doc.cc && { cc: hidden(doc.cc) }),
    ...(doc.recipients && { recipients: [] }),
    ...(doc.accepted && { accepted: doc.accepted.map(scrub) }),
    ...(doc.rejected && { rejected: doc.rejected.map(scrub) }),
    ...(doc.attempts && { attempts: doc.attempts.map((a) => ({ ...a, response: scrub(a.response) })) }),
    smtpResponse: scrub(doc.smtpResponse),
    lastError: scrub(doc.lastError),
  };
}

function toRow(doc: Omit<EmailRow, 'inProgress' | 'attemptCount'>, now: Date, actor: Actor): EmailRow {
  return {
    ...withholdRecipients(doc, actor),
    inProgress: PENDING_STATUSES.includes(doc.status) && doc.leaseUntil !== null && doc.leaseUntil > now,
    // Sending attempts only: "put back in the queue" by an administrator is shown but not counted.
    attemptCount: doc.attempts.filter((a) => a.outcome !== 'requeued').length,
  };
}

function vietnamDayStart(date: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(new TZDate(y, m - 1, d, 0, 0, 0, 0, OFFICE_TIME_ZONE).getTime());
}

/** The templates there are (views/emails/<name>/), for the filter. */
export function emailTemplates(): string[] {
  const dir = path.join(VIEWS_DIR, 'emails');
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('_'))
    .map((e) => e.name)
    .sort();
}

export interface EmailPage {
  rows: EmailRow[];
  next: string | null;
  total: number;
}

export async function listEmails(actor: Actor, query: EmailListQuery, now: Date): Promise<EmailPage> {
  assertCan(actor, 'mail:read');
  const and: Record<string, unknown>[] = [];
  if (query.status) and.push({ status: query.status });
  if (query.template) and.push({ template: query.template });
  // A search by a protected person's address finds nothing for a user who may not see them.
  if (query.recipient) and.push({ recipients: query.recipient }, ...(can(actor, 'view-denouncer-identity') ? [] : [{ confidentialRecipients: trusted({ $ne: true }) }]));
  if (query.from) and.push({ createdAt: trusted({ $gte: vietnamDayStart(query.from) }) });
  // Vietnam has no daylight saving time: the next day starts 24 hours after this one.
  if (query.to) and.push({ createdAt: trusted({ $lt: new Date(vietnamDayStart(query.to).getTime() + 86_400_000) }) });
  const filter = and.length ? { $and: and } : {};
  const total = await OutboxMessageModel.countDocuments(filter);
  const page = [...and];
  if (query.after) {
    const cursor = await OutboxMessageModel.findById(query.after, { createdAt: 1 }).lean<Pick<OutboxMessage, '_id' | 'createdAt'>>();
    if (cursor) page.push({ $or: [{ createdAt: trusted({ $lt: cursor.createdAt }) }, { createdAt: cursor.createdAt, _id: trusted({ $lt: cursor._id }) }] });
  }
  const docs = await OutboxMessageModel.find(page.length ? { $and: page } : {}, ROW_FIELDS)
    .sort({ createdAt: -1, _id: -1 })
    .limit(EMAILS_PAGE_SIZE + 1)
    .lean<Omit<EmailRow, 'inProgress' | 'attemptCount'>[]>();
  const rows = docs.slice(0, EMAILS_PAGE_SIZE).map((d) => toRow(d, now, actor));
  return { rows, next: docs.length > EMAILS_PAGE_SIZE ? String(rows[rows.length - 1]!._id) : null, total };
}

/** Whether the actor may see a given case (answered by the cases module, injected by routes.ts). */
export type CaseVisibility = (actor: Actor, caseId: string) => Promise<boolean>;

export type EmailDetail = OutboxMessage & { inProgress: boolean; attemptCount: number };

/**
 * One message, for a user with `mail:read`, or for a user who may see the case it is about. Anyone
 * else gets the same 404 as for a message that does not exist.
 */
export async function getEmail(actor: Actor, id: string, caseVisible: CaseVisibility, now: Date): Promise<EmailDetail> {
  if (!mongoose.isValidObjectId(id) || !/^[a-f0-9]{24}$/i.test(id)) throw new NotFoundError('notifications.errors.notFound');
  const doc = await OutboxMessageModel.findById(id).lean<OutboxMessage>();
  if (!doc) throw new NotFoundError('notifications.errors.notFound');
  const allowed = can(actor, 'mail:read') || (doc.caseId !== null && (await caseVisible(actor, String(doc.caseId))));
  if (!allowed) throw new NotFoundError('notifications.errors.notFound');
  // The agency's secure link is never stored; the log shows where it was (secret-links.ts).
  return { ...(toRow(doc, now, actor) as EmailDetail), text: maskSecretLinks(doc.text, SECRET_LINK_PLACEHOLDER), html: maskSecretLinks(doc.html, SECRET_LINK_PLACEHOLDER) };
}

const SECRET_LINK_PLACEHOLDER = '[liên kết bảo mật — secure link]';

export interface CaseEmails {
  rows: EmailRow[];
  failed: number;
  truncated: boolean;
}

/**
 * The emails about a case, newest first. The caller has already established that the actor may see
 * the case (the case page does); this only checks that the actor reads cases at all.
 */
export async function emailsOfCase(actor: Actor, caseId: string | Types.ObjectId, now: Date): Promise<CaseEmails> {
  if (!can(actor, 'cases:read-all') && !can(actor, 'cases:read-own') && !can(actor, 'mail:read')) return { rows: [], failed: 0, truncated: false };
  if (!mongoose.isValidObjectId(caseId)) return { rows: [], failed: 0, truncated: false };
  const docs = await OutboxMessageModel.find({ caseId: new mongoose.Types.ObjectId(String(caseId)) }, ROW_FIELDS)
    .sort({ caseId: 1, createdAt: -1, _id: -1 })
    .limit(CASE_EMAILS_LIMIT + 1)
    .lean<Omit<EmailRow, 'inProgress' | 'attemptCount'>[]>();
  const rows = docs.slice(0, CASE_EMAILS_LIMIT).map((d) => toRow(d, now, actor));
  return { rows, failed: rows.filter((r) => r.status === 'failed').length, truncated: docs.length > CASE_EMAILS_LIMIT };
}

export type EmailState = Pick<OutboxMessage, '_id' | 'key' | 'status' | 'sentAt' | 'failedAt' | 'lastError' | 'messageId' | 'caseId'>;

/**
 * The state of emails by idempotency key, for the module that enqueued them (e.g. "slip sent on …" on
 * a forwarding). No permission check: the caller shows it only where it shows the thing itself.
 */
export async function emailsByKey(keys: readonly string[]): Promise<Map<string, EmailState>> {
  const wanted = [...new Set(keys.filter((k) => typeof k === 'string'))];
  if (wanted.length === 0) return new Map();
  const docs = await OutboxMessageModel.find({ key: trusted({ $in: wanted }) }, { key: 1, status: 1, sentAt: 1, failedAt: 1, lastError: 1, messageId: 1, caseId: 1 }).lean<EmailState[]>();
  return new Map(docs.map((d) => [d.key, d]));
}
