// Writing to the audit trail. A failure to audit is logged but never hides the outcome of the
// action from the user (the action already happened); sign-in failures are audited too.
import type { ClientSession } from 'mongoose';
import { AuditEventModel } from './audit.model.js';

export const AUDIT_ACTIONS = [
  'auth.sign-in',
  'auth.sign-in-failed',
  'auth.sign-out',
  'auth.permission-denied',
  'user.created',
  'user.updated',
  'user.disabled',
  'user.enabled',
  'user.password-reset',
  'user.password-changed',
  'user.first-admin-created',
  'user.two-factor-enabled',
  'user.two-factor-reset',
  'reference.seeded',
  'reference.unit-created',
  'reference.unit-updated',
  'reference.units-imported',
  'reference.field-created',
  'reference.field-updated',
  'reference.field-deactivated',
  'reference.field-activated',
  'reference.delegate-created',
  'reference.delegate-updated',
  'reference.delegate-deactivated',
  'reference.delegate-activated',
  'calendar.seeded',
  'calendar.day-created',
  'calendar.day-updated',
  'calendar.day-deleted',
  'agency.seeded',
  'agency.created',
  'agency.updated',
  'agency.deactivated',
  'agency.activated',
  'agency.imported',
  'deadline-rule.seeded',
  'deadline-rule.updated',
  'person.merged',
  'case.identity-viewed',
  'mail.test-queued',
  'mail.retried',
  'mail.unsent-requeued',
  'reminders.policy-updated',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEntry {
  action: AuditAction;
  at: Date;
  actor?: { id: string; email: string } | null;
  actorEmail?: string | null;
  target?: { type: string; id: string } | null;
  ip?: string | null;
  requestId?: string | null;
  details?: Record<string, unknown>;
}

export async function recordAudit(entry: AuditEntry, session?: ClientSession): Promise<void> {
  await AuditEventModel.create(
    [
      {
        at: entry.at,
        action: entry.action,
        actorId: entry.actor?.id ?? null,
        actorEmail: entry.actor?.email ?? entry.actorEmail ?? null,
        targetType: entry.target?.type ?? null,
        targetId: entry.target?.id ?? null,
        ip: entry.ip ?? null,
        requestId: entry.requestId ?? null,
        details: entry.details ?? {},
      },
    ],
    session ? { session } : {},
  );
}
