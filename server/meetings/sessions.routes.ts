// Sessions: the list, the form, one session's page (compile deadlines, meetings, petitions after
// merging, merge suggestions), compiling, the compiled list (XLSX, PDF) and the report of answers
// (page, PDF, XLSX).
import crypto from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { can, requirePermission } from '../access/index.js';
import type { AppDeps } from '../platform/deps.js';
import { NotFoundError, ValidationError } from '../platform/errors.js';
import { keptValues, parseForm } from '../platform/http/forms.js';
import { contextOf } from '../platform/http/request-context.js';
import { flash } from '../platform/http/session.js';
import { streamPdf } from '../platform/pdf/index.js';
import { contentDisposition } from '../platform/pdf/disposition.js';
import { formatIsoDate } from '../calendar/index.js';
import { explainStoredDeadline, type StoredDeadline } from '../deadlines/index.js';
import { compileSession } from './compile.service.js';
import { compiledList, compiledListPdf, writeCompiledXlsx, type OfficeHeading } from './compiled-list.js';
import { listMeetings } from './meetings.queries.js';
import { ASSEMBLY_BODIES, COMPETENCES, dayOf, type Competence } from './meetings.rules.js';
import { forwardSchema, mergeSchema, sessionSchema } from './meetings.schemas.js';
import { forwardCompiledPetitions, groupsToForward } from './forward.service.js';
import { mergePetitions } from './merge.service.js';
import { placeOptions } from './meeting-options.js';
import { mergeSuggestionsOf, sessionPetitionRows } from './petitions.queries.js';
import { sessionReportPdf } from './report-documents.js';
import { sessionReportWorkbook } from './report-workbook.js';
import { reportQuerySchema, sessionReport } from './report.queries.js';
import { assertMayReadMeetings, getSession, listSessions } from './sessions.queries.js';
import { createSession, updateSession } from './sessions.service.js';

function param(req: Request, name: string): string {
  return String(req.params[name] ?? '');
}

export function officeOf(deps: AppDeps): OfficeHeading {
  return { parentBody: deps.config.OFFICE_PARENT_BODY, name: deps.config.OFFICE_NAME, place: deps.config.OFFICE_PLACE };
}

function competenceOf(req: Request): Competence {
  const value = typeof req.query.competence === 'string' ? req.query.competence : '';
  if (!(COMPETENCES as readonly string[]).includes(value)) throw new NotFoundError('meetings.errors.competenceUnknown');
  return value as Competence;
}

