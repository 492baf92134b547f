// Voter meetings: the list, the form (new and edit), one meeting's page, the minutes, and the fast
// entry of its petitions. Thin: parse → service → redirect, or render with 422.
import crypto from 'node:crypto';
import { Router, type Request, type RequestHandler, type Response } from 'express';
import { can, requirePermission } from '../access/index.js';
import { UploadRefusedError, assertMaySee, getAttachment, sendAttachment, uploadFiles, uploadedIds } from '../attachments/index.js';
import { formatIsoDate } from '../calendar/index.js';
import type { AppDeps } from '../platform/deps.js';
import { NotFoundError, ValidationError } from '../platform/errors.js';
import { keptValues, parseForm } from '../platform/http/forms.js';
import { contextOf } from '../platform/http/request-context.js';
import { flash } from '../platform/http/session.js';
import { loadVisibleMeeting } from './meetings.access.js';
import { getMeetingDetail, listMeetings, meetingListQuerySchema } from './meetings.queries.js';
import { ASSEMBLY_BODIES, COMPETENCES, MEETING_FORMATS, MEETING_TIMINGS, dayOf, isPressNoticeWarning } from './meetings.rules.js';
import { DEFAULT_ROWS, MAX_ROWS, MORE_ROWS, meetingSchema, parsePetitionRows, rowCountOf } from './meetings.schemas.js';
import { attachMinutes, createMeeting, updateMeeting, type SavedMeeting } from './meetings.service.js';
import { meetingFormOptions, placeOptions } from './meeting-options.js';
import { recordPetitions } from './petitions.service.js';
import { listSessions } from './sessions.queries.js';

const lists = { bodies: ASSEMBLY_BODIES, timings: MEETING_TIMINGS, formats: MEETING_FORMATS, competences: COMPETENCES };

function param(req: Request, name: string): string {
  return String(req.params[name] ?? '');
}

/** Checkboxes arrive as one string or an array of strings; the form shows them ticked again. */
function checked(value: unknown): string[] {
  return (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
}

function vietnamTime(at: Date): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Ho_Chi_Minh', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at);
}

function announce(req: Request, result: SavedMeeting): void {
  if (result.replayed) return;
  flash(req, { type: 'success', key: 'meetings.flash.meetingSaved' });
  if (isPressNoticeWarning(result.pressNotice)) flash(req, { type: 'warning', key: `meetings.flash.pressNotice-${result.pressNotice}`, params: { date: formatIsoDate(result.pressNoticeDue) } });
}

