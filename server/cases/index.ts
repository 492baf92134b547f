export { CaseModel } from './case.model.js';
export type { Case } from './case.model.js';
export { CaseEventModel } from './case-event.model.js';
export { CASE_STATUSES, OPEN_STATUSES, allowedTransitions, checkTransition, isCaseStatus } from './case-status.rules.js';
export type { CaseStatus } from './case-status.rules.js';
export { CASE_TYPES, PARTY_ROLES, isCaseType, isConfidentialType } from './case-types.js';
export type { CaseType, PartyRole } from './case-types.js';
export { searchableText, visibleParties, visibleText } from './confidentiality.rules.js';
export { redactIdentities, REDACTED } from './redaction.rules.js';
export { retokeniseProtected, retokeniseProtectedCases } from './retokenise.js';
export type { PartyView } from './confidentiality.rules.js';
export { NOTICE_ANSWERS, consentAtIntake, mayEmailFiler, noticeState } from './notice-consent.rules.js';
export type { NoticeAnswer, IntakeConsent, NoticeState } from './notice-consent.rules.js';
export { recordNoticeAnswer } from './notice-consent.service.js';
export { searchWords, queryWords } from './search.rules.js';
export {
  openCase,
  OPENS_A_CASE,
  addIntakeToCase,
  changeCaseStatus,
  assignCase,
  reclassifyCase,
  maySeeCase,
  recordCaseEvent,
  formatCaseNumber,
  findCaseIdByNumber,
  changeCaseStatusWithin,
  reclassifyCaseWithin,
  onCaseOpened,
} from './cases.service.js';
export type { OpenCaseInput, CaseParty, ClassificationInput, CaseOpenedListener } from './cases.service.js';
export { findDuplicateCases } from './duplicates.js';
export type { DuplicateCandidate } from './duplicates.js';
export { mergeCases, onCasesMerged } from './merge.js';
export { listCases, getCaseDetail, caseListQuerySchema, scopeFilter, buildCaseFilter, casesOfPerson, dateParam, CASES_PAGE_SIZE } from './cases.queries.js';
export type { CaseRow, CaseDetail, CaseListQuery } from './cases.queries.js';
export { LETTER_HANDLING_RULE } from './deadline.js';
export { recordIdentityViews } from './identity-log.js';
