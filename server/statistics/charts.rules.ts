// Chart geometry for server-rendered SVG: pure functions from numbers to shapes, so charts need no
// client script, print as vectors and can be tested. Each chart is drawn by views/statistics/charts.njk
// with a title, a text alternative and the data table beside it; series differ by marker shape and
// line dash as well as by colour, so no information is carried by colour alone.

export interface BarChart {
  width: number;
  height: number;
  labelWidth: number;
  bars: { label: string; value: number; x: number; y: number; width: number; height: number; textY: number; valueX: number }[];
  /** True when smaller rows were added up into one "others" bar (the table has them all). */
  folded: boolean;
}

export const BAR_CHART_MAX_BARS = 10;
const BAR_WIDTH = 640;
const LABEL_WIDTH = 210;
const VALUE_ROOM = 56;
const ROW_HEIGHT = 30;

/** Long labels are cut in the chart (the data table beside it shows them whole). */
export function shortLabel(label: string, max = 30): string {
  const chars = [...label];
  return chars.length <= max ? label : `${chars.slice(0, max - 1).join('')}…`;
}

export function barChart(rows: readonly { label: string; value: number }[], othersLabel: string): BarChart {
  let shown = rows.filter((r) => r.value > 0);
  let folded = false;
  if (shown.length > BAR_CHART_MAX_BARS) {
    const rest = shown.slice(BAR_CHART_MAX_BARS - 1).reduce((sum, r) => sum + r.value, 0);
    shown = [...shown.slice(0, BAR_CHART_MAX_BARS - 1), { label: othersLabel, value: rest }];
    folded = true;
  }
  const max = Math.max(1, ...shown.map((r) => r.value));
  const area = BAR_WIDTH - LABEL_WIDTH - VALUE_ROOM;
  const bars = shown.map((r, i) => {
    const width = Math.max(1, Math.round((r.value / max) * area));
    const y = 6 + i * ROW_HEIGHT;
    return { label: shortLabel(r.label), value: r.value, x: LABEL_WIDTH, y, width, height: ROW_HEIGHT - 10, textY: y + (ROW_HEIGHT - 10) / 2 + 5, valueX: LABEL_WIDTH + width + 6 };
  });
  return { width: BAR_WIDTH, height: Math.max(ROW_HEIGHT, 12 + bars.length * ROW_HEIGHT), labelWidth: LABEL_WIDTH, bars, folded };
}

/** A round axis maximum ≥ max (1, 2, 2.5 or 5 times a power of ten) and its tick values. */
export function niceTicks(max: number, count = 4): number[] {
  if (max <= 0) return [0, 1];
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw && Number.isInteger(s)) ?? Math.ceil(raw);
  const ticks: number[] = [];
  for (let v = 0; v < max + step; v += step) {
    ticks.push(v);
    if (v >= max) break;
  }
  return ticks;
}

export interface LineSeries {
  name: string;
  values: readonly number[];
}

export interface LineChart {
  width: number;
  height: number;
  plot: { left: number; top: number; right: number; bottom: number };
  yTicks: { value: number; y: number }[];
  xLabels: { text: string; x: number }[];
  series: { name: string; style: number; points: string; markers: { x: number; y: number; value: number; label: string }[] }[];
}

const LINE_WIDTH = 640;
const LINE_HEIGHT = 280;
const MAX_X_LABELS = 12;

export function lineChart(categories: readonly string[], series: readonly LineSeries[]): LineChart {
  const plot = { left: 48, top: 12, right: LINE_WIDTH - 16, bottom: LINE_HEIGHT - 44 };
  const max = Math.max(0, ...series.flatMap((s) => s.values));
  const ticks = niceTicks(max);
  const top = ticks[ticks.length - 1]!;
  const yOf = (v: number) => Math.round((plot.bottom - (v / top) * (plot.bottom - plot.top)) * 10) / 10;
  const n = categories.length;
  const xOf = (i: number) => Math.round((n <= 1 ? (plot.left + plot.right) / 2 : plot.left + (i * (plot.right - plot.left)) / (n - 1)) * 10) / 10;
  const every = Math.max(1, Math.ceil(n / MAX_X_LABELS));
  return {
    width: LINE_WIDTH,
    height: LINE_HEIGHT,
    plot,
    yTicks: ticks.map((value) => ({ value, y: yOf(value) })),
    xLabels: categories.flatMap((text, i) => (i % every === 0 || i === n - 1 ? [{ text, x: xOf(i) }] : [])),
    series: series.map((s, index) => {
      const markers = s.values.map((value, i) => ({ x: xOf(i), y: yOf(value), value, label: categories[i] ?? '' }));
      return { name: s.name, style: index % 3, points: markers.map((m) => `${m.x},${m.y}`).join(' '), markers };
    }),
  };
}