export function meetingsRouter(deps: AppDeps): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    const query = meetingListQuerySchema.parse(req.query);
    const [page, sessions] = await Promise.all([listMeetings(req.user!, query, deps.clock.now()), listSessions(req.user!, dayOf(deps.clock.now()))]);
    res.render('meetings/list', { page, query, sessions, ...lists, mayWrite: can(req.user, 'cases:write') });
  });

  const renderForm = async (req: Request, res: Response, status: number, locals: Record<string, unknown>) => {
    res.status(status).render('meetings/form', { ...(await meetingFormOptions(req.user!, req.lang, dayOf(deps.clock.now()))), ...lists, ...locals });
  };

  const formValues = (body: unknown) => {
    const raw = (body ?? {}) as Record<string, unknown>;
    return { ...keptValues(raw), unitCodes: checked(raw.unitCodes), delegateIds: checked(raw.delegateIds) };
  };

  router.get('/new', requirePermission('cases:write'), async (req, res) => {
    const session = typeof req.query.session === 'string' && /^[a-f0-9]{24}$/.test(req.query.session) ? req.query.session : '';
    await renderForm(req, res, 200, { values: { submissionKey: crypto.randomBytes(16).toString('hex'), level: 'quoc-hoi', timing: 'before', format: 'in-person', time: '08:00', sessionId: session, unitCodes: [], delegateIds: [] } });
  });

  router.post('/', requirePermission('cases:write'), async (req, res) => {
    try {
      const result = await createMeeting(req.user!, parseForm(meetingSchema, req.body), contextOf(req, deps.clock));
      announce(req, result);
      res.redirect(303, `/meetings/${result.id}`);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      await renderForm(req, res, 422, { values: formValues(req.body), errors: err.fieldErrors });
    }
  });

  router.get('/:id', async (req, res) => {
    const meeting = await getMeetingDetail(req.user!, param(req, 'id'), deps.clock.now());
    const places = await placeOptions(req.lang);
    res.render('meetings/detail', {
      meeting,
      mayWrite: can(req.user, 'cases:write'),
      fieldNames: Object.fromEntries(places.fields.map((f) => [f.value, f.text])),
      unitNames: Object.fromEntries(places.communes.map((c) => [c.value, c.text])),
      errors: null,
    });
  });

  router.get('/:id/edit', requirePermission('cases:write'), async (req, res) => {
    const m = await getMeetingDetail(req.user!, param(req, 'id'), deps.clock.now());
    await renderForm(req, res, 200, {
      editing: m,
      values: {
        submissionKey: crypto.randomBytes(16).toString('hex'),
        level: m.level,
        timing: m.timing,
        sessionId: m.sessionId ?? '',
        topic: m.topic ?? '',
        date: formatIsoDate(dayOf(m.startsAt)),
        time: vietnamTime(m.startsAt),
        format: m.format,
        place: m.place,
        unitCodes: m.unitCodes,
        delegateIds: m.attending.map((d) => d.delegateId),
        coOrganiser: m.coOrganiser ?? '',
        voterCount: m.voterCount === null ? '' : String(m.voterCount),
        pressNoticeOn: m.pressNoticeOn ? formatIsoDate(m.pressNoticeOn) : '',
      },
    });
  });

  router.post('/:id', requirePermission('cases:write'), async (req, res) => {
    const meeting = await loadVisibleMeeting(req.user!, param(req, 'id'));
    try {
      const result = await updateMeeting(req.user!, String(meeting._id), parseForm(meetingSchema, req.body), contextOf(req, deps.clock));
      announce(req, result);
      res.redirect(303, `/meetings/${result.id}`);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      await renderForm(req, res, 422, { editing: { id: String(meeting._id) }, values: formValues(req.body), errors: err.fieldErrors });
    }
  });

  // ─── Fast entry of petitions ──────────────────────────────────────────────────────────────────

  const renderEntry = async (req: Request, res: Response, status: number, values: Record<string, string>, rows: number, errors?: Record<string, string>) => {
    const meeting = await getMeetingDetail(req.user!, param(req, 'id'), deps.clock.now());
    res.status(status).render('meetings/petitions-entry', { meeting, values, rowNumbers: Array.from({ length: rows }, (_, i) => i + 1), rows, maxRows: MAX_ROWS, ...(await placeOptions(req.lang)), ...lists, errors });
  };

  router.get('/:id/petitions/new', requirePermission('cases:write'), async (req, res) => {
    await renderEntry(req, res, 200, { submissionKey: crypto.randomBytes(16).toString('hex') }, DEFAULT_ROWS);
  });

  router.post('/:id/petitions', requirePermission('cases:write'), async (req, res) => {
    const values = keptValues(req.body);
    // "More rows" keeps everything typed and shows empty rows below; nothing is saved yet.
    if (values.action === 'more') return renderEntry(req, res, 200, values, Math.min(MAX_ROWS, rowCountOf(req.body) + MORE_ROWS));
    try {
      const result = await recordPetitions(req.user!, param(req, 'id'), parsePetitionRows(req.body), contextOf(req, deps.clock));
      if (!result.replayed) flash(req, { type: 'success', key: 'meetings.flash.petitionsRecorded', params: { count: result.count } });
      res.redirect(303, `/meetings/${param(req, 'id')}#petitions`);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      await renderEntry(req, res, 422, values, rowCountOf(req.body), err.fieldErrors);
    }
  });

  // ─── Minutes ──────────────────────────────────────────────────────────────────────────────────

  const upload = uploadFiles({ clock: deps.clock });
  const uploadOrExplain: RequestHandler = (req, res, next) => {
    upload(req, res, (err?: unknown) => {
      if (!(err instanceof UploadRefusedError)) return next(err);
      renderDetailWithError(req, res, err.status, { files: err.messageKey }, { files: err.params }).catch(next);
    });
  };

  const renderDetailWithError = async (req: Request, res: Response, status: number, errors: Record<string, string>, errorParams: Record<string, unknown> = {}) => {
    const meeting = await getMeetingDetail(req.user!, param(req, 'id'), deps.clock.now());
    const places = await placeOptions(req.lang);
    res.status(status).render('meetings/detail', {
      meeting,
      mayWrite: can(req.user, 'cases:write'),
      fieldNames: Object.fromEntries(places.fields.map((f) => [f.value, f.text])),
      unitNames: Object.fromEntries(places.communes.map((c) => [c.value, c.text])),
      errors,
      errorParams,
    });
  };

  router.post('/:id/minutes', requirePermission('cases:write'), uploadOrExplain, async (req, res) => {
    try {
      const count = await attachMinutes(req.user!, param(req, 'id'), uploadedIds(req), contextOf(req, deps.clock));
      flash(req, { type: 'success', key: 'meetings.flash.minutesAdded', params: { count } });
      res.redirect(303, `/meetings/${param(req, 'id')}#minutes`);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      await renderDetailWithError(req, res, 422, err.fieldErrors);
    }
  });

  router.get('/:id/minutes/:attachmentId', async (req, res) => {
    const meeting = await loadVisibleMeeting(req.user!, param(req, 'id'));
    const attachment = await getAttachment(param(req, 'attachmentId')).catch((err: unknown) => {
      if (err instanceof NotFoundError) return null;
      throw err;
    });
    if (!attachment || attachment.owner?.type !== 'meeting' || attachment.owner.id !== String(meeting._id)) throw new NotFoundError('meetings.errors.attachmentNotFound');
    assertMaySee(req.user!, attachment, true);
    await sendAttachment(res, attachment);
  });

  return router;
}
