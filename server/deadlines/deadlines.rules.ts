// Deadline rules as plain data, and the arithmetic on the deadlines they produce: no database, no
// clock. The working-day calendar is passed in (loadWorkingCalendar builds it from the admin-edited
// special days), so each rule of DOMAIN.md is tested here with tables of dates.
//
// Conventions, on top of server/calendar/working-days.rules.ts (the day of the start event is not
// counted; a calendar-day period whose last day is not a working day ends on the next working day):
//  - a negative number of days counts BACK from the event ("7 working days before the meeting"). A
//    calendar-day "before" deadline whose last day is not a working day moves to the previous working
//    day, never the next: moving it later would leave less time than the rule demands;
//  - a variant (complex, remote area, both) replaces the rule's duration; the extension variants
//    (extension-1, extension-2) are the lengths of the first and second extension, applied later with
//    extendDeadline to a deadline already stored;
//  - an extension adds its days after the current due date, in the rule's day type (a calendar-day
//    extension whose last day is not a working day again moves to the next working day);
//  - a suspension (tạm đình chỉ) from `from` to `to`, both days included, stops the clock: the
//    suspended days that fall inside the running period are added back. For a calendar-day rule that
//    is every suspended day, counted from the period's own last day (before any move to a working
//    day); for a working-day rule it is the WORKING days within the suspension, counted on from the
//    current due date, so a suspension over a weekend or Tết gives back only the working days lost.
import {
  addCalendarDays,
  addWorkingDays,
  computeDeadline,
  endOfVietnamDay,
  isIsoDate,
  isWorkingDay,
  vietnamDateOf,
  MAX_DEADLINE_DAYS,
  type DayType,
  type IsoDate,
  type WorkingCalendar,
} from '../calendar/index.js';

export const START_EVENTS = ['received', 'accepted', 'forwarded', 'session-opens', 'session-closes', 'meeting-date', 'received-by-ministry'] as const;
export type StartEvent = (typeof START_EVENTS)[number];

/** Events a rule counts back from: its days are negative. */
export const BEFORE_EVENTS: readonly StartEvent[] = ['session-opens', 'meeting-date'];

export const DURATION_VARIANTS = ['complex', 'remote', 'remote-complex'] as const;
export const EXTENSION_VARIANTS = ['extension-1', 'extension-2'] as const;
export const VARIANT_KEYS = [...DURATION_VARIANTS, ...EXTENSION_VARIANTS] as const;
export type VariantKey = (typeof VARIANT_KEYS)[number];
export type DurationVariant = (typeof DURATION_VARIANTS)[number];

export const CONFIDENCE_LEVELS = ['confirmed', 'verify', 'configure'] as const;
export type Confidence = (typeof CONFIDENCE_LEVELS)[number];

export const DAY_TYPES = ['working', 'calendar'] as const;

/** The rules the application itself asks for by key; the seed ships every one of them. */
export const RULE_KEYS = [
  'letter-handling',
  'complaint-acceptance',
  'complaint-first-round',
  'complaint-second-round',
  'denunciation-initial',
  'denunciation-notify',
  'denunciation-resolution',
  'voter-petitions-compile-before',
  'voter-petitions-compile-after',
  'voter-meeting-press-notice',
  'voter-petition-central-answer',
  'voter-petition-local-answer',
  'agency-answer',
] as const;
export type RuleKey = (typeof RULE_KEYS)[number];

export interface RuleVariant {
  key: VariantKey;
  days: number;
}

/** What the arithmetic needs to know about a rule. */
export interface RuleForCompute {
  key: string;
  name: string;
  startEvent: StartEvent;
  days: number;
  dayType: DayType;
  variants: readonly RuleVariant[];
  basis: string;
}

/**
 * The official document a change rests on. Older changes (and callers without one) carry only the
 * free text `document`; changes recorded through the forwarding forms carry the number and the date
 * as typed, so the explanation can cite them in either language.
 */
