// Pure rules of what an agency submits through its link: the checks of an answer that depend on the
// forwarding and on today's date, and which matters an answer covers. Table-tested.
import type { IsoDate } from '../calendar/index.js';
import type { AnswerOutcome } from './forwarding.rules.js';

export interface AnswerFacts {
  outcome: AnswerOutcome;
  documentDate: IsoDate;
  expectedDate: IsoDate | null;
  competentAgency: string | null;
}

/**
 * Field errors (message keys) of an answer: its document is dated neither in the future nor before
 * the office's slip; a matter still in progress says when it should conclude (after today); an agency
 * that is not competent names the one that is.
 */
export function answerProblems(answer: AnswerFacts, context: { today: IsoDate; forwardingDate: IsoDate | null }): Record<string, string> {
  const problems: Record<string, string> = {};
  if (answer.documentDate > context.today) problems.documentDate = 'agency.errors.documentDateFuture';
  else if (context.forwardingDate && answer.documentDate < context.forwardingDate) problems.documentDate = 'agency.errors.documentDateBeforeForwarding';
  if (answer.outcome === 'in-progress') {
    if (!answer.expectedDate) problems.expectedDate = 'agency.errors.expectedDateRequired';
    else if (answer.expectedDate <= context.today) problems.expectedDate = 'agency.errors.expectedDatePast';
  }
  if (answer.outcome === 'not-competent' && !answer.competentAgency) problems.competentAgency = 'agency.errors.competentAgencyRequired';
  return problems;
}

/**
 * The refIds of the matters an answer covers, from their positions on the agency's page (1-based; the
 * page never shows the office's own ids). None ticked means all; a position that is not a matter of
 * the forwarding gives null.
 */
export function coveredRefIds(items: readonly { refId: string }[], positions: readonly number[]): string[] | null {
  if (positions.length === 0) return items.map((i) => i.refId);
  if (positions.some((p) => !Number.isInteger(p) || p < 1 || p > items.length)) return null;
  return [...new Set(positions)].sort((a, b) => a - b).map((p) => items[p - 1]!.refId);
}

/** The items after an answer: the covered ones answered and waiting for a new evaluation. */
export function itemsAfterAnswer<T extends { refId: string; answered: boolean; verdict: unknown; verdictReason: unknown; evaluatedAt: unknown }>(
  items: readonly T[],
  covered: readonly string[],
): T[] {
  return items.map((i) => (covered.includes(i.refId) ? { ...i, answered: true, verdict: null, verdictReason: null, evaluatedAt: null } : { ...i }));
}
