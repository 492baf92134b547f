// The ServiceContext of an HTTP request: the app's clock, the client address and the request id that
// pino-http assigned, for the audit trail.
import type { Request } from 'express';
import type { Clock } from '../clock.js';
import type { ServiceContext } from '../context.js';

export function requestIdOf(req: Request): string {
  const id: unknown = req.id;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : '';
}

export function contextOf(req: Request, clock: Clock): ServiceContext {
  return { clock, ip: req.ip ?? null, requestId: requestIdOf(req) };
}