export interface ChangeDocument {
  /** The decision or letter that granted it, as free text (may be empty). */
  document: string;
  /** Its number as written on it, e.g. "12/CV-UBND". */
  documentNumber?: string | null;
  /** Its date, 'YYYY-MM-DD'. */
  documentDate?: IsoDate | null;
}

export interface ExtensionChange extends ChangeDocument {
  kind: 'extension';
  days: number;
  reason: string;
}

export interface SuspensionChange extends ChangeDocument {
  kind: 'suspension';
  from: IsoDate;
  to: IsoDate;
  /** The days given back: calendar days or working days, as the rule counts. */
  days: number;
  reason: string;
}

export type DeadlineAdjustment = ExtensionChange | SuspensionChange;

/** A computed deadline as it is stored in the record it belongs to, with how it was computed. */
export interface StoredDeadline {
  rule: string;
  ruleName: string;
  startEvent: string;
  startDate: IsoDate;
  /** The duration used: the rule's, or its variant's; negative for "before" rules. */
  days: number;
  dayType: DayType;
  dueDate: IsoDate;
  /** The end of the due date in Vietnam (23:59:59.999 +07:00). */
  dueAt: Date;
  /** Non-working dates passed over while counting, including for extensions and suspensions. */
  skipped: IsoDate[];
  /** When the last day was not a working day and the deadline moved: that last day; otherwise null. */
  movedFrom: IsoDate | null;
  basis: string;
  variant: DurationVariant | null;
  /** Extensions and suspensions applied since the deadline was first computed, in order. */
  adjustments: DeadlineAdjustment[];
}

/** The deadline a change replaced, kept in the record's history together with that change. */
export type HistoricDeadline = StoredDeadline & { replacedBy: DeadlineAdjustment };

export interface DeadlineChangeResult {
  next: StoredDeadline;
  history: HistoricDeadline;
}

/** Input a rule cannot be applied to; the message names what is wrong (the service maps it to a form error). */
export class DeadlineRuleError extends RangeError {
  constructor(
    readonly problem: 'variant' | 'days' | 'span' | 'before-rule' | 'date',
    message: string,
  ) {
    super(message);
    this.name = 'DeadlineRuleError';
  }
}

export function isDurationVariant(value: unknown): value is DurationVariant {
  return typeof value === 'string' && (DURATION_VARIANTS as readonly string[]).includes(value);
}

export function isBeforeEvent(event: string): boolean {
  return (BEFORE_EVENTS as readonly string[]).includes(event);
}

/** The days of a rule, or of one of its duration variants. */
export function durationOf(rule: Pick<RuleForCompute, 'key' | 'days' | 'variants'>, variant: string | null | undefined): number {
  if (!variant) return rule.days;
  if (!isDurationVariant(variant)) throw new DeadlineRuleError('variant', `"${variant}" is not a duration variant (extensions are applied with extendDeadline)`);
  const found = rule.variants.find((v) => v.key === variant);
  if (!found) throw new DeadlineRuleError('variant', `rule ${rule.key} has no variant "${variant}"`);
  return found.days;
}

/** The length of a rule's first or second extension, or null when the rule has none. */
export function extensionDaysOf(rule: Pick<RuleForCompute, 'variants'>, which: 1 | 2): number | null {
  return rule.variants.find((v) => v.key === `extension-${which}`)?.days ?? null;
}

function dayNumber(date: IsoDate): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d) / 86_400_000;
}

/** Non-working dates strictly after `after` up to and including `until`. */
function nonWorkingBetween(after: IsoDate, until: IsoDate, cal: WorkingCalendar): IsoDate[] {
  const days: IsoDate[] = [];
  for (let day = addCalendarDays(after, 1); day <= until; day = addCalendarDays(day, 1)) if (!isWorkingDay(day, cal)) days.push(day);
  return days;
}

/** Working days from `from` to `to`, both included. */
function workingDaysWithin(from: IsoDate, to: IsoDate, cal: WorkingCalendar): number {
  let count = 0;
  for (let day = from; day <= to; day = addCalendarDays(day, 1)) if (isWorkingDay(day, cal)) count++;
  return count;
}

