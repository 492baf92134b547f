// The agency's side of the secure link, open without an account (mounted before sign-in).
//
//   GET  /a/:token   landing page: who wrote to whom and a Continue button. Changes nothing, because
//                    mail scanners and link previews open links; only the access is logged.
//   POST /a/:token   Continue: a fresh session scoped to this one forwarding, then 303 to /agency, so
//                    the token leaves the address bar and never reaches a Referer or the history.
//   /agency/...      the forwarding, its slip and files; confirm, ask for time, answer, leave.
//
// Every response here says no-referrer, no-store and noindex. The link is checked again on every
// request: a link the office revoked ends the session at once.
import crypto from 'node:crypto';
import { Router, type Request, type RequestHandler, type Response } from 'express';
import { discardUploads, getAttachment, sendAttachment, UploadRefusedError, uploadFiles, uploadedIds } from '../attachments/index.js';
import type { AppDeps } from '../platform/deps.js';
import { ConflictError, NotFoundError, ValidationError } from '../platform/errors.js';
import { keptValues, parseForm } from '../platform/http/forms.js';
import { createLimiter } from '../platform/http/rate-limit.js';
import { noReferrer } from '../platform/http/security.js';
import { SESSION_COOKIE, flash } from '../platform/http/session.js';
import { agencyFileOf, agencyViewOf } from './agency.queries.js';
import { answerSchema, confirmSchema, extensionSchema } from './agency.schemas.js';
import { AgencyLinkRefusedError, confirmReceipt, requestExtension, submitAnswer, type AgencyAccess } from './agency.service.js';
import { ANSWER_OUTCOMES, type LinkRefusal } from './forwarding.rules.js';
import type { LinkAction } from './link.model.js';
import { checkLinkStillValid, logLinkAccess, lookUpToken, type AccessMeta } from './links.service.js';
import { forwardingSettings } from './settings.js';
import { slipPdfOf } from './slip.service.js';
import { slipFilename } from './slip.js';

declare module 'express-session' {
  interface SessionData {
    /** An agency's access through its link: one forwarding, until the given time (ms since epoch). */
    agencyAccess?: { forwardingId: string; linkId: string; until: number };
  }
}

/** The window of AGENCY_LINK_MAX_PER_IP lookups per client address: enough for people, too few to guess a token. */
export const AGENCY_LINK_WINDOW_MINUTES = 15;

const linkHeaders: RequestHandler = (req, res, next) => {
  noReferrer(req, res, () => undefined);
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('X-Robots-Tag', 'noindex, nofollow');
  next();
};

/** Agency pages show neither the staff navigation nor a signed-in officer's tools. */
const AGENCY_PAGE = { nav: [], user: null, agencyPage: true } as const;

function metaOf(req: Request, at: Date): AccessMeta {
  const agent = req.headers['user-agent'];
  return { at, ip: req.ip ?? null, userAgent: typeof agent === 'string' ? agent : null };
}

function refusalStatus(refusal: LinkRefusal): number {
  return refusal === 'unknown' ? 404 : 410;
}

