// Synchroniser-token CSRF protection on every state-changing request. The token lives in the
// server-side session and comes back in the form field `_csrf` (or the X-CSRF-Token header).
import { csrfSync } from 'csrf-sync';
import type { Request, RequestHandler } from 'express';

const { csrfSynchronisedProtection, generateToken, isRequestValid } = csrfSync({
  getTokenFromRequest: (req) => {
    const body = req.body as Record<string, unknown> | undefined;
    const fromBody = body?._csrf;
    if (typeof fromBody === 'string') return fromBody;
    const header = req.headers['x-csrf-token'];
    return typeof header === 'string' ? header : undefined;
  },
  errorConfig: { statusCode: 403, message: 'invalid csrf token', code: 'EBADCSRFTOKEN' },
});

export const csrfProtection: RequestHandler = csrfSynchronisedProtection;

/** Exposes the token to every view as `csrfToken`. */
export const csrfToken: RequestHandler = (req, res, next) => {
  res.locals.csrfToken = generateToken(req);
  next();
};

/**
 * The same check as `csrfProtection`, as a function: true when the request carries the session's token
 * (form field `_csrf` or the X-CSRF-Token header). For middleware that must decide before it does
 * work, such as the upload parser, which stores nothing for a request without a valid token.
 */
export function isCsrfValid(req: Request): boolean {
  // Without a session there is no token to compare with (and the library would throw).
  return req.session !== undefined && isRequestValid(req);
}
