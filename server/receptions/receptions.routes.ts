// The reception register and the walk-in form. Thin: parse → service → redirect or render.
import crypto from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { requirePermission } from '../access/index.js';
import { CASE_TYPES, recordIdentityViews } from '../cases/index.js';
import type { AppDeps } from '../platform/deps.js';
import { ValidationError } from '../platform/errors.js';
import { keptValues, parseForm } from '../platform/http/forms.js';
import { contextOf } from '../platform/http/request-context.js';
import { flash } from '../platform/http/session.js';
import { intakeOptions } from './intake-options.js';
import { RECEPTION_KINDS, RECEPTION_OUTCOMES } from './reception.model.js';
import { listReceptions, receptionListQuerySchema } from './receptions.queries.js';
import { walkInSchema } from './receptions.schemas.js';
import { logWalkIn } from './receptions.service.js';
import { EXPORT_FORMATS } from '../exports/index.js';
import { sendReceptionExport } from './receptions.export.js';
import { unreadableDates } from '../platform/http/date-filters.js';

function nowInVietnam(now: Date): { date: string; time: string } {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Ho_Chi_Minh', day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(now);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return { date: `${get('day')}/${get('month')}/${get('year')}`, time: `${get('hour')}:${get('minute')}` };
}

export function receptionsRouter(deps: AppDeps): Router {
  const router = Router();

  const renderForm = async (req: Request, res: Response, status: number, locals: Record<string, unknown>) => {
    res.status(status).render('receptions/new', {
      ...(await intakeOptions(req.lang)),
      kinds: RECEPTION_KINDS,
      outcomes: RECEPTION_OUTCOMES,
      caseTypes: CASE_TYPES,
      ...locals,
    });
  };

  router.get('/', async (req, res) => {
    const query = receptionListQuerySchema.parse(req.query);
    const page = await listReceptions(req.user!, query);
    const shown = page.rows.filter((r) => r.confidential && r.people.some((p) => p !== null)).map((r) => r.caseId);
    await recordIdentityViews(req.user!, [...new Set(shown)], 'reception-register', contextOf(req, deps.clock));
    res.render('receptions/list', { page, query, badDates: unreadableDates(req.query), kinds: RECEPTION_KINDS, outcomes: RECEPTION_OUTCOMES });
  });

  for (const format of EXPORT_FORMATS) {
    router.get(`/export.${format}`, async (req, res) => {
      const ctx = contextOf(req, deps.clock);
      await sendReceptionExport(res, req.user!, receptionListQuerySchema.parse(req.query), format, { t: deps.translator.t(req.lang), ctx, creator: deps.config.OFFICE_NAME });
    });
  }

  router.get('/new', requirePermission('cases:write'), async (req, res) => {
    const { date, time } = nowInVietnam(deps.clock.now());
    await renderForm(req, res, 200, {
      values: { submissionKey: crypto.randomBytes(16).toString('hex'), date, time, kind: 'routine', peopleCount: '1', outcome: 'letter-accepted' },
    });
  });

  router.post('/', requirePermission('cases:write'), async (req, res) => {
    const values = keptValues(req.body);
    try {
      const input = parseForm(walkInSchema, req.body);
      const result = await logWalkIn(req.user!, input, contextOf(req, deps.clock));
      if (result.outcome === 'possible-duplicates') {
        return renderForm(req, res, 200, {
          values: { ...values, caseChoice: result.candidates.length ? '' : values.caseChoice, personChoice: result.people.length ? '' : values.personChoice },
          candidates: result.candidates,
          people: result.people,
        });
      }
      flash(req, { type: 'success', key: result.newCase ? 'receptions.flash.savedNewCase' : 'receptions.flash.savedExistingCase', params: { number: result.caseNumber } });
      res.redirect(303, `/cases/${result.caseId}`);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      await renderForm(req, res, 422, { values, errors: err.fieldErrors });
    }
  });

  return router;
}
