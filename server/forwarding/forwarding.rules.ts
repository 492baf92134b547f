// Pure rules of forwardings: their states, what an agency may do in each, when one is overdue, when a
// link is valid, and how the agency's token is turned into what is stored.
import crypto from 'node:crypto';

export const FORWARDING_STATUSES = [
  'awaiting-approval', // drafted, waiting for a leader (when the office requires approval)
  'returned', // a leader sent the draft back with a note; the officer may submit it again or cancel it
  'cancelled', // withdrawn before it was sent (terminal)
  'sent', // numbered, slip generated, agency emailed
  'acknowledged', // the agency confirmed receipt through the link
  'answered', // the agency submitted an answer not yet evaluated
  'evaluated', // every matter evaluated; some found unsatisfactory and the agency chased again
  'closed', // finished (satisfied, re-forwarded, or handed to supervision)
] as const;
export type ForwardingStatus = (typeof FORWARDING_STATUSES)[number];

/** Before sending: the office's own drafts. */
export const DRAFT_STATUSES: readonly ForwardingStatus[] = ['awaiting-approval', 'returned'];
/** With the agency: it may confirm, ask for more time and answer. */
export const AGENCY_ACTIVE_STATUSES: readonly ForwardingStatus[] = ['sent', 'acknowledged', 'answered', 'evaluated'];
/** Waiting for the agency, so the deadline runs and reminders go out. */
export const AWAITING_AGENCY_STATUSES: readonly ForwardingStatus[] = ['sent', 'acknowledged', 'evaluated'];

export const ITEM_VERDICTS = ['satisfied', 'unsatisfied'] as const;
export type ItemVerdict = (typeof ITEM_VERDICTS)[number];

/** After an unsatisfactory answer, the office chooses one of these. */
export const UNSATISFIED_NEXT_STEPS = ['chase', 'reforward', 'supervision'] as const;
export type UnsatisfiedNextStep = (typeof UNSATISFIED_NEXT_STEPS)[number];

export const ANSWER_OUTCOMES = ['resolved', 'partly-resolved', 'not-accepted', 'in-progress', 'not-competent'] as const;
export type AnswerOutcome = (typeof ANSWER_OUTCOMES)[number];

export const CLOSURES = ['satisfied', 'reforwarded', 'supervision'] as const;
export type Closure = (typeof CLOSURES)[number];

export function isForwardingStatus(value: unknown): value is ForwardingStatus {
  return typeof value === 'string' && (FORWARDING_STATUSES as readonly string[]).includes(value);
}

/** What lateness is judged on; `suspension` is the running suspension, when the reader projected it. */
export interface DeadlineState {
  status: ForwardingStatus;
  deadline: { dueAt: Date } | null;
  suspension?: { from: string } | null;
}

/** Past its deadline while the agency owes the answer. A suspended deadline is not running, so it is never overdue. */
export function isOverdue(f: DeadlineState, now: Date): boolean {
  return AWAITING_AGENCY_STATUSES.includes(f.status) && f.deadline !== null && !f.suspension && f.deadline.dueAt.getTime() < now.getTime();
}

/** Whole days late (0 when not late), counted in elapsed time since the end of the due date. */
export function daysOverdue(f: DeadlineState, now: Date): number {
  if (!isOverdue(f, now)) return 0;
  return Math.ceil((now.getTime() - f.deadline!.dueAt.getTime()) / 86_400_000);
}

/** What the agency is allowed to do now, from the forwarding's status. */
export function agencyMay(status: ForwardingStatus, action: 'confirm' | 'extension' | 'answer', acknowledged: boolean): boolean {
  if (!AGENCY_ACTIVE_STATUSES.includes(status)) return false;
  if (action === 'confirm') return !acknowledged;
  return true;
}

export type LinkRefusal = 'unknown' | 'revoked' | 'expired' | 'closed';

/** Why a link may not be used now, or null when it may. */
export function linkRefusal(
  link: { revokedAt: Date | null; expiresAt: Date } | null,
  forwarding: { status: ForwardingStatus } | null,
  now: Date,
): LinkRefusal | null {
  if (!link || !forwarding) return 'unknown';
  if (link.revokedAt) return 'revoked';
  if (link.expiresAt.getTime() <= now.getTime()) return 'expired';
  if (!AGENCY_ACTIVE_STATUSES.includes(forwarding.status)) return 'closed';
  return null;
}

/** A link lasts until `daysAfterDeadline` days after the deadline (or after sending, if none). */
export function linkExpiry(deadlineDueAt: Date | null, sentAt: Date, daysAfterDeadline: number): Date {
  const base = deadlineDueAt ?? sentAt;
  return new Date(base.getTime() + daysAfterDeadline * 86_400_000);
}

/** 256 random bits, URL-safe (43 characters). */
export function newLinkToken(): string {
  return crypto.randomBytes(32).toString('base64url');
}

/** What is stored and looked up: the SHA-256 of the token, hex. */
export function hashLinkToken(token: string): string {
  return crypto.createHash('sha256').update(token, 'utf8').digest('hex');
}

/** The shape of a token, checked before any lookup (anything else is answered without the database). */
export function looksLikeLinkToken(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Za-z0-9_-]{43}$/.test(value);
}

/**
 * The status after a change of the items' verdicts: closed when every matter is settled, evaluated
 * when all are judged but one is unsatisfactory (the agency is chased), answered otherwise.
 */
export function statusAfterEvaluation(items: readonly { verdict: ItemVerdict | null }[]): 'closed' | 'evaluated' | 'answered' {
  if (items.every((i) => i.verdict === 'satisfied')) return 'closed';
  if (items.every((i) => i.verdict !== null)) return 'evaluated';
  return 'answered';
}

/** The office's document number for a slip, e.g. 125/PC-VP. */
export function formatDocumentNumber(seq: number, suffix: string): string {
  return `${seq}/${suffix}`;
}