/** `date` if it is a working day, else the nearest working day in the direction `step`, with the days passed over. */
function toWorkingDay(date: IsoDate, step: 1 | -1, cal: WorkingCalendar): { date: IsoDate; passed: IsoDate[] } {
  const passed: IsoDate[] = [];
  let day = date;
  while (!isWorkingDay(day, cal)) {
    if (passed.length > MAX_DEADLINE_DAYS) throw new DeadlineRuleError('days', `no working day near ${date}`);
    passed.push(day);
    day = addCalendarDays(day, step);
  }
  return { date: day, passed };
}

function assertDays(days: number, what: string): void {
  if (!Number.isInteger(days) || Math.abs(days) > MAX_DEADLINE_DAYS) throw new DeadlineRuleError('days', `${what} must be a whole number of days within ±${MAX_DEADLINE_DAYS}: ${days}`);
}

/** A deadline counted back from the event (days < 0): the event day is not counted, nor moved past. */
function countBack(startDate: IsoDate, days: number, dayType: DayType, cal: WorkingCalendar): Pick<StoredDeadline, 'dueDate' | 'skipped' | 'movedFrom'> {
  if (dayType === 'working') {
    const dueDate = addWorkingDays(startDate, days, cal);
    return { dueDate, skipped: nonWorkingBetween(dueDate, addCalendarDays(startDate, -1), cal).reverse(), movedFrom: null };
  }
  const lastDay = addCalendarDays(startDate, days);
  const moved = toWorkingDay(lastDay, -1, cal);
  return { dueDate: moved.date, skipped: moved.passed, movedFrom: moved.date === lastDay ? null : lastDay };
}

/**
 * The deadline a rule gives for a start instant, optionally with a duration variant, against the
 * given calendar. Forward periods use the calendar module's computeDeadline; "before" periods count back.
 */
export function deadlineFromRule(rule: RuleForCompute, input: { startAt: Date; variant?: string | null }, cal: WorkingCalendar): StoredDeadline {
  const days = durationOf(rule, input.variant);
  assertDays(days, `rule ${rule.key}`);
  const base = { rule: rule.key, ruleName: rule.name, startEvent: rule.startEvent, days, dayType: rule.dayType, basis: rule.basis, variant: input.variant ? (input.variant as DurationVariant) : null, adjustments: [] };
  if (days >= 0) {
    const d = computeDeadline({ startAt: input.startAt, days, dayType: rule.dayType, startEvent: rule.startEvent }, cal);
    return { ...base, startDate: d.startDate, dueDate: d.dueDate, dueAt: d.dueAt, skipped: [...d.skipped], movedFrom: d.movedFrom };
  }
  const startDate = vietnamDateOf(input.startAt);
  const back = countBack(startDate, days, rule.dayType, cal);
  return { ...base, startDate, ...back, dueAt: endOfVietnamDay(back.dueDate) };
}

function assertForward(current: StoredDeadline, what: string): void {
  if (current.days < 0) throw new DeadlineRuleError('before-rule', `a deadline counted back from its event cannot be given ${what}`);
}

function withNewEnd(current: StoredDeadline, change: DeadlineAdjustment, end: { dueDate: IsoDate; skipped: IsoDate[]; movedFrom: IsoDate | null }): DeadlineChangeResult {
  const next: StoredDeadline = {
    ...current,
    dueDate: end.dueDate,
    dueAt: endOfVietnamDay(end.dueDate),
    skipped: [...current.skipped, ...end.skipped],
    movedFrom: end.movedFrom,
    adjustments: [...current.adjustments, change],
  };
  return { next, history: { ...current, skipped: [...current.skipped], adjustments: [...current.adjustments], replacedBy: change } };
}

/** The number and date of a change's document, only when it has them (older changes stay as they were). */
function documentRef(change: Partial<ChangeDocument>): Pick<ChangeDocument, 'documentNumber' | 'documentDate'> {
  return change.documentNumber ? { documentNumber: change.documentNumber, documentDate: change.documentDate ?? null } : {};
}

