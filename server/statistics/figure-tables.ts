// The labelled tables of the statistics (the same ones in the page, the PDF and the XLSX) and the bar
// chart drawn from each, with the sentence that says what the chart shows.
import type { TFunction } from 'i18next';
import { barChart, type BarChart } from './charts.rules.js';

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

export function sum(rows: readonly { values: number[] }[], width: number): number[] {
  return Array.from({ length: width }, (_, i) => rows.reduce((total, r) => total + (r.values[i] ?? 0), 0));
}

/** A table; its totals row is left out when it has one row, or when its rows overlap (withTotals false). */
export function table(id: string, title: string, headers: string[], rows: { label: string; values: number[] }[], withTotals = true): FigureTable {
  return { id, title, headers, rows, totals: withTotals && rows.length > 1 ? sum(rows, headers.length - 1) : null };
}

/** The table with a bar chart of its first value column. */
export function charted(t: TFunction, tbl: FigureTable): ChartedTable {
  const points = tbl.rows.map((r) => ({ label: r.label, value: r.values[0] ?? 0 }));
  const items = points.map((p) => `${p.label}: ${p.value}`).join('; ');
  return {
    table: tbl,
    chart: barChart(points, t('statistics.others')),
    description: points.length ? t('statistics.barDescription', { title: tbl.title, measure: tbl.headers[1] ?? '', items }) : t('statistics.noData'),
  };
}
