// The office's side after the agency has acted: deciding an extension request, chasing, and evaluating
// the answer — satisfied closes the forwarding (and the case once all its forwardings are closed); not
// satisfied needs a reason and a next step: chase the agency, forward again, or hand to supervision.
import type mongoose from 'mongoose';
import { trusted, type ClientSession } from 'mongoose';
import { assertCan, type Actor } from '../access/index.js';
import { vietnamDateOf, type IsoDate } from '../calendar/index.js';
import { extendStoredDeadline } from '../deadlines/index.js';
import type { ServiceContext } from '../platform/context.js';
import { inTransaction } from '../platform/db/transaction.js';
import { ConflictError, NotFoundError, ValidationError } from '../platform/errors.js';
import { ForwardingModel, type Forwarding } from './forwarding.model.js';
import { applyDeadlineChange } from './deadline-changes.service.js';
import { AWAITING_AGENCY_STATUSES, statusAfterEvaluation, type ItemVerdict, type UnsatisfiedNextStep } from './forwarding.rules.js';
import { emailAgency, factOf, tellProviders } from './forwarding.service.js';
import { linkForFollowUp, objectId, revokeLinksWithin } from './links.service.js';
import { recordForwardingEvent } from './timeline.js';

const by = (actor: Actor) => ({ id: actor.id, name: actor.name });

async function load(id: string, session: ClientSession): Promise<Forwarding> {
  const forwarding = await ForwardingModel.findById(objectId(id)).session(session).lean<Forwarding>();
  if (!forwarding) throw new NotFoundError('forwarding.errors.notFound');
  return forwarding;
}

/** A chase by an officer always carries a working link (a new one when every earlier link was revoked or ran out). */
async function liveLink(forwarding: Forwarding, actor: Actor, now: Date, session: ClientSession): Promise<mongoose.Types.ObjectId> {
  return (await linkForFollowUp(forwarding, actor.id, now, session, { evenIfRevoked: true }))!;
}

/** A reminder by hand (công văn đôn đốc by email): the agency is asked again, with its link. */
export async function chaseForwarding(actor: Actor, id: string, input: { message: string }, ctx: ServiceContext): Promise<void> {
  assertCan(actor, 'cases:write');
  const now = ctx.clock.now();
  await inTransaction(async (session) => {
    const forwarding = await load(id, session);
    if (!AWAITING_AGENCY_STATUSES.includes(forwarding.status) && forwarding.status !== 'answered') throw new ConflictError('forwarding.errors.notWithAgency');
    const count = forwarding.chaseCount + 1;
    const updated = await ForwardingModel.updateOne({ _id: forwarding._id, chaseCount: forwarding.chaseCount }, { $set: { chaseCount: count, lastChasedAt: now } }, { session });
    if (updated.modifiedCount !== 1) throw new ConflictError('forwarding.errors.changedMeanwhile');
    const linkId = await liveLink(forwarding, actor, now, session);
    await emailAgency(forwarding, linkId, 'forwarding-chase', `forwarding:${id}:chase:${count}`, actor.id, now, session, { extra: { message: input.message, chaseNumber: count } });
    await recordForwardingEvent(forwarding, by(actor), 'forwarding.chased', { count }, now, session);
  });
}

export interface ExtensionDecision {
  decision: 'granted' | 'refused';
  days: number | null;
  /** The office's reason, sent to the agency: required to refuse; to grant, the agency's own reason stands when empty. */
  note: string;
  /**
   * The office's letter answering the request, when it issued one. Optional, unlike an extension on
   * the office's own initiative: the agency asked through its link (dated and logged), and this
   * decision reaches it as the office's email, which the outbox keeps; a letter with a number is
   * recorded when the office's practice calls for one. Number and date go together.
   */
  documentNumber: string | null;
  documentDate: IsoDate | null;
}

