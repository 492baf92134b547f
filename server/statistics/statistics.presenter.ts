// Statistics as people read them: labelled tables (the same ones in the page, the PDF and the XLSX)
// and the charts drawn from them, each with a sentence that says what the chart shows.
import type { TFunction } from 'i18next';
import type { CaseBreakdownRow, LetterBreakdownRow, ReceptionBreakdownRow } from './figures.queries.js';
import { barChart, lineChart, type BarChart, type LineChart } from './charts.rules.js';
import { bucketLabel } from './period.rules.js';
import type { AgencyPerformanceRow } from './agency-performance.rules.js';
import type { Statistics } from './statistics.service.js';

export interface FigureTable {
  id: string;
  title: string;
  /** The header of the label column, then one per value column. */
  headers: string[];
  rows: { label: string; values: number[] }[];
  totals: number[] | null;
}

export interface ChartedTable {
  table: FigureTable;
  chart: BarChart;
  /** The chart's text alternative. */
  description: string;
}

export interface StatisticsView {
  periodName: string;
  summary: { id: string; title: string; items: { label: string; value: number | string }[] }[];
  overTime: { table: FigureTable; chart: LineChart; description: string };
  sections: { id: string; title: string; parts: ChartedTable[] }[];
}

type Labeller = (key: string | null) => string;

function sum(rows: readonly { values: number[] }[], width: number): number[] {
  return Array.from({ length: width }, (_, i) => rows.reduce((total, r) => total + (r.values[i] ?? 0), 0));
}

function table(id: string, title: string, headers: string[], rows: { label: string; values: number[] }[], withTotals = true): FigureTable {
  return { id, title, headers, rows, totals: withTotals && rows.length > 1 ? sum(rows, headers.length - 1) : null };
}

function charted(t: TFunction, tbl: FigureTable): ChartedTable {
  const points = tbl.rows.map((r) => ({ label: r.label, value: r.values[0] ?? 0 }));
  const items = points.map((p) => `${p.label}: ${p.value}`).join('; ');
  return {
    table: tbl,
    chart: barChart(points, t('statistics.others')),
    description: points.length ? t('statistics.barDescription', { title: tbl.title, measure: tbl.headers[1] ?? '', items }) : t('statistics.noData'),
  };
}

function receptionTable(t: TFunction, id: string, title: string, dimension: string, rows: ReceptionBreakdownRow[], label: Labeller): ChartedTable {
  return charted(
    t,
    table(
      id,
      title,
      [dimension, t('statistics.measure.visits'), t('statistics.measure.personVisits'), t('statistics.measure.groupVisits'), t('statistics.measure.cases')],
      rows.map((r) => ({ label: label(r.key), values: [r.visits, r.personVisits, r.groupVisits, r.cases] })),
    ),
  );
}

function letterTable(t: TFunction, id: string, title: string, dimension: string, rows: LetterBreakdownRow[], label: Labeller): ChartedTable {
  return charted(
    t,
    table(
      id,
      title,
      [dimension, t('statistics.measure.received'), t('statistics.measure.eligible'), t('statistics.measure.forwarded'), t('statistics.measure.filed'), t('statistics.measure.returned')],
      rows.map((r) => ({ label: label(r.key), values: [r.received, r.eligible, r.forwarded, r.filed, r.returned] })),
    ),
  );
}

function caseTable(t: TFunction, id: string, title: string, dimension: string, rows: CaseBreakdownRow[], label: Labeller): ChartedTable {
  return charted(t, table(id, title, [dimension, t('statistics.measure.newCases')], rows.map((r) => ({ label: label(r.key), values: [r.cases] }))));
}

