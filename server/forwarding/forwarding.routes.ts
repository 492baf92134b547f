// The office's forwarding pages: the draft form (one case or several), the list, one forwarding with
// its answers and link log, and the actions on it. Thin handlers over the forwarding services.
import crypto from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { can, requirePermission } from '../access/index.js';
import { listActiveAgencies, suggestCompetentAgencies } from '../agencies/index.js';
import { assertMaySee, getAttachment, sendAttachment } from '../attachments/index.js';
import { EXPORT_FORMATS } from '../exports/index.js';
import type { AppDeps } from '../platform/deps.js';
import { NotFoundError, ValidationError } from '../platform/errors.js';
import { keptValues, parseForm } from '../platform/http/forms.js';
import { contextOf } from '../platform/http/request-context.js';
import { flash } from '../platform/http/session.js';
import { caseForwardableProvider } from './case-provider.js';
import { extendForwardingDeadline, resumeForwardingDeadline, suspendForwardingDeadline } from './deadline-changes.service.js';
import { chaseForwarding, decideExtension, evaluateForwarding } from './evaluation.service.js';
import { sendForwardingsExport } from './forwarding.export.js';
import { forwardingListQuerySchema, getForwardingDetail, listForwardings } from './forwarding.queries.js';
import { ANSWER_OUTCOMES, FORWARDING_STATUSES, UNSATISFIED_NEXT_STEPS } from './forwarding.rules.js';
import {
  chaseSchema,
  draftSchema,
  evaluationSchema,
  extensionDecisionSchema,
  newForwardingQuerySchema,
  noteSchema,
  officeExtensionSchema,
  reasonSchema,
  resubmitSchema,
  resumeSchema,
  returnSchema,
  suspensionSchema,
} from './forwarding.schemas.js';
import { approveForwarding, cancelForwarding, draftForwardings, reissueLink, resubmitForwarding, returnForwarding } from './forwarding.service.js';
import { revokeLinks } from './links.service.js';
import { forwardingSettings } from './settings.js';
import { shareableFilesOfCases } from './shared-files.js';
import { slipPdfOf } from './slip.service.js';
import { slipFilename } from './slip.js';

const idOf = (req: Request) => String(req.params.id ?? '');
const newKey = () => crypto.randomBytes(18).toString('base64url');

