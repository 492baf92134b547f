// The office's handling deadline for a new matter: the rule "letter-handling" of the admin-editable
// deadline rules (server/deadlines; DOMAIN.md: 10 working days from receipt to classify and decide
// how to handle, Thông tư 05/2021/TT-TTCP as commonly cited). Computed once from the rule and the
// working-day calendar, and stored with how it was computed.
import { computeRuleDeadline, type StoredDeadline as RuleDeadline } from '../deadlines/index.js';

/** Names the rule; its days, day type and basis are data in the deadline_rules collection. */
export const LETTER_HANDLING_RULE = { key: 'letter-handling' } as const;

/** The fields stored so far (rule, startEvent, startDate, days, dayType, dueDate, dueAt, skipped, basis) plus ruleName, movedFrom, variant and adjustments. */
export type StoredDeadline = RuleDeadline;

export async function handlingDeadline(receivedAt: Date): Promise<StoredDeadline> {
  return computeRuleDeadline(LETTER_HANDLING_RULE.key, { startAt: receivedAt });
}