export function sessionsRouter(deps: AppDeps): Router {
  const router = Router();
  const today = () => dayOf(deps.clock.now());

  router.get('/', async (req, res) => {
    res.render('meetings/sessions', { sessions: await listSessions(req.user!, today()), mayWrite: can(req.user, 'cases:write') });
  });

  const renderForm = (res: Response, status: number, locals: Record<string, unknown>) => res.status(status).render('meetings/session-form', { bodies: ASSEMBLY_BODIES, ...locals });

  router.get('/new', requirePermission('cases:write'), (_req, res) => {
    renderForm(res, 200, { values: { submissionKey: crypto.randomBytes(16).toString('hex'), body: 'quoc-hoi' } });
  });

  router.post('/', requirePermission('cases:write'), async (req, res) => {
    try {
      const { id, replayed } = await createSession(req.user!, parseForm(sessionSchema, req.body), contextOf(req, deps.clock));
      if (!replayed) flash(req, { type: 'success', key: 'meetings.flash.sessionSaved' });
      res.redirect(303, `/meetings/sessions/${id}`);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      renderForm(res, 422, { values: keptValues(req.body), errors: err.fieldErrors });
    }
  });

  router.get('/:id/edit', requirePermission('cases:write'), async (req, res) => {
    const s = await getSession(req.user!, param(req, 'id'), today());
    if (!s) throw new NotFoundError('meetings.errors.sessionNotFound');
    renderForm(res, 200, { editing: s, values: { submissionKey: s.submissionKey, body: s.body, term: s.term, number: String(s.number), opensOn: formatIsoDate(s.opensOn), closesOn: formatIsoDate(s.closesOn) } });
  });

  router.post('/:id', requirePermission('cases:write'), async (req, res) => {
    const s = await getSession(req.user!, param(req, 'id'), today());
    if (!s) throw new NotFoundError('meetings.errors.sessionNotFound');
    try {
      await updateSession(req.user!, s.id, parseForm(sessionSchema, req.body), contextOf(req, deps.clock));
      flash(req, { type: 'success', key: 'meetings.flash.sessionSaved' });
      res.redirect(303, `/meetings/sessions/${s.id}`);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      renderForm(res, 422, { editing: s, values: keptValues(req.body), errors: err.fieldErrors });
    }
  });

  const renderSession = async (req: Request, res: Response, status: number, extra: Record<string, unknown> = {}) => {
    const actor = req.user!;
    const session = await getSession(actor, param(req, 'id'), today());
    if (!session) throw new NotFoundError('meetings.errors.sessionNotFound');
    const mayList = can(actor, 'cases:read-all') || can(actor, 'cases:read-own');
    const [meetings, petitions, suggestions, groups, places] = await Promise.all([
      mayList ? listMeetings(actor, { session: session.id }, deps.clock.now()) : null,
      mayList ? sessionPetitionRows(actor, session.id) : [],
      can(actor, 'cases:write') ? mergeSuggestionsOf(actor, session.id) : [],
      can(actor, 'cases:write') ? groupsToForward(actor, session.id) : [],
      placeOptions(req.lang),
    ]);
    res.status(status).render('meetings/session', {
      session,
      meetings,
      petitions,
      suggestions,
      forwardable: groups,
      competences: COMPETENCES,
      fieldNames: Object.fromEntries(places.fields.map((f) => [f.value, f.text])),
      unitNames: Object.fromEntries(places.communes.map((c) => [c.value, c.text])),
      mayWrite: can(actor, 'cases:write'),
      mergeKey: crypto.randomBytes(16).toString('hex'),
      forwardKey: crypto.randomBytes(16).toString('hex'),
      explained: { before: explainStoredDeadline(session.compileBefore as StoredDeadline, req.lang), after: explainStoredDeadline(session.compileAfter as StoredDeadline, req.lang) },
      ...extra,
    });
  };

  router.get('/:id', async (req, res) => {
    assertMayReadMeetings(req.user!);
    await renderSession(req, res, 200);
  });

  router.post('/:id/merge', requirePermission('cases:write'), async (req, res) => {
    try {
      const result = await mergePetitions(req.user!, parseForm(mergeSchema, req.body), contextOf(req, deps.clock));
      if (!result.replayed) flash(req, { type: 'success', key: 'meetings.flash.merged', params: { code: result.code } });
      res.redirect(303, `/meetings/petitions/${result.id}`);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      await renderSession(req, res, 422, { errors: err.fieldErrors, mergeValues: keptValues(req.body) });
    }
  });

  router.post('/:id/compile', requirePermission('cases:write'), async (req, res) => {
    const { compiled, unclassified } = await compileSession(req.user!, param(req, 'id'), contextOf(req, deps.clock));
    flash(req, { type: unclassified > 0 ? 'warning' : 'success', key: 'meetings.flash.compiled', params: { compiled, unclassified } });
    res.redirect(303, `/meetings/sessions/${param(req, 'id')}#compile`);
  });

  // The compiled petitions to their agencies in bulk: one forwarding per agency.
  router.post('/:id/forward', requirePermission('cases:write'), async (req, res) => {
    const input = parseForm(forwardSchema, req.body);
    const result = await forwardCompiledPetitions(req.user!, param(req, 'id'), input, contextOf(req, deps.clock));
    if (!result.replayed) flash(req, { type: 'success', key: result.sent ? 'meetings.flash.forwarded' : 'meetings.flash.forwardDrafted', params: { forwardings: result.forwardings, petitions: result.petitions } });
    res.redirect(303, `/meetings/sessions/${param(req, 'id')}#compile`);
  });

  router.get('/:id/compiled.xlsx', async (req, res) => {
    assertMayReadMeetings(req.user!);
    const list = await compiledList(req.user!, param(req, 'id'), competenceOf(req), deps.clock.now());
    res.status(200);
    res.setHeader('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    res.setHeader('Content-Disposition', `attachment; filename="kien-nghi-cu-tri-${list.competence}.xlsx"`);
    res.setHeader('Cache-Control', 'private, no-store');
    await writeCompiledXlsx(res, list, officeOf(deps), deps.clock.now());
  });

  router.get('/:id/compiled.pdf', async (req, res) => {
    assertMayReadMeetings(req.user!);
    const list = await compiledList(req.user!, param(req, 'id'), competenceOf(req), deps.clock.now());
    await streamPdf(compiledListPdf(list, officeOf(deps), deps.clock.now()), res, { filename: `Tổng hợp kiến nghị cử tri (${list.competence}).pdf` });
  });

  router.get('/:id/report', async (req, res) => {
    const report = await sessionReport(req.user!, param(req, 'id'), reportQuerySchema.parse(req.query), deps.clock.now());
    res.render('meetings/report', { report, query: reportQuerySchema.parse(req.query) });
  });

  router.get('/:id/report.pdf', async (req, res) => {
    const report = await sessionReport(req.user!, param(req, 'id'), reportQuerySchema.parse(req.query), deps.clock.now());
    await streamPdf(sessionReportPdf(report, officeOf(deps), deps.clock.now()), res, { filename: 'Báo cáo kết quả trả lời kiến nghị cử tri.pdf' });
  });

  router.get('/:id/report.xlsx', async (req, res) => {
    const report = await sessionReport(req.user!, param(req, 'id'), reportQuerySchema.parse(req.query), deps.clock.now());
    const file = await sessionReportWorkbook(report, officeOf(deps), deps.clock.now());
    res.setHeader('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    res.setHeader('Content-Disposition', contentDisposition('attachment', 'Báo cáo kết quả trả lời kiến nghị cử tri.xlsx'));
    res.setHeader('Cache-Control', 'private, no-store');
    res.send(file);
  });

  return router;
}
