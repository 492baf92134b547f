// Reads of deadline rules: the admin table (a dozen rows, read whole in order through the (order,
// key) index) and single rules for the edit form and for other modules.
import { assertCan, type Actor } from '../access/index.js';
import { DeadlineRuleModel, type DeadlineRule } from './deadline-rule.model.js';

/** A safety cap: the table holds the rules the application knows, a few dozen at most. */
const MAX_RULES = 500;

export type DeadlineRuleRow = Pick<
  DeadlineRule,
  'key' | 'name' | 'nameEn' | 'startEvent' | 'days' | 'dayType' | 'variants' | 'basis' | 'confidence' | 'notes' | 'active' | 'order' | 'source'
> & { updatedAt?: Date };
const ROW_FIELDS = { _id: 0, key: 1, name: 1, nameEn: 1, startEvent: 1, days: 1, dayType: 1, variants: 1, basis: 1, confidence: 1, notes: 1, active: 1, order: 1, source: 1, updatedAt: 1 } as const;

export async function listDeadlineRules(actor: Actor): Promise<DeadlineRuleRow[]> {
  assertCan(actor, 'reference:manage');
  return DeadlineRuleModel.find({}, ROW_FIELDS).sort({ order: 1, key: 1 }).limit(MAX_RULES).lean<DeadlineRuleRow[]>();
}

export async function getDeadlineRuleForEdit(actor: Actor, key: string): Promise<DeadlineRuleRow | null> {
  assertCan(actor, 'reference:manage');
  return getDeadlineRule(key);
}

/** One rule by key, active or not; null when there is none. */
export async function getDeadlineRule(key: string): Promise<DeadlineRuleRow | null> {
  if (typeof key !== 'string' || key.length === 0 || key.length > 64) return null;
  return DeadlineRuleModel.findOne({ key }, ROW_FIELDS).lean<DeadlineRuleRow>();
}

/** The rules in use, in table order (for the forms that offer a rule or its variants). */
export async function listActiveDeadlineRules(): Promise<DeadlineRuleRow[]> {
  return DeadlineRuleModel.find({ active: true }, ROW_FIELDS).sort({ order: 1, key: 1 }).limit(MAX_RULES).lean<DeadlineRuleRow[]>();
}
