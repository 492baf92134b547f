// Who may read supervision: officers and leaders read every round; a delegate reads the rounds they
// are a member of (through the account linked to their delegate record) and nothing else — any other
// round is answered "not found", as if it did not exist. Users without case access are refused.
import { can, type Actor } from '../access/index.js';
import { ForbiddenError } from '../platform/errors.js';

export function assertMayReadSupervision(actor: Actor): void {
  if (!can(actor, 'cases:read-all') && !can(actor, 'cases:read-own')) throw new ForbiddenError();
}

export function mayReadRound(actor: Actor, round: { memberUserIds: readonly { toString(): string }[] }): boolean {
  if (can(actor, 'cases:read-all')) return true;
  return can(actor, 'cases:read-own') && round.memberUserIds.some((id) => String(id) === actor.id);
}
