// Start-up seeding of the deadline rules from server/deadlines/data/deadline-rules.json (the table of
// DOMAIN.md). Only keys that are missing are inserted, so running it again, or from several instances
// at once, changes nothing and never overwrites an administrator's edit.
import fs from 'node:fs';
import path from 'node:path';
import { SYSTEM_ACTOR } from '../access/index.js';
import { recordAudit } from '../audit/index.js';
import { systemClock, type Clock } from '../platform/clock.js';
import { inTransaction } from '../platform/db/transaction.js';
import { PROJECT_ROOT } from '../platform/paths.js';
import { DeadlineRuleModel } from './deadline-rule.model.js';
import { daysProblem, isBeforeEvent, RULE_KEYS } from './deadlines.rules.js';
import { ruleSeedFileSchema, type RuleSeed } from './deadlines.schemas.js';

export const DEADLINE_RULES_FILE = path.join(PROJECT_ROOT, 'server', 'deadlines', 'data', 'deadline-rules.json');

let shipped: ReadonlyMap<string, RuleSeed> | null = null;

/** The shipped rules by key, read and checked once: a wrong file stops start-up with the reason. */
export function shippedDeadlineRules(): ReadonlyMap<string, RuleSeed> {
  if (shipped) return shipped;
  const parsed = ruleSeedFileSchema.safeParse(JSON.parse(fs.readFileSync(DEADLINE_RULES_FILE, 'utf8')) as unknown);
  if (!parsed.success) throw new Error(`${DEADLINE_RULES_FILE} is invalid: ${parsed.error.message}`);
  const rules = new Map<string, RuleSeed>();
  for (const rule of parsed.data.rules) {
    const problem = daysProblem(rule.startEvent, rule.days);
    if (problem) throw new Error(`${DEADLINE_RULES_FILE}: rule ${rule.key}: ${problem}`);
    if (isBeforeEvent(rule.startEvent) && rule.variants.length > 0) throw new Error(`${DEADLINE_RULES_FILE}: rule ${rule.key} counts back and cannot have variants`);
    if (rules.has(rule.key)) throw new Error(`${DEADLINE_RULES_FILE}: rule ${rule.key} appears twice`);
    rules.set(rule.key, rule);
  }
  const missing = RULE_KEYS.filter((key) => !rules.has(key));
  if (missing.length > 0) throw new Error(`${DEADLINE_RULES_FILE} lacks the rules ${missing.join(', ')}`);
  shipped = rules;
  return rules;
}

export interface DeadlineRulesSeedResult {
  inserted: number;
}

export async function seedDeadlineRules(clock: Clock = systemClock): Promise<DeadlineRulesSeedResult> {
  const rules = [...shippedDeadlineRules().values()];
  return inTransaction(async (session) => {
    const ops = rules.map((rule) => ({
      updateOne: { filter: { key: rule.key }, update: { $setOnInsert: { ...rule, active: true, source: 'seed' as const } }, upsert: true },
    }));
    const inserted = (await DeadlineRuleModel.bulkWrite(ops, { session })).upsertedCount;
    if (inserted > 0) {
      await recordAudit({ action: 'deadline-rule.seeded', at: clock.now(), actor: SYSTEM_ACTOR, target: { type: 'deadline-rule', id: 'seed' }, details: { inserted } }, session);
    }
    return { inserted };
  });
}
