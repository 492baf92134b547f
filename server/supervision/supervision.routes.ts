// The supervision pages: rounds (list, plan, one round with its scope, members, findings and actions),
// the pick list of cases, formal chase letters, and the matters proposed for a session's questioning
// or explanation (list, paper, CSV/XLSX, propose, withdraw). Thin handlers over the services.
import crypto from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { can, requirePermission } from '../access/index.js';
import { listActiveAgencies } from '../agencies/index.js';
import { EXPORT_FORMATS } from '../exports/index.js';
import { forwardingSettings } from '../forwarding/index.js';
import type { AppDeps } from '../platform/deps.js';
import { NotFoundError, ValidationError } from '../platform/errors.js';
import { formHandler, keptValues, parseForm } from '../platform/http/forms.js';
import { contextOf } from '../platform/http/request-context.js';
import { flash } from '../platform/http/session.js';
import { streamPdf } from '../platform/pdf/index.js';
import { listActiveDelegates } from '../reference/index.js';
import { listActiveStaff } from '../users/index.js';
import { candidatesPdf, candidatesFilename, sendCandidatesExport } from './candidates-export.js';
import { proposeCandidate, withdrawCandidate } from './candidates.service.js';
import { chaseLetterFilename } from './chase-letter.js';
import { chaseLetterPdfOf, sendChaseLetter } from './chase.service.js';
import { sendRoundsExport } from './rounds-export.js';
import { addAgencyToRound, addCasesToRound, concludeRound, createRound, recordFinding, startRound } from './rounds.service.js';
import { sessionOptions } from './sessions.js';
import { assertMayReadSupervision } from './supervision.access.js';
import { caseForProposal, candidatesOfSession, countRounds, getCandidate, getRoundDetail, listRounds, pickList, readableRound } from './supervision.queries.js';
import {
  addAgencySchema,
  addCasesSchema,
  candidateFormSchema,
  candidatesQuerySchema,
  chaseFormSchema,
  concludeFormSchema,
  findingFormSchema,
  newCandidateQuerySchema,
  pickListQuerySchema,
  roundFormSchema,
  roundListQuerySchema,
  withdrawFormSchema,
} from './supervision.schemas.js';
import { CANDIDATE_KINDS, FINDING_KINDS, PICK_REASONS, ROUND_STATUSES } from './supervision.rules.js';

const BASE = '/supervision';
const newKey = () => crypto.randomBytes(16).toString('hex');
const idOf = (req: Request) => String(req.params.id ?? '');
const listOf = (v: unknown) => (Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : []);

function office() {
  const s = forwardingSettings();
  return { parentBody: s.OFFICE_PARENT_BODY, name: s.OFFICE_NAME, place: s.OFFICE_PLACE };
}

