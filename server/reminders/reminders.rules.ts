// Pure rules of reminders: which reminder an agency is owed today for one deadline, the key that makes
// each reminder unique, and when the daily digest is due. No I/O; the working calendar is passed in.
//
// A forwarding's reminders follow its due date in phases, counted in working days:
//   before  — from `daysBefore` working days ahead until the last working day before the due date;
//   due     — on the due date (or, when the due date is not a working day, on the last working day
//             before it: the agency should hear about it while offices are open);
//   overdue — the first working day after the due date starts overdue reminder 1; every
//             `everyOverdue` working days after that starts the next one; those after `escalateAfter`
//             overdue reminders are escalated (copied to the agency's head and the office's leaders).
// A scan asks for the reminder of *today's* phase only: one that did not run for a week sends the
// current reminder, never the ones it missed. Nothing is due on a non-working day.
import { TZDate } from '@date-fns/tz';
import { addWorkingDays, isWorkingDay, vietnamDateOf, workingDaysBetween, type IsoDate, type WorkingCalendar } from '../calendar/index.js';
import { OFFICE_TIME_ZONE } from '../platform/dates.js';

export interface ReminderPolicy {
  /** Working days before the due date when the first reminder goes (0: none before the day). */
  daysBefore: number;
  /** A reminder on the due date itself. */
  onDueDay: boolean;
  /** Working days between two overdue reminders (≥ 1). */
  everyOverdue: number;
  /** Overdue reminders sent plainly before the following ones are escalated (≥ 1). */
  escalateAfter: number;
  /** The daily digest to officers and delegates. */
  digestEnabled: boolean;
  /** When the digest goes, 'HH:MM' Vietnam time, on working days. */
  digestTime: string;
  /** Receipt, forwarding and answer notices to citizens whose email is known (never for denunciations). */
  citizenNotices: boolean;
}

export const DEFAULT_REMINDER_POLICY: Readonly<ReminderPolicy> = Object.freeze({
  daysBefore: 3,
  onDueDay: true,
  everyOverdue: 5,
  escalateAfter: 2,
  digestEnabled: true,
  digestTime: '07:30',
  citizenNotices: true,
});

/** The admin form's bounds, shared by the schema and the checks below. */
export const POLICY_LIMITS = {
  daysBefore: { min: 0, max: 30 },
  everyOverdue: { min: 1, max: 60 },
  escalateAfter: { min: 1, max: 20 },
} as const;

export const REMINDER_KINDS = ['before', 'due', 'overdue'] as const;
export type ReminderKind = (typeof REMINDER_KINDS)[number];

export interface DueReminder {
  kind: ReminderKind;
  /** Overdue reminders only: 1, 2, 3 … (null before and on the day). */
  sequence: number | null;
  escalate: boolean;
  /** Working days left until the due date (before, due), or working days late (overdue). */
  workingDays: number;
}

export const TIME_OF_DAY = /^([01]\d|2[0-3]):[0-5]\d$/;

function assertPolicy(policy: ReminderPolicy): void {
  const whole = (v: number, limits: { min: number; max: number }) => Number.isInteger(v) && v >= limits.min && v <= limits.max;
  if (!whole(policy.daysBefore, POLICY_LIMITS.daysBefore) || !whole(policy.everyOverdue, POLICY_LIMITS.everyOverdue) || !whole(policy.escalateAfter, POLICY_LIMITS.escalateAfter)) {
    throw new RangeError(`reminder policy out of bounds: ${JSON.stringify(policy)}`);
  }
}

/** The reminder due today for a deadline ending on `dueDate`, or null (see the phases above). */
export function reminderDueOn(policy: ReminderPolicy, dueDate: IsoDate, today: IsoDate, cal: WorkingCalendar): DueReminder | null {
  assertPolicy(policy);
  if (!isWorkingDay(today, cal)) return null;
  if (today < dueDate) {
    const left = workingDaysBetween(today, dueDate, cal);
    // The due date is a holiday or weekend and today is the last working day before it: today is "the day".
    if (left === 0) return policy.onDueDay ? { kind: 'due', sequence: null, escalate: false, workingDays: 0 } : null;
    return left <= policy.daysBefore ? { kind: 'before', sequence: null, escalate: false, workingDays: left } : null;
  }
  if (today === dueDate) return policy.onDueDay ? { kind: 'due', sequence: null, escalate: false, workingDays: 0 } : null;
  const late = workingDaysBetween(dueDate, today, cal);
  const sequence = Math.floor((late - 1) / policy.everyOverdue) + 1;
  return { kind: 'overdue', sequence, escalate: sequence > policy.escalateAfter, workingDays: late };
}

/**
 * The outbox key of a reminder: 'reminder:<forwarding>:<kind>[-<sequence>]:<due date>'. The due date
 * is part of it, so an extended deadline gets fresh reminders and an unchanged one never two.
 */
export function reminderKey(forwardingId: string, reminder: Pick<DueReminder, 'kind' | 'sequence'>, dueDate: IsoDate): string {
  const kind = reminder.kind === 'overdue' ? `overdue-${reminder.sequence ?? 1}` : reminder.kind;
  return `reminder:${forwardingId}:${kind}:${dueDate}`;
}

/** The last day a reminder scan must look at: everything due up to `daysBefore` working days ahead. */
export function reminderHorizon(policy: Pick<ReminderPolicy, 'daysBefore'>, today: IsoDate, cal: WorkingCalendar): IsoDate {
  // At least the next working day: a due date on the holiday before it is reminded today.
  return addWorkingDays(today, Math.max(policy.daysBefore, 1), cal);
}

export function minuteOfTime(hhmm: string): number {
  if (!TIME_OF_DAY.test(hhmm)) throw new RangeError(`not a time of day (HH:MM): '${hhmm}'`);
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return h * 60 + m;
}

/** An instant: `date` at `minute` after midnight, Vietnam time. */
export function vietnamInstant(date: IsoDate, minute: number): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(new TZDate(y, m - 1, d, Math.floor(minute / 60), minute % 60, 0, 0, OFFICE_TIME_ZONE).getTime());
}

export interface DigestSlot {
  /** The Vietnam date the digest is for (part of its key). */
  date: IsoDate;
  /** Answers received since this instant count as new: the previous working day's digest time. */
  since: Date;
}

/** Today's digest slot when the digest is due now (a working day, at or after the policy's time), else null. */
export function digestSlot(now: Date, policy: Pick<ReminderPolicy, 'digestEnabled' | 'digestTime'>, cal: WorkingCalendar): DigestSlot | null {
  if (!policy.digestEnabled) return null;
  const today = vietnamDateOf(now);
  if (!isWorkingDay(today, cal)) return null;
  const minute = minuteOfTime(policy.digestTime);
  if (now.getTime() < vietnamInstant(today, minute).getTime()) return null;
  return { date: today, since: vietnamInstant(addWorkingDays(today, -1, cal), minute) };
}
