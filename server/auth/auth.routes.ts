// Signing in (password, then the second factor where the account has one), signing out, and
// choosing the language. Thin handlers: the checks live in the users service.
import { Router, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type passport from 'passport';
import type { Actor } from '../access/index.js';
import { recordAudit } from '../audit/index.js';
import type { AppDeps } from '../platform/deps.js';
import { ValidationError } from '../platform/errors.js';
import { keptValues, parseForm } from '../platform/http/forms.js';
import { createLimiter } from '../platform/http/rate-limit.js';
import { safeReturnPath } from '../platform/http/redirects.js';
import { contextOf, requestIdOf } from '../platform/http/request-context.js';
import { SESSION_COOKIE } from '../platform/http/session.js';
import { languageSchema, setOwnLanguage, signInSchema, secondFactorSchema, verifySecondFactor } from '../users/index.js';

/** How long a password-checked sign-in waits for its second factor. */
const PENDING_SIGN_IN_MS = 5 * 60_000;

function accountKey(req: Request): string {
  const pending = req.session?.pendingSignIn?.userId;
  if (pending) return `user:${pending}`;
  const email = (req.body as Record<string, unknown> | undefined)?.email;
  return typeof email === 'string' ? email.trim().toLowerCase().slice(0, 254) : 'not-a-string';
}

function bodyField(req: Request, name: string): unknown {
  return (req.body as Record<string, unknown> | undefined)?.[name];
}

export function authRouter(deps: AppDeps, pass: passport.PassportStatic): Router {
  const router = Router();
  const window = deps.config.LOGIN_WINDOW_MINUTES;
  // Failed attempts count against both the client address and the account; a successful sign-in
  // does not use up the budget.
  const perIp = createLimiter({ connection: deps.connection, clock: deps.clock, name: 'login-ip', windowMinutes: window, limit: deps.config.LOGIN_MAX_PER_IP, skipSuccessfulRequests: true });
  const perAccount = createLimiter({ connection: deps.connection, clock: deps.clock, name: 'login-account', windowMinutes: window, limit: deps.config.LOGIN_MAX_PER_ACCOUNT, key: accountKey, skipSuccessfulRequests: true });

  /** Completes a sign-in: a new session id (no fixation), then the user's id in it. */
  function completeSignIn(req: Request, res: Response, next: NextFunction, actor: Actor, returnTo: string): void {
    req.logIn(actor, (err) => {
      if (err) return next(err);
      req.session.authenticatedAt = deps.clock.now().getTime();
      req.session.lang = actor.locale;
      res.redirect(303, actor.mustChangePassword ? '/account/password' : returnTo);
    });
  }

  router.get('/login', (req, res) => {
    if (req.user) return res.redirect(303, '/');
    res.render('auth/sign-in', { values: {}, expired: req.query.expired === '1', returnTo: safeReturnPath(req.query.returnTo, '') });
  });

  router.post('/login', perIp, perAccount, (req: Request, res: Response, next: NextFunction) => {
    const returnTo = safeReturnPath(bodyField(req, 'returnTo'), '/');
    try {
      parseForm(signInSchema, req.body);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return res.status(422).render('auth/sign-in', { values: keptValues(req.body), errors: err.fieldErrors, returnTo });
    }
    const checkPassword = pass.authenticate('local', (err: unknown, actor: Actor | false) => {
      if (err) return next(err);
      if (!actor) return res.status(401).render('auth/sign-in', { values: keptValues(req.body), signInFailed: true, returnTo });
      if (!actor.twoFactorEnabled) return completeSignIn(req, res, next, actor, returnTo);
      // The password was right; the session is not signed in until the code is, and gets a new id now.
      req.session.regenerate((regenErr) => {
        if (regenErr) return next(regenErr);
        req.session.pendingSignIn = { userId: actor.id, at: deps.clock.now().getTime(), returnTo };
        req.session.lang = actor.locale;
        res.redirect(303, '/login/two-factor');
      });
    }) as RequestHandler; // passport types its middleware as any
    checkPassword(req, res, next);
  });

  const pendingOf = (req: Request) => {
    const pending = req.session?.pendingSignIn;
    if (!pending || deps.clock.now().getTime() - pending.at > PENDING_SIGN_IN_MS) return null;
    return pending;
  };

  router.get('/login/two-factor', (req, res) => {
    if (!pendingOf(req)) return res.redirect(303, '/login?expired=1');
    res.render('auth/two-factor', { values: {} });
  });

  router.post('/login/two-factor', perIp, perAccount, async (req: Request, res: Response, next: NextFunction) => {
    const pending = pendingOf(req);
    if (!pending) return res.redirect(303, '/login?expired=1');
    const parsed = secondFactorSchema.safeParse(req.body ?? {});
    if (!parsed.success) return res.status(422).render('auth/two-factor', { values: {}, errors: { code: 'auth.codeRequired' } });
    const actor = await verifySecondFactor(pending.userId, parsed.data.code, contextOf(req, deps.clock));
    if (!actor) return res.status(401).render('auth/two-factor', { values: {}, errors: { code: 'auth.codeWrong' } });
    delete req.session.pendingSignIn;
    completeSignIn(req, res, next, actor, pending.returnTo);
  });

  router.post('/logout', (req, res, next) => {
    const actor = req.user;
    req.logout((err) => {
      if (err) return next(err);
      req.session.destroy((destroyErr) => {
        if (destroyErr) return next(destroyErr);
        res.clearCookie(SESSION_COOKIE);
        if (actor) {
          void recordAudit({ action: 'auth.sign-out', at: deps.clock.now(), actor, ip: req.ip ?? null, requestId: requestIdOf(req) }).catch(
            (auditErr: unknown) => req.log.error({ err: auditErr }, 'could not audit sign-out'),
          );
        }
        res.redirect(303, '/login');
      });
    });
  });

  router.post('/language', async (req, res) => {
    const parsed = languageSchema.safeParse(req.body ?? {});
    const returnTo = safeReturnPath(bodyField(req, 'returnTo'), '/');
    if (parsed.success) {
      req.session.lang = parsed.data.lang;
      if (req.user) await setOwnLanguage(req.user, parsed.data.lang);
    }
    res.redirect(303, returnTo);
  });

  return router;
}