/** Counts `days` on from `from` (not counted) in the rule's day type; a calendar count ends on a working day. */
function countOn(from: IsoDate, days: number, dayType: DayType, cal: WorkingCalendar): { dueDate: IsoDate; skipped: IsoDate[]; movedFrom: IsoDate | null } {
  if (dayType === 'working') {
    const dueDate = addWorkingDays(from, days, cal);
    return { dueDate, skipped: nonWorkingBetween(from, dueDate, cal), movedFrom: null };
  }
  const lastDay = addCalendarDays(from, days);
  const moved = toWorkingDay(lastDay, 1, cal);
  return { dueDate: moved.date, skipped: moved.passed, movedFrom: moved.date === lastDay ? null : lastDay };
}

/** An extension: `days` more after the current due date. Returns the new deadline and the old one for the history. */
export function extendDeadline(current: StoredDeadline, change: Omit<ExtensionChange, 'kind'> & { kind?: 'extension' }, cal: WorkingCalendar): DeadlineChangeResult {
  assertForward(current, 'an extension');
  if (!Number.isInteger(change.days) || change.days < 1 || change.days > MAX_DEADLINE_DAYS) throw new DeadlineRuleError('days', `an extension is a whole number of days from 1 to ${MAX_DEADLINE_DAYS}: ${change.days}`);
  const adjustment: ExtensionChange = { kind: 'extension', days: change.days, reason: change.reason, document: change.document, ...documentRef(change) };
  return withNewEnd(current, adjustment, countOn(current.dueDate, change.days, current.dayType, cal));
}

/**
 * A suspension from `from` to `to` (both included): the suspended days inside the running period are
 * given back (see the conventions at the top of this file). It must start before the deadline has
 * passed, and end on or after the day it starts.
 */
export function suspendDeadline(
  current: StoredDeadline,
  span: { from: IsoDate; to: IsoDate; reason?: string } & Partial<ChangeDocument>,
  cal: WorkingCalendar,
): DeadlineChangeResult {
  assertForward(current, 'a suspension');
  if (!isIsoDate(span.from) || !isIsoDate(span.to)) throw new DeadlineRuleError('date', 'a suspension needs two dates (YYYY-MM-DD)');
  if (span.from > span.to) throw new DeadlineRuleError('span', 'a suspension ends before it starts');
  if (span.from > current.dueDate) throw new DeadlineRuleError('span', 'a suspension must start on or before the due date');
  // The start day itself is never counted, so a suspension from that day loses nothing on it.
  const firstCounted = addCalendarDays(current.startDate, 1);
  const from = span.from > firstCounted ? span.from : firstCounted;
  if (from > span.to) throw new DeadlineRuleError('span', 'a suspension must overlap the running period');
  const common = { kind: 'suspension' as const, from: span.from, to: span.to, reason: span.reason ?? '', document: span.document ?? '', ...documentRef(span) };
  if (current.dayType === 'working') {
    const lost = workingDaysWithin(from, span.to, cal);
    const end = lost > 0 ? countOn(current.dueDate, lost, 'working', cal) : { dueDate: current.dueDate, skipped: [], movedFrom: current.movedFrom };
    return withNewEnd(current, { ...common, days: lost }, end);
  }
  const lost = dayNumber(span.to) - dayNumber(from) + 1;
  return withNewEnd(current, { ...common, days: lost }, countOn(current.movedFrom ?? current.dueDate, lost, 'calendar', cal));
}

/** Sign rules of a rule's days: "before" events count back (days < 0), every other event forward (days > 0). */
export function daysProblem(startEvent: string, days: number): 'deadlines.errors.daysBefore' | 'deadlines.errors.daysAfter' | 'deadlines.errors.daysRange' | null {
  if (!Number.isInteger(days) || Math.abs(days) > MAX_DEADLINE_DAYS) return 'deadlines.errors.daysRange';
  if (isBeforeEvent(startEvent)) return days < 0 ? null : 'deadlines.errors.daysBefore';
  return days > 0 ? null : 'deadlines.errors.daysAfter';
}
