// The agency performance page (/statistics/agencies) and its export (CSV, XLSX): one row per agency
// for the chosen period, sortable by every column, each figure a link to the forwardings it counts.
// Mounted on the statistics router, so 'reports:read' is already required.
import type { Request, Response, Router } from 'express';
import type { TFunction } from 'i18next';
import { vietnamDateOf } from '../calendar/index.js';
import { sendExport, type ExportColumn, type ExportFormat } from '../exports/index.js';
import type { AppDeps } from '../platform/deps.js';
import { ValidationError } from '../platform/errors.js';
import { contextOf } from '../platform/http/request-context.js';
import { AGENCY_SORT_KEYS, defaultDirection, type AgencyPerformanceRow, type AgencySortKey } from './agency-performance.rules.js';
import { computeAgencyPerformance, parseAgencySort, type AgencyPerformance } from './agency-performance.service.js';
import { FILTER_CHOICES, filterValues, parsePeriodQuery } from './statistics.schemas.js';


/** Which forwardings each column counts, as filters of the forwarding list. */
const LIST_FILTERS: Record<Exclude<AgencySortKey, 'agency'>, Record<string, string>> = {
  forwarded: {},
  onTime: { answer: 'on-time' },
  late: { answer: 'late' },
  overdue: { answer: 'overdue' },
  notDue: { answer: 'not-due' },
  meanDays: { answer: 'answered' },
  medianDays: { answer: 'answered' },
  unsatisfiedShare: { verdict: 'unsatisfied' },
};
const FIGURES = AGENCY_SORT_KEYS.filter((k): k is Exclude<AgencySortKey, 'agency'> => k !== 'agency');

function formatter(lang: string) {
  const decimal = new Intl.NumberFormat(lang === 'en' ? 'en-GB' : 'vi-VN', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  return (key: AgencySortKey, row: AgencyPerformanceRow): string => {
    const value = key === 'agency' ? null : row[key];
    if (value === null) return '—';
    if (key === 'meanDays' || key === 'medianDays') return decimal.format(value);
    if (key === 'unsatisfiedShare') return `${decimal.format(value)} %`;
    return String(value);
  };
}

function listHref(row: AgencyPerformanceRow, key: Exclude<AgencySortKey, 'agency'>, perf: AgencyPerformance): string {
  const params = new URLSearchParams({ ...(row.agencyId ? { agency: row.agencyId } : {}), from: perf.period.from, to: perf.period.to, ...LIST_FILTERS[key] });
  return `/forwardings?${params.toString()}`;
}

/** The table as the page shows it: headers that sort, cells that link to the forwardings they count. */
export function presentAgencyTable(perf: AgencyPerformance, t: TFunction, lang: string, periodQuery: Record<string, string>) {
  const format = formatter(lang);
  const headers = AGENCY_SORT_KEYS.map((key) => {
    const current = perf.sort.key === key;
    const dir = current ? (perf.sort.dir === 'asc' ? 'desc' : 'asc') : defaultDirection(key);
    return {
      key,
      label: t(`statistics.agencies.column.${key}`),
      href: `/statistics/agencies?${new URLSearchParams({ ...periodQuery, sort: key, dir }).toString()}`,
      ariaSort: current ? (perf.sort.dir === 'asc' ? 'ascending' : 'descending') : 'none',
    };
  });
  const cells = (row: AgencyPerformanceRow) =>
    FIGURES.map((key) => {
      const value = row[key];
      const countable = key === 'meanDays' || key === 'medianDays' ? row.answered : key === 'unsatisfiedShare' ? row.unsatisfiedItems : value;
      return { key, text: format(key, row), href: countable ? listHref(row, key, perf) : null };
    });
  return {
    headers,
    rows: perf.rows.map((row) => ({ name: row.agencyName, cells: cells(row) })),
    total: { name: perf.total.agencyName, cells: cells(perf.total) },
  };
}

function exportColumns(t: TFunction): ExportColumn<AgencyPerformanceRow>[] {
  const figure = (key: Exclude<AgencySortKey, 'agency'>): ExportColumn<AgencyPerformanceRow> => ({ header: t(`statistics.agencies.column.${key}`), value: (r) => r[key], width: 14 });
  return [
    { header: t('statistics.agencies.column.agency'), value: (r) => r.agencyName, width: 40 },
    ...FIGURES.map(figure),
    { header: t('statistics.agencies.column.evaluatedItems'), value: (r) => r.evaluatedItems, width: 14 },
    { header: t('statistics.agencies.column.unsatisfiedItems'), value: (r) => r.unsatisfiedItems, width: 14 },
  ];
}

/** The table is small and already computed; the exporter reads any async iterable. */
function rowsOf(perf: AgencyPerformance): AsyncIterable<AgencyPerformanceRow> {
  const all = [...perf.rows, perf.total];
  return {
    [Symbol.asyncIterator]() {
      let i = 0;
      return { next: () => Promise.resolve(i < all.length ? { value: all[i++]!, done: false as const } : { value: undefined, done: true as const }) };
    },
  };
}

export function agencyPerformanceRoutes(router: Router, deps: AppDeps): void {
  const sortValues = (req: Request): Record<string, string> => {
    const sort = parseAgencySort(req.query);
    return { sort: sort.key, dir: sort.dir };
  };

  /** The figures for the query string's period and order, or null after answering 422 with the form. */
  const load = async (req: Request, res: Response): Promise<AgencyPerformance | null> => {
    try {
      const request = parsePeriodQuery(req.query, vietnamDateOf(deps.clock.now()));
      return await computeAgencyPerformance(req.user!, request, parseAgencySort(req.query), deps.translator.t(req.lang)('statistics.total'), contextOf(req, deps.clock));
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      res.status(422).render('statistics/agencies', { ...FILTER_CHOICES, values: filterValues(req.query), hidden: sortValues(req), errors: err.fieldErrors });
      return null;
    }
  };

  router.get('/agencies', async (req, res) => {
    const perf = await load(req, res);
    if (!perf) return;
    const t = deps.translator.t(req.lang);
    const periodQuery = filterValues(req.query);
    res.render('statistics/agencies', {
      ...FILTER_CHOICES,
      values: { period: perf.period.kind, ...periodQuery },
      hidden: sortValues(req),
      periodName: t(perf.period.label.key, perf.period.label.params),
      table: presentAgencyTable(perf, t, req.lang, periodQuery),
      exportQuery: new URLSearchParams({ ...periodQuery, ...sortValues(req) }).toString(),
      at: perf.at,
    });
  });

  for (const format of ['csv', 'xlsx'] as const satisfies readonly ExportFormat[]) {
    router.get(`/agencies/export.${format}`, async (req, res) => {
      const perf = await load(req, res);
      if (!perf) return;
      const t = deps.translator.t(req.lang);
      const period = t(perf.period.label.key, perf.period.label.params);
      await sendExport(
        res,
        format,
        { filename: `${t('statistics.agencies.file')} ${period.replace(/\//g, '-')}`, sheetName: t('statistics.agencies.sheet'), columns: exportColumns(t), rows: rowsOf(perf) },
        { creator: deps.config.OFFICE_NAME, now: perf.at, expectedRows: perf.rows.length + 1 },
      );
    });
  }
}
