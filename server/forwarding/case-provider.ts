// Cases as forwardable matters: what the agency reads of them, and how a case's own status follows
// its forwardings (forwarded while any agency still owes an answer, answered when an answer waits for
// evaluation, supervising when handed to supervision, closed when every forwarding closed satisfied).
import mongoose, { trusted, type ClientSession } from 'mongoose';
import type { Actor } from '../access/index.js';
import { CaseModel, checkTransition, maySeeCase, recordCaseEvent, redactIdentities, type Case, type CaseStatus } from '../cases/index.js';
import { tellCaseListeners } from './case-listeners.js';
import type { ForwardableMatter, ForwardableProvider } from './forwardable.js';
import { ForwardingModel, type Forwarding } from './forwarding.model.js';
import { DRAFT_STATUSES, type ForwardingStatus } from './forwarding.rules.js';

/** Case statuses from which a case may be forwarded. */
const FORWARDABLE_CASE_STATUSES: readonly CaseStatus[] = ['received', 'in-progress', 'forwarded', 'answered', 'supervising'];
/** Case statuses the forwardings drive; any other (a reopened or filed case) is left to the officers. */
const DRIVEN_CASE_STATUSES: readonly CaseStatus[] = ['received', 'in-progress', 'forwarded', 'answered', 'supervising'];

export function caseMatterFor(kase: Pick<Case, '_id' | 'number' | 'summary' | 'confidential' | 'parties' | 'fieldCode' | 'unitCode' | 'status'>): ForwardableMatter {
  // A denunciation's filers never leave the office; for other cases the summary goes as written.
  const summary = kase.confidential ? redactIdentities(kase.summary, kase.parties.flatMap((p) => [p.name, p.citizenId])) : kase.summary;
  return {
    kind: 'case',
    id: String(kase._id),
    label: kase.number,
    summary,
    fieldCode: kase.fieldCode ?? null,
    unitCodes: kase.unitCode ? [kase.unitCode] : [],
    caseId: String(kase._id),
    problem: FORWARDABLE_CASE_STATUSES.includes(kase.status) ? null : 'forwarding.errors.caseNotForwardable',
  };
}

/** The status a case should have from the statuses of its sent forwardings, or null to leave it. */
export function caseStatusFromForwardings(forwardings: readonly Pick<Forwarding, 'status' | 'closure' | 'closedAt'>[]): CaseStatus | null {
  const sent = forwardings.filter((f) => !DRAFT_STATUSES.includes(f.status) && f.status !== 'cancelled');
  if (sent.length === 0) return null;
  const has = (s: ForwardingStatus) => sent.some((f) => f.status === s);
  if (has('answered')) return 'answered';
  if (has('sent') || has('acknowledged') || has('evaluated')) return 'forwarded';
  // All closed: the latest closure decides (a case handed to supervision stays under supervision).
  const latest = [...sent].sort((a, b) => (b.closedAt?.getTime() ?? 0) - (a.closedAt?.getTime() ?? 0))[0]!;
  if (latest.closure === 'supervision') return 'supervising';
  if (latest.closure === 'reforwarded') return null;
  return sent.every((f) => f.closure === 'satisfied' || f.closure === 'reforwarded') ? 'closed' : null;
}

/** Brings one case's status in line with its forwardings, with a timeline event when it changes. */
export async function settleCaseStatus(caseId: mongoose.Types.ObjectId, by: { id: string; name: string }, at: Date, session: ClientSession): Promise<void> {
  const kase = await CaseModel.findById(caseId, { status: 1 }).session(session).lean<Pick<Case, '_id' | 'status'>>();
  if (!kase || !DRIVEN_CASE_STATUSES.includes(kase.status)) return;
  const forwardings = await ForwardingModel.find({ caseIds: caseId }, { status: 1, closure: 1, closedAt: 1 }).session(session).lean<Pick<Forwarding, 'status' | 'closure' | 'closedAt'>[]>();
  const target = caseStatusFromForwardings(forwardings);
  if (!target || target === kase.status || !checkTransition(kase.status, target, 'forwarding').ok) return;
  const result = await CaseModel.updateOne({ _id: caseId, status: kase.status }, { $set: { status: target } }, { session });
  if (result.modifiedCount !== 1) return;
  await recordCaseEvent(caseId, by, 'case.status-changed', { from: kase.status, to: target, reason: null }, at, session);
}

async function settleAll(ids: readonly string[], by: { id: string; name: string }, at: Date, session: ClientSession): Promise<void> {
  for (const id of ids) await settleCaseStatus(new mongoose.Types.ObjectId(id), by, at, session);
}

export const caseForwardableProvider: ForwardableProvider = {
  kind: 'case',
  async load(actor: Actor, ids, session) {
    const valid = ids.filter((id) => /^[a-f0-9]{24}$/i.test(id));
    const cases = await CaseModel.find(
      { _id: trusted({ $in: valid.map((id) => new mongoose.Types.ObjectId(id)) }) },
      { number: 1, summary: 1, confidential: 1, parties: 1, fieldCode: 1, unitCode: 1, status: 1, assignedTo: 1, followers: 1 },
    )
      .session(session)
      .lean<Case[]>();
    const byId = new Map(cases.filter((c) => maySeeCase(actor, c)).map((c) => [String(c._id), c]));
    return valid.flatMap((id) => (byId.has(id) ? [caseMatterFor(byId.get(id)!)] : []));
  },
  async onForwarded(ids, fact, session) {
    await settleAll(ids, fact.by, fact.at, session);
    await tellCaseListeners('onSent', ids, fact, session);
  },
  async onAnswered(ids, fact, session) {
    await settleAll(ids, fact.by, fact.at, session);
    await tellCaseListeners('onAnswered', ids, fact, session);
  },
  async onEvaluated(ids, fact, session) {
    await settleAll(ids, fact.by, fact.at, session);
  },
};
