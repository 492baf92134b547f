// Reporting periods (DOMAIN.md, "Reports the office must produce"): a month, a quarter, six months, a
// year, a custom range, or "since the last session". Pure functions over Vietnam calendar days
// ('YYYY-MM-DD'); a period is [start, end) in instants, Vietnam being UTC+7 all year.

export const PERIOD_KINDS = ['month', 'quarter', 'half', 'year', 'custom', 'since-last-session'] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];

/** The longest custom range accepted: beyond it charts and tables stop being readable. */
export const MAX_PERIOD_DAYS = 366 * 10;

export interface Period {
  kind: PeriodKind;
  /** First and last calendar day, inclusive. */
  from: string;
  to: string;
  start: Date;
  end: Date;
  /** How the "over time" chart groups: by day up to 31 days, else by month. */
  bucket: 'day' | 'month';
  /** i18n key and parameters of the period's name, e.g. "Quý 1 năm 2026". */
  label: { key: string; params: Record<string, string | number> };
}

const DAY_MS = 86_400_000;
const pad = (n: number) => String(n).padStart(2, '0');

export function isoDay(year: number, month: number, day: number): string {
  return `${year}-${pad(month)}-${pad(day)}`;
}

export function addDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

function lastDayOfMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function vietnamDayStart(iso: string): Date {
  return new Date(`${iso}T00:00:00+07:00`);
}

/** dd/mm/yyyy for labels. */
export function displayDay(iso: string): string {
  return iso.split('-').reverse().join('/');
}

function period(kind: PeriodKind, from: string, to: string, label: Period['label']): Period {
  return {
    kind,
    from,
    to,
    start: vietnamDayStart(from),
    end: vietnamDayStart(addDays(to, 1)),
    bucket: daysBetween(from, to) < 31 ? 'day' : 'month',
    label,
  };
}

export function monthPeriod(year: number, month: number): Period {
  return period('month', isoDay(year, month, 1), isoDay(year, month, lastDayOfMonth(year, month)), { key: 'statistics.periodName.month', params: { month, year } });
}

export function quarterPeriod(year: number, quarter: number): Period {
  const first = (quarter - 1) * 3 + 1;
  return period('quarter', isoDay(year, first, 1), isoDay(year, first + 2, lastDayOfMonth(year, first + 2)), { key: 'statistics.periodName.quarter', params: { quarter, year } });
}

export function halfPeriod(year: number, half: number): Period {
  const from = half === 1 ? isoDay(year, 1, 1) : isoDay(year, 7, 1);
  const to = half === 1 ? isoDay(year, 6, 30) : isoDay(year, 12, 31);
  return period('half', from, to, { key: half === 1 ? 'statistics.periodName.firstHalf' : 'statistics.periodName.secondHalf', params: { year } });
}

export function yearPeriod(year: number): Period {
  return period('year', isoDay(year, 1, 1), isoDay(year, 12, 31), { key: 'statistics.periodName.year', params: { year } });
}

export function customPeriod(from: string, to: string): Period {
  return period('custom', from, to, { key: 'statistics.periodName.custom', params: { from: displayDay(from), to: displayDay(to) } });
}

/** The session a "since the last session" period starts after. */
export interface SessionForPeriod {
  body: string;
  term: string;
  number: number;
  /** Its closing day, 'YYYY-MM-DD'. */
  closesOn: string;
}

/** From the day after the session closed to `today`; its name says which session it was. */
export function sinceSessionPeriod(session: SessionForPeriod, today: string): Period {
  const from = addDays(session.closesOn, 1);
  const to = today < from ? from : today;
  return period('since-last-session', from, to, {
    key: `statistics.periodName.sinceSession.${session.body}`,
    params: { number: session.number, term: session.term, from: displayDay(from), to: displayDay(to) },
  });
}

/** The keys of the chart's buckets, every one of them (empty buckets are shown as 0). */
export function bucketKeys(p: Period): string[] {
  const keys: string[] = [];
  if (p.bucket === 'day') {
    for (let d = p.from; d <= p.to; d = addDays(d, 1)) keys.push(d);
    return keys;
  }
  let [y, m] = p.from.split('-').map(Number) as [number, number];
  const last = p.to.slice(0, 7);
  for (;;) {
    const key = `${y}-${pad(m)}`;
    keys.push(key);
    if (key >= last) return keys;
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
  }
}

/** A bucket key as people read it: 05/03 for a day, 03/2026 for a month. */
export function bucketLabel(key: string): string {
  const parts = key.split('-');
  return parts.length === 3 ? `${parts[2]}/${parts[1]}` : `${parts[1]}/${parts[0]}`;
}
