// The map of the site: every router and where it is mounted, in one table.
import type { Express } from 'express';
import type passport from 'passport';
import { authRouter, requirePasswordChosen, requireSecondFactorEnrolled } from './auth/index.js';
import { auditRouter } from './audit/index.js';
import { homeRouter } from './home/index.js';
import type { AppDeps } from './platform/deps.js';
import { requireSignIn } from './platform/http/locals.js';
import { accountRouter, usersRouter } from './users/index.js';

export function mountRoutes(app: Express, deps: AppDeps, pass: passport.PassportStatic): void {
  // Open to everyone: sign-in, sign-out, language.
  app.use('/', authRouter(deps, pass));

  // Everything below needs a signed-in user who has chosen their own password and, where their role
  // requires it, set up a second factor.
  app.use(requireSignIn, requirePasswordChosen, requireSecondFactorEnrolled);
  app.use('/account', accountRouter(deps));
  app.use('/admin/users', usersRouter(deps));
  app.use('/admin/audit', auditRouter());
  app.use('/', homeRouter());
}
