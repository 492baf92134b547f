// Supervision's events on the case timeline (every change to a matter is an event, kept forever), in
// the caller's transaction.
import type mongoose from 'mongoose';
import type { ClientSession } from 'mongoose';
import { recordCaseEvent } from '../cases/index.js';

export const by = (actor: { id: string; name: string }) => ({ id: actor.id, name: actor.name });

export async function recordSupervisionEvent(
  caseIds: readonly mongoose.Types.ObjectId[],
  who: { id: string; name: string },
  type: `supervision.${string}` | 'forwarding.chased',
  data: Record<string, unknown>,
  at: Date,
  session: ClientSession,
): Promise<void> {
  for (const caseId of caseIds) await recordCaseEvent(caseId, who, type, data, at, session);
}
