// Matters proposed for questioning or explanation at a session (chất vấn, giải trình): proposed with
// the reason, the agency concerned and who proposed it; withdrawn with a reason, never deleted. Each
// step is an event on the case's timeline, in the same transaction.
import mongoose, { type ClientSession } from 'mongoose';
import { assertCan, type Actor } from '../access/index.js';
import { getAgencies } from '../agencies/index.js';
import { CaseModel, type Case } from '../cases/index.js';
import { ForwardingModel, redactIdentities, type Forwarding } from '../forwarding/index.js';
import { AssemblySessionModel } from '../meetings/index.js';
import type { ServiceContext } from '../platform/context.js';
import { inTransaction } from '../platform/db/transaction.js';
import { ConflictError, NotFoundError, ValidationError, isDuplicateKeyError } from '../platform/errors.js';
import { QuestioningCandidateModel, type QuestioningCandidate } from './candidate.model.js';
import { SupervisionRoundModel } from './round.model.js';
import { sessionLabelOf, type SessionNaming } from './sessions.js';
import type { CandidateInput } from './supervision.schemas.js';
import { candidateActiveKey } from './supervision.rules.js';
import { by, recordSupervisionEvent } from './timeline.js';

const oid = (id: string) => new mongoose.Types.ObjectId(id);

/** What the session reads of a case: for a denunciation, never a filer's name or ID number. */
export function caseSummaryForSession(kase: Pick<Case, 'summary' | 'confidential' | 'parties'>): string {
  return kase.confidential ? redactIdentities(kase.summary, kase.parties.flatMap((p) => [p.name, p.citizenId])) : kase.summary;
}

async function agencyConcerned(input: CandidateInput, caseId: mongoose.Types.ObjectId, session: ClientSession) {
  if (input.forwardingId) {
    const f = await ForwardingModel.findById(input.forwardingId, { agencyId: 1, agencyName: 1, caseIds: 1, items: 1 }).session(session).lean<Forwarding>();
    if (!f || !f.caseIds.some((id) => id.equals(caseId))) throw new ValidationError({ forwardingId: 'supervision.errors.forwardingUnknown' });
    if (input.agencyId && input.agencyId !== String(f.agencyId)) throw new ValidationError({ agencyId: 'supervision.errors.agencyNotOfForwarding' });
    const item = f.items.find((i) => i.caseId?.equals(caseId));
    return { forwardingId: f._id, agencyId: f.agencyId, agencyName: f.agencyName, summary: item?.summary ?? null };
  }
  const agency = (await getAgencies([input.agencyId!])).get(input.agencyId!);
  if (!agency) throw new ValidationError({ agencyId: 'supervision.errors.agencyUnknown' });
  return { forwardingId: null, agencyId: oid(agency.id), agencyName: agency.name, summary: null };
}

/** Proposes a matter for a session; the same matter, session and kind stand once at a time. */
export async function proposeCandidate(actor: Actor, input: CandidateInput, ctx: ServiceContext, naming: SessionNaming): Promise<{ id: string; created: boolean }> {
  assertCan(actor, 'cases:write');
  const earlier = await QuestioningCandidateModel.findOne({ submissionKey: input.submissionKey }, { _id: 1 }).lean<Pick<QuestioningCandidate, '_id'>>();
  if (earlier) return { id: String(earlier._id), created: false };
  const now = ctx.clock.now();
  const activeKey = candidateActiveKey(input);
  try {
    return await inTransaction(async (session) => {
      const sessionDoc = await AssemblySessionModel.findById(input.sessionId, { body: 1, term: 1, number: 1 }).session(session).lean<{ _id: mongoose.Types.ObjectId; body: string; term: string; number: number }>();
      if (!sessionDoc) throw new ValidationError({ sessionId: 'supervision.errors.sessionRequired' });
      const kase = await CaseModel.findById(input.caseId, { number: 1, summary: 1, confidential: 1, parties: 1, status: 1 }).session(session).lean<Case>();
      if (!kase || kase.status === 'merged') throw new ValidationError({ caseId: 'supervision.errors.caseUnknown' });
      // The round the proposal comes from must hold the case (the page returns to it afterwards).
      if (input.roundId && !(await SupervisionRoundModel.exists({ _id: oid(input.roundId), 'cases.caseId': kase._id }).session(session))) {
        throw new ValidationError({ caseId: 'supervision.errors.notInRound' });
      }
      const agency = await agencyConcerned(input, kase._id, session);
      if (await QuestioningCandidateModel.exists({ activeKey }).session(session)) throw new ValidationError({ caseId: 'supervision.errors.alreadyProposed' });
      const sessionLabel = sessionLabelOf(sessionDoc, naming);
      const [doc] = await QuestioningCandidateModel.create(
        [
          {
            sessionId: sessionDoc._id,
            sessionLabel,
            kind: input.kind,
            caseId: kase._id,
            caseNumber: kase.number,
            forwardingId: agency.forwardingId,
            agencyId: agency.agencyId,
            agencyName: agency.agencyName,
            summary: agency.summary ?? caseSummaryForSession(kase),
            reason: input.reason,
            roundId: input.roundId ? oid(input.roundId) : null,
            proposedBy: by(actor),
            proposedAt: now,
            status: 'proposed',
            withdrawal: null,
            activeKey,
            submissionKey: input.submissionKey,
          },
        ],
        { session },
      );
      await recordSupervisionEvent([kase._id], by(actor), `supervision.candidate-${input.kind}`, { session: sessionLabel, agency: agency.agencyName, reason: input.reason }, now, session);
      return { id: String(doc!._id), created: true };
    });
  } catch (err) {
    if (!isDuplicateKeyError(err)) throw err;
    const first = await QuestioningCandidateModel.findOne({ submissionKey: input.submissionKey }, { _id: 1 }).lean<Pick<QuestioningCandidate, '_id'>>();
    if (first) return { id: String(first._id), created: false };
    // Another proposal of the same matter for the same session and kind won the race.
    throw new ValidationError({ caseId: 'supervision.errors.alreadyProposed' });
  }
}

/** Withdraws a proposal, keeping it with the reason (the list can still show it). */
export async function withdrawCandidate(actor: Actor, id: string, input: { reason: string }, ctx: ServiceContext): Promise<QuestioningCandidate> {
  assertCan(actor, 'cases:write');
  const now = ctx.clock.now();
  return inTransaction(async (session) => {
    const candidate = mongoose.isValidObjectId(id) ? await QuestioningCandidateModel.findById(id).session(session).lean<QuestioningCandidate>() : null;
    if (!candidate) throw new NotFoundError('supervision.errors.candidateNotFound');
    const result = await QuestioningCandidateModel.updateOne(
      { _id: candidate._id, status: 'proposed' },
      { $set: { status: 'withdrawn', activeKey: null, withdrawal: { reason: input.reason, at: now, by: by(actor) } } },
      { session },
    );
    if (result.modifiedCount !== 1) throw new ConflictError('supervision.errors.alreadyWithdrawn');
    await recordSupervisionEvent([candidate.caseId], by(actor), 'supervision.candidate-withdrawn', { session: candidate.sessionLabel, reason: input.reason }, now, session);
    return candidate;
  });
}
