// One petition's page (its originals, answers and history), its classification, withdrawal and the
// detaching of an original merged by mistake; and a delegate's own meetings with their summary page.
import { Router, type Request, type Response } from 'express';
import { can, requirePermission } from '../access/index.js';
import { suggestCompetentAgencies } from '../agencies/index.js';
import type { AppDeps } from '../platform/deps.js';
import { ValidationError } from '../platform/errors.js';
import { keptValues, parseForm } from '../platform/http/forms.js';
import { contextOf } from '../platform/http/request-context.js';
import { flash } from '../platform/http/session.js';
import { streamPdf } from '../platform/pdf/index.js';
import { delegateOverview } from './delegate.queries.js';
import { COMPETENCES, dayOf, isEditable } from './meetings.rules.js';
import { classificationSchema, withdrawSchema } from './meetings.schemas.js';
import { detachOriginal } from './merge.service.js';
import { agencyOptions, placeOptions } from './meeting-options.js';
import { getPetitionDetail } from './petitions.queries.js';
import { classifyPetition, withdrawPetition } from './petitions.service.js';
import { delegateSummaryPdf } from './report-documents.js';
import { listSessions, officialSessionName, type SessionRow } from './sessions.queries.js';

function param(req: Request, name: string): string {
  return String(req.params[name] ?? '');
}

export function petitionsRouter(deps: AppDeps): Router {
  const router = Router();

  const renderPetition = async (req: Request, res: Response, status: number, extra: Record<string, unknown> = {}) => {
    const actor = req.user!;
    const petition = await getPetitionDetail(actor, param(req, 'id'));
    const mayWrite = can(actor, 'cases:write') && isEditable(petition.status);
    const [places, agencies, suggested] = await Promise.all([
      placeOptions(req.lang),
      mayWrite ? agencyOptions() : [],
      mayWrite
        ? suggestCompetentAgencies(actor, { fieldCode: petition.fieldCode, unitCode: petition.unitCodes[0] ?? null, caseType: petition.competence === 'central' ? 'voter-petition-central' : 'voter-petition-local' })
        : [],
    ]);
    res.status(status).render('meetings/petition', {
      petition,
      mayWrite,
      mayDetach: can(actor, 'cases:write'),
      ...places,
      agencies,
      suggested: suggested.map((s) => ({ id: s.agency.id, name: s.agency.name })),
      competences: COMPETENCES,
      fieldNames: Object.fromEntries(places.fields.map((f) => [f.value, f.text])),
      unitNames: Object.fromEntries(places.communes.map((c) => [c.value, c.text])),
      values: { content: petition.content, fieldCode: petition.fieldCode ?? '', unitCode: petition.unitCode ?? '', competence: petition.competence ?? '', agencyId: petition.agencyId ?? '' },
      ...extra,
    });
  };

  router.get('/:id', async (req, res) => {
    await renderPetition(req, res, 200);
  });

  router.post('/:id/classification', requirePermission('cases:write'), async (req, res) => {
    try {
      await classifyPetition(req.user!, param(req, 'id'), parseForm(classificationSchema, req.body), contextOf(req, deps.clock));
      flash(req, { type: 'success', key: 'meetings.flash.classified' });
      res.redirect(303, `/meetings/petitions/${param(req, 'id')}`);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      await renderPetition(req, res, 422, { values: keptValues(req.body), errors: err.fieldErrors });
    }
  });

  router.post('/:id/withdraw', requirePermission('cases:write'), async (req, res) => {
    try {
      await withdrawPetition(req.user!, param(req, 'id'), parseForm(withdrawSchema, req.body), contextOf(req, deps.clock));
      flash(req, { type: 'success', key: 'meetings.flash.withdrawn' });
      res.redirect(303, `/meetings/petitions/${param(req, 'id')}`);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      await renderPetition(req, res, 422, { withdrawValues: keptValues(req.body), errors: err.fieldErrors });
    }
  });

  router.post('/:id/detach', requirePermission('cases:write'), async (req, res) => {
    await detachOriginal(req.user!, param(req, 'id'), contextOf(req, deps.clock));
    flash(req, { type: 'success', key: 'meetings.flash.detached' });
    res.redirect(303, `/meetings/petitions/${param(req, 'id')}`);
  });

  return router;
}

/** The session chosen on the delegate's page, if it is one of the listed sessions. */
function chosenSession(req: Request, sessions: readonly SessionRow[]): SessionRow | null {
  const wanted = typeof req.query.session === 'string' ? req.query.session : '';
  return sessions.find((s) => s.id === wanted) ?? null;
}

export function myMeetingsRouter(deps: AppDeps): Router {
  const router = Router();
  router.use(requirePermission('cases:read-own'));

  router.get('/', async (req, res) => {
    const sessions = await listSessions(req.user!, dayOf(deps.clock.now()));
    const session = chosenSession(req, sessions);
    const overview = await delegateOverview(req.user!, session?.id ?? null);
    const places = await placeOptions(req.lang);
    res.render('meetings/mine', { overview, sessions, session, unitNames: Object.fromEntries(places.communes.map((c) => [c.value, c.text])) });
  });

  router.get('/summary.pdf', async (req, res) => {
    const sessions = await listSessions(req.user!, dayOf(deps.clock.now()));
    const session = chosenSession(req, sessions);
    const overview = await delegateOverview(req.user!, session?.id ?? null);
    const doc = delegateSummaryPdf(
      {
        delegateName: req.user!.name,
        sessionName: session ? officialSessionName(session) : null,
        meetings: overview.meetings.map((m) => ({ startsAt: m.startsAt, place: m.place, voterCount: m.voterCount, petitionCount: m.petitionCount })),
        petitions: overview.meetings.flatMap((m) => m.petitions),
        counts: overview.counts,
      },
      deps.clock.now(),
    );
    await streamPdf(doc, res, { filename: 'Tóm tắt kiến nghị cử tri.pdf' });
  });

  return router;
}
