// Reading and changing the reminder policy. A change is audited in the same transaction, with the
// values before and after.
import type { ClientSession } from 'mongoose';
import { assertCan, type Actor } from '../access/index.js';
import { recordAudit, type AuditAction } from '../audit/index.js';
import type { ServiceContext } from '../platform/context.js';
import { inTransaction } from '../platform/db/transaction.js';
import { POLICY_ID, ReminderPolicyModel, type StoredReminderPolicy } from './policy.model.js';
import { DEFAULT_REMINDER_POLICY, type ReminderPolicy } from './reminders.rules.js';
import type { PolicyInput } from './reminders.schemas.js';

const POLICY_UPDATED: AuditAction = 'reminders.policy-updated';

export interface PolicyView extends ReminderPolicy {
  /** Null while the defaults apply (never saved). */
  updatedAt: Date | null;
  updatedBy: string | null;
}

function pick(p: ReminderPolicy): ReminderPolicy {
  return {
    daysBefore: p.daysBefore,
    onDueDay: p.onDueDay,
    everyOverdue: p.everyOverdue,
    escalateAfter: p.escalateAfter,
    digestEnabled: p.digestEnabled,
    digestTime: p.digestTime,
    citizenNotices: p.citizenNotices,
  };
}

/** The policy in force: the saved one, or the defaults. */
export async function getReminderPolicy(session: ClientSession | null = null): Promise<ReminderPolicy> {
  const stored = await ReminderPolicyModel.findById(POLICY_ID).session(session).lean<StoredReminderPolicy>();
  return stored ? pick(stored) : { ...DEFAULT_REMINDER_POLICY };
}

/** The policy with who changed it last, for the admin page. */
export async function getPolicyForEdit(actor: Actor): Promise<PolicyView> {
  assertCan(actor, 'reference:manage');
  const stored = await ReminderPolicyModel.findById(POLICY_ID).lean<StoredReminderPolicy>();
  return stored ? { ...pick(stored), updatedAt: stored.updatedAt, updatedBy: stored.updatedBy.name } : { ...DEFAULT_REMINDER_POLICY, updatedAt: null, updatedBy: null };
}

export async function updateReminderPolicy(actor: Actor, input: PolicyInput, ctx: ServiceContext): Promise<void> {
  assertCan(actor, 'reference:manage');
  const after = pick(input);
  await inTransaction(async (session) => {
    const before = await getReminderPolicy(session);
    const now = ctx.clock.now();
    await ReminderPolicyModel.updateOne({ _id: POLICY_ID }, { $set: { ...after, updatedAt: now, updatedBy: { id: actor.id, name: actor.name } } }, { upsert: true, session });
    await recordAudit(
      { action: POLICY_UPDATED, at: now, actor, ip: ctx.ip, requestId: ctx.requestId, target: { type: 'reminder-policy', id: POLICY_ID }, details: { before, after } },
      session,
    );
  });
}
