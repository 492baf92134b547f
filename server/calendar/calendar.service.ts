// Use cases of the working-day calendar: administrators add, change and remove special days (each
// change audited in the same transaction); start-up seeds the public holidays of the current and next
// year; other modules load the calendar and compute deadlines with it.
import { trusted } from 'mongoose';
import { assertCan, SYSTEM_ACTOR, type Actor } from '../access/index.js';
import { recordAudit } from '../audit/index.js';
import type { Clock } from '../platform/clock.js';
import type { ServiceContext } from '../platform/context.js';
import { inTransaction } from '../platform/db/transaction.js';
import { NotFoundError, ValidationError, isDuplicateKeyError } from '../platform/errors.js';
import { CalendarDayModel, CalendarSeedModel, type CalendarDay } from './calendar-day.model.js';
import type { SpecialDayInput } from './calendar.schemas.js';
import { holidaySeedFor } from './holiday-seed.js';
import {
  computeDeadline,
  isIsoDate,
  isWeekend,
  vietnamDateOf,
  type Deadline,
  type DeadlineRule,
  type WorkingCalendar,
} from './working-days.rules.js';

function auditContext(actor: Actor, ctx: ServiceContext) {
  return { at: ctx.clock.now(), actor, ip: ctx.ip, requestId: ctx.requestId };
}

/** Rules a special day must follow whatever the form: a make-up working day replaces a weekend day. */
function assertSensible(input: SpecialDayInput): void {
  if (input.kind === 'makeup-workday' && !isWeekend(input.date)) throw new ValidationError({ kind: 'calendar.errors.makeupOnWeekday' });
}

function pick(input: SpecialDayInput) {
  // Only these fields reach the database, whatever else the input carries.
  return { date: input.date, kind: input.kind, name: input.name, basis: input.basis };
}

async function findDayOrThrow(date: string): Promise<CalendarDay> {
  const day = isIsoDate(date) ? await CalendarDayModel.findOne({ date }).lean<CalendarDay>() : null;
  if (!day) throw new NotFoundError('calendar.errors.notFound');
  return day;
}

export async function createSpecialDay(actor: Actor, input: SpecialDayInput, ctx: ServiceContext): Promise<void> {
  assertCan(actor, 'reference:manage');
  assertSensible(input);
  try {
    await inTransaction(async (session) => {
      await CalendarDayModel.create([{ ...pick(input), source: 'admin' }], { session });
      await recordAudit({ action: 'calendar.day-created', ...auditContext(actor, ctx), target: { type: 'calendar-day', id: input.date }, details: pick(input) }, session);
    });
  } catch (err) {
    if (isDuplicateKeyError(err)) throw new ValidationError({ date: 'calendar.errors.dateTaken' });
    throw err;
  }
}

export async function updateSpecialDay(actor: Actor, date: string, input: SpecialDayInput, ctx: ServiceContext): Promise<void> {
  assertCan(actor, 'reference:manage');
  const day = await findDayOrThrow(date);
  assertSensible(input);
  const changes = pick(input);
  try {
    await inTransaction(async (session) => {
      await CalendarDayModel.updateOne({ _id: day._id }, { $set: { ...changes, source: 'admin' } }, { session });
      await recordAudit(
        {
          action: 'calendar.day-updated',
          ...auditContext(actor, ctx),
          target: { type: 'calendar-day', id: input.date },
          details: { before: { date: day.date, kind: day.kind, name: day.name, basis: day.basis }, after: changes },
        },
        session,
      );
    });
  } catch (err) {
    if (isDuplicateKeyError(err)) throw new ValidationError({ date: 'calendar.errors.dateTaken' });
    throw err;
  }
}

export async function deleteSpecialDay(actor: Actor, date: string, ctx: ServiceContext): Promise<void> {
  assertCan(actor, 'reference:manage');
  const day = await findDayOrThrow(date);
  await inTransaction(async (session) => {
    await CalendarDayModel.deleteOne({ _id: day._id }, { session });
    await recordAudit(
      { action: 'calendar.day-deleted', ...auditContext(actor, ctx), target: { type: 'calendar-day', id: day.date }, details: { kind: day.kind, name: day.name, basis: day.basis } },
      session,
    );
  });
}

export interface CalendarSeedResult {
  years: number[];
  inserted: number;
}

/**
 * Seeds the public holidays of the clock's current and next year. Idempotent and safe to run from
 * several instances at once: a year is seeded only once (recorded in calendar_seeds), and only dates
 * with no entry are inserted, so an administrator's edits and deletions always win.
 */
export async function seedCalendar(clock: Clock): Promise<CalendarSeedResult> {
  const thisYear = Number(vietnamDateOf(clock.now()).slice(0, 4));
  const result: CalendarSeedResult = { years: [], inserted: 0 };
  for (const year of [thisYear, thisYear + 1]) {
    if (await CalendarSeedModel.exists({ _id: year })) continue;
    const days = holidaySeedFor(year);
    const inserted = await inTransaction(async (session) => {
      let count = 0;
      for (const day of days) {
        const res = await CalendarDayModel.updateOne({ date: day.date }, { $setOnInsert: { ...day, source: 'seed' } }, { upsert: true, session });
        count += res.upsertedCount;
      }
      const marked = await CalendarSeedModel.updateOne({ _id: year }, { $setOnInsert: { seededAt: clock.now(), inserted: count } }, { upsert: true, session });
      if (marked.upsertedCount > 0) {
        await recordAudit({ action: 'calendar.seeded', at: clock.now(), actor: SYSTEM_ACTOR, target: { type: 'calendar-year', id: String(year) }, details: { inserted: count } }, session);
      }
      return count;
    });
    result.years.push(year);
    result.inserted += inserted;
  }
  return result;
}

/** The calendar for whole years fromYear…toYear, for the pure working-day rules. */
export async function loadWorkingCalendar(fromYear: number, toYear: number): Promise<WorkingCalendar> {
  if (!Number.isInteger(fromYear) || !Number.isInteger(toYear) || fromYear > toYear) throw new RangeError(`bad year range ${fromYear}–${toYear}`);
  const days = await CalendarDayModel.find({ date: trusted({ $gte: `${fromYear}-01-01`, $lte: `${toYear}-12-31` }) }, { _id: 0, date: 1, kind: 1 })
    .sort({ date: 1 })
    .lean<Pick<CalendarDay, 'date' | 'kind'>[]>();
  const nonWorking = new Set<string>();
  const makeupWorkdays = new Set<string>();
  for (const day of days) (day.kind === 'makeup-workday' ? makeupWorkdays : nonWorking).add(day.date);
  return { nonWorking, makeupWorkdays };
}

/**
 * A deadline computed against the stored calendar. The calendar is loaded for the years the count
 * can reach (about a year per 250 working days), and again for a wider range if the due date lands
 * beyond what was loaded.
 */
export async function computeDeadlineFor(rule: DeadlineRule): Promise<Deadline> {
  const fromYear = Number(vietnamDateOf(rule.startAt).slice(0, 4));
  let toYear = fromYear + 1 + Math.floor(rule.days / 200);
  for (;;) {
    const deadline = computeDeadline(rule, await loadWorkingCalendar(fromYear, toYear));
    const dueYear = Number(deadline.dueDate.slice(0, 4));
    if (dueYear <= toYear) return deadline;
    toYear = dueYear;
  }
}
