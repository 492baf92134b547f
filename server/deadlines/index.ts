// Deadline rules (DOMAIN.md, "Deadlines") as admin-editable data, and the deadlines computed from them.
export { computeRuleDeadline, extendStoredDeadline, suspendStoredDeadline, explainStoredDeadline, updateDeadlineRule } from './deadlines.service.js';
export { getDeadlineRule, listActiveDeadlineRules } from './deadlines.queries.js';
export type { DeadlineRuleRow } from './deadlines.queries.js';
export {
  RULE_KEYS,
  START_EVENTS,
  BEFORE_EVENTS,
  DURATION_VARIANTS,
  EXTENSION_VARIANTS,
  VARIANT_KEYS,
  CONFIDENCE_LEVELS,
  deadlineFromRule,
  extendDeadline,
  suspendDeadline,
  extensionDaysOf,
  DeadlineRuleError,
} from './deadlines.rules.js';
export type {
  RuleKey,
  StartEvent,
  VariantKey,
  DurationVariant,
  Confidence,
  StoredDeadline,
  HistoricDeadline,
  DeadlineAdjustment,
  ExtensionChange,
  ChangeDocument,
  SuspensionChange,
  DeadlineChangeResult,
  RuleForCompute,
} from './deadlines.rules.js';
export type { ExplanationLanguage, ExplainedState } from './deadline-explanation.rules.js';
export { storedDeadlineSchemaDefinition, historicDeadlineSchemaDefinition } from './stored-deadline.schema.js';
export { DeadlineRuleModel } from './deadline-rule.model.js';
export type { DeadlineRule } from './deadline-rule.model.js';
export { seedDeadlineRules, shippedDeadlineRules } from './seed.js';
export type { DeadlineRulesSeedResult } from './seed.js';
export { deadlineRulesRouter } from './deadlines.routes.js';
