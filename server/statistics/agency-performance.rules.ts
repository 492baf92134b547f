// How agencies answer the forwardings sent to them in a period, as pure arithmetic over what the
// aggregation returns per agency. Definitions (each forwarding counted once, by the day it was sent):
//  - answered on time: its first answer came at or before the deadline (deadline.dueAt, extensions
//    included); late: after it;
//  - overdue: no answer yet and the deadline has passed; not yet due: no answer, deadline still ahead;
//    so forwarded = on time + late + overdue + not yet due;
//  - days to answer: first answer − sending, in days; the mean and the median, to one decimal;
//  - unsatisfactory share: matters judged "not satisfactory" among the matters evaluated, in percent.

/**
 * In the breakdowns of forwardings by type, field and commune of the matter, the key of forwardings of
 * voter petitions (one carries many petitions of many fields and communes). Codes never begin with '#'.
 */
export const PETITIONS_KEY = '#voter-petitions';

/** What the aggregation returns for one agency. */
export interface AgencyTally {
  agencyId: string;
  agencyName: string;
  forwarded: number;
  answered: number;
  late: number;
  overdue: number;
  /** Milliseconds from sending to the first answer, one per answered forwarding. */
  durations: number[];
  evaluatedItems: number;
  unsatisfiedItems: number;
}

export interface AgencyPerformanceRow {
  agencyId: string | null;
  agencyName: string;
  forwarded: number;
  onTime: number;
  late: number;
  overdue: number;
  notDue: number;
  answered: number;
  meanDays: number | null;
  medianDays: number | null;
  evaluatedItems: number;
  unsatisfiedItems: number;
  /** Percent, one decimal; null when nothing was evaluated. */
  unsatisfiedShare: number | null;
}

const DAY_MS = 86_400_000;

export function oneDecimal(value: number): number {
  return Math.round(value * 10) / 10;
}

export function meanOf(values: readonly number[]): number | null {
  return values.length === 0 ? null : values.reduce((sum, v) => sum + v, 0) / values.length;
}

export function medianOf(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const inDays = (ms: number | null) => (ms === null ? null : oneDecimal(ms / DAY_MS));

export function performanceRow(t: AgencyTally): AgencyPerformanceRow {
  const onTime = t.answered - t.late;
  return {
    agencyId: t.agencyId,
    agencyName: t.agencyName,
    forwarded: t.forwarded,
    onTime,
    late: t.late,
    overdue: t.overdue,
    notDue: t.forwarded - t.answered - t.overdue,
    answered: t.answered,
    meanDays: inDays(meanOf(t.durations)),
    medianDays: inDays(medianOf(t.durations)),
    evaluatedItems: t.evaluatedItems,
    unsatisfiedItems: t.unsatisfiedItems,
    unsatisfiedShare: t.evaluatedItems === 0 ? null : oneDecimal((t.unsatisfiedItems / t.evaluatedItems) * 100),
  };
}

/** All agencies together: sums, and the mean and median over every answered forwarding. */
export function totalRow(tallies: readonly AgencyTally[], label: string): AgencyPerformanceRow {
  const sum = (pick: (t: AgencyTally) => number) => tallies.reduce((s, t) => s + pick(t), 0);
  return {
    ...performanceRow({
      agencyId: '',
      agencyName: label,
      forwarded: sum((t) => t.forwarded),
      answered: sum((t) => t.answered),
      late: sum((t) => t.late),
      overdue: sum((t) => t.overdue),
      durations: tallies.flatMap((t) => t.durations),
      evaluatedItems: sum((t) => t.evaluatedItems),
      unsatisfiedItems: sum((t) => t.unsatisfiedItems),
    }),
    agencyId: null,
  };
}

export const AGENCY_SORT_KEYS = ['agency', 'forwarded', 'onTime', 'late', 'overdue', 'notDue', 'meanDays', 'medianDays', 'unsatisfiedShare'] as const;
export type AgencySortKey = (typeof AGENCY_SORT_KEYS)[number];
export type SortDirection = 'asc' | 'desc';

/** The order a column starts in when first chosen: names A→Z, figures largest first. */
export function defaultDirection(key: AgencySortKey): SortDirection {
  return key === 'agency' ? 'asc' : 'desc';
}

const collator = new Intl.Collator('vi', { sensitivity: 'base' });

/**
 * Rows in the order asked for. Empty figures (no answer yet, nothing evaluated) always come last,
 * whatever the direction; equal figures are ordered by name.
 */
export function sortAgencyRows(rows: readonly AgencyPerformanceRow[], key: AgencySortKey, dir: SortDirection): AgencyPerformanceRow[] {
  const sign = dir === 'asc' ? 1 : -1;
  const byName = (a: AgencyPerformanceRow, b: AgencyPerformanceRow) => collator.compare(a.agencyName, b.agencyName);
  return [...rows].sort((a, b) => {
    if (key === 'agency') return sign * byName(a, b) || String(a.agencyId).localeCompare(String(b.agencyId));
    const x = a[key];
    const y = b[key];
    if (x === null && y === null) return byName(a, b);
    if (x === null) return 1;
    if (y === null) return -1;
    return sign * (x - y) || byName(a, b);
  });
}
