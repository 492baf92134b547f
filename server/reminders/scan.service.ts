// The reminder scan: every forwarding still waiting for its agency, due within the policy's horizon or
// overdue, gets the reminder of today's phase (reminders.rules.ts) — at most one email per forwarding
// per run, under a key that holds the due date, so it is queued once whatever the number of scans,
// processes or retries. Each forwarding is handled in its own transaction: the email, and the case
// timeline event when the email is new, commit together.
import type mongoose from 'mongoose';
import { trusted, type ClientSession } from 'mongoose';
import { SYSTEM_ACTOR } from '../access/index.js';
import { endOfVietnamDay, isWorkingDay, loadWorkingCalendar, vietnamDateOf, type IsoDate, type WorkingCalendar } from '../calendar/index.js';
import { AWAITING_AGENCY_STATUSES, ForwardingModel, emailAgency, linkForFollowUp, type Forwarding } from '../forwarding/index.js';
// The timeline helper is internal to the forwarding module (not in its index); it is the one place
// that writes a forwarding's event on each of its cases.
import { recordForwardingEvent } from '../forwarding/timeline.js';
import { OutboxMessageModel } from '../notifications/index.js';
import { inTransaction } from '../platform/db/transaction.js';
import { isDuplicateKeyError } from '../platform/errors.js';
import type { Logger } from '../platform/logger.js';
import { UserModel } from '../users/index.js';
import { getReminderPolicy } from './policy.service.js';
import { reminderDueOn, reminderHorizon, reminderKey, type DueReminder, type ReminderPolicy } from './reminders.rules.js';

export const REMINDER_TEMPLATE = 'forwarding-reminder';

export interface ReminderScanSummary {
  /** Vietnam date of the scan. */
  date: IsoDate;
  workingDay: boolean;
  /** Forwardings due within the horizon or overdue. */
  considered: number;
  /** Emails newly queued. */
  queued: number;
  /** Reminders already queued by an earlier run. */
  already: number;
  /** Forwardings without a usable link (every link revoked or expired): no reminder, logged. */
  withoutLink: number;
  failed: number;
}

type Candidate = { _id: mongoose.Types.ObjectId; deadline: { dueDate: IsoDate; dueAt: Date } };

/**
 * Waiting forwardings due up to `horizonAt` (overdue ones included), by the index { status,
 * deadline.dueAt, _id }: one query per status, read to the end through the driver's cursor batches.
 * Only the id and deadline are projected (some 100 bytes each, so even tens of thousands fit easily);
 * paging by a keyset $or instead cost a range scan per page.
 */
async function candidates(horizonAt: Date): Promise<Candidate[]> {
  const found: Candidate[] = [];
  for (const status of AWAITING_AGENCY_STATUSES) {
    const rows = await ForwardingModel.find({ status, 'deadline.dueAt': trusted({ $lte: horizonAt }) }, { 'deadline.dueDate': 1, 'deadline.dueAt': 1 })
      .sort({ 'deadline.dueAt': 1, _id: 1 })
      .lean<Candidate[]>();
    found.push(...rows);
  }
  return found;
}

/** Which of these outbox keys exist already. */
async function existingKeys(keys: string[]): Promise<Set<string>> {
  const existing = new Set<string>();
  for (let i = 0; i < keys.length; i += 1000) {
    const rows = await OutboxMessageModel.find({ key: trusted({ $in: keys.slice(i, i + 1000) }) }, { key: 1, _id: 0 }).lean<{ key: string }[]>();
    for (const row of rows) existing.add(row.key);
  }
  return existing;
}

function reminderData(reminder: DueReminder) {
  return { reminderKind: reminder.kind, sequence: reminder.sequence, escalated: reminder.escalate, workingDays: reminder.workingDays };
}

/** The office's leaders, copied on an escalated reminder. */
async function leaders(session: ClientSession): Promise<{ email: string; name: string }[]> {
  return UserModel.find({ role: 'leader', disabled: false }, { email: 1, name: 1, _id: 0 }).session(session).lean<{ email: string; name: string }[]>();
}

type Outcome = 'queued' | 'already' | 'stale' | 'without-link';

