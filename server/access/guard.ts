// Authorisation checks for services (the real gate) and for routes (so a refused user gets a 403
// page before any work starts).
import type { RequestHandler } from 'express';
import { ForbiddenError } from '../platform/errors.js';
import type { Actor } from './actor.js';
import { can, type Permission } from './permissions.js';

export function assertCan(actor: Actor, permission: Permission): void {
  if (!can(actor, permission)) throw new ForbiddenError('errors.forbidden', { permission });
}

export function requirePermission(permission: Permission): RequestHandler {
  return (req, _res, next) => {
    if (!req.user) {
      next(new ForbiddenError());
      return;
    }
    assertCan(req.user, permission);
    next();
  };
}