/** Days to answer as people write them: one decimal, in the reader's language ("2,5" or "2.5"). */
export function formatDays(t: TFunction, days: number | null): string {
  if (days === null) return '—';
  return new Intl.NumberFormat(t('statistics.numberLocale'), { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(days);
}

function forwardingSummary(t: TFunction, total: AgencyPerformanceRow): StatisticsView['summary'][number] {
  return {
    id: 'summary-forwardings',
    title: t('statistics.forwardings'),
    items: [
      { label: t('statistics.measure.sent'), value: total.forwarded },
      { label: t('statistics.measure.onTime'), value: total.onTime },
      { label: t('statistics.measure.late'), value: total.late },
      { label: t('statistics.measure.overdueNow'), value: total.overdue },
      { label: t('statistics.measure.notAnswered'), value: total.overdue + total.notDue },
      { label: t('statistics.measure.meanDays'), value: formatDays(t, total.meanDays) },
    ],
  };
}

function forwardingTable(t: TFunction, rows: AgencyPerformanceRow[]): ChartedTable {
  return charted(
    t,
    table(
      'forwardings-agency',
      t('statistics.byAgency'),
      [t('statistics.dimension.agency'), t('statistics.measure.sent'), t('statistics.measure.onTime'), t('statistics.measure.late'), t('statistics.measure.overdueNow'), t('statistics.measure.notDue')],
      rows.map((r) => ({ label: r.agencyName, values: [r.forwarded, r.onTime, r.late, r.overdue, r.notDue] })),
    ),
  );
}

export function presentStatistics(s: Statistics, t: TFunction): StatisticsView {
  const f = s.figures;
  const unspecified = t('statistics.unspecified');
  const known = (key: string | null, name: (k: string) => string) => (key === null ? unspecified : name(key));
  const caseType: Labeller = (k) => known(k, (v) => t(`cases.type.${v}`));
  const field: Labeller = (k) => known(k, (v) => s.names.field(v));
  const unit: Labeller = (k) => known(k, (v) => s.names.unit(v));
  const host: Labeller = (k) => (k === null ? t('statistics.noHost') : (s.names.host(k) ?? t('statistics.unknownHost')));
  const r = f.reception;
  const l = f.letters;

  const overTime = table(
    'over-time',
    t('statistics.overTime'),
    [t('statistics.periodColumn'), t('statistics.measure.visits'), t('statistics.measure.lettersReceived'), t('statistics.measure.newCases')],
    f.series.map((p) => ({ label: bucketLabel(p.key), values: [p.visits, p.letters, p.cases] })),
  );
  const seriesNames = overTime.headers.slice(1);
  const chart = lineChart(
    overTime.rows.map((row) => row.label),
    seriesNames.map((name, i) => ({ name, values: overTime.rows.map((row) => row.values[i] ?? 0) })),
  );
  const totals = overTime.totals ?? sum(overTime.rows, 3);

  return {
    periodName: t(s.period.label.key, s.period.label.params),
    summary: [
      {
        id: 'summary-reception',
        title: t('statistics.reception'),
        items: [
          { label: t('statistics.measure.visits'), value: r.totals.visits },
          { label: t('statistics.measure.personVisits'), value: r.totals.personVisits },
          { label: t('statistics.measure.people'), value: r.totals.people },
          { label: t('statistics.measure.groupVisits'), value: r.totals.groupVisits },
          { label: t('statistics.measure.groupPeople'), value: r.totals.groupPeople },
          { label: t('statistics.measure.cases'), value: r.totals.cases },
        ],
      },
      {
        id: 'summary-letters',
        title: t('statistics.letters'),
        items: [
          { label: t('statistics.measure.received'), value: l.totals.received },
          { label: t('statistics.measure.eligible'), value: l.totals.eligible },
          { label: t('statistics.measure.ineligible'), value: l.totals.ineligible },
          { label: t('statistics.measure.pending'), value: l.totals.pending },
          { label: t('statistics.measure.forwarded'), value: l.totals.forwarded },
          { label: t('statistics.measure.filed'), value: l.totals.filed },
          { label: t('statistics.measure.returned'), value: l.totals.returned },
          { label: t('statistics.measure.proposed'), value: l.totals.proposed },
        ],
      },
      {
        id: 'summary-cases',
        title: t('statistics.cases'),
        items: [
          { label: t('statistics.measure.newCases'), value: f.cases.opened },
          { label: t('statistics.measure.mergedAway'), value: f.cases.mergedAway },
        ],
      },
      forwardingSummary(t, s.forwardings.total),
    ],
    overTime: {
      table: overTime,
      chart,
      description: t('statistics.lineDescription', { visits: totals[0] ?? 0, letters: totals[1] ?? 0, cases: totals[2] ?? 0, buckets: overTime.rows.length }),
    },
    sections: [
      {
        id: 'reception',
        title: t('statistics.reception'),
        parts: [
          receptionTable(t, 'reception-type', t('statistics.byType'), t('statistics.dimension.type'), r.byType, caseType),
          receptionTable(t, 'reception-field', t('statistics.byField'), t('statistics.dimension.field'), r.byField, field),
          receptionTable(t, 'reception-unit', t('statistics.byUnit'), t('statistics.dimension.unit'), r.byUnit, unit),
          receptionTable(t, 'reception-host', t('statistics.byHost'), t('statistics.dimension.host'), r.byHost, host),
          receptionTable(t, 'reception-kind', t('statistics.byKind'), t('statistics.dimension.kind'), r.byKind, (k) => known(k, (v) => t(`receptions.kind.${v}`))),
          receptionTable(t, 'reception-outcome', t('statistics.byOutcome'), t('statistics.dimension.outcome'), r.byOutcome, (k) => known(k, (v) => t(`receptions.outcome.${v}`))),
        ],
      },
      {
        id: 'letters',
        title: t('statistics.letters'),
        parts: [
          letterTable(t, 'letters-channel', t('statistics.byChannel'), t('statistics.dimension.channel'), l.byChannel, (k) => known(k, (v) => t(`letters.channel.${v}`))),
          letterTable(t, 'letters-type', t('statistics.byType'), t('statistics.dimension.type'), l.byType, (k) => known(k, (v) => t(`letters.type.${v}`))),
          letterTable(t, 'letters-field', t('statistics.byField'), t('statistics.dimension.field'), l.byField, field),
        ],
      },
      {
        id: 'cases',
        title: t('statistics.cases'),
        parts: [
          caseTable(t, 'cases-type', t('statistics.byType'), t('statistics.dimension.type'), f.cases.byType, caseType),
          caseTable(t, 'cases-field', t('statistics.byField'), t('statistics.dimension.field'), f.cases.byField, field),
          caseTable(t, 'cases-unit', t('statistics.byUnit'), t('statistics.dimension.unit'), f.cases.byUnit, unit),
          caseTable(t, 'cases-status', t('statistics.byStatus'), t('statistics.dimension.status'), f.cases.byStatus, (k) => known(k, (v) => t(`cases.status.${v}`))),
        ],
      },
      {
        id: 'forwardings',
        title: t('statistics.forwardings'),
        parts: [forwardingTable(t, s.forwardings.byAgency)],
      },
      // Voter petitions per session join here as a further section when that module exists.
    ],
  };
}
