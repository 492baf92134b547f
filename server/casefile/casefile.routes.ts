// The case file: the list of cases, one case with its visits, letters and timeline, and the actions
// on it (classify, assign, change status, merge). Thin handlers over the cases service.
import { Router, type Request, type Response } from 'express';
import mongoose from 'mongoose';
import { can, requirePermission } from '../access/index.js';
import {
  CASE_STATUSES,
  CASE_TYPES,
  findCaseIdByNumber,
  allowedTransitions,
  assignCase,
  caseListQuerySchema,
  changeCaseStatus,
  getCaseDetail,
  listCases,
  mergeCases,
  reclassifyCase,
  recordNoticeAnswer,
  recordIdentityViews,
  type CaseStatus,
} from '../cases/index.js';
import type { AppDeps } from '../platform/deps.js';
import { NotFoundError, ValidationError } from '../platform/errors.js';
import { keptValues, parseForm } from '../platform/http/forms.js';
import { unreadableDates } from '../platform/http/date-filters.js';
import { contextOf } from '../platform/http/request-context.js';
import { flash } from '../platform/http/session.js';
import { intakeOptions, listCaseOfficers, receptionsOfCase } from '../receptions/index.js';
import { lettersOfCase } from '../letters/index.js';
import { emailsOfCase } from '../notifications/index.js';
import { forwardingsOfCase } from '../forwarding/index.js';
import { streamPdf } from '../platform/pdf/index.js';
import { receiptDocument } from './receipt.js';
import { EXPORT_FORMATS } from '../exports/index.js';
import { sendCaseExport } from './case-export.js';
import { receiptFor } from './receipt.service.js';
import { assignSchema, classifySchema, mergeSchema, noticeAnswerSchema, statusChangeSchema } from './casefile.schemas.js';

function idParam(req: Request): string {
  return String(req.params.id ?? '');
}

