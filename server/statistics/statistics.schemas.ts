// The statistics filters, from the query string. Unlike list filters (which ignore what they cannot
// read), a report for the wrong period would mislead: bad dates, a reversed or too long range are
// refused with a 422 and the form shown again with what was typed.
import { z } from 'zod';
import { parseDateInput } from '../calendar/index.js';
import { ValidationError } from '../platform/errors.js';
import { cleanText } from '../platform/text.js';
import { ASSEMBLY_BODIES, type AssemblyBody } from '../meetings/index.js';
import { customPeriod, daysBetween, halfPeriod, MAX_PERIOD_DAYS, monthPeriod, PERIOD_KINDS, quarterPeriod, yearPeriod, type Period } from './period.rules.js';

/** A field left empty means "not given" (the default applies). */
const blankAsMissing = (v: unknown) => (typeof v === 'string' && cleanText(v) === '' ? undefined : v);

const whole = (min: number, max: number, message: string) =>
  z.preprocess(
    blankAsMissing,
    z
      .string({ error: message })
      .max(10, message)
      .transform((v) => cleanText(v))
      .pipe(z.string().regex(/^\d{1,4}$/, message))
      .transform(Number)
      .pipe(z.number().int().min(min, message).max(max, message))
      .optional(),
  );

const day = z.preprocess(blankAsMissing, z.string({ error: 'statistics.errors.date' }).max(20, 'statistics.errors.date').transform((v) => cleanText(v)).optional());

export const statisticsQuerySchema = z.object({
  period: z.preprocess(blankAsMissing, z.enum(PERIOD_KINDS, { error: 'statistics.errors.period' }).optional()),
  year: whole(2000, 2100, 'statistics.errors.year'),
  month: whole(1, 12, 'statistics.errors.month'),
  quarter: whole(1, 4, 'statistics.errors.quarter'),
  half: whole(1, 2, 'statistics.errors.half'),
  from: day,
  to: day,
  /** Whose sessions "since the last session" counts from: one body's, or (empty) whichever closed last. */
  body: z.preprocess(blankAsMissing, z.enum(ASSEMBLY_BODIES, { error: 'statistics.errors.sessionBody' }).optional()),
});

/** What the user asked for; "since the last session" is resolved by the service (it needs the sessions). */
export type PeriodRequest = { kind: 'fixed'; period: Period } | { kind: 'since-last-session'; body: AssemblyBody | null };

/** The choices of the filter form (views/statistics/filters.njk), the same on every statistics page. */
export const FILTER_CHOICES = {
  periodKinds: PERIOD_KINDS,
  months: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
  quarters: [1, 2, 3, 4],
  halves: [1, 2],
  sessionBodies: ASSEMBLY_BODIES,
} as const;

/** The filter values as typed, to show them again. */
export function filterValues(query: unknown): Record<string, string> {
  const kept: Record<string, string> = {};
  if (typeof query !== 'object' || query === null) return kept;
  for (const name of ['period', 'year', 'month', 'quarter', 'half', 'from', 'to', 'body']) {
    const value = (query as Record<string, unknown>)[name];
    if (typeof value === 'string') kept[name] = value.slice(0, 20);
  }
  return kept;
}

/** Reads the filters; missing parts default to today's month, quarter, half or year. */
export function parsePeriodQuery(query: unknown, today: string): PeriodRequest {
  const parsed = statisticsQuerySchema.safeParse(query ?? {});
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? 'period');
      errors[field] ??= /^statistics\.errors\./.test(issue.message) ? issue.message : 'errors.invalid';
    }
    throw new ValidationError(errors);
  }
  const q = parsed.data;
  const [thisYear, thisMonth] = today.split('-').map(Number) as [number, number];
  const year = q.year ?? thisYear;
  switch (q.period ?? 'month') {
    case 'month':
      return { kind: 'fixed', period: monthPeriod(year, q.month ?? thisMonth) };
    case 'quarter':
      return { kind: 'fixed', period: quarterPeriod(year, q.quarter ?? Math.ceil(thisMonth / 3)) };
    case 'half':
      return { kind: 'fixed', period: halfPeriod(year, q.half ?? (thisMonth <= 6 ? 1 : 2)) };
    case 'year':
      return { kind: 'fixed', period: yearPeriod(year) };
    case 'since-last-session':
      return { kind: 'since-last-session', body: q.body ?? null };
    case 'custom': {
      const errors: Record<string, string> = {};
      const from = q.from ? parseDateInput(q.from) : null;
      const to = q.to ? parseDateInput(q.to) : null;
      if (!q.from) errors.from = 'statistics.errors.fromRequired';
      else if (!from) errors.from = 'statistics.errors.date';
      if (!q.to) errors.to = 'statistics.errors.toRequired';
      else if (!to) errors.to = 'statistics.errors.date';
      if (from && to && to < from) errors.to = 'statistics.errors.reversed';
      else if (from && to && daysBetween(from, to) > MAX_PERIOD_DAYS) errors.to = 'statistics.errors.tooLong';
      if (Object.keys(errors).length || !from || !to) throw new ValidationError(errors);
      return { kind: 'fixed', period: customPeriod(from, to) };
    }
  }
}
