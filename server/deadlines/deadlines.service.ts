// Use cases of deadline rules: administrators edit a rule (audited in the same transaction); other
// modules compute a deadline from a rule and the stored working-day calendar, and extend or suspend a
// stored deadline. A computed deadline is a plain object the caller stores in its own record: editing
// the rule later never changes it.
import { assertCan, type Actor } from '../access/index.js';
import { recordAudit } from '../audit/index.js';
import { loadWorkingCalendar, vietnamDateOf, type IsoDate, type WorkingCalendar } from '../calendar/index.js';
import type { ServiceContext } from '../platform/context.js';
import { inTransaction } from '../platform/db/transaction.js';
import { ConflictError, NotFoundError, ValidationError } from '../platform/errors.js';
import { DeadlineRuleModel } from './deadline-rule.model.js';
import { getDeadlineRule, type DeadlineRuleRow } from './deadlines.queries.js';
import {
  DeadlineRuleError,
  daysProblem,
  deadlineFromRule,
  extendDeadline,
  isBeforeEvent,
  isDurationVariant,
  suspendDeadline,
  type ChangeDocument,
  type DeadlineChangeResult,
  type RuleForCompute,
  type StoredDeadline,
} from './deadlines.rules.js';
import type { RuleEditInput } from './deadlines.schemas.js';
import { VARIANT_FIELDS } from './deadlines.schemas.js';
import { shippedDeadlineRules } from './seed.js';

function auditBase(actor: Actor, ctx: ServiceContext) {
  return { at: ctx.clock.now(), actor, ip: ctx.ip, requestId: ctx.requestId };
}

/** Field → message key for an edit that does not suit the rule (its start event decides the sign of its days). */
function editProblems(startEvent: string, input: RuleEditInput): Record<string, string> {
  const problems: Record<string, string> = {};
  const days = daysProblem(startEvent, input.days);
  if (days) problems.days = days;
  for (const variant of input.variants) {
    const field = VARIANT_FIELDS[variant.key];
    if (isBeforeEvent(startEvent)) problems[field] = 'deadlines.errors.variantsBefore';
    else if (variant.days < 1 || variant.days > 3660) problems[field] = 'deadlines.errors.variantDays';
  }
  return problems;
}

export async function updateDeadlineRule(actor: Actor, key: string, input: RuleEditInput, ctx: ServiceContext): Promise<void> {
  assertCan(actor, 'reference:manage');
  const rule = await getDeadlineRule(key);
  if (!rule) throw new NotFoundError('deadlines.errors.notFound');
  const problems = editProblems(rule.startEvent, input);
  if (Object.keys(problems).length > 0) throw new ValidationError(problems);
  // Only these fields change, whatever else the input carries; key, names and start event are the code's.
  const after = { days: input.days, dayType: input.dayType, variants: input.variants.map((v) => ({ key: v.key, days: v.days })), basis: input.basis, notes: input.notes, confidence: input.confidence };
  const before = { days: rule.days, dayType: rule.dayType, variants: rule.variants.map((v) => ({ key: v.key, days: v.days })), basis: rule.basis, notes: rule.notes, confidence: rule.confidence };
  await inTransaction(async (session) => {
    await DeadlineRuleModel.updateOne({ key }, { $set: { ...after, source: 'admin' } }, { session });
    await recordAudit({ action: 'deadline-rule.updated', ...auditBase(actor, ctx), target: { type: 'deadline-rule', id: key }, details: { before, after } }, session);
  });
}

function toComputable(rule: Pick<DeadlineRuleRow, 'key' | 'name' | 'startEvent' | 'days' | 'dayType' | 'variants' | 'basis'>): RuleForCompute {
  return {
    key: rule.key,
    name: rule.name,
    startEvent: rule.startEvent,
    days: rule.days,
    dayType: rule.dayType,
    variants: rule.variants.map((v) => ({ key: v.key, days: v.days })),
    basis: rule.basis ?? '',
  };
}

/**
 * The rule to compute with. A database that has not been seeded yet (a fresh test database, a restore
 * in progress) falls back to the shipped definition — exactly what the seed would insert — so intake
 * never stops for want of a rule. A rule an administrator deactivated is refused.
 */
