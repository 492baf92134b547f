// What a signed-in user must do before anything else: choose their own password when theirs was
// generated, and set up an authenticator app when their role requires a second factor.
import type { RequestHandler } from 'express';
import { requiresSecondFactor } from '../access/index.js';

const ALWAYS_ALLOWED = ['/logout', '/language'];

export const requirePasswordChosen: RequestHandler = (req, res, next) => {
  if (!req.user?.mustChangePassword) return next();
  if (req.path === '/account/password' || ALWAYS_ALLOWED.includes(req.path)) return next();
  res.redirect(303, '/account/password');
};

export const requireSecondFactorEnrolled: RequestHandler = (req, res, next) => {
  const user = req.user;
  if (!user || user.twoFactorEnabled || !requiresSecondFactor(user.role)) return next();
  // A generated password is replaced first (the password gate runs before this one).
  if (user.mustChangePassword) return next();
  if (req.path === '/account/two-factor' || ALWAYS_ALLOWED.includes(req.path)) return next();
  res.redirect(303, '/account/two-factor');
};
