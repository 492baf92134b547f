// Merging: the same matter entered twice becomes one case; the same person entered twice keeps
// their cases up to date. Other modules register listeners to move their own records.
import type { ClientSession, Types } from 'mongoose';
import { assertCan, can, type Actor } from '../access/index.js';
import { onPeopleMerged } from '../people/index.js';
import type { ServiceContext } from '../platform/context.js';
import { inTransaction } from '../platform/db/transaction.js';
import { ConflictError, ForbiddenError, ValidationError } from '../platform/errors.js';
import { CaseEventModel } from './case-event.model.js';
import { CaseModel, type Case } from './case.model.js';
import { checkTransition } from './case-status.rules.js';
import { loadCase, recordCaseEvent, tokensFor } from './cases.service.js';

/** Other modules move their records when cases are merged (visits, letters, attachments…). */
type CaseMergeListener = (from: Types.ObjectId, into: Types.ObjectId, session: ClientSession) => Promise<void>;
const caseMergeListeners: CaseMergeListener[] = [];
export function onCasesMerged(listener: CaseMergeListener): void {
  caseMergeListeners.push(listener);
}

/** The same matter entered twice: `fromId` joins `intoId`, which keeps every visit, letter and event. */
export async function mergeCases(actor: Actor, fromId: string, intoId: string, reason: string, ctx: ServiceContext): Promise<void> {
  assertCan(actor, 'cases:write');
  if (fromId === intoId) throw new ConflictError('cases.errors.mergeSame');
  if (!reason.trim()) throw new ValidationError({ reason: 'cases.errors.reasonRequired' });
  await inTransaction(async (session) => {
    const [from, into] = await Promise.all([loadCase(fromId, session), loadCase(intoId, session)]);
    const check = checkTransition(from.status, 'merged', reason);
    if (!check.ok) throw new ConflictError('cases.errors.cannotMerge', { number: from.number });
    if (into.status === 'merged') throw new ConflictError('cases.errors.mergedCase', { number: into.number });
    if (from.confidential !== into.confidential && !can(actor, 'view-denouncer-identity')) throw new ForbiddenError();
    const known = new Set(into.parties.map((p) => String(p.personId)));
    const parties = [...into.parties, ...from.parties.filter((p) => !known.has(String(p.personId)))];
    const confidential = into.confidential || from.confidential;
    await CaseModel.updateOne(
      { _id: into._id },
      {
        $set: {
          parties,
          confidential,
          citizenIds: [...new Set(parties.flatMap((p) => (p.citizenId ? [p.citizenId] : [])))],
          ...tokensFor({ number: into.number, summary: into.summary, confidential, parties }),
        },
        $inc: { visitCount: from.visitCount, letterCount: from.letterCount },
      },
      { session },
    );
    await CaseModel.updateOne({ _id: from._id, status: from.status }, { $set: { status: 'merged', mergedInto: into._id, visitCount: 0, letterCount: 0 } }, { session });
    for (const listener of caseMergeListeners) await listener(from._id, into._id, session);
    // The merged case's history stays readable on the kept case.
    await CaseEventModel.updateMany({ caseId: from._id }, { $set: { caseId: into._id } }, { session });
    const at = ctx.clock.now();
    await recordCaseEvent(into._id, actor, 'case.merged-in', { from: from.number, reason }, at, session);
    await recordCaseEvent(from._id, actor, 'case.merged-away', { into: into.number, reason }, at, session);
  });
}

// People merged → the copies of their name and ID number on cases follow.
onPeopleMerged(async (from, into, session) => {
  const affected = await CaseModel.find({ 'parties.personId': from }, { number: 1, summary: 1, confidential: 1, parties: 1 }).session(session).lean<Case[]>();
  for (const kase of affected) {
    const parties = kase.parties
      .map((p) => (String(p.personId) === String(from) ? { ...p, personId: into._id, name: into.name, citizenId: into.citizenId ?? null } : p))
      .filter((p, i, all) => all.findIndex((q) => String(q.personId) === String(p.personId)) === i);
    await CaseModel.updateOne(
      { _id: kase._id },
      { $set: { parties, citizenIds: [...new Set(parties.flatMap((p) => (p.citizenId ? [p.citizenId] : [])))], ...tokensFor({ ...kase, parties }) } },
      { session },
    );
  }
});

