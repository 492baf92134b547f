// Reads for the calendar pages: a year's special days in date order (at most a few dozen, read
// through the unique date index), and one day for its edit form.
import { trusted } from 'mongoose';
import { assertCan, type Actor } from '../access/index.js';
import { CalendarDayModel, type CalendarDay } from './calendar-day.model.js';
import { isIsoDate } from './working-days.rules.js';

export type SpecialDayRow = Pick<CalendarDay, 'date' | 'kind' | 'name' | 'basis' | 'source'>;

const ROW_FIELDS = { _id: 0, date: 1, kind: 1, name: 1, basis: 1, source: 1 } as const;

export async function listSpecialDays(actor: Actor, year: number): Promise<SpecialDayRow[]> {
  assertCan(actor, 'reference:manage');
  return CalendarDayModel.find({ date: trusted({ $gte: `${year}-01-01`, $lte: `${year}-12-31` }) }, ROW_FIELDS)
    .sort({ date: 1 })
    .limit(366)
    .lean<SpecialDayRow[]>();
}

export async function getSpecialDay(actor: Actor, date: string): Promise<SpecialDayRow | null> {
  assertCan(actor, 'reference:manage');
  if (!isIsoDate(date)) return null;
  return CalendarDayModel.findOne({ date }, ROW_FIELDS).lean<SpecialDayRow>();
}
