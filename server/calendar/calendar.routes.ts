// The working-day calendar for administrators: /admin/calendar?year=2026 lists the year's special
// days; add, edit, and delete after a confirmation page.
import { Router, type Request } from 'express';
import { requirePermission } from '../access/index.js';
import type { AppDeps } from '../platform/deps.js';
import { NotFoundError } from '../platform/errors.js';
import { formHandler } from '../platform/http/forms.js';
import { contextOf } from '../platform/http/request-context.js';
import { flash } from '../platform/http/session.js';
import { SPECIAL_DAY_KINDS } from './calendar-day.model.js';
import { getSpecialDay, listSpecialDays } from './calendar.queries.js';
import { calendarYearQuery, specialDaySchema } from './calendar.schemas.js';
import { createSpecialDay, deleteSpecialDay, updateSpecialDay } from './calendar.service.js';
import { formatIsoDate, vietnamDateOf, weekdayOf } from './working-days.rules.js';

const BASE = '/admin/calendar';

export function calendarRouter(deps: AppDeps): Router {
  const router = Router();
  router.use(requirePermission('reference:manage'));
  const thisYear = () => Number(vietnamDateOf(deps.clock.now()).slice(0, 4));
  const yearOf = (req: Request) => calendarYearQuery(thisYear()).parse(req.query).year;
  const kinds = { kinds: SPECIAL_DAY_KINDS };

  router.get('/', async (req, res) => {
    const year = yearOf(req);
    const days = (await listSpecialDays(req.user!, year)).map((d) => ({ ...d, weekday: weekdayOf(d.date) }));
    res.render('calendar/list', { year, days });
  });

  router.get('/new', (req, res) => {
    res.render('calendar/form', { ...kinds, mode: 'new', year: yearOf(req), values: { kind: 'holiday' } });
  });

  router.post(
    '/',
    formHandler({
      view: 'calendar/form',
      schema: specialDaySchema,
      locals: (req) => ({ ...kinds, mode: 'new', year: yearOf(req) }),
      submit: async (req, res, input) => {
        await createSpecialDay(req.user!, input, contextOf(req, deps.clock));
        flash(req, { type: 'success', key: 'calendar.flash.created', params: { date: formatIsoDate(input.date) } });
        res.redirect(303, `${BASE}?year=${input.date.slice(0, 4)}`);
      },
    }),
  );

  const loadDay = async (req: Request) => {
    const day = await getSpecialDay(req.user!, String(req.params.date ?? ''));
    if (!day) throw new NotFoundError('calendar.errors.notFound');
    return day;
  };

  router.get('/:date', async (req, res) => {
    const day = await loadDay(req);
    res.render('calendar/form', { ...kinds, mode: 'edit', day, year: Number(day.date.slice(0, 4)), values: { ...day, date: formatIsoDate(day.date) } });
  });

  router.post(
    '/:date',
    formHandler({
      view: 'calendar/form',
      schema: specialDaySchema,
      locals: async (req) => {
        const day = await loadDay(req);
        return { ...kinds, mode: 'edit', day, year: Number(day.date.slice(0, 4)) };
      },
      submit: async (req, res, input) => {
        await updateSpecialDay(req.user!, String(req.params.date), input, contextOf(req, deps.clock));
        flash(req, { type: 'success', key: 'calendar.flash.updated', params: { date: formatIsoDate(input.date) } });
        res.redirect(303, `${BASE}?year=${input.date.slice(0, 4)}`);
      },
    }),
  );

  router.get('/:date/delete', async (req, res) => {
    const day = await loadDay(req);
    res.render('calendar/confirm-delete', { day, year: Number(day.date.slice(0, 4)) });
  });

  router.post('/:date/delete', async (req, res) => {
    const day = await loadDay(req);
    await deleteSpecialDay(req.user!, day.date, contextOf(req, deps.clock));
    flash(req, { type: 'success', key: 'calendar.flash.deleted', params: { date: formatIsoDate(day.date) } });
    res.redirect(303, `${BASE}?year=${day.date.slice(0, 4)}`);
  });

  return router;
}
