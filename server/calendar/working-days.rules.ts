// Working-day and deadline arithmetic over plain data: no database, no clock, no I/O. The calendar is
// passed in (built by loadWorkingCalendar from the admin-editable special days), so every rule here
// is checked with tables of cases and property tests.
//
// Counting convention (Bộ luật Dân sự 2015, Điều 147–148):
//  - the day of the start event is not counted: the period begins on the next day (Đ.147 k.1);
//  - the start day is the Vietnam calendar date of the start instant (23:30 UTC is already the next
//    day in Asia/Ho_Chi_Minh);
//  - working-day rules count only working days: Monday–Friday that are not holidays or decreed days
//    off, plus decreed make-up working days (usually a Saturday);
//  - calendar-day rules count every day, and when the last day is a weekend day, holiday or day off,
//    the period ends at the end of the next working day (Đ.148 k.5). This extension is the parameter
//    `extendToWorkingDay`, true unless a rule says otherwise;
//  - a deadline ends at 23:59:59.999 Vietnam time on its due date.
import { TZDate } from '@date-fns/tz';
import { OFFICE_TIME_ZONE } from '../platform/dates.js';

/** A calendar date in the office's time zone, 'YYYY-MM-DD'. */
export type IsoDate = string;
export type DayType = 'working' | 'calendar';

export interface WorkingCalendar {
  /** Holidays and decreed days off (on any weekday). */
  nonWorking: ReadonlySet<string>;
  /** Decreed make-up working days: weekend days that are working days. */
  makeupWorkdays: ReadonlySet<string>;
}

export interface DeadlineRule {
  startAt: Date;
  days: number;
  dayType: DayType;
  /** What started the clock, as stored with the deadline (e.g. "nhận đơn" or an event code). */
  startEvent: string;
  /** Move a last day that is not a working day to the next working day (default true, BLDS Đ.148 k.5). */
  extendToWorkingDay?: boolean;
}

export interface Deadline {
  startDate: IsoDate;
  days: number;
  dayType: DayType;
  startEvent: string;
  dueDate: IsoDate;
  /** The end of the due date in Vietnam time (23:59:59.999 +07:00), as an instant. */
  dueAt: Date;
  /** Non-working dates jumped over while counting (and, for calendar-day rules, the ones the end was moved past). */
  skipped: IsoDate[];
  /** For a calendar-day rule whose last day was not a working day: that last day; otherwise null. */
  movedFrom: IsoDate | null;
}

/** Longest period a rule may have, and the farthest a count may walk before giving up (a calendar with no working days). */
export const MAX_DEADLINE_DAYS = 3660;
const MAX_WALK_DAYS = 40_000;
const DAY_MS = 86_400_000;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real date written 'YYYY-MM-DD' (so '2026-02-30' is false). */
export function isIsoDate(value: unknown): value is IsoDate {
  if (typeof value !== 'string') return false;
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d && y >= 1900 && y <= 2999;
}

function assertIsoDate(value: string): void {
  if (!isIsoDate(value)) throw new RangeError(`not a date (YYYY-MM-DD): ${String(value)}`);
}

// Day arithmetic on UTC midnights: dates here are calendar labels, not instants, so no zone applies.
function toDayNumber(date: IsoDate): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d) / DAY_MS;
}

