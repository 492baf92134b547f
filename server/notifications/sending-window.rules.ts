// When mail may leave the office: on sending days (the configured weekdays, minus holidays and decreed
// days off, plus decreed make-up working days) between two times of day, Vietnam time. Pure functions
// over plain data; the working calendar is passed in (loadWorkingCalendar).
//
// The end of the window is exclusive: with "Mon-Fri 07:30-17:00", 16:59:59 is inside and 17:00 is
// the start of the wait for the next morning.
import { TZDate } from '@date-fns/tz';
import { addCalendarDays, vietnamDateOf, type IsoDate, type WorkingCalendar } from '../calendar/index.js';
import { OFFICE_TIME_ZONE } from '../platform/dates.js';

export interface SendingWindow {
  /** No restriction at all: mail leaves whenever it is due (holidays included). */
  always: boolean;
  /** Weekdays that are sending days, 0 = Sunday … 6 = Saturday. */
  days: ReadonlySet<number>;
  /** Minutes after midnight, Vietnam time: opens at `startMinute`, closes at `endMinute`. */
  startMinute: number;
  endMinute: number;
}

export const ALWAYS_OPEN: SendingWindow = { always: true, days: new Set([0, 1, 2, 3, 4, 5, 6]), startMinute: 0, endMinute: 24 * 60 };

const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
/** How far ahead to look for an opening before deciding the window never opens. */
const MAX_LOOKAHEAD_DAYS = 400;

function dayIndex(name: string): number {
  const index = (DAY_NAMES as readonly string[]).indexOf(name.toLowerCase());
  if (index < 0) throw new RangeError(`unknown day '${name}' (use Mon, Tue, Wed, Thu, Fri, Sat, Sun)`);
  return index;
}

function minuteOf(hhmm: string): number {
  const m = /^(\d{2}):(\d{2})$/.exec(hhmm);
  const minutes = m ? Number(m[1]) * 60 + Number(m[2]) : NaN;
  if (!m || Number(m[2]) > 59 || minutes > 24 * 60) throw new RangeError(`not a time of day (HH:MM): '${hhmm}'`);
  return minutes;
}

/**
 * Reads "always" or "<days> HH:MM-HH:MM", where <days> is a comma-separated list of days and ranges:
 * "Mon-Fri", "Mon,Wed,Fri", "Mon-Fri,Sat", "Sat-Mon" (a range may wrap past Sunday). Throws a
 * RangeError that says what is wrong (config.ts checks the same grammar at start-up).
 */
export function parseSendingWindow(spec: string): SendingWindow {
  const text = spec.trim();
  if (text.toLowerCase() === 'always') return ALWAYS_OPEN;
  const [daysPart, hoursPart, ...rest] = text.split(/\s+/);
  if (!daysPart || !hoursPart || rest.length > 0) throw new RangeError(`a sending window looks like "Mon-Fri 07:30-17:00", not '${spec}'`);
  const days = new Set<number>();
  for (const item of daysPart.split(',')) {
    const [from, to, extra] = item.split('-');
    if (!from || extra !== undefined) throw new RangeError(`bad days '${item}'`);
    const first = dayIndex(from);
    const last = to === undefined ? first : dayIndex(to);
    for (let d = first; ; d = (d + 1) % 7) {
      days.add(d);
      if (d === last) break;
    }
  }
  const [start, end, more] = hoursPart.split('-');
  if (!start || !end || more !== undefined) throw new RangeError(`bad hours '${hoursPart}'`);
  const startMinute = minuteOf(start);
  const endMinute = minuteOf(end);
  if (startMinute >= endMinute) throw new RangeError(`the window must end after it starts: '${hoursPart}'`);
  return { always: false, days, startMinute, endMinute };
}

function weekdayOf(date: IsoDate): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

/** A sending day: a decreed make-up working day, or a window weekday that is not a holiday or day off. */
export function isSendingDay(date: IsoDate, window: SendingWindow, cal: WorkingCalendar): boolean {
  if (window.always) return true;
  if (cal.nonWorking.has(date)) return false;
  if (cal.makeupWorkdays.has(date)) return true;
  return window.days.has(weekdayOf(date));
}

function minuteOfDay(now: Date): number {
  const zoned = new TZDate(now.getTime(), OFFICE_TIME_ZONE);
  return zoned.getHours() * 60 + zoned.getMinutes();
}

function instantAt(date: IsoDate, minute: number): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(new TZDate(y, m - 1, d, Math.floor(minute / 60), minute % 60, 0, 0, OFFICE_TIME_ZONE).getTime());
}

export function isWithinWindow(now: Date, window: SendingWindow, cal: WorkingCalendar): boolean {
  if (window.always) return true;
  const minute = minuteOfDay(now);
  return isSendingDay(vietnamDateOf(now), window, cal) && minute >= window.startMinute && minute < window.endMinute;
}

/**
 * `now` when the window is open, otherwise the instant it next opens; null when it does not open
 * within a year (a window whose every day is a holiday: a configuration mistake worth showing).
 */
export function nextWindowStart(now: Date, window: SendingWindow, cal: WorkingCalendar): Date | null {
  if (isWithinWindow(now, window, cal)) return now;
  const today = vietnamDateOf(now);
  if (isSendingDay(today, window, cal) && minuteOfDay(now) < window.startMinute) return instantAt(today, window.startMinute);
  for (let i = 1; i <= MAX_LOOKAHEAD_DAYS; i++) {
    const date = addCalendarDays(today, i);
    if (isSendingDay(date, window, cal)) return instantAt(date, window.startMinute);
  }
  return null;
}