export function supervisionRouter(deps: AppDeps): Router {
  const router = Router();
  // Everything here needs case access; a delegate then sees only the rounds they are a member of.
  router.use((req, _res, next) => {
    assertMayReadSupervision(req.user!);
    next();
  });

  router.get('/', async (req, res) => {
    const query = roundListQuerySchema.parse(req.query);
    const [page, total, agencies] = await Promise.all([listRounds(req.user!, query), countRounds(req.user!, query), listActiveAgencies()]);
    res.render('supervision/list', { page, total, query, statuses: ROUND_STATUSES, agencies, mayWrite: can(req.user, 'cases:write') });
  });

  // The list as a file, with its filters (declared before '/:id', which would take "export.csv").
  for (const format of EXPORT_FORMATS) {
    router.get(`/export.${format}`, async (req, res) => {
      await sendRoundsExport(res, req.user!, roundListQuerySchema.parse(req.query), format, { t: deps.translator.t(req.lang), creator: deps.config.OFFICE_NAME, now: deps.clock.now() });
    });
  }

  const roundFormLocals = async () => {
    const [staff, delegates, agencies] = await Promise.all([listActiveStaff(['leader', 'officer']), listActiveDelegates(), listActiveAgencies()]);
    return { staff, delegates, agencies };
  };

  router.get('/new', requirePermission('cases:write'), async (_req, res) => {
    res.render('supervision/new', { ...(await roundFormLocals()), values: { submissionKey: newKey() }, checked: { staffIds: [], delegateIds: [], agencyIds: [] } });
  });

  router.post(
    '/',
    requirePermission('cases:write'),
    formHandler({
      view: 'supervision/new',
      schema: roundFormSchema,
      locals: async (req) => {
        const body = req.body as Record<string, unknown>;
        return { ...(await roundFormLocals()), checked: { staffIds: listOf(body.staffIds), delegateIds: listOf(body.delegateIds), agencyIds: listOf(body.agencyIds) } };
      },
      submit: async (req, res, input) => {
        const { id } = await createRound(req.user!, input, contextOf(req, deps.clock));
        flash(req, { type: 'success', key: 'supervision.flash.created', params: { title: input.title } });
        res.redirect(303, `${BASE}/${id}`);
      },
    }),
  );

  // ——— Matters proposed for a session ———

  const candidatesPage = async (req: Request) => {
    const query = candidatesQuerySchema.parse(req.query);
    const sessions = await sessionOptions(deps.translator.t(req.lang));
    const session = sessions.find((s) => s.id === query.session) ?? null;
    const rows = session ? await candidatesOfSession(req.user!, session.id, query.withdrawn === '1') : [];
    return { query, sessions, session, rows };
  };

  router.get('/candidates', async (req, res) => {
    res.render('supervision/candidates', { ...(await candidatesPage(req)), mayWrite: can(req.user, 'cases:write') });
  });

  router.get('/candidates.pdf', async (req, res) => {
    const query = candidatesQuerySchema.parse(req.query);
    const sessions = await sessionOptions(deps.translator.t('vi'));
    const session = sessions.find((s) => s.id === query.session);
    if (!session) throw new NotFoundError('supervision.errors.sessionRequired');
    const rows = await candidatesOfSession(req.user!, session.id, false);
    await streamPdf(candidatesPdf(rows, session.label, office(), deps.clock.now()), res, { filename: `${candidatesFilename(session.label)}.pdf` });
  });

  for (const format of ['csv', 'xlsx'] as const) {
    router.get(`/candidates.${format}`, async (req, res) => {
      const { session, rows } = await candidatesPage(req);
      if (!session) throw new NotFoundError('supervision.errors.sessionRequired');
      await sendCandidatesExport(res, format, rows, session.label, deps.translator.t(req.lang), deps.config.OFFICE_NAME, deps.clock.now());
    });
  }

  const renderProposal = async (req: Request, res: Response, status: number, caseId: string, extra: Record<string, unknown>) => {
    const [kase, sessions, agencies] = await Promise.all([caseForProposal(caseId), sessionOptions(deps.translator.t(req.lang)), listActiveAgencies()]);
    res.status(status).render('supervision/propose', { kase, sessions, agencies, kinds: CANDIDATE_KINDS, ...extra });
  };

  router.get('/candidates/new', requirePermission('cases:write'), async (req, res) => {
    const query = newCandidateQuerySchema.parse(req.query);
    if (!query.case) throw new NotFoundError('supervision.errors.caseUnknown');
    await renderProposal(req, res, 200, query.case, { values: { submissionKey: newKey(), roundId: query.round ?? '', forwardingId: query.forwarding ?? '', kind: 'questioning' } });
  });

  router.post('/candidates', requirePermission('cases:write'), async (req, res) => {
    const body = req.body as Record<string, unknown>;
    try {
      const input = parseForm(candidateFormSchema, body);
      await proposeCandidate(req.user!, input, contextOf(req, deps.clock), deps.translator.t('vi'));
      flash(req, { type: 'success', key: 'supervision.flash.proposed' });
      res.redirect(303, input.roundId ? `${BASE}/${input.roundId}` : `${BASE}/candidates?session=${input.sessionId}`);
    } catch (err) {
      const caseId = typeof body.caseId === 'string' ? body.caseId : '';
      if (!(err instanceof ValidationError) || !/^[a-f0-9]{24}$/.test(caseId)) throw err;
      await renderProposal(req, res, 422, caseId, { values: keptValues(body), errors: err.fieldErrors });
    }
  });

  const renderWithdraw = async (req: Request, res: Response, status: number, extra: Record<string, unknown>) => {
    const candidate = await getCandidate(req.user!, idOf(req));
    res.status(status).render('supervision/withdraw', { candidate, ...extra });
  };

  router.get('/candidates/:id/withdraw', requirePermission('cases:write'), async (req, res) => {
    await renderWithdraw(req, res, 200, { values: {} });
  });

  router.post('/candidates/:id/withdraw', requirePermission('cases:write'), async (req, res) => {
    try {
      const input = parseForm(withdrawFormSchema, req.body);
      const candidate = await withdrawCandidate(req.user!, idOf(req), input, contextOf(req, deps.clock));
      flash(req, { type: 'success', key: 'supervision.flash.withdrawn' });
      res.redirect(303, `${BASE}/candidates?session=${String(candidate.sessionId)}`);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      await renderWithdraw(req, res, 422, { values: keptValues(req.body), errors: err.fieldErrors });
    }
  });

  // ——— Chase letters ———

  router.get('/letters/:id/pdf', async (req, res) => {
    const { bytes, letter } = await chaseLetterPdfOf(idOf(req));
    // Readable by whoever may read the round it belongs to.
    if (letter.roundId) await readableRound(req.user!, String(letter.roundId));
    else if (!can(req.user, 'cases:read-all')) throw new NotFoundError('supervision.errors.letterNotFound');
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Content-Disposition', `inline; filename*=UTF-8''${encodeURIComponent(chaseLetterFilename(letter.number))}`);
    res.end(bytes);
  });

  // ——— One round ———

  const renderRound = async (req: Request, res: Response, status: number, extra: Record<string, unknown> = {}) => {
    const actor = req.user!;
    const detail = await getRoundDetail(actor, idOf(req), deps.clock.now());
    const mayWrite = can(actor, 'cases:write');
    res.status(status).render('supervision/detail', {
      ...detail,
      r: detail.round,
      mayWrite,
      mayConclude: can(actor, 'supervision:conclude'),
      agencies: mayWrite ? await listActiveAgencies() : [],
      findingKinds: FINDING_KINDS,
      values: { submissionKey: newKey() },
      ...extra,
    });
  };

  router.get('/:id', async (req, res) => {
    await renderRound(req, res, 200);
  });

  /** A round action: 303 back to the round with a message, or the round again with 422 and what was typed. */
  const action =
    (permission: 'cases:write' | 'supervision:conclude', handle: (req: Request) => Promise<string>) =>
    [
      requirePermission(permission),
      async (req: Request, res: Response): Promise<void> => {
        try {
          const key = await handle(req);
          flash(req, { type: 'success', key });
          res.redirect(303, `${BASE}/${idOf(req)}`);
        } catch (err) {
          if (!(err instanceof ValidationError)) throw err;
          await renderRound(req, res, 422, { errors: err.fieldErrors, values: { ...keptValues(req.body), submissionKey: keptValues(req.body).submissionKey ?? newKey() } });
        }
      },
    ];

  router.post(
    '/:id/start',
    ...action('cases:write', async (req) => {
      await startRound(req.user!, idOf(req), contextOf(req, deps.clock));
      return 'supervision.flash.started';
    }),
  );
  router.post(
    '/:id/agencies',
    ...action('cases:write', async (req) => {
      await addAgencyToRound(req.user!, idOf(req), parseForm(addAgencySchema, req.body), contextOf(req, deps.clock));
      return 'supervision.flash.agencyAdded';
    }),
  );
  router.post(
    '/:id/findings',
    ...action('cases:write', async (req) => {
      await recordFinding(req.user!, idOf(req), parseForm(findingFormSchema, req.body), contextOf(req, deps.clock));
      return 'supervision.flash.findingRecorded';
    }),
  );
  router.post(
    '/:id/conclude',
    ...action('supervision:conclude', async (req) => {
      await concludeRound(req.user!, idOf(req), parseForm(concludeFormSchema, req.body), contextOf(req, deps.clock));
      return 'supervision.flash.concluded';
    }),
  );

  const renderPick = async (req: Request, res: Response, status: number, extra: Record<string, unknown> = {}) => {
    const round = await readableRound(req.user!, idOf(req));
    const query = pickListQuerySchema.parse(req.query);
    const [rows, agencies] = await Promise.all([pickList(round, query, deps.clock.now()), listActiveAgencies()]);
    res.status(status).render('supervision/pick', { r: round, rows, query, agencies, reasons: PICK_REASONS, values: {}, checked: [], ...extra });
  };

  router.get('/:id/cases', requirePermission('cases:write'), async (req, res) => {
    await renderPick(req, res, 200);
  });

  router.post('/:id/cases', requirePermission('cases:write'), async (req, res) => {
    try {
      const count = await addCasesToRound(req.user!, idOf(req), parseForm(addCasesSchema, req.body), contextOf(req, deps.clock));
      flash(req, { type: 'success', key: 'supervision.flash.casesAdded', params: { count } });
      res.redirect(303, `${BASE}/${idOf(req)}`);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      await renderPick(req, res, 422, { errors: err.fieldErrors, values: keptValues(req.body), checked: listOf((req.body as Record<string, unknown>).caseIds) });
    }
  });

  const renderChase = async (req: Request, res: Response, status: number, forwardingId: string, extra: Record<string, unknown>) => {
    const detail = await getRoundDetail(req.user!, idOf(req), deps.clock.now());
    const found = detail.cases.flatMap((c) => c.forwardings.map((f) => ({ ...f, caseNumber: c.number }))).find((f) => f.id === forwardingId);
    if (!found) throw new NotFoundError('supervision.errors.forwardingUnknown');
    res.status(status).render('supervision/chase', { r: detail.round, f: found, ...extra });
  };

  router.get('/:id/chase', requirePermission('cases:write'), async (req, res) => {
    const forwardingId = typeof req.query.forwarding === 'string' ? req.query.forwarding : '';
    await renderChase(req, res, 200, forwardingId, { values: { submissionKey: newKey(), forwardingId } });
  });

  router.post('/:id/chase', requirePermission('cases:write'), async (req, res) => {
    const body = req.body as Record<string, unknown>;
    try {
      const input = parseForm(chaseFormSchema, body);
      const letter = await sendChaseLetter(req.user!, idOf(req), input, contextOf(req, deps.clock));
      flash(req, { type: 'success', key: 'supervision.flash.chased', params: { number: letter.number } });
      res.redirect(303, `${BASE}/${idOf(req)}`);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      await renderChase(req, res, 422, typeof body.forwardingId === 'string' ? body.forwardingId : '', { values: keptValues(body), errors: err.fieldErrors });
    }
  });

  return router;
}
