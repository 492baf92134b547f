// Statistics as people read them: labelled tables (the same ones in the page, the PDF and the XLSX)
// and the charts drawn from them, each with a sentence that says what the chart shows.
import type { TFunction } from 'i18next';
import type { CaseBreakdownRow, LetterBreakdownRow, ReceptionBreakdownRow } from './figures.queries.js';
import { lineChart, type LineChart } from './charts.rules.js';
import { charted, sum, table, type ChartedTable, type FigureTable } from './figure-tables.js';
import { bucketLabel } from './period.rules.js';
import { presentPetitions, type Labeller } from './petitions.presenter.js';
import { PETITIONS_KEY, type AgencyPerformanceRow } from './agency-performance.rules.js';
import type { Statistics } from './statistics.service.js';

export interface StatisticsView {
  periodName: string;
  summary: { id: string; title: string; items: { label: string; value: number | string }[] }[];
  overTime: { table: FigureTable; chart: LineChart; description: string };
  sections: { id: string; title: string; note?: string; parts: ChartedTable[] }[];
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

/** Forwardings by agency, or by the type, field or commune of the matter. */
function forwardingTable<R extends AgencyPerformanceRow>(t: TFunction, id: string, title: string, dimension: string, rows: R[], label: (r: R) => string): ChartedTable {
  return charted(
    t,
    table(
      id,
      title,
      [dimension, t('statistics.measure.sent'), t('statistics.measure.onTime'), t('statistics.measure.late'), t('statistics.measure.overdueNow'), t('statistics.measure.notDue')],
      rows.map((r) => ({ label: label(r), values: [r.forwarded, r.onTime, r.late, r.overdue, r.notDue] })),
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
  // A forwarding of voter petitions carries many of them: it has its own row in the matter's breakdowns.
  const matter = (key: string | null, label: Labeller) => (key === PETITIONS_KEY ? t('statistics.petitionForwardings') : label(key));
  const r = f.reception;
  const l = f.letters;
  const petitions = presentPetitions(t, s.petitions, { field, unit, unspecified });

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
      petitions.summary,
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
          letterTable(t, 'letters-unit', t('statistics.byUnit'), t('statistics.dimension.unit'), l.byUnit, unit),
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
        parts: [
          forwardingTable(t, 'forwardings-agency', t('statistics.byAgency'), t('statistics.dimension.agency'), s.forwardings.byAgency, (row) => row.agencyName),
          forwardingTable(t, 'forwardings-type', t('statistics.byType'), t('statistics.dimension.type'), s.forwardings.byType, (row) => matter(row.key, caseType)),
          forwardingTable(t, 'forwardings-field', t('statistics.byField'), t('statistics.dimension.field'), s.forwardings.byField, (row) => matter(row.key, field)),
          forwardingTable(t, 'forwardings-unit', t('statistics.byUnit'), t('statistics.dimension.unit'), s.forwardings.byUnit, (row) => matter(row.key, unit)),
        ],
      },
      petitions.section,
    ],
  };
}