export function casefileRouter(deps: AppDeps): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    const query = caseListQuerySchema.parse(req.query);
    const [page, options, officers] = await Promise.all([listCases(req.user!, query, deps.clock.now()), intakeOptions(req.lang), listCaseOfficers()]);
    const shown = page.rows.filter((r) => r.confidential && r.filers.some((p) => !p.hidden)).map((r) => r.id);
    await recordIdentityViews(req.user!, shown, 'case-list', contextOf(req, deps.clock));
    res.render('cases/list', { page, query, badDates: unreadableDates(req.query), statuses: CASE_STATUSES, caseTypes: CASE_TYPES, officers, ...options });
  });

  // The list as a file, with the same filters (before '/:id', which would take "export.csv" for an id).
  for (const format of EXPORT_FORMATS) {
    router.get(`/export.${format}`, async (req, res) => {
      const ctx = contextOf(req, deps.clock);
      await sendCaseExport(res, req.user!, caseListQuerySchema.parse(req.query), format, { t: deps.translator.t(req.lang), lang: req.lang, ctx, creator: deps.config.OFFICE_NAME });
    });
  }

  const renderCase = async (req: Request, res: Response, status: number, extra: Record<string, unknown> = {}) => {
    const actor = req.user!;
    const kase = await getCaseDetail(actor, idParam(req), deps.clock.now());
    if (!kase) throw new NotFoundError('cases.errors.notFound');
    const now = deps.clock.now();
    // Independent reads, asked for at once: the page waits for the slowest, not for their sum.
    const [visits, options, officers, letters, caseEmails, forwardings] = await Promise.all([
      receptionsOfCase(actor, new mongoose.Types.ObjectId(kase.id)),
      intakeOptions(req.lang),
      listCaseOfficers(),
      lettersOfCase(actor, kase.id),
      emailsOfCase(actor, kase.id, now),
      forwardingsOfCase(kase.id, now),
    ]);
    // Every display of a denouncer's identity is recorded (Luật Tố cáo 2018, Điều 9).
    if (kase.confidential && kase.parties.some((p) => !p.hidden)) await recordIdentityViews(actor, [kase.id], 'case-page', contextOf(req, deps.clock));
    res.status(status).render('cases/detail', {
      kase,
      visits,
      letters,
      caseEmails,
      forwardings,
      ...options,
      officers,
      caseTypes: CASE_TYPES,
      nextStatuses: allowedTransitions(kase.status as CaseStatus).filter((s) => s !== 'merged'),
      mayWrite: can(actor, 'cases:write'),
      values: { type: kase.type, fieldCode: kase.fieldCode ?? '', unitCode: kase.unitCode ?? '', summary: kase.summary, assignedTo: kase.assignedTo ?? '' },
      ...extra,
    });
  };

  router.get('/:id', async (req, res) => {
    await renderCase(req, res, 200);
  });

  router.get('/:id/receipt.pdf', async (req, res) => {
    const data = await receiptFor(req.user!, idParam(req), deps.config, contextOf(req, deps.clock));
    await streamPdf(receiptDocument(data), res, { filename: `Giấy biên nhận ${data.caseNumber.replace('/', '-')}.pdf`, disposition: 'inline' });
  });

  // Each action re-renders the case page with 422 and the typed values on bad input.
  const action =
    (handle: (req: Request) => Promise<string>) =>
    async (req: Request, res: Response): Promise<void> => {
      try {
        const key = await handle(req);
        flash(req, { type: 'success', key });
        res.redirect(303, `/cases/${idParam(req)}`);
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        await renderCase(req, res, 422, { errors: err.fieldErrors, actionValues: keptValues(req.body) });
      }
    };

  router.post(
    '/:id/status',
    requirePermission('cases:write'),
    action(async (req) => {
      const input = parseForm(statusChangeSchema, req.body);
      await changeCaseStatus(req.user!, idParam(req), input, contextOf(req, deps.clock));
      return 'cases.flash.statusChanged';
    }),
  );

  router.post(
    '/:id/assign',
    requirePermission('cases:write'),
    action(async (req) => {
      const input = parseForm(assignSchema, req.body);
      await assignCase(req.user!, idParam(req), input.assignedTo, contextOf(req, deps.clock));
      return 'cases.flash.assigned';
    }),
  );

  router.post(
    '/:id/classify',
    requirePermission('cases:write'),
    action(async (req) => {
      const input = parseForm(classifySchema, req.body);
      await reclassifyCase(req.user!, idParam(req), input, contextOf(req, deps.clock));
      return 'cases.flash.reclassified';
    }),
  );

  router.post(
    '/:id/notices',
    requirePermission('cases:write'),
    action(async (req) => {
      const input = parseForm(noticeAnswerSchema, req.body);
      const changed = await recordNoticeAnswer(req.user!, idParam(req), input, contextOf(req, deps.clock));
      return changed ? 'cases.flash.noticeAnswer' : 'cases.flash.noticeAnswerUnchanged';
    }),
  );

  router.get('/:id/merge', requirePermission('cases:write'), async (req, res) => {
    const kase = await getCaseDetail(req.user!, idParam(req), deps.clock.now());
    if (!kase) throw new NotFoundError('cases.errors.notFound');
    res.render('cases/merge', { kase, values: {} });
  });

  router.post('/:id/merge', requirePermission('cases:write'), async (req, res) => {
    const kase = await getCaseDetail(req.user!, idParam(req), deps.clock.now());
    if (!kase) throw new NotFoundError('cases.errors.notFound');
    try {
      const input = parseForm(mergeSchema, req.body);
      const intoId = await findCaseIdByNumber(input.intoNumber);
      if (!intoId) throw new ValidationError({ intoNumber: 'cases.errors.numberUnknown' });
      await mergeCases(req.user!, kase.id, intoId, input.reason, contextOf(req, deps.clock));
      flash(req, { type: 'success', key: 'cases.flash.merged', params: { from: kase.number } });
      res.redirect(303, `/cases/${intoId}`);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      res.status(422).render('cases/merge', { kase, values: keptValues(req.body), errors: err.fieldErrors });
    }
  });

  return router;
}