function fromDayNumber(day: number): IsoDate {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekdayOf(date: IsoDate): number {
  return new Date(toDayNumber(date) * DAY_MS).getUTCDay();
}

export function isWeekend(date: IsoDate): boolean {
  const day = weekdayOf(date);
  return day === 0 || day === 6;
}

/**
 * A working day: not a holiday or decreed day off, and either a weekday or a decreed make-up working
 * day. A date listed as both non-working and make-up (which the calendar's unique dates prevent)
 * counts as non-working.
 */
export function isWorkingDay(date: IsoDate, cal: WorkingCalendar): boolean {
  assertIsoDate(date);
  if (cal.nonWorking.has(date)) return false;
  if (cal.makeupWorkdays.has(date)) return true;
  return !isWeekend(date);
}

export function addCalendarDays(start: IsoDate, n: number): IsoDate {
  assertIsoDate(start);
  if (!Number.isInteger(n)) throw new RangeError(`not a whole number of days: ${n}`);
  return fromDayNumber(toDayNumber(start) + n);
}

/** Mondays to Fridays among the day numbers (a, b]. */
function weekdaysBetween(a: number, b: number): number {
  if (b <= a) return 0;
  const weeks = Math.floor((b - a) / 7);
  let count = weeks * 5;
  for (let day = a + weeks * 7 + 1; day <= b; day++) {
    const weekday = new Date(day * DAY_MS).getUTCDay();
    if (weekday !== 0 && weekday !== 6) count++;
  }
  return count;
}

/**
 * Working days in (from, to]: how many working days pass after `from` up to `to` (0 when to ≤ from).
 * Counted by arithmetic — the weekdays of the span, less the days off falling on weekdays, plus the
 * make-up weekend days — so a forwarding ten years overdue costs what a fresh one does (the reminder
 * scan counts this for every open forwarding, and walking day by day took a minute on ten years of data).
 */
export function workingDaysBetween(from: IsoDate, to: IsoDate, cal: WorkingCalendar): number {
  assertIsoDate(from);
  assertIsoDate(to);
  if (to <= from) return 0;
  const { days, sums } = adjustmentsOf(cal);
  return weekdaysBetween(toDayNumber(from), toDayNumber(to)) + sums[firstAfter(days, to)]! - sums[firstAfter(days, from)]!;
}

/**
 * What a calendar changes in the Monday–Friday count, by date: −1 for a weekday off, +1 for a make-up
 * weekend day, sorted, with running sums (sums[i]: the first i together). Worked out once per calendar
 * (calendars are never changed once loaded): the reminder scan counts for thirteen thousand
 * forwardings against ten years of holidays, and checking every holiday each time took most of it.
 */
const adjustmentCache = new WeakMap<WorkingCalendar, { days: IsoDate[]; sums: number[] }>();

function adjustmentsOf(cal: WorkingCalendar): { days: IsoDate[]; sums: number[] } {
  const cached = adjustmentCache.get(cal);
  if (cached) return cached;
  const changes: [IsoDate, number][] = [];
  for (const day of cal.nonWorking) if (isIsoDate(day) && !isWeekend(day)) changes.push([day, -1]);
  for (const day of cal.makeupWorkdays) if (isIsoDate(day) && isWeekend(day) && !cal.nonWorking.has(day)) changes.push([day, 1]);
  // ISO dates sort as strings in calendar order.
  changes.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const sums = [0];
  for (const [, change] of changes) sums.push(sums[sums.length - 1]! + change);
  const built = { days: changes.map(([day]) => day), sums };
  adjustmentCache.set(cal, built);
  return built;
}

/** The index of the first of the sorted days after `date` (days.length when none is). */
function firstAfter(days: readonly IsoDate[], date: IsoDate): number {
  let lo = 0;
  let hi = days.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (days[mid]! <= date) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

interface Walk {
  date: IsoDate;
  skipped: IsoDate[];
}

/** Steps day by day from `start` (not counted) until `n` working days have passed; backwards for n < 0. */
function walkWorkingDays(start: IsoDate, n: number, cal: WorkingCalendar): Walk {
  assertIsoDate(start);
  if (!Number.isInteger(n)) throw new RangeError(`not a whole number of days: ${n}`);
  const step = n < 0 ? -1 : 1;
  let remaining = Math.abs(n);
  let day = toDayNumber(start);
  const skipped: IsoDate[] = [];
  for (let walked = 0; remaining > 0; walked++) {
    if (walked > MAX_WALK_DAYS) throw new RangeError(`no ${Math.abs(n)} working days within ${MAX_WALK_DAYS} days of ${start}`);
    day += step;
    const date = fromDayNumber(day);
    if (isWorkingDay(date, cal)) remaining--;
    else skipped.push(date);
  }
  return { date: fromDayNumber(day), skipped };
}

/** The n-th working day after `start` (before it when n < 0); `start` itself is never counted. n = 0 gives `start`. */
export function addWorkingDays(start: IsoDate, n: number, cal: WorkingCalendar): IsoDate {
  return walkWorkingDays(start, n, cal).date;
}

/** `date` if it is a working day, else the first working day after it, with the days passed over. */
function nextWorkingDayFrom(date: IsoDate, cal: WorkingCalendar): Walk {
  const skipped: IsoDate[] = [];
  let current = date;
  while (!isWorkingDay(current, cal)) {
    if (skipped.length > MAX_WALK_DAYS) throw new RangeError(`no working day within ${MAX_WALK_DAYS} days of ${date}`);
    skipped.push(current);
    current = addCalendarDays(current, 1);
  }
  return { date: current, skipped };
}

/** The Vietnam calendar date of an instant. */
export function vietnamDateOf(instant: Date): IsoDate {
  if (Number.isNaN(instant.getTime())) throw new RangeError('invalid start instant');
  const zoned = new TZDate(instant.getTime(), OFFICE_TIME_ZONE);
  const pad = (v: number) => String(v).padStart(2, '0');
  return `${zoned.getFullYear()}-${pad(zoned.getMonth() + 1)}-${pad(zoned.getDate())}`;
}

/** 23:59:59.999 in Vietnam on `date`, as an instant. */
export function endOfVietnamDay(date: IsoDate): Date {
  assertIsoDate(date);
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(new TZDate(y, m - 1, d, 23, 59, 59, 999, OFFICE_TIME_ZONE).getTime());
}

export function computeDeadline(rule: DeadlineRule, cal: WorkingCalendar): Deadline {
  const { days, dayType } = rule;
  if (!Number.isInteger(days) || days < 0 || days > MAX_DEADLINE_DAYS) throw new RangeError(`deadline days must be a whole number from 0 to ${MAX_DEADLINE_DAYS}: ${days}`);
  if (dayType !== 'working' && dayType !== 'calendar') throw new RangeError(`unknown day type: ${String(dayType)}`);
  const extend = rule.extendToWorkingDay ?? true;
  const startDate = vietnamDateOf(rule.startAt);

  let dueDate: IsoDate;
  let skipped: IsoDate[] = [];
  let movedFrom: IsoDate | null = null;
  if (dayType === 'working' && days > 0) {
    ({ date: dueDate, skipped } = walkWorkingDays(startDate, days, cal));
  } else {
    // Calendar days, or a zero-day period: the last day is start + days; it moves on only when the
    // rule extends to a working day.
    const lastDay = addCalendarDays(startDate, days);
    dueDate = lastDay;
    if (extend) {
      const moved = nextWorkingDayFrom(lastDay, cal);
      if (moved.date !== lastDay) {
        dueDate = moved.date;
        skipped = moved.skipped;
        movedFrom = lastDay;
      }
    }
  }
  return { startDate, days, dayType, startEvent: rule.startEvent, dueDate, dueAt: endOfVietnamDay(dueDate), skipped, movedFrom };
}

/** dd/mm/yyyy for a 'YYYY-MM-DD' date. */
export function formatIsoDate(date: IsoDate): string {
  if (!isIsoDate(date)) return '';
  const [y, m, d] = date.split('-');
  return `${d}/${m}/${y}`;
}

/**
 * A date typed by a person: dd/mm/yyyy (d/m/yyyy, with / . or - between) or yyyy-mm-dd.
 * Returns 'YYYY-MM-DD', or null when it is not a real date.
 */
export function parseDateInput(text: string): IsoDate | null {
  const value = text.trim();
  let iso: string | null = null;
  const vn = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(value);
  if (vn) iso = `${vn[3]}-${vn[2]!.padStart(2, '0')}-${vn[1]!.padStart(2, '0')}`;
  else if (ISO_DATE.test(value)) iso = value;
  return iso && isIsoDate(iso) ? iso : null;
}

const EXPLAIN = {
  vi: {
    working: (n: number) => `${n} ngày làm việc`,
    calendar: (n: number) => `${n} ngày`,
    from: 'kể từ',
    due: 'hạn',
    skipped: (k: number) => `bỏ qua ${k} ngày nghỉ`,
    moved: (from: string) => `ngày cuối ${from} là ngày nghỉ nên chuyển sang ngày làm việc tiếp theo`,
  },
  en: {
    working: (n: number) => `${n} working ${n === 1 ? 'day' : 'days'}`,
    calendar: (n: number) => `${n} ${n === 1 ? 'day' : 'days'}`,
    from: 'from',
    due: 'due',
    skipped: (k: number) => `${k} non-working ${k === 1 ? 'day' : 'days'} skipped`,
    moved: (from: string) => `the last day, ${from}, is not a working day, so the deadline moves to the next working day`,
  },
} as const;

/**
 * How a deadline was computed, as one sentence, e.g.
 * "10 ngày làm việc kể từ 05/01/2026 (nhận đơn) → hạn 19/01/2026 (bỏ qua 4 ngày nghỉ)".
 * `eventLabel` replaces the stored start event when that is a code rather than words.
 */
export function explainDeadline(d: Deadline, lang: 'vi' | 'en', eventLabel: string = d.startEvent): string {
  const words = EXPLAIN[lang];
  const length = d.dayType === 'working' ? words.working(d.days) : words.calendar(d.days);
  const event = eventLabel ? ` (${eventLabel})` : '';
  let sentence = `${length} ${words.from} ${formatIsoDate(d.startDate)}${event} → ${words.due} ${formatIsoDate(d.dueDate)}`;
  if (d.movedFrom) sentence += ` (${words.moved(formatIsoDate(d.movedFrom))})`;
  else if (d.skipped.length > 0) sentence += ` (${words.skipped(d.skipped.length)})`;
  return sentence;
}
