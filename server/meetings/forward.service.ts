// Forwarding a session's compiled petitions in bulk: one forwarding per target agency carrying all the
// petitions compiled for it (each petition tracked on its own through the forwarding's items), with the
// answer deadline of the petitions' competence — the central rule when every petition is for central
// bodies, otherwise the local one.
import mongoose, { trusted } from 'mongoose';
import { assertCan, type Actor } from '../access/index.js';
import { getAgencies } from '../agencies/index.js';
import { DRAFT_STATUSES, ForwardingModel, draftForwardings, type Forwarding, type ForwardingRuleKey } from '../forwarding/index.js';
import type { ServiceContext } from '../platform/context.js';
import { AppError, ConflictError, NotFoundError } from '../platform/errors.js';
import { PetitionModel } from './petition.model.js';
import { forwardableGroups, type ForwardableGroup } from './petitions.queries.js';
import { AssemblySessionModel } from './session.model.js';

export interface BulkForwardResult {
  forwardings: number;
  petitions: number;
  sent: boolean;
  /** The same form was sent before: what that submission wrote, nothing new. */
  replayed: boolean;
}

/** What an earlier submission of the same form wrote (its keys are "<form key>-<agency id>:<n>"). */
async function earlierSubmission(submissionKey: string): Promise<BulkForwardResult | null> {
  const docs = await ForwardingModel.find({ submissionKey: trusted({ $regex: `^${submissionKey.replace(/[^\w]/g, '')}-[a-f0-9]{24}:` }) }, { status: 1, items: 1 }).lean<
    Pick<Forwarding, '_id' | 'status' | 'items'>[]
  >();
  if (docs.length === 0) return null;
  return { forwardings: docs.length, petitions: docs.reduce((n, d) => n + d.items.length, 0), sent: docs.every((d) => !DRAFT_STATUSES.includes(d.status)), replayed: true };
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

/**
 * Drafts (or sends, when no approval is needed) one forwarding per agency. A form sent again — a
 * double click, a retry after a lost answer — finds what the first one wrote and adds nothing. An
 * agency deactivated since the petitions were classified stops the whole batch before anything is
 * written, so the office never ends up with half a session forwarded.
 */
export async function forwardCompiledPetitions(actor: Actor, sessionId: string, input: { submissionKey: string }, ctx: ServiceContext): Promise<BulkForwardResult> {
  assertCan(actor, 'cases:write');
  if (!mongoose.isValidObjectId(sessionId) || !(await AssemblySessionModel.exists({ _id: new mongoose.Types.ObjectId(sessionId) }))) throw new NotFoundError('meetings.errors.sessionNotFound');
  const replay = await earlierSubmission(input.submissionKey);
  if (replay) return replay;
  const groups = await groupsToForward(actor, sessionId);
  if (groups.length === 0) throw new ConflictError('meetings.errors.nothingToForward');
  const agencies = await getAgencies(groups.map((g) => g.agencyId));
  const inactive = groups.find((g) => !agencies.get(g.agencyId)?.active);
  if (inactive) throw new ConflictError('meetings.errors.agencyInactive', { name: inactive.agencyName });
  const ids = groups.flatMap((g) => g.petitionIds).map((id) => new mongoose.Types.ObjectId(id));
  const competences = new Map(
    (await PetitionModel.find({ _id: trusted({ $in: ids }) }, { competence: 1 }).lean<{ _id: mongoose.Types.ObjectId; competence: string | null }[]>()).map((p) => [String(p._id), p.competence]),
  );
  const result: BulkForwardResult = { forwardings: 0, petitions: 0, sent: false, replayed: false };
  try {
    await draftEach(actor, groups, competences, input.submissionKey, ctx, result);
  } catch (err) {
    // The same form sent twice at once: the other request got there first (its forwardings hold
    // the petitions, or took the unique key). Answer as a replay rather than as a refusal.
    // Only when this request wrote nothing itself: its own drafts would look like the other's.
    if (!(err instanceof AppError) || result.forwardings > 0) throw err;
    const winner = await earlierSubmission(input.submissionKey);
    if (!winner) throw err;
    return winner;
  }
  return result;
}

/** Drafts the groups one by one, counting into `result` what was written. */
async function draftEach(actor: Actor, groups: readonly ForwardableGroup[], competences: ReadonlyMap<string, string | null>, submissionKey: string, ctx: ServiceContext, result: BulkForwardResult): Promise<void> {
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
        submissionKey: `${submissionKey}-${group.agencyId}`,
      },
      ctx,
    );
    result.forwardings += drafted.ids.length;
    result.petitions += group.petitionIds.length;
    result.sent = drafted.sent;
  }
}
