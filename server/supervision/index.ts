// Supervision (giám sát): rounds over agencies and cases with their members, findings and conclusions,
// formal chase letters to agencies, and the matters proposed for questioning or explanation at a
// session. What other modules may use.
import { registerEmailPdf } from '../notifications/index.js';
import { CHASE_LETTER_PDF_KIND, chaseLetterPdfOf } from './chase.service.js';

// Registered on import, so the app and the worker (server/jobs.ts must import this module too) render
// the letter when they send its email.
registerEmailPdf(CHASE_LETTER_PDF_KIND, async (params) => (await chaseLetterPdfOf(String(params.letterId))).bytes);

export { supervisionRouter } from './supervision.routes.js';
export { SupervisionRoundModel } from './round.model.js';
export type { SupervisionRound, RoundMember, RoundCase, RoundAgency } from './round.model.js';
export { SupervisionFindingModel } from './finding.model.js';
export { ChaseLetterModel } from './chase-letter.model.js';
export { QuestioningCandidateModel } from './candidate.model.js';
export type { QuestioningCandidate } from './candidate.model.js';
export { createRound, startRound, addCasesToRound, addAgencyToRound, recordFinding, concludeRound } from './rounds.service.js';
export { sendChaseLetter, chaseLetterPdfOf, CHASE_LETTER_PDF_KIND } from './chase.service.js';
export { proposeCandidate, withdrawCandidate } from './candidates.service.js';
export { listRounds, getRoundDetail, candidatesOfSession, pickList } from './supervision.queries.js';
export * from './supervision.rules.js';
