// Every display of a denouncer's identity is recorded (Luật Tố cáo 2018, Điều 9; DOMAIN.md): the case
// page and any list or search result that showed it. One audit entry per page shown.
import type { Actor } from '../access/index.js';
import { recordAudit } from '../audit/index.js';
import type { ServiceContext } from '../platform/context.js';

export async function recordIdentityViews(actor: Actor, caseIds: string[], where: string, ctx: ServiceContext): Promise<void> {
  if (caseIds.length === 0) return;
  await recordAudit({
    action: 'case.identity-viewed',
    at: ctx.clock.now(),
    actor,
    target: caseIds.length === 1 ? { type: 'case', id: caseIds[0]! } : null,
    ip: ctx.ip,
    requestId: ctx.requestId,
    details: { where, caseIds },
  });
}
