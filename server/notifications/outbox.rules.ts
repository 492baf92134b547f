// Pure rules of the outbox: how long to wait before trying again, which failures are worth another
// try, and the Message-ID a message keeps for life. No I/O; tested with tables.

export interface RetryPolicy {
  /** Attempts in all (the first one included) before a message is given up as failed. */
  maxAttempts: number;
  /** Wait after the first failure; doubled after each further one… */
  baseMs: number;
  /** …up to this. */
  maxMs: number;
}

/**
 * The wait before the next attempt once `attemptsMade` attempts have failed temporarily, or null when
 * the message has had all its attempts. Exponential: base, 2·base, 4·base, … capped at maxMs.
 */
export function retryDelay(attemptsMade: number, policy: RetryPolicy): number | null {
  if (!Number.isInteger(attemptsMade) || attemptsMade < 1) throw new RangeError(`attempts made must be a whole number ≥ 1: ${attemptsMade}`);
  if (attemptsMade >= policy.maxAttempts) return null;
  // 2 ** 40 is already far past any cap; stop doubling there so the number stays exact.
  return Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(attemptsMade - 1, 40));
}

export type FailureKind = 'temporary' | 'permanent';

/** What an SMTP client error carries (nodemailer: `code`, `responseCode`). */
export interface SendErrorInfo {
  code?: string | undefined;
  responseCode?: number | undefined;
}

/** Errors without an SMTP reply that will not go away by trying the same message again. */
const PERMANENT_CODES = new Set(['EENVELOPE', 'EMAXRECIPIENTS', 'ECONFIG', 'EFILEACCESS', 'EURLACCESS', 'ATTACHMENT']);

/**
 * Temporary or permanent, following RFC 5321: a 5yz reply refuses the message for good (503, a bad
 * command sequence, is about the session, not the message); a 4yz reply asks to try later. Without a
 * reply — a connection refused, a timeout, a TLS or DNS failure — the server was not reached, so
 * trying later is right. Refused credentials count as temporary too: they are the office's settings,
 * not the message, and once fixed the waiting messages should go (the attempt limit still applies).
 */
export function classifySendError(err: SendErrorInfo): FailureKind {
  const reply = err.responseCode;
  if (typeof reply === 'number' && reply >= 400 && reply < 600) {
    if (err.code === 'EAUTH') return 'temporary';
    return reply >= 500 && reply !== 503 ? 'permanent' : 'temporary';
  }
  return err.code && PERMANENT_CODES.has(err.code) ? 'permanent' : 'temporary';
}

const KEY_PART = /^[\w.@/-]{1,80}$/;

/**
 * An idempotency key from its parts, e.g. emailKey('reminder', forwardingId, 'due', '2026-05-20') →
 * 'reminder:<id>:due:2026-05-20'. Everything that makes the email "the same email" belongs in the key:
 * a reminder keyed by its deadline gets a new key (and is sent again) when the deadline is extended,
 * and never twice for an unchanged one.
 */
export function emailKey(...parts: (string | number)[]): string {
  const text = parts.map(String);
  if (text.length === 0 || !text.every((p) => KEY_PART.test(p))) throw new Error(`emailKey: invalid parts ${JSON.stringify(parts)}`);
  return text.join(':');
}

/** The bare address of "Name <user@host>" or "user@host". */
export function addressOf(mailbox: string): string {
  const angle = /<([^<>]+)>\s*$/.exec(mailbox);
  return (angle ? angle[1]! : mailbox).trim();
}

/**
 * A Message-ID under the sender's own domain (from MAIL_FROM, else the site's host): unique, stable
 * for the message's whole life, so a message sent twice after a crash is recognisably the same one.
 */
export function messageIdFor(unique: string, mailFrom: string, baseUrl: string): string {
  const address = addressOf(mailFrom);
  let domain = address.includes('@') ? address.slice(address.lastIndexOf('@') + 1) : '';
  if (!/^[A-Za-z0-9.-]+$/.test(domain)) domain = new URL(baseUrl).hostname || 'localhost';
  return `<${unique}@${domain.toLowerCase()}>`;
}
