// Forwarding a session's compiled petitions in bulk: one forwarding per target agency carrying all the
// petitions compiled for it (each petition tracked on its own through the forwarding's items), with the
// answer deadline of the petitions' competence — the central rule when every petition is for central
// bodies, otherwise the local one.
import mongoose, { trusted } from 'mongoose';
import { assertCan, type Actor } from '../access/index.js';
import { ForwardingModel, draftForwardings, type ForwardingRuleKey } from '../forwarding/index.js';
import type { ServiceContext } from '../platform/context.js';
import { ConflictError } from '../platform/errors.js';
import { PetitionModel } from './petition.model.js';
import { forwardableGroups, type ForwardableGroup } from './petitions.queries.js';

export interface BulkForwardResult {
  forwardings: number;
  petitions: number;
  sent: boolean;
}

/** The compiled petitions of a session still to forward, per target agency. */
export async function groupsToForward(actor: Actor, sessionId: string): Promise<ForwardableGroup[]> {
  // Petitions already in a forwarding to that agency that is still open (waiting for approval
  // included) are not offered again.
  const candidates = await forwardableGroups(actor, sessionId);
  const open = await ForwardingModel.find(
    { 'items.kind': 'petition', 'items.refId': trusted({ $in: candidates.flatMap((g) => g.petitionIds) }), status: trusted({ $nin: ['closed', 'cancelled'] }) },
    { agencyId: 1, 'items.refId': 1 },
  ).lean<{ agencyId: mongoose.Types.ObjectId; items: { refId: string }[] }[]>();
  const taken = new Set(open.flatMap((f) => f.items.map((i) => `${i.refId}>${String(f.agencyId)}`)));
  const groups = candidates
    .map((g) => ({ ...g, petitionIds: g.petitionIds.filter((id) => !taken.has(`${id}>${g.agencyId}`)) }))
    .filter((g) => g.petitionIds.length > 0);
  return groups;
}

export async function forwardCompiledPetitions(actor: Actor, sessionId: string, input: { submissionKey: string }, ctx: ServiceContext): Promise<BulkForwardResult> {
  assertCan(actor, 'cases:write');
  const groups = await groupsToForward(actor, sessionId);
  if (groups.length === 0) throw new ConflictError('meetings.errors.nothingToForward');
  const ids = groups.flatMap((g) => g.petitionIds).map((id) => new mongoose.Types.ObjectId(id));
  const competences = new Map(
    (await PetitionModel.find({ _id: trusted({ $in: ids }) }, { competence: 1 }).lean<{ _id: mongoose.Types.ObjectId; competence: string | null }[]>()).map((p) => [String(p._id), p.competence]),
  );
  const result: BulkForwardResult = { forwardings: 0, petitions: 0, sent: false };
  for (const group of groups) {
    const ruleKey: ForwardingRuleKey = group.petitionIds.every((id) => competences.get(id) === 'central') ? 'voter-petition-central-answer' : 'voter-petition-local-answer';
    const drafted = await draftForwardings(
      actor,
      {
        items: group.petitionIds.map((id) => ({ kind: 'petition' as const, id })),
        agencyIds: [group.agencyId],
        grouping: 'per-agency',
        request: 'Đề nghị quý cơ quan xem xét, trả lời các kiến nghị của cử tri nêu trong danh sách kèm theo và gửi kết quả về Văn phòng.',
        internalNote: '',
        sharedAttachmentIds: [],
        ruleKey,
        // One key per agency: a repeated submission finds what the first one wrote.
        submissionKey: `${input.submissionKey}-${group.agencyId}`,
      },
      ctx,
    );
    result.forwardings += drafted.ids.length;
    result.petitions += group.petitionIds.length;
    result.sent = drafted.sent;
  }
  return result;
}
