// Whether a letter can be handled (đủ / không đủ điều kiện xử lý), and what may follow from it. Pure
// functions over plain data; the service refuses an assessment these rules find a problem with.
//
// Which reasons fit which letters:
//   no-identity             a named letter lacking the filer's address or signature (an anonymous
//                           letter has its own reason, below)
//   no-decision-named       complaints (and mixed letters): no administrative decision or act named
//   no-conduct-named        denunciations (and mixed letters): no wrongful conduct or person named
//   already-guided          any letter whose content was already guided or answered once
//   sent-to-competent-body  any letter also sent to the competent body
//   anonymous-no-evidence   anonymous letters only, and only without concrete information or evidence:
//                           an anonymous letter WITH concrete evidence stays eligible (DOMAIN.md)
import type { CaseStatus } from '../cases/index.js';
import { ELIGIBILITY_REASONS, type EligibilityReason, type LetterHandling, type LetterType } from './letter-kinds.js';

export interface LetterFacts {
  type: LetterType;
  anonymous: boolean;
  /** For an anonymous letter: it gives concrete information and evidence of what it reports. */
  hasEvidence: boolean;
}

const TYPES_OF_REASON: Readonly<Record<EligibilityReason, readonly LetterType[] | 'all'>> = {
  'no-identity': 'all',
  'no-decision-named': ['complaint', 'mixed'],
  'no-conduct-named': ['denunciation', 'mixed'],
  'already-guided': 'all',
  'sent-to-competent-body': 'all',
  'anonymous-no-evidence': 'all',
};

/** The reasons an officer may give for this letter (the checkboxes the form offers). */
export function applicableReasons(facts: LetterFacts): EligibilityReason[] {
  return ELIGIBILITY_REASONS.filter((reason) => {
    const types = TYPES_OF_REASON[reason];
    if (types !== 'all' && !types.includes(facts.type)) return false;
    if (reason === 'no-identity') return !facts.anonymous;
    if (reason === 'anonymous-no-evidence') return facts.anonymous && !facts.hasEvidence;
    return true;
  });
}

/** What the form proposes before the officer decides: an anonymous letter without evidence is not eligible. */
export function suggestedAssessment(facts: LetterFacts): { eligible: boolean | null; reasons: EligibilityReason[] } {
  if (facts.anonymous && !facts.hasEvidence) return { eligible: false, reasons: ['anonymous-no-evidence'] };
  return { eligible: null, reasons: [] };
}

export interface Assessment {
  eligible: boolean;
  reasons: readonly EligibilityReason[];
  handling: LetterHandling;
}

export type AssessmentProblem =
  | { field: 'reasons'; problem: 'reason-required' | 'reasons-when-eligible' | 'anonymous-with-evidence'; reason?: EligibilityReason }
  | { field: 'reasons'; problem: 'reason-not-applicable'; reason: EligibilityReason }
  | { field: 'handling'; problem: 'handling-needs-eligible' };

/** Handling outcomes open to a letter that is not eligible: it is filed, or returned with guidance. */
export const INELIGIBLE_HANDLINGS: readonly LetterHandling[] = ['file', 'return-with-guidance'];

/** Everything wrong with an assessment, first problem first (empty when it can be saved). */
export function checkAssessment(facts: LetterFacts, assessment: Assessment): AssessmentProblem[] {
  const problems: AssessmentProblem[] = [];
  const allowed = new Set(applicableReasons(facts));
  if (assessment.eligible) {
    if (assessment.reasons.length) problems.push({ field: 'reasons', problem: 'reasons-when-eligible' });
  } else if (assessment.reasons.length === 0) {
    problems.push({ field: 'reasons', problem: 'reason-required' });
  }
  for (const reason of assessment.reasons) {
    if (allowed.has(reason)) continue;
    if (reason === 'anonymous-no-evidence' && facts.anonymous && facts.hasEvidence) problems.push({ field: 'reasons', problem: 'anonymous-with-evidence', reason });
    else problems.push({ field: 'reasons', problem: 'reason-not-applicable', reason });
  }
  if (!assessment.eligible && !INELIGIBLE_HANDLINGS.includes(assessment.handling)) problems.push({ field: 'handling', problem: 'handling-needs-eligible' });
  return problems;
}

/** Where a handling outcome takes the letter's case(s). Forwarding itself comes later, as its own step. */
export function statusForHandling(handling: LetterHandling): CaseStatus {
  switch (handling) {
    case 'file':
      return 'filed';
    case 'return-with-guidance':
      return 'returned';
    case 'forward':
    case 'propose-acceptance':
      return 'in-progress';
  }
}