async function remindOne(id: mongoose.Types.ObjectId, dueDate: IsoDate, reminder: DueReminder, now: Date): Promise<Outcome> {
  const key = reminderKey(String(id), reminder, dueDate);
  try {
    return await inTransaction(async (session): Promise<Outcome> => {
      const forwarding = await ForwardingModel.findById(id).session(session).lean<Forwarding>();
      // Answered, closed or extended since the candidates were read: the next scan sees it as it is.
      // A suspended deadline is not running: nothing is owed until the suspension ends and moves it.
      if (!forwarding || !AWAITING_AGENCY_STATUSES.includes(forwarding.status) || forwarding.deadline?.dueDate !== dueDate || forwarding.suspension) return 'stale';
      if (await OutboxMessageModel.exists({ key }).session(session)) return 'already';
      const linkId = await linkForFollowUp(forwarding, SYSTEM_ACTOR.id, now, session);
      if (!linkId) return 'without-link';
      await emailAgency(forwarding, linkId, REMINDER_TEMPLATE, key, SYSTEM_ACTOR.id, now, session, {
        extra: reminderData(reminder),
        ...(reminder.escalate ? { escalate: { leaders: await leaders(session) } } : {}),
      });
      await recordForwardingEvent(
        forwarding,
        { id: SYSTEM_ACTOR.id, name: SYSTEM_ACTOR.name },
        'forwarding.reminded',
        { kind: reminder.kind, sequence: reminder.sequence, due: dueDate, escalated: reminder.escalate },
        now,
        session,
      );
      return 'queued';
    });
  } catch (err) {
    // Another scan queued the same reminder at the same moment; its transaction won.
    if (isDuplicateKeyError(err)) return 'already';
    throw err;
  }
}

async function calendarFor(today: IsoDate, earliest: IsoDate | null): Promise<WorkingCalendar> {
  const year = Number(today.slice(0, 4));
  const from = earliest ? Math.min(Number(earliest.slice(0, 4)), year - 1) : year - 1;
  return loadWorkingCalendar(from, year + 2);
}

/** Queues the reminders due at `now` (see reminders.rules.ts). Safe to run any number of times, anywhere. */
export async function scanReminders(now: Date, options: { logger?: Logger; policy?: ReminderPolicy } = {}): Promise<ReminderScanSummary> {
  const today = vietnamDateOf(now);
  const policy = options.policy ?? (await getReminderPolicy());
  let calendar = await calendarFor(today, null);
  const summary: ReminderScanSummary = { date: today, workingDay: false, considered: 0, queued: 0, already: 0, withoutLink: 0, failed: 0 };
  // Nothing is due on a non-working day (reminderDueOn says so too; this saves the queries).
  if (!isWorkingDay(today, calendar)) return summary;
  summary.workingDay = true;
  const found = await candidates(endOfVietnamDay(reminderHorizon(policy, today, calendar)));
  summary.considered = found.length;
  const earliest = found.reduce<IsoDate | null>((min, c) => (min === null || c.deadline.dueDate < min ? c.deadline.dueDate : min), null);
  if (earliest && Number(earliest.slice(0, 4)) < Number(today.slice(0, 4)) - 1) calendar = await calendarFor(today, earliest);

  const due = found.flatMap((candidate) => {
    const reminder = reminderDueOn(policy, candidate.deadline.dueDate, today, calendar);
    return reminder ? [{ candidate, reminder, key: reminderKey(String(candidate._id), reminder, candidate.deadline.dueDate) }] : [];
  });
  // Reminders queued by an earlier run are found with one lookup per batch instead of a transaction
  // each, so the scans after the first of the day cost a few queries (remindOne checks again inside).
  const queuedBefore = await existingKeys(due.map((d) => d.key));
  for (const { candidate, reminder, key } of due) {
    if (queuedBefore.has(key)) {
      summary.already++;
      continue;
    }
    try {
      const outcome = await remindOne(candidate._id, candidate.deadline.dueDate, reminder, now);
      if (outcome === 'queued') summary.queued++;
      else if (outcome === 'already') summary.already++;
      else if (outcome === 'without-link') {
        summary.withoutLink++;
        options.logger?.warn({ forwardingId: String(candidate._id) }, 'no live agency link: reminder not sent (issue a new link from the forwarding page)');
      }
    } catch (err) {
      summary.failed++;
      options.logger?.error({ err, forwardingId: String(candidate._id) }, 'reminder failed');
    }
  }
  if (summary.queued > 0) options.logger?.info(summary, 'reminders queued');
  return summary;
}
