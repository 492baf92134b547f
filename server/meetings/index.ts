// Voter meetings (tiếp xúc cử tri): sessions, meetings, their petitions, merging, compiling, the
// report of answers and the delegates' own view. What other modules may use.
import { Router } from 'express';
import type { AppDeps } from '../platform/deps.js';
import { meetingsRouter as meetingPages } from './meetings.routes.js';
import { myMeetingsRouter, petitionsRouter } from './petitions.routes.js';
import { sessionsRouter } from './sessions.routes.js';
import { meetingExportsRouter } from './exports.routes.js';
import { registerForwardableProvider } from '../forwarding/index.js';
import { petitionForwardableProvider } from './petition-forwarding.js';

// Petitions are forwarded like cases: the forwarding module reaches them through this provider.
registerForwardableProvider(petitionForwardableProvider);

export { petitionForwardableProvider } from './petition-forwarding.js';
export { forwardCompiledPetitions } from './forward.service.js';
export type { BulkForwardResult } from './forward.service.js';
export { forwardableGroups } from './petitions.queries.js';
export type { ForwardableGroup } from './petitions.queries.js';
export { AssemblySessionModel } from './session.model.js';
export { MeetingModel } from './meeting.model.js';
export { PetitionModel } from './petition.model.js';
export type { Petition } from './petition.model.js';
export { createSession } from './sessions.service.js';
export { createMeeting } from './meetings.service.js';
export { recordPetitions, classifyPetition } from './petitions.service.js';
export { mergePetitions } from './merge.service.js';
export { compileSession } from './compile.service.js';
export { sessionSchema, meetingSchema, mergeSchema, classificationSchema } from './meetings.schemas.js';
export { ASSEMBLY_BODIES, COMPETENCES, PETITION_STATUSES } from './meetings.rules.js';
export type { AssemblyBody, Competence, PetitionStatus } from './meetings.rules.js';
// For the statistics: the petitions of a period, and the last session that closed.
export { lastClosedSession, petitionFiguresOf } from './statistics.queries.js';
export type { ClosedSession, PetitionFigureRow, PetitionPeriodFigures } from './statistics.queries.js';
export type { Counts as PetitionCounts } from './report.rules.js';

/** Everything under /meetings: the exports, sessions, the delegate's own page, petitions, then meetings by id. */
export function meetingsRouter(deps: AppDeps): Router {
  const router = Router();
  router.use('/', meetingExportsRouter(deps));
  router.use('/sessions', sessionsRouter(deps));
  router.use('/mine', myMeetingsRouter(deps));
  router.use('/petitions', petitionsRouter(deps));
  router.use('/', meetingPages(deps));
  return router;
}
