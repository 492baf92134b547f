// The work queues page (/queues): the user's queues with their counts, one queue's rows, and the
// filters (agency, field, commune, officer). Thin: parse the query → queries → render.
import { Router, type Request } from 'express';
import { listActiveAgencies } from '../agencies/index.js';
import { EXPORT_FORMATS } from '../exports/index.js';
import type { AppDeps } from '../platform/deps.js';
import { ForbiddenError } from '../platform/errors.js';
import { listActiveCommunes, listActiveFields } from '../reference/index.js';
import { listActiveStaff } from '../users/index.js';
import { sendQueueExport } from './queues.export.js';
import { allQueueCounts, listQueue, queueMoment } from './queues.queries.js';
import { DUE_SOON_WORKING_DAYS, homeQueuesFor, QUEUES, queuesFor } from './queues.rules.js';
import { filterParams, queueQuerySchema } from './queues.schemas.js';

export function queuesRouter(deps: AppDeps): Router {
  const router = Router();

  /** The queue asked for and its filters; one the user may not open (or none named) falls back to the first of their home page. */
  const chosen = (req: Request) => {
    const actor = req.user!;
    const visible = queuesFor(actor);
    if (visible.length === 0) throw new ForbiddenError();
    const query = queueQuerySchema.parse(req.query);
    const queue = query.queue && visible.includes(query.queue) ? query.queue : (homeQueuesFor(actor)[0] ?? visible[0]!);
    return { actor, query, queue, filters: { agency: query.agency, field: query.field, unit: query.unit, officer: query.officer } };
  };

  router.get('/', async (req, res) => {
    const { actor, query, queue, filters } = chosen(req);
    const moment = await queueMoment(deps.clock.now());
    const [counts, page, agencies, fields, communes, officers] = await Promise.all([
      allQueueCounts(actor, filters, moment),
      listQueue(actor, queue, filters, query.after, moment),
      listActiveAgencies(),
      listActiveFields(),
      listActiveCommunes(),
      listActiveStaff(['officer', 'leader']),
    ]);
    const params = filterParams(filters);
    const link = (extra: Record<string, string>) => `/queues?${new URLSearchParams({ ...extra, ...params }).toString()}`;
    res.render('queues/index', {
      queue,
      subject: QUEUES[queue].subject,
      counts: counts.map((c) => ({ ...c, href: link({ queue: c.id }), current: c.id === queue })),
      page,
      nextHref: page.next ? link({ queue, after: page.next }) : null,
      // The file holds the whole queue as filtered, whichever page is shown.
      exportUrl: link({ queue }),
      filters,
      hasFilters: Object.keys(params).length > 0,
      clearHref: `/queues?queue=${queue}`,
      options: {
        agencies: agencies.map((a) => ({ value: a.id, text: a.name })),
        fields: fields.map((f) => ({ value: f.code, text: req.lang === 'en' && f.nameEn ? f.nameEn : f.name })),
        communes: communes.map((u) => ({ value: u.code, text: u.name })),
        officers: officers.map((o) => ({ value: o.id, text: o.name })),
      },
      dueSoonDays: DUE_SOON_WORKING_DAYS,
    });
  });

  // The queue as a file: the same queue, filters and order as the page, every row (no pages).
  for (const format of EXPORT_FORMATS) {
    router.get(`/export.${format}`, async (req, res) => {
      const { actor, queue, filters } = chosen(req);
      await sendQueueExport(res, actor, queue, filters, await queueMoment(deps.clock.now()), format, { t: deps.translator.t(req.lang), creator: deps.config.OFFICE_NAME });
    });
  }

  return router;
}
