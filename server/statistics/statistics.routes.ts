// The statistics page, the periodic report (page, PDF, XLSX). Thin: parse the period → service →
// render; a period that cannot be read re-renders the filters with 422 and what was typed.
import { Router, type Application, type Request, type Response } from 'express';
import nunjucks from 'nunjucks';
import { requirePermission } from '../access/index.js';
import { vietnamDateOf } from '../calendar/index.js';
import type { AppDeps } from '../platform/deps.js';
import { ValidationError } from '../platform/errors.js';
import { contentDisposition } from '../platform/pdf/disposition.js';
import { streamPdf } from '../platform/pdf/index.js';
import { contextOf } from '../platform/http/request-context.js';
import { agencyPerformanceRoutes } from './agency-performance.routes.js';
import { buildPeriodicReport } from './report.content.js';
import { periodicReportDocument } from './report.pdf.js';
import { periodicReportWorkbook } from './report.xlsx.js';
import { FILTER_CHOICES, filterValues, parsePeriodQuery } from './statistics.schemas.js';
import { presentStatistics, type StatisticsView } from './statistics.presenter.js';
import { computeStatistics, type Statistics } from './statistics.service.js';


export function statisticsRouter(deps: AppDeps): Router {
  const router = Router();
  router.use(requirePermission('reports:read'));
  agencyPerformanceRoutes(router, deps);

  /** The statistics for the filters in the query string, or null after answering 422 with the form. */
  const load = async (req: Request, res: Response, lang: 'vi' | 'en' = req.lang): Promise<Statistics | null> => {
    const values = filterValues(req.query);
    try {
      const request = parsePeriodQuery(req.query, vietnamDateOf(deps.clock.now()));
      return await computeStatistics(req.user!, request, lang, contextOf(req, deps.clock));
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      res.status(422).render('statistics/index', { ...FILTER_CHOICES, values, errors: err.fieldErrors });
      return null;
    }
  };
  const query = (req: Request) => new URLSearchParams(filterValues(req.query)).toString();
  // The page's tables and charts, built and rendered once for each assembled statistics (which are
  // shared, in the reader's language, while their figures are): the figures' HTML — summary, charts
  // and tables, a few hundred elements — was most of the page's cost. It holds nothing of the reader
  // or the request, only the figures and their language (views/statistics/_figures.njk).
  const presented = new WeakMap<Statistics, Promise<{ view: StatisticsView; html: nunjucks.runtime.SafeString }>>();
  const present = (app: Application, stats: Statistics, lang: 'vi' | 'en') => {
    let shown = presented.get(stats);
    if (!shown) {
      const view = presentStatistics(stats, deps.translator.t(lang));
      shown = new Promise((resolve, reject) => {
        app.render('statistics/_figures', { view, t: deps.translator.t(lang), lang }, (err, html) => (err ? reject(err) : resolve({ view, html: new nunjucks.runtime.SafeString(html) })));
      });
      presented.set(stats, shown);
      shown.catch(() => presented.delete(stats));
    }
    return shown;
  };

  router.get('/', async (req, res) => {
    const stats = await load(req, res);
    if (!stats) return;
    const { view, html } = await present(req.app, stats, req.lang);
    res.render('statistics/index', { ...FILTER_CHOICES, values: { period: stats.period.kind, ...filterValues(req.query) }, view, figuresHtml: html, at: stats.at, query: query(req) });
  });

  router.get('/report', async (req, res) => {
    const stats = await load(req, res);
    if (!stats) return;
    res.render('statistics/report', { report: buildPeriodicReport(stats, deps.translator.t(req.lang)), issuedAt: stats.at, query: query(req) });
  });

  // The official papers are in Vietnamese whatever the interface language.
  router.get('/report.pdf', async (req, res) => {
    const stats = await load(req, res, 'vi');
    if (!stats) return;
    const report = buildPeriodicReport(stats, deps.translator.t('vi'));
    const office = { parentBody: deps.config.OFFICE_PARENT_BODY, name: deps.config.OFFICE_NAME, place: deps.config.OFFICE_PLACE };
    await streamPdf(periodicReportDocument(report, office, stats.at), res, { filename: `Báo cáo ${report.periodName.replace(/\//g, '-')}.pdf`, disposition: 'attachment' });
  });

  router.get('/report.xlsx', async (req, res) => {
    const stats = await load(req, res, 'vi');
    if (!stats) return;
    const report = buildPeriodicReport(stats, deps.translator.t('vi'));
    const file = await periodicReportWorkbook(report, deps.config.OFFICE_NAME, stats.at);
    res.setHeader('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    res.setHeader('Content-Disposition', contentDisposition('attachment', `Báo cáo ${report.periodName.replace(/\//g, '-')}.xlsx`));
    res.setHeader('Cache-Control', 'private, no-store');
    res.send(file);
  });

  return router;
}