/** The officer decides an agency's request for more time; the agency is told by email either way. */
export async function decideExtension(actor: Actor, id: string, requestId: string, input: ExtensionDecision, ctx: ServiceContext): Promise<void> {
  assertCan(actor, 'cases:write');
  const now = ctx.clock.now();
  if (input.documentDate && input.documentDate > vietnamDateOf(now)) throw new ValidationError({ decisionDocDate: 'forwarding.errors.documentDateFuture' });
  await inTransaction(async (session) => {
    const forwarding = await load(id, session);
    const request = forwarding.extensionRequests.find((r) => String(r._id) === requestId);
    if (!request) throw new NotFoundError('forwarding.errors.requestNotFound');
    if (request.decision) throw new ConflictError('forwarding.errors.requestDecided');
    if (!AWAITING_AGENCY_STATUSES.includes(forwarding.status) && forwarding.status !== 'answered') throw new ConflictError('forwarding.errors.notWithAgency');
    const decided = {
      'extensionRequests.$[r].decision': input.decision,
      'extensionRequests.$[r].decidedAt': now,
      'extensionRequests.$[r].decidedBy': actor.name,
      'extensionRequests.$[r].decisionNote': input.note,
      'extensionRequests.$[r].decisionDocumentNumber': input.documentNumber,
      'extensionRequests.$[r].decisionDocumentDate': input.documentDate,
    };
    // Still undecided when written: a twin decision that committed first leaves nothing to change.
    const undecided = { extensionRequests: trusted({ $elemMatch: { _id: request._id, decision: null } }) };
    const arrayFilters = [{ 'r._id': request._id, 'r.decision': null }];
    const reason = input.note || (input.decision === 'granted' ? request.reason : '');
    const document = { docNumber: input.documentNumber ?? '', docDate: input.documentDate ?? '' };
    const result = await ForwardingModel.updateOne({ _id: forwarding._id, ...undecided }, { $set: decided }, { session, arrayFilters });
    if (result.modifiedCount !== 1) throw new ConflictError('forwarding.errors.requestDecided');
    let updated = forwarding;
    let days: number | null = null;
    if (input.decision === 'granted') {
      if (!forwarding.deadline) throw new ConflictError('forwarding.errors.notSent');
      days = input.days ?? request.days;
      const change = await extendStoredDeadline(forwarding.deadline, { days, reason, document: '', documentNumber: input.documentNumber, documentDate: input.documentDate });
      if (!(await applyDeadlineChange(forwarding, change, now, session))) throw new ConflictError('forwarding.errors.changedMeanwhile');
      updated = { ...forwarding, deadline: change.next };
    }
    const due = updated.deadline?.dueDate ?? null;
    const linkId = await liveLink(forwarding, actor, now, session);
    await emailAgency(updated, linkId, 'forwarding-extension', `forwarding:${id}:extension:${requestId}`, actor.id, now, session, {
      extra: { decision: input.decision, note: input.note, dueDate: due, days, dayType: forwarding.deadline?.dayType ?? null, ...document },
    });
    // The context picks the timeline's wording: refused, granted, or granted by a numbered letter.
    const context = input.decision === 'refused' ? 'refused' : input.documentNumber ? 'granted-document' : 'granted';
    await recordForwardingEvent(
      forwarding,
      by(actor),
      'forwarding.extension-decided',
      { decision: input.decision, context, due: due ?? '', previousDue: forwarding.deadline?.dueDate ?? '', days, dayType: forwarding.deadline?.dayType ?? '', reason, ...document },
      now,
      session,
    );
  });
}

export interface EvaluationInput {
  verdicts: { refId: string; verdict: ItemVerdict; reason: string | null }[];
  nextStep: UnsatisfiedNextStep | null;
}

/**
 * Records the office's verdict on the answered matters. Returns the matters to forward again when
 * that was the next step chosen (the caller opens a new draft for them).
 */