export function agencyLinkRouter(deps: AppDeps): Router {
  const router = Router();
  const lookups = createLimiter({ connection: deps.connection, clock: deps.clock, name: 'agency-link', windowMinutes: AGENCY_LINK_WINDOW_MINUTES, limit: deps.config.AGENCY_LINK_MAX_PER_IP });
  const sessionMinutes = () => forwardingSettings().AGENCY_SESSION_MINUTES;

  router.use(['/a', '/agency'], linkHeaders);

  const message = (res: Response, status: number, titleKey: string, messageKey: string) => {
    res.status(status).render('agency/message', { ...AGENCY_PAGE, status, titleKey, messageKey, officeName: forwardingSettings().OFFICE_NAME, officeContact: forwardingSettings().OFFICE_CONTACT ?? null });
  };

  // For unknown tokens the page never says why: a guess learns nothing about which tokens exist.
  const refused = (res: Response, refusal: LinkRefusal) => message(res, refusalStatus(refusal), `agency.refusedTitle.${refusal}`, `agency.refused.${refusal}`);

  /** Looks the token up and logs the use; answers the refusal itself, or returns what the link opens. */
  const openToken = async (req: Request, res: Response, action: LinkAction): Promise<{ forwardingId: string; linkId: string; agencyName: string } | null> => {
    const now = deps.clock.now();
    const found = await lookUpToken(req.params.token, now);
    const ids = { forwardingId: found.forwarding?._id ?? null, linkId: found.link?._id ?? null };
    if (found.refusal || !found.link || !found.forwarding) {
      const refusal = found.refusal ?? 'unknown';
      await logLinkAccess({ ...ids, action: 'refused', refusal }, metaOf(req, now));
      refused(res, refusal);
      return null;
    }
    await logLinkAccess({ ...ids, action }, metaOf(req, now));
    return { forwardingId: String(found.forwarding._id), linkId: String(found.link._id), agencyName: found.forwarding.agencyName };
  };

  router.get('/a/:token', lookups, async (req, res) => {
    const opened = await openToken(req, res, 'landing');
    if (!opened) return;
    res.render('agency/landing', { ...AGENCY_PAGE, officeName: forwardingSettings().OFFICE_NAME, agencyName: opened.agencyName, action: `/a/${String(req.params.token)}` });
  });

  router.post('/a/:token', lookups, async (req, res, next) => {
    const opened = await openToken(req, res, 'continue');
    if (!opened) return;
    const grant = () => {
      req.session.agencyAccess = { forwardingId: opened.forwardingId, linkId: opened.linkId, until: deps.clock.now().getTime() + sessionMinutes() * 60_000 };
      req.session.save((err) => (err ? next(err) : res.redirect(303, '/agency')));
    };
    // Nobody signed in: a new session id, so a session planted before the link was opened learns nothing.
    if (req.user) return grant();
    req.session.regenerate((err) => (err ? next(err) : grant()));
  });

  /** The agency's access, still valid, or an answer saying why not (401 expired, 410 revoked). */
  const requireAccess: RequestHandler = async (req, res, next) => {
    const now = deps.clock.now();
    const access = req.session?.agencyAccess;
    if (!access || access.until <= now.getTime()) {
      if (access) delete req.session.agencyAccess;
      return message(res, 401, 'agency.sessionExpiredTitle', 'agency.sessionExpired');
    }
    const check = await checkLinkStillValid(access.linkId, now);
    // A closed forwarding stays readable; what may still be done there is the service's answer.
    if ((check.refusal && check.refusal !== 'closed') || check.forwardingId !== access.forwardingId) {
      delete req.session.agencyAccess;
      await logLinkAccess({ forwardingId: access.forwardingId, linkId: access.linkId, action: 'refused', refusal: check.refusal ?? 'unknown' }, metaOf(req, now));
      return refused(res, check.refusal ?? 'unknown');
    }
    res.locals.agencyAccess = { forwardingId: access.forwardingId, linkId: access.linkId } satisfies AgencyAccess;
    next();
  };
  const accessOf = (res: Response) => res.locals.agencyAccess as AgencyAccess;

  // A link refused while the request ran (revoked a moment ago): the session ends here too.
  const asRefusal = (req: Request, res: Response, err: unknown): boolean => {
    if (!(err instanceof AgencyLinkRefusedError)) return false;
    delete req.session.agencyAccess;
    refused(res, err.refusal);
    return true;
  };

  const renderPage = async (req: Request, res: Response, status: number, extra: Record<string, unknown> = {}) => {
    const view = await agencyViewOf(accessOf(res), deps.clock.now());
    res.status(status).render('agency/page', {
      ...AGENCY_PAGE,
      view,
      outcomes: ANSWER_OUTCOMES,
      values: { submissionKey: crypto.randomBytes(16).toString('hex') },
      ...extra,
    });
  };

  router.get('/agency', requireAccess, async (req, res) => {
    await logLinkAccess({ ...accessOf(res), action: 'page' }, metaOf(req, deps.clock.now()));
    try {
      await renderPage(req, res, 200);
    } catch (err) {
      if (!asRefusal(req, res, err)) throw err;
    }
  });

  /** Runs a change; a refused form or a conflicting state re-renders the page with the reason. */
  const change = (run: (req: Request, res: Response) => Promise<void>, keep: (req: Request) => Record<string, unknown> = () => ({})): RequestHandler => async (req, res) => {
    try {
      await run(req, res);
    } catch (err) {
      if (asRefusal(req, res, err)) return;
      if (err instanceof ValidationError) return renderPage(req, res, 422, { ...keep(req), errors: err.fieldErrors });
      if (err instanceof ConflictError) return renderPage(req, res, 409, { conflict: err.messageKey });
      throw err;
    }
  };

  router.post(
    '/agency/confirm',
    requireAccess,
    change(async (req, res) => {
      const input = parseForm(confirmSchema, req.body);
      const { changed } = await confirmReceipt(accessOf(res), input, metaOf(req, deps.clock.now()));
      flash(req, { type: 'success', key: changed ? 'agency.flash.confirmed' : 'agency.flash.alreadyConfirmed' });
      res.redirect(303, '/agency');
    }),
  );

  router.post(
    '/agency/extension',
    requireAccess,
    change(
      async (req, res) => {
        const input = parseForm(extensionSchema, req.body);
        await requestExtension(accessOf(res), input, metaOf(req, deps.clock.now()));
        flash(req, { type: 'success', key: 'agency.flash.extensionRequested' });
        res.redirect(303, '/agency');
      },
      (req) => ({ extensionValues: keptValues(req.body) }),
    ),
  );

  // The answer form is multipart (the signed PDF). Files are stored as the agency's pending uploads
  // and linked only when the answer is saved; any refusal removes them (see uploadFiles).
  const upload = uploadFiles({ clock: deps.clock, maxFiles: 5, uploader: (req) => (req.session?.agencyAccess ? { kind: 'agency', id: req.session.agencyAccess.forwardingId } : null) });
  const answerValues = (req: Request) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const matters = Array.isArray(body.matters) ? body.matters : [body.matters];
    return { values: { ...keptValues(body), submissionKey: typeof body.submissionKey === 'string' ? body.submissionKey : crypto.randomBytes(16).toString('hex') }, mattersTicked: matters.filter((m) => typeof m === 'string') };
  };
  const uploadOrExplain: RequestHandler = (req, res, next) => {
    upload(req, res, (err?: unknown) => {
      if (!(err instanceof UploadRefusedError)) return next(err);
      // A file of a type the office does not take at all reads the same as any non-PDF answer.
      const typeRefused = err.reason === 'type-not-allowed';
      renderPage(req, res, typeRefused ? 422 : err.status, {
        ...answerValues(req),
        errors: { files: typeRefused ? 'agency.errors.pdfOnly' : err.messageKey },
        errorParams: { files: err.params },
      }).catch(next);
    });
  };

  router.post(
    '/agency/answer',
    requireAccess,
    uploadOrExplain,
    change(
      async (req, res) => {
        const input = parseForm(answerSchema, req.body);
        const result = await submitAnswer(accessOf(res), input, uploadedIds(req), metaOf(req, deps.clock.now()));
        // A repeated submission keeps the first one's files; this request's copies go.
        if (!result.created) await discardUploads(req);
        else flash(req, { type: 'success', key: 'agency.flash.answered' });
        res.redirect(303, '/agency');
      },
      answerValues,
    ),
  );

  router.get('/agency/slip.pdf', requireAccess, async (req, res) => {
    const access = accessOf(res);
    await logLinkAccess({ ...access, action: 'download' }, metaOf(req, deps.clock.now()));
    const { bytes, forwarding } = await slipPdfOf(access.forwardingId);
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader('Content-Disposition', `inline; filename="slip.pdf"; filename*=UTF-8''${encodeURIComponent(slipFilename(forwarding.documentNumber ?? ''))}`);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.send(bytes);
  });

  router.get('/agency/files/:id', requireAccess, async (req, res) => {
    const access = accessOf(res);
    const now = deps.clock.now();
    await logLinkAccess({ ...access, action: 'download' }, metaOf(req, now));
    const id = await agencyFileOf(access, String(req.params.id), now);
    const attachment = id ? await getAttachment(String(id)).catch(() => null) : null;
    if (!attachment || attachment.status !== 'linked' || attachment.confidential) throw new NotFoundError('agency.errors.fileNotFound');
    await sendAttachment(res, attachment);
  });

  router.post('/agency/leave', (req, res, next) => {
    if (req.session) delete req.session.agencyAccess;
    // An agency has nothing else in its session: end it. A signed-in officer keeps theirs.
    if (req.user || !req.session) return res.redirect(303, '/agency/left');
    req.session.destroy((err) => {
      if (err) return next(err);
      res.clearCookie(SESSION_COOKIE);
      res.redirect(303, '/agency/left');
    });
  });

  router.get('/agency/left', (_req, res) => {
    message(res, 200, 'agency.leftTitle', 'agency.left');
  });

  return router;
}
