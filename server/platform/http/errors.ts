// The one error handler: typed application errors become friendly status pages in the user's
// language; anything unexpected is a 500 logged with the request id and shown without details.
import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import { AppError, NotFoundError } from '../errors.js';
import { requestIdOf } from './request-context.js';

interface HttpishError {
  status?: number;
  statusCode?: number;
  code?: string;
  type?: string;
  expose?: boolean;
}

/** Maps errors raised by Express's own parsers and middleware to a status and a message key. */
function classify(err: unknown): { status: number; key: string; params?: Record<string, string | number> } {
  if (err instanceof AppError) return { status: err.status, key: err.messageKey, params: err.params };
  const e = (err ?? {}) as HttpishError;
  if (e.code === 'EBADCSRFTOKEN') return { status: 403, key: 'errors.csrf' };
  if (e.type === 'entity.too.large' || e.code === 'LIMIT_FILE_SIZE') return { status: 413, key: 'errors.tooLarge' };
  if (e.type === 'entity.parse.failed' || e.type === 'encoding.unsupported' || e.type === 'charset.unsupported') {
    return { status: 400, key: 'errors.badRequest' };
  }
  const status = e.status ?? e.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) return { status, key: 'errors.badRequest' };
  return { status: 500, key: 'errors.internal' };
}

const TITLES: Record<number, string> = {
  400: 'errors.title400',
  403: 'errors.title403',
  404: 'errors.title404',
  409: 'errors.title409',
  413: 'errors.title413',
  422: 'errors.title422',
  429: 'errors.title429',
  500: 'errors.title500',
};

export const notFound: RequestHandler = (_req, _res, next) => next(new NotFoundError());

export interface ErrorHandlerOptions {
  /** Called for every 403, so the app can audit permission denials without platform knowing of audit. */
  onForbidden?: (req: Request) => void;
}

export function errorHandler(options: ErrorHandlerOptions = {}): ErrorRequestHandler {
  return (err, req, res, _next) => {
  const { status, key, params } = classify(err);
  if (status === 403 && (err as HttpishError)?.code !== 'EBADCSRFTOKEN') options.onForbidden?.(req);
  if (status >= 500) req.log.error({ err }, 'unhandled error');
  else req.log.info({ status, key, err: { message: (err as Error)?.message } }, 'request refused');
  if (res.headersSent) {
    res.end();
    return;
  }
  res.status(status);
  if (req.accepts(['html', 'json']) === 'json' && !req.accepts('html')) {
    res.json({ error: key });
    return;
  }
  res.render('errors/status', {
    status,
    titleKey: TITLES[status] ?? (status >= 500 ? TITLES[500] : TITLES[400]),
    messageKey: key,
    messageParams: params ?? {},
    requestId: requestIdOf(req),
  });
  };
}