export async function evaluateForwarding(actor: Actor, id: string, input: EvaluationInput, ctx: ServiceContext): Promise<{ status: Forwarding['status']; reforward: { kind: string; id: string }[] }> {
  assertCan(actor, 'cases:write');
  const now = ctx.clock.now();
  const problems: Record<string, string> = {};
  if (input.verdicts.length === 0) problems.verdicts = 'forwarding.errors.noVerdict';
  // One verdict per matter: a forged form naming a matter twice would otherwise close the forwarding
  // on one verdict while the matter keeps the other.
  if (new Set(input.verdicts.map((v) => v.refId)).size !== input.verdicts.length) problems.verdicts = 'forwarding.errors.itemNotAnswered';
  input.verdicts.forEach((v, i) => {
    if (v.verdict === 'unsatisfied' && !v.reason?.trim()) problems[`reason-${i}`] = 'forwarding.errors.reasonRequired';
  });
  const unsatisfied = input.verdicts.some((v) => v.verdict === 'unsatisfied');
  if (unsatisfied && !input.nextStep) problems.nextStep = 'forwarding.errors.nextStepRequired';
  if (Object.keys(problems).length > 0) throw new ValidationError(problems);

  return inTransaction(async (session) => {
    const forwarding = await load(id, session);
    if (forwarding.status !== 'answered') throw new ConflictError('forwarding.errors.nothingToEvaluate');
    const byRef = new Map(input.verdicts.map((v) => [v.refId, v]));
    for (const v of input.verdicts) {
      const item = forwarding.items.find((i) => i.refId === v.refId);
      if (!item || !item.answered || item.verdict) throw new ValidationError({ verdicts: 'forwarding.errors.itemNotAnswered' });
    }
    const items = forwarding.items.map((i) => {
      const v = byRef.get(i.refId);
      return v ? { ...i, verdict: v.verdict, verdictReason: v.reason?.trim() || null, evaluatedAt: now } : i;
    });
    let status: Forwarding['status'] = statusAfterEvaluation(items);
    let closure: string | null = status === 'closed' ? 'satisfied' : null;
    if (unsatisfied && input.nextStep === 'reforward') [status, closure] = ['closed', 'reforwarded'];
    if (unsatisfied && input.nextStep === 'supervision') [status, closure] = ['closed', 'supervision'];
    // Matters still waiting for their answer keep the forwarding with the agency.
    if (status === 'answered' && !items.some((i) => i.answered && !i.verdict)) status = forwarding.acknowledgedAt ? 'acknowledged' : 'sent';
    const result = await ForwardingModel.updateOne(
      { _id: forwarding._id, status: 'answered', answerCount: forwarding.answerCount },
      { $set: { items, status, ...(status === 'closed' ? { closedAt: now, closure } : {}) } },
      { session },
    );
    if (result.modifiedCount !== 1) throw new ConflictError('forwarding.errors.changedMeanwhile');
    if (status === 'closed') await revokeLinksWithin(forwarding._id, actor.id, 'closed', now, session);
    const after = { ...forwarding, items, status };
    await recordForwardingEvent(
      forwarding,
      by(actor),
      'forwarding.evaluated',
      { verdict: unsatisfied ? 'unsatisfied' : 'satisfied', nextStep: unsatisfied ? input.nextStep : null, reason: input.verdicts.map((v) => v.reason).filter(Boolean).join('; ') },
      now,
      session,
    );
    for (const verdict of ['satisfied', 'unsatisfied'] as const) {
      const refs = input.verdicts.filter((v) => v.verdict === verdict).map((v) => v.refId);
      if (refs.length === 0) continue;
      const reason = input.verdicts.find((v) => v.verdict === verdict && v.reason)?.reason ?? null;
      await tellProviders(after, (provider, ids) => provider.onEvaluated(ids, { ...factOf(forwarding, by(actor), now), verdict, reason }, session), refs);
    }
    if (unsatisfied && input.nextStep === 'chase') {
      const count = forwarding.chaseCount + 1;
      await ForwardingModel.updateOne({ _id: forwarding._id }, { $set: { chaseCount: count, lastChasedAt: now } }, { session });
      const linkId = await liveLink(forwarding, actor, now, session);
      await emailAgency(after, linkId, 'forwarding-chase', `forwarding:${id}:chase:${count}`, actor.id, now, session, {
        extra: { message: input.verdicts.map((v) => v.reason).filter(Boolean).join('\n'), chaseNumber: count },
      });
      await recordForwardingEvent(forwarding, by(actor), 'forwarding.chased', { count }, now, session);
    }
    const reforward = unsatisfied && input.nextStep === 'reforward' ? input.verdicts.filter((v) => v.verdict === 'unsatisfied').map((v) => ({ kind: forwarding.items.find((i) => i.refId === v.refId)!.kind, id: v.refId })) : [];
    return { status, reforward };
  });
}