export function forwardingRouter(deps: AppDeps): Router {
  const router = Router();

  const renderNew = async (req: Request, res: Response, status: number, caseIds: string[], extra: Record<string, unknown> = {}) => {
    const actor = req.user!;
    const matters = await caseForwardableProvider.load(actor, caseIds, null);
    if (matters.length === 0) throw new NotFoundError('forwarding.errors.itemUnknown');
    const first = matters[0]!;
    const [suggested, agencies, files] = await Promise.all([
      suggestCompetentAgencies(actor, { fieldCode: first.fieldCode, unitCode: first.unitCodes[0] ?? null }),
      listActiveAgencies(),
      shareableFilesOfCases(actor, matters.map((m) => m.id)),
    ]);
    const suggestedIds = new Set(suggested.map((s) => s.agency.id));
    res.status(status).render('forwarding/new', {
      matters,
      suggested: suggested.map((s) => ({ ...s.agency, match: s.match })),
      others: agencies.filter((a) => !suggestedIds.has(a.id)),
      files,
      approvalRequired: forwardingSettings().FORWARDING_APPROVAL === 'required',
      values: { submissionKey: crypto.randomBytes(18).toString('base64url'), agencyIds: [], sharedAttachmentIds: [], request: '', internalNote: '' },
      ...extra,
    });
  };

  router.get('/new', requirePermission('cases:write'), async (req, res) => {
    const query = parseForm(newForwardingQuerySchema, req.query);
    if (query.case.length === 0) {
      // The case list's "forward the selected cases" with nothing ticked.
      flash(req, { type: 'warning', key: 'forwarding.errors.noItems' });
      res.redirect(303, '/cases');
      return;
    }
    await renderNew(req, res, 200, query.case);
  });

  router.post('/', requirePermission('cases:write'), async (req, res) => {
    const body = req.body as Record<string, unknown>;
    const caseIds = newForwardingQuerySchema.safeParse({ case: body.caseIds }).data?.case ?? [];
    try {
      const input = parseForm(draftSchema, body);
      const result = await draftForwardings(
        req.user!,
        {
          items: input.caseIds.map((id) => ({ kind: 'case' as const, id })),
          agencyIds: input.agencyIds,
          grouping: 'per-matter',
          request: input.request,
          internalNote: input.internalNote,
          sharedAttachmentIds: input.sharedAttachmentIds,
          ruleKey: 'agency-answer',
          submissionKey: input.submissionKey,
        },
        contextOf(req, deps.clock),
      );
      flash(req, { type: 'success', key: result.sent ? 'forwarding.flash.sent' : 'forwarding.flash.awaitingApproval', params: { count: result.ids.length } });
      res.redirect(303, result.ids.length === 1 ? `/forwardings/${result.ids[0]!}` : '/forwardings?mine=1');
    } catch (err) {
      if (!(err instanceof ValidationError) || caseIds.length === 0) throw err;
      const kept = keptValues(body);
      const list = (v: unknown) => (Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : []);
      await renderNew(req, res, 422, caseIds, {
        errors: err.fieldErrors,
        values: { ...kept, agencyIds: list(body.agencyIds), sharedAttachmentIds: list(body.sharedAttachmentIds) },
      });
    }
  });

  router.get('/', async (req, res) => {
    const query = forwardingListQuerySchema.parse(req.query);
    const page = await listForwardings(req.user!, query, deps.clock.now());
    res.render('forwarding/list', { page, query, statuses: FORWARDING_STATUSES });
  });

  for (const format of EXPORT_FORMATS) {
    router.get(`/export.${format}`, async (req, res) => {
      const ctx = contextOf(req, deps.clock);
      await sendForwardingsExport(res, req.user!, forwardingListQuerySchema.parse(req.query), format, { t: deps.translator.t(req.lang), lang: req.lang, ctx, creator: deps.config.OFFICE_NAME });
    });
  }

  const renderDetail = async (req: Request, res: Response, status: number, extra: Record<string, unknown> = {}) => {
    const actor = req.user!;
    const detail = await getForwardingDetail(actor, idOf(req), deps.clock.now());
    if (!detail) throw new NotFoundError('forwarding.errors.notFound');
    res.status(status).render('forwarding/detail', {
      ...detail,
      f: detail.forwarding,
      mayWrite: can(actor, 'cases:write'),
      mayApprove: can(actor, 'forwardings:approve'),
      outcomes: ANSWER_OUTCOMES,
      nextSteps: UNSATISFIED_NEXT_STEPS,
      // Each deadline form carries its own one-time key; a form shown again after an error keeps its own.
      deadlineKeys: { extend: newKey(), suspend: newKey(), resume: newKey() },
      values: {},
      ...extra,
    });
  };

  router.get('/:id', async (req, res) => {
    await renderDetail(req, res, 200);
  });

  router.get('/:id/slip.pdf', async (req, res) => {
    if (!(await getForwardingDetail(req.user!, idOf(req), deps.clock.now()))) throw new NotFoundError('forwarding.errors.notFound');
    const { bytes, forwarding } = await slipPdfOf(idOf(req));
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader('Content-Disposition', `inline; filename*=UTF-8''${encodeURIComponent(slipFilename(forwarding.documentNumber ?? ''))}`);
    res.end(bytes);
  });

  // An answer's files, for the office.
  router.get('/:id/files/:fileId', async (req, res) => {
    const detail = await getForwardingDetail(req.user!, idOf(req), deps.clock.now());
    const fileId = String(req.params.fileId ?? '');
    const owned = detail?.answers.some((a) => a.attachmentIds.some((id) => String(id) === fileId)) || detail?.forwarding.sharedAttachmentIds.some((id) => String(id) === fileId);
    if (!detail || !owned) throw new NotFoundError('attachments.errors.notFound');
    const attachment = await getAttachment(fileId);
    assertMaySee(req.user!, attachment, true);
    await sendAttachment(res, attachment);
  });

  // Each action goes back to the forwarding's page: 303 with a message, or 422 with the typed values.
  const action =
    (permission: 'cases:write' | 'forwardings:approve', handle: (req: Request) => Promise<string | { key: string; redirect: string }>) =>
    [
      requirePermission(permission),
      async (req: Request, res: Response): Promise<void> => {
        try {
          const done = await handle(req);
          const { key, redirect } = typeof done === 'string' ? { key: done, redirect: `/forwardings/${idOf(req)}` } : done;
          flash(req, { type: 'success', key });
          res.redirect(303, redirect);
        } catch (err) {
          if (!(err instanceof ValidationError)) throw err;
          // Several forms share field names (approve and return both send `note`): `failedForm` ('return',
          // 'cancel'…) tells the page which form gets the typed values and the error back.
          await renderDetail(req, res, 422, { errors: err.fieldErrors, values: keptValues(req.body), failedForm: req.path.split('/').slice(2).join('/') });
        }
      },
    ];

  router.post(
    '/:id/approve',
    ...action('forwardings:approve', async (req) => {
      await approveForwarding(req.user!, idOf(req), parseForm(noteSchema, req.body), contextOf(req, deps.clock));
      return 'forwarding.flash.approved';
    }),
  );
  router.post(
    '/:id/return',
    ...action('forwardings:approve', async (req) => {
      await returnForwarding(req.user!, idOf(req), parseForm(returnSchema, req.body), contextOf(req, deps.clock));
      return 'forwarding.flash.returned';
    }),
  );
  router.post(
    '/:id/resubmit',
    ...action('cases:write', async (req) => {
      await resubmitForwarding(req.user!, idOf(req), parseForm(resubmitSchema, req.body), contextOf(req, deps.clock));
      return 'forwarding.flash.resubmitted';
    }),
  );
  router.post(
    '/:id/cancel',
    ...action('cases:write', async (req) => {
      await cancelForwarding(req.user!, idOf(req), parseForm(reasonSchema, req.body), contextOf(req, deps.clock));
      return 'forwarding.flash.cancelled';
    }),
  );
  router.post(
    '/:id/revoke-link',
    ...action('cases:write', async (req) => {
      await revokeLinks(req.user!, idOf(req), parseForm(reasonSchema, req.body).reason, contextOf(req, deps.clock));
      return 'forwarding.flash.linkRevoked';
    }),
  );
  router.post(
    '/:id/reissue-link',
    ...action('cases:write', async (req) => {
      await reissueLink(req.user!, idOf(req), parseForm(reasonSchema, req.body), contextOf(req, deps.clock));
      return 'forwarding.flash.linkReissued';
    }),
  );
  router.post(
    '/:id/chase',
    ...action('cases:write', async (req) => {
      await chaseForwarding(req.user!, idOf(req), parseForm(chaseSchema, req.body), contextOf(req, deps.clock));
      return 'forwarding.flash.chased';
    }),
  );
  router.post(
    '/:id/extensions/:requestId',
    ...action('cases:write', async (req) => {
      const input = parseForm(extensionDecisionSchema, req.body);
      await decideExtension(req.user!, idOf(req), String(req.params.requestId ?? ''), input, contextOf(req, deps.clock));
      return input.decision === 'granted' ? 'forwarding.flash.extensionGranted' : 'forwarding.flash.extensionRefused';
    }),
  );
  router.post(
    '/:id/deadline/extend',
    ...action('cases:write', async (req) => {
      const result = await extendForwardingDeadline(req.user!, idOf(req), parseForm(officeExtensionSchema, req.body), contextOf(req, deps.clock));
      return result.replayed ? 'forwarding.flash.alreadyRecorded' : 'forwarding.flash.extended';
    }),
  );
  router.post(
    '/:id/deadline/suspend',
    ...action('cases:write', async (req) => {
      const result = await suspendForwardingDeadline(req.user!, idOf(req), parseForm(suspensionSchema, req.body), contextOf(req, deps.clock));
      return result.replayed ? 'forwarding.flash.alreadyRecorded' : 'forwarding.flash.suspended';
    }),
  );
  router.post(
    '/:id/deadline/resume',
    ...action('cases:write', async (req) => {
      const result = await resumeForwardingDeadline(req.user!, idOf(req), parseForm(resumeSchema, req.body), contextOf(req, deps.clock));
      return result.replayed ? 'forwarding.flash.alreadyRecorded' : 'forwarding.flash.resumed';
    }),
  );
  router.post(
    '/:id/evaluate',
    ...action('cases:write', async (req) => {
      const body = req.body as Record<string, string>;
      const count = Object.keys(body).filter((k) => /^ref-\d+$/.test(k)).length;
      const input = parseForm(evaluationSchema(Math.min(count, 200)), body) as Record<string, string | undefined>;
      const verdicts = Array.from({ length: Math.min(count, 200) }, (_, i) => ({ refId: input[`ref-${i}`]!, verdict: input[`verdict-${i}`], reason: input[`reason-${i}`] || null }))
        .filter((v): v is { refId: string; verdict: 'satisfied' | 'unsatisfied'; reason: string | null } => v.verdict === 'satisfied' || v.verdict === 'unsatisfied');
      const result = await evaluateForwarding(req.user!, idOf(req), { verdicts, nextStep: (input.nextStep as (typeof UNSATISFIED_NEXT_STEPS)[number] | undefined) ?? null }, contextOf(req, deps.clock));
      if (result.reforward.length > 0) {
        return { key: 'forwarding.flash.reforward', redirect: `/forwardings/new?${result.reforward.map((r) => `case=${r.id}`).join('&')}` };
      }
      return 'forwarding.flash.evaluated';
    }),
  );

  return router;
}
