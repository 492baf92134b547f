// Voter petitions as the forwarding module sees them (server/forwarding/forwardable.ts): what may be
// forwarded, and the hooks through which forwarding, the agency's answer and the office's evaluation
// come back to each petition. The forwarding module registers this provider at start-up.
import mongoose, { trusted, type ClientSession } from 'mongoose';
import type { Actor } from '../access/index.js';
import type { AnswerFact, EvaluationFact, ForwardableMatter, ForwardableProvider, ForwardingFact } from '../forwarding/index.js';
import { getUnits } from '../reference/index.js';
import { mayReadAll, visibleScope } from './meetings.access.js';
import { recordMeetingEvents } from './meeting-event.model.js';
import { forwardProblem, stateFromForwardings, type PetitionStatus } from './meetings.rules.js';
import { PetitionModel, type Petition, type PetitionForwarding } from './petition.model.js';

function objectIds(ids: readonly string[]): mongoose.Types.ObjectId[] {
  return ids.filter((id) => typeof id === 'string' && /^[a-f0-9]{24}$/.test(id)).map((id) => new mongoose.Types.ObjectId(id));
}

/** What the agency reads: the petition, how many meetings and voters raised it, and where. */
function summaryOf(p: Petition, unitNames: Map<string, string>): string {
  const places = p.unitCodes.map((c) => unitNames.get(c) ?? c).join(', ');
  const counts = `${p.meetingCount} cuộc tiếp xúc cử tri, ${p.voterCount} lượt cử tri`;
  return `${p.content} (${counts}${places ? `; ${places}` : ''})`;
}

async function load(actor: Actor, ids: readonly string[], session: ClientSession | null): Promise<ForwardableMatter[]> {
  const wanted = objectIds(ids);
  if (wanted.length === 0) return [];
  const scope = mayReadAll(actor) ? {} : visibleScope(actor);
  const found = await PetitionModel.find({ _id: trusted({ $in: wanted }), ...scope }, { code: 1, content: 1, fieldCode: 1, unitCodes: 1, meetingCount: 1, voterCount: 1, status: 1, kind: 1, originalIds: 1 })
    .session(session)
    .lean<Petition[]>();
  const units = await getUnits(found.flatMap((p) => p.unitCodes));
  const unitNames = new Map([...units.values()].map((u) => [u.code, u.name]));
  const byId = new Map(found.map((p) => [String(p._id), p]));
  return wanted.flatMap((id) => {
    const p = byId.get(String(id));
    if (!p) return [];
    // A consolidated petition dissolved back into its originals has nothing left to forward.
    const problem = forwardProblem(p.status) ?? (p.kind === 'consolidated' && p.originalIds.length === 0 ? 'meetings.errors.petitionWithdrawn' : null);
    return [{ kind: 'petition' as const, id: String(p._id), label: p.code, summary: summaryOf(p, unitNames), fieldCode: p.fieldCode ?? null, unitCodes: [...p.unitCodes], caseId: null, problem }];
  });
}

/**
 * Applies a change to the forwarding entries of each petition, then sets the petition's status from
 * all of its forwardings. Only live petitions change: a merged-away one was never forwarded itself.
 */
async function applyToForwardings(
  ids: readonly string[],
  session: ClientSession,
  change: (forwardings: PetitionForwarding[]) => PetitionForwarding[] | null,
  event: { action: string; at: Date; by: { id: string; name: string }; details: Record<string, unknown> },
): Promise<void> {
  const petitions = await PetitionModel.find({ _id: trusted({ $in: objectIds(ids) }) }, { forwardings: 1, status: 1 })
    .session(session)
    .lean<Petition[]>();
  const changed: mongoose.Types.ObjectId[] = [];
  for (const p of petitions) {
    if (p.status === 'merged' || p.status === 'withdrawn') continue;
    const next = change(p.forwardings.map((f) => ({ ...f })));
    if (!next) continue;
    const state = stateFromForwardings(next.map((f) => ({ forwardingId: f.forwardingId, answeredAt: f.answeredAt ?? null, evaluatedAt: f.evaluatedAt ?? null, verdict: (f.verdict ?? null) })));
    const status: PetitionStatus = state?.status ?? p.status;
    await PetitionModel.updateOne({ _id: p._id }, { $set: { forwardings: next, status, verdict: state?.verdict ?? null } }, { session });
    changed.push(p._id);
  }
  await recordMeetingEvents(
    changed.map((id) => ({ subjectType: 'petition' as const, subjectId: id, action: event.action, at: event.at, actor: event.by, details: event.details })),
    session,
  );
}

/** Updates the entry of this forwarding; null (no change) when the petition was not in it. */
function updateEntry(forwardings: PetitionForwarding[], forwardingId: string, patch: Partial<PetitionForwarding>): PetitionForwarding[] | null {
  const i = forwardings.findIndex((f) => f.forwardingId === forwardingId);
  if (i < 0) return null;
  forwardings[i] = { ...forwardings[i]!, ...patch };
  return forwardings;
}

async function onForwarded(ids: readonly string[], fact: ForwardingFact, session: ClientSession): Promise<void> {
  await applyToForwardings(
    ids,
    session,
    (forwardings) => {
      // Called again for the same forwarding (a retried transaction, a re-sent slip): nothing new.
      if (forwardings.some((f) => f.forwardingId === fact.forwardingId)) return null;
      return [
        ...forwardings,
        {
          forwardingId: fact.forwardingId,
          agencyId: fact.agencyId,
          agencyName: fact.agencyName,
          forwardedAt: fact.at,
          answeredAt: null,
          answerOutcome: null,
          answerDocumentNumber: null,
          answerDocumentDate: null,
          answerText: null,
          evaluatedAt: null,
          verdict: null,
          verdictReason: null,
        },
      ];
    },
    { action: 'petition.forwarded', at: fact.at, by: fact.by, details: { forwardingId: fact.forwardingId, agencyName: fact.agencyName } },
  );
}

async function onAnswered(ids: readonly string[], fact: AnswerFact, session: ClientSession): Promise<void> {
  await applyToForwardings(
    ids,
    session,
    (forwardings) =>
      updateEntry(forwardings, fact.forwardingId, {
        answeredAt: fact.at,
        answerOutcome: fact.outcome,
        answerDocumentNumber: fact.documentNumber,
        answerDocumentDate: fact.documentDate,
        answerText: fact.text,
        // A new answer is evaluated afresh.
        evaluatedAt: null,
        verdict: null,
        verdictReason: null,
      }),
    { action: 'petition.answered', at: fact.at, by: fact.by, details: { forwardingId: fact.forwardingId, agencyName: fact.agencyName, documentNumber: fact.documentNumber } },
  );
}

async function onEvaluated(ids: readonly string[], fact: EvaluationFact, session: ClientSession): Promise<void> {
  await applyToForwardings(
    ids,
    session,
    (forwardings) => updateEntry(forwardings, fact.forwardingId, { evaluatedAt: fact.at, verdict: fact.verdict, verdictReason: fact.reason }),
    { action: 'petition.evaluated', at: fact.at, by: fact.by, details: { forwardingId: fact.forwardingId, agencyName: fact.agencyName, verdict: fact.verdict, reason: fact.reason } },
  );
}

export const petitionForwardableProvider: ForwardableProvider = { kind: 'petition', load, onForwarded, onAnswered, onEvaluated };