async function ruleForCompute(ruleKey: string): Promise<RuleForCompute> {
  const stored = await getDeadlineRule(ruleKey);
  if (stored) {
    if (!stored.active) throw new ConflictError('deadlines.errors.ruleInactive', { rule: stored.name });
    return toComputable(stored);
  }
  const shipped = shippedDeadlineRules().get(ruleKey);
  if (!shipped) throw new Error(`unknown deadline rule: ${ruleKey}`);
  return toComputable(shipped);
}

const yearOf = (date: IsoDate) => Number(date.slice(0, 4));

/**
 * Runs a computation against the calendar of the years it may reach, and again over a wider range
 * when the date it reached lies outside (a walk is monotonic, so a result inside the range only ever
 * looked at loaded years).
 */
async function withCalendar<T>(fromYear: number, toYear: number, run: (cal: WorkingCalendar) => T, reached: (result: T) => IsoDate): Promise<T> {
  for (;;) {
    const result = run(await loadWorkingCalendar(fromYear, toYear));
    const year = yearOf(reached(result));
    if (year >= fromYear && year <= toYear) return result;
    fromYear = Math.min(fromYear, year);
    toYear = Math.max(toYear, year);
  }
}

/** Years a count of `days` may walk across (about a year per 200 days, one more for safety). */
const reach = (days: number) => 1 + Math.floor(Math.abs(days) / 200);

function asValidation(err: unknown): never {
  if (!(err instanceof DeadlineRuleError)) throw err;
  const field: Record<DeadlineRuleError['problem'], Record<string, string>> = {
    variant: { variant: 'deadlines.errors.variantUnknown' },
    days: { days: 'deadlines.errors.extensionDays' },
    span: { from: 'deadlines.errors.suspensionSpan' },
    date: { from: 'deadlines.errors.suspensionDate' },
    'before-rule': { days: 'deadlines.errors.beforeRuleChange' },
  };
  throw new ValidationError(field[err.problem]);
}

/**
 * The deadline of rule `ruleKey` for an event at `startAt` (optionally with a duration variant:
 * complex, remote, remote-complex), as a plain object to store in the record it belongs to.
 */
export async function computeRuleDeadline(ruleKey: string, input: { startAt: Date; variant?: string | null }): Promise<StoredDeadline> {
  const rule = await ruleForCompute(ruleKey);
  if (input.variant && (!isDurationVariant(input.variant) || !rule.variants.some((v) => v.key === input.variant))) {
    throw new ValidationError({ variant: 'deadlines.errors.variantUnknown' });
  }
  const year = yearOf(vietnamDateOf(input.startAt));
  const days = input.variant ? (rule.variants.find((v) => v.key === input.variant)?.days ?? rule.days) : rule.days;
  try {
    return await withCalendar(
      days < 0 ? year - reach(days) : year,
      days < 0 ? year : year + reach(days),
      (cal) => deadlineFromRule(rule, { startAt: input.startAt, variant: input.variant ?? null }, cal),
      (d) => d.dueDate,
    );
  } catch (err) {
    return asValidation(err);
  }
}

/** Extends a stored deadline by `days` after its due date (see deadlines.rules.ts); refused input is a ValidationError. */
export async function extendStoredDeadline(current: StoredDeadline, change: { days: number; reason: string } & ChangeDocument): Promise<DeadlineChangeResult> {
  try {
    return await withCalendar(
      yearOf(current.dueDate),
      yearOf(current.dueDate) + reach(change.days),
      (cal) => extendDeadline(current, { kind: 'extension', ...change }, cal),
      (r) => r.next.dueDate,
    );
  } catch (err) {
    return asValidation(err);
  }
}

/** Suspends a stored deadline from `from` to `to` ('YYYY-MM-DD', both included); refused input is a ValidationError. */
export async function suspendStoredDeadline(current: StoredDeadline, span: { from: IsoDate; to: IsoDate; reason?: string } & Partial<ChangeDocument>): Promise<DeadlineChangeResult> {
  try {
    const fromYear = Math.min(yearOf(current.startDate), /^\d{4}/.test(span.from) ? yearOf(span.from) : yearOf(current.startDate));
    const toYear = Math.max(yearOf(current.dueDate), /^\d{4}/.test(span.to) ? yearOf(span.to) : yearOf(current.dueDate)) + 1;
    return await withCalendar(fromYear, Math.min(toYear, fromYear + 20), (cal) => suspendDeadline(current, span, cal), (r) => r.next.dueDate);
  } catch (err) {
    return asValidation(err);
  }
}

export { explainStoredDeadline } from './deadline-explanation.rules.js';
