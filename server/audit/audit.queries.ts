// The audit trail for administrators: newest first, filtered by action, paginated by key.
import mongoose, { trusted } from 'mongoose';
import { z } from 'zod';
import { assertCan, type Actor } from '../access/index.js';
import { AuditEventModel, type AuditEvent } from './audit.model.js';
import { AUDIT_ACTIONS } from './audit.service.js';

export const AUDIT_PAGE_SIZE = 50;

export const auditQuerySchema = z.object({
  action: z.enum(AUDIT_ACTIONS).optional().catch(undefined),
  before: z.string().regex(/^[a-f0-9]{24}$/).optional().catch(undefined),
});
export type AuditQuery = z.infer<typeof auditQuerySchema>;

export async function listAuditEvents(actor: Actor, query: AuditQuery): Promise<{ rows: AuditEvent[]; next: string | null }> {
  assertCan(actor, 'audit:read');
  const filter: Record<string, unknown> = {};
  if (query.action) filter.action = query.action;
  if (query.before && mongoose.isValidObjectId(query.before)) {
    const cursor = await AuditEventModel.findById(query.before, { at: 1 }).lean<AuditEvent>();
    if (cursor) {
      filter.$or = [{ at: trusted({ $lt: cursor.at }) }, { at: cursor.at, _id: trusted({ $lt: cursor._id }) }];
    }
  }
  const rows = await AuditEventModel.find(filter).sort({ at: -1, _id: -1 }).limit(AUDIT_PAGE_SIZE + 1).lean<AuditEvent[]>();
  const hasMore = rows.length > AUDIT_PAGE_SIZE;
  const page = rows.slice(0, AUDIT_PAGE_SIZE);
  return { rows: page, next: hasMore ? String(page[page.length - 1]!._id) : null };
}
