// The map of the site: every router and where it is mounted, in one table.
import type { Express } from 'express';
import type passport from 'passport';
import { authRouter, requirePasswordChosen, requireSecondFactorEnrolled } from './auth/index.js';
import { auditRouter } from './audit/index.js';
import { homeRouter } from './home/index.js';
import type { AppDeps } from './platform/deps.js';
import { requireSignIn } from './platform/http/locals.js';
import { accountRouter, usersRouter } from './users/index.js';
import { receptionsRouter } from './receptions/index.js';
import { lettersRouter } from './letters/index.js';
import { casefileRouter } from './casefile/index.js';
import { casesOfPerson, getCaseDetail } from './cases/index.js';
import { adminEmailsRouter, emailViewRouter } from './notifications/index.js';
import { peopleRouter } from './people/index.js';
import { delegatesRouter, fieldsRouter, unitsRouter } from './reference/index.js';
import { calendarRouter } from './calendar/index.js';
import { agenciesRouter } from './agencies/index.js';
import { deadlineRulesRouter } from './deadlines/index.js';
import { meetingsRouter } from './meetings/index.js';
import { agencyLinkRouter, configureForwarding, forwardingRouter } from './forwarding/index.js';
import { statisticsRouter } from './statistics/index.js';
import { remindersRouter } from './reminders/index.js';
import { supervisionRouter } from './supervision/index.js';
import { queuesRouter } from './queues/index.js';

export function mountRoutes(app: Express, deps: AppDeps, pass: passport.PassportStatic): void {
  // Open to everyone: sign-in, sign-out, language.
  app.use('/', authRouter(deps, pass));
  configureForwarding(deps.config);
  app.use('/', agencyLinkRouter(deps));

  // Everything below needs a signed-in user who has chosen their own password and, where their role
  // requires it, set up a second factor.
  app.use(requireSignIn, requirePasswordChosen, requireSecondFactorEnrolled);
  app.use('/account', accountRouter(deps));
  app.use('/receptions', receptionsRouter(deps));
  app.use('/letters', lettersRouter(deps));
  app.use('/cases', casefileRouter(deps));
  app.use('/people', peopleRouter(deps, casesOfPerson));
  app.use('/admin/users', usersRouter(deps));
  app.use('/admin/audit', auditRouter());
  app.use('/admin/units', unitsRouter(deps));
  app.use('/admin/fields', fieldsRouter(deps));
  app.use('/admin/delegates', delegatesRouter(deps));
  app.use('/admin/calendar', calendarRouter(deps));
  app.use('/admin/emails', adminEmailsRouter(deps));
  // One email: for the email log's readers, or for anyone who may see the case it is about.
  app.use('/emails', emailViewRouter(deps, async (actor, caseId) => (await getCaseDetail(actor, caseId, deps.clock.now())) !== null));
  app.use('/admin/agencies', agenciesRouter(deps));
  app.use('/admin/deadline-rules', deadlineRulesRouter(deps));
  app.use('/admin/reminders', remindersRouter(deps));
  app.use('/forwardings', forwardingRouter(deps));
  app.use('/meetings', meetingsRouter(deps));
  app.use('/supervision', supervisionRouter(deps));
  app.use('/statistics', statisticsRouter(deps));
  app.use('/queues', queuesRouter(deps));
  app.use('/', homeRouter(deps));
}
