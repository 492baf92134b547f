// The sending window against the stored working calendar (holidays, days off, make-up working days).
import { loadWorkingCalendar, vietnamDateOf, type WorkingCalendar } from '../calendar/index.js';
import { isWithinWindow, nextWindowStart, parseSendingWindow, type SendingWindow } from './sending-window.rules.js';

export interface WindowState {
  open: boolean;
  /** When it next opens (now, when open); null if it never does within a year. */
  nextOpen: Date | null;
}

/** Loads the calendar of the year of `now` and the next, cached briefly (a sender asks every few seconds). */
export class SendingCalendar {
  private cached: { year: number; loadedAt: number; calendar: WorkingCalendar } | null = null;

  constructor(private readonly maxAgeMs = 5 * 60_000) {}

  async forInstant(now: Date): Promise<WorkingCalendar> {
    const year = Number(vietnamDateOf(now).slice(0, 4));
    if (!this.cached || this.cached.year !== year || Date.now() - this.cached.loadedAt > this.maxAgeMs) {
      this.cached = { year, loadedAt: Date.now(), calendar: await loadWorkingCalendar(year, year + 1) };
    }
    return this.cached.calendar;
  }
}

export async function windowState(window: SendingWindow | string, now: Date, calendars: SendingCalendar = new SendingCalendar(0)): Promise<WindowState> {
  const parsed = typeof window === 'string' ? parseSendingWindow(window) : window;
  if (parsed.always) return { open: true, nextOpen: now };
  const calendar = await calendars.forInstant(now);
  return { open: isWithinWindow(now, parsed, calendar), nextOpen: nextWindowStart(now, parsed, calendar) };
}
