// The officer changes a forwarding's deadline on the office's own initiative (DOMAIN.md: "Extensions
// and suspensions are events with a reason and a document; they recompute the deadline and keep the
// old one in history"): an extension by a number of days in the rule's day type, or a suspension
// (tạm đình chỉ) that starts on one day and ends later, when the deadline moves by the suspended span.
// Each change is one transaction: the new deadline with the old one pushed to the history, the
// agency's link kept alive past the new date, the timeline event and the email to the agency. The
// form's submission key is stored with the change, so a form sent twice changes the deadline once.
import { trusted, type ClientSession } from 'mongoose';
import { assertCan, type Actor } from '../access/index.js';
import { MAX_DEADLINE_DAYS, vietnamDateOf, type IsoDate } from '../calendar/index.js';
import { extendStoredDeadline, suspendStoredDeadline, type DeadlineChangeResult, type StoredDeadline } from '../deadlines/index.js';
import type { ServiceContext } from '../platform/context.js';
import { inTransaction } from '../platform/db/transaction.js';
import { ConflictError, NotFoundError, ValidationError } from '../platform/errors.js';
import { ForwardingModel, type Forwarding } from './forwarding.model.js';
import { AGENCY_ACTIVE_STATUSES, linkExpiry } from './forwarding.rules.js';
import { emailAgency } from './forwarding.service.js';
import { ForwardingLinkModel } from './link.model.js';
import { linkForFollowUp, objectId } from './links.service.js';
import { forwardingSettings } from './settings.js';
import { recordForwardingEvent } from './timeline.js';

/** The document a change rests on: its number as written and its date ('YYYY-MM-DD'). */
export interface DocumentCitation {
  documentNumber: string;
  documentDate: IsoDate;
}

export interface OfficeExtensionInput extends DocumentCitation {
  days: number;
  reason: string;
  submissionKey: string;
}

export interface SuspensionInput extends DocumentCitation {
  from: IsoDate;
  reason: string;
  submissionKey: string;
}

export interface ResumeInput {
  to: IsoDate;
  submissionKey: string;
}

export interface DeadlineChangeOutcome {
  /** True when this submission had been recorded already (nothing new was written). */
  replayed: boolean;
  dueDate: IsoDate | null;
}

const by = (actor: Actor) => ({ id: actor.id, name: actor.name });

/**
 * Writes a recomputed deadline (the old one joins the history) and moves the expiry of the agency's
 * live links with it. The update holds only if the deadline is still the one the change was computed
 * from; `extra` adds the caller's own changes to the same update.
 */
export async function applyDeadlineChange(
  forwarding: Forwarding,
  change: DeadlineChangeResult,
  now: Date,
  session: ClientSession,
  extra: { set?: Record<string, unknown>; push?: Record<string, unknown>; filter?: Record<string, unknown> } = {},
): Promise<boolean> {
  const update: Record<string, unknown> = {
    $set: { deadline: change.next, ...extra.set },
    $push: { deadlineHistory: change.history, ...extra.push },
  };
  const result = await ForwardingModel.updateOne(
    { _id: forwarding._id, 'deadline.dueDate': forwarding.deadline?.dueDate ?? null, ...extra.filter },
    update,
    { session },
  );
  if (result.modifiedCount !== 1) return false;
  // The link lives on past the new deadline too.
  await ForwardingLinkModel.updateMany(
    { forwardingId: forwarding._id, revokedAt: null },
    { $set: { expiresAt: linkExpiry(change.next.dueAt, forwarding.sentAt ?? now, forwardingSettings().AGENCY_LINK_DAYS_AFTER_DEADLINE) } },
    { session },
  );
  return true;
}

/** A sent forwarding that the agency still works on, with its deadline; anything else is refused. */
function openDeadline(forwarding: Forwarding): StoredDeadline {
  if (!AGENCY_ACTIVE_STATUSES.includes(forwarding.status)) throw new ConflictError('forwarding.errors.notWithAgency');
  if (!forwarding.deadline) throw new ConflictError('forwarding.errors.notSent');
  return forwarding.deadline;
}

function assertDocumentDate(field: string, date: IsoDate, today: IsoDate): void {
  if (date > today) throw new ValidationError({ [field]: 'forwarding.errors.documentDateFuture' });
}

/** Maps the deadline module's field names onto this form's. */
async function recomputed(run: () => Promise<DeadlineChangeResult>, fields: Record<string, string>): Promise<DeadlineChangeResult> {
  try {
    return await run();
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    throw new ValidationError(Object.fromEntries(Object.entries(err.fieldErrors).map(([field, key]) => [fields[field] ?? field, key])));
  }
}

async function recorded(id: string, key: string): Promise<DeadlineChangeOutcome | null> {
  const found = await ForwardingModel.findOne({ _id: objectId(id), deadlineChangeKeys: key }, { 'deadline.dueDate': 1 }).lean<Pick<Forwarding, 'deadline'>>();
  return found ? { replayed: true, dueDate: found.deadline?.dueDate ?? null } : null;
}

/**
 * Runs one deadline change once per submission key: a key already recorded returns at once; a
 * concurrent twin that lost the race finds the winner's key afterwards and reports a replay too.
 */
async function once(
  id: string,
  key: string,
  work: (forwarding: Forwarding, session: ClientSession) => Promise<IsoDate | null>,
): Promise<DeadlineChangeOutcome> {
  const earlier = await recorded(id, key);
  if (earlier) return earlier;
  try {
    const dueDate = await inTransaction(async (session) => {
      const forwarding = await ForwardingModel.findById(objectId(id)).session(session).lean<Forwarding>();
      if (!forwarding) throw new NotFoundError('forwarding.errors.notFound');
      return work(forwarding, session);
    });
    return { replayed: false, dueDate };
  } catch (err) {
    const winner = await recorded(id, key);
    if (winner) return winner;
    throw err;
  }
}

function documentData(input: DocumentCitation) {
  return { docNumber: input.documentNumber, docDate: input.documentDate };
}

/** An extension decided by the office itself (not at the agency's request): days in the rule's day type. */
export async function extendForwardingDeadline(actor: Actor, id: string, input: OfficeExtensionInput, ctx: ServiceContext): Promise<DeadlineChangeOutcome> {
  assertCan(actor, 'cases:write');
  const now = ctx.clock.now();
  assertDocumentDate('extendDocDate', input.documentDate, vietnamDateOf(now));
  return once(id, input.submissionKey, async (forwarding, session) => {
    const current = openDeadline(forwarding);
    if (forwarding.suspension) throw new ConflictError('forwarding.errors.suspended');
    const change = await recomputed(
      () => extendStoredDeadline(current, { days: input.days, reason: input.reason, document: '', documentNumber: input.documentNumber, documentDate: input.documentDate }),
      { days: 'extendDays' },
    );
    const written = await applyDeadlineChange(forwarding, change, now, session, {
      push: { deadlineChangeKeys: input.submissionKey },
      filter: { suspension: null, deadlineChangeKeys: trusted({ $ne: input.submissionKey }) },
    });
    if (!written) throw new ConflictError('forwarding.errors.changedMeanwhile');
    const after = { ...forwarding, deadline: change.next };
    const linkId = (await linkForFollowUp(forwarding, actor.id, now, session, { evenIfRevoked: true }))!;
    await emailAgency(after, linkId, 'forwarding-extension', `forwarding:${id}:deadline:${input.submissionKey}`, actor.id, now, session, {
      extra: { decision: 'extended', days: input.days, dayType: current.dayType, reason: input.reason, ...documentData(input), dueDate: change.next.dueDate },
    });
    await recordForwardingEvent(
      forwarding,
      by(actor),
      'forwarding.extended',
      { days: input.days, dayType: current.dayType, previousDue: current.dueDate, due: change.next.dueDate, reason: input.reason, ...documentData(input) },
      now,
      session,
    );
    return change.next.dueDate;
  });
}

/** The clock stops from `from` (on or before today, within the running period) until the suspension ends. */
export async function suspendForwardingDeadline(actor: Actor, id: string, input: SuspensionInput, ctx: ServiceContext): Promise<DeadlineChangeOutcome> {
  assertCan(actor, 'cases:write');
  const now = ctx.clock.now();
  const today = vietnamDateOf(now);
  assertDocumentDate('suspendDocDate', input.documentDate, today);
  if (input.from > today) throw new ValidationError({ suspendFrom: 'forwarding.errors.suspendFromFuture' });
  return once(id, input.submissionKey, async (forwarding, session) => {
    const current = openDeadline(forwarding);
    if (forwarding.suspension) throw new ConflictError('forwarding.errors.alreadySuspended');
    if (input.from < current.startDate) throw new ValidationError({ suspendFrom: 'forwarding.errors.suspendBeforeStart' });
    if (input.from > current.dueDate) throw new ValidationError({ suspendFrom: 'forwarding.errors.suspendAfterDue' });
    const suspension = { from: input.from, reason: input.reason, documentNumber: input.documentNumber, documentDate: input.documentDate, by: by(actor), at: now };
    const result = await ForwardingModel.updateOne(
      { _id: forwarding._id, 'deadline.dueDate': current.dueDate, suspension: null, deadlineChangeKeys: trusted({ $ne: input.submissionKey }) },
      { $set: { suspension }, $push: { deadlineChangeKeys: input.submissionKey } },
      { session },
    );
    if (result.modifiedCount !== 1) throw new ConflictError('forwarding.errors.changedMeanwhile');
    const linkId = (await linkForFollowUp(forwarding, actor.id, now, session, { evenIfRevoked: true }))!;
    await emailAgency(forwarding, linkId, 'forwarding-extension', `forwarding:${id}:deadline:${input.submissionKey}`, actor.id, now, session, {
      extra: { decision: 'suspended', from: input.from, reason: input.reason, ...documentData(input) },
    });
    await recordForwardingEvent(forwarding, by(actor), 'forwarding.suspended', { from: input.from, reason: input.reason, ...documentData(input) }, now, session);
    return current.dueDate;
  });
}

/**
 * The suspension ends: `to` is its last day (both ends included). The deadline moves by the days the
 * suspension took from the running period, as the deadline rules count them (suspendStoredDeadline).
 */
export async function resumeForwardingDeadline(actor: Actor, id: string, input: ResumeInput, ctx: ServiceContext): Promise<DeadlineChangeOutcome> {
  assertCan(actor, 'cases:write');
  const now = ctx.clock.now();
  return once(id, input.submissionKey, async (forwarding, session) => {
    const current = openDeadline(forwarding);
    const open = forwarding.suspension;
    if (!open) throw new ConflictError('forwarding.errors.notSuspended');
    if (input.to < open.from) throw new ValidationError({ resumeTo: 'forwarding.errors.resumeBeforeStart' });
    // A bound on the span keeps the recomputation (and the calendar it loads) to a sane size.
    if (Date.parse(input.to) - Date.parse(open.from) > MAX_DEADLINE_DAYS * 86_400_000) throw new ValidationError({ resumeTo: 'forwarding.errors.suspensionTooLong' });
    const change = await recomputed(
      () => suspendStoredDeadline(current, { from: open.from, to: input.to, reason: open.reason, document: '', documentNumber: open.documentNumber, documentDate: open.documentDate }),
      { from: 'resumeTo' },
    );
    const written = await applyDeadlineChange(forwarding, change, now, session, {
      set: { suspension: null },
      push: { deadlineChangeKeys: input.submissionKey },
      filter: { 'suspension.from': open.from, deadlineChangeKeys: trusted({ $ne: input.submissionKey }) },
    });
    if (!written) throw new ConflictError('forwarding.errors.changedMeanwhile');
    const after = { ...forwarding, deadline: change.next, suspension: null };
    const lost = change.next.adjustments.at(-1)?.days ?? 0;
    const linkId = (await linkForFollowUp(forwarding, actor.id, now, session, { evenIfRevoked: true }))!;
    await emailAgency(after, linkId, 'forwarding-extension', `forwarding:${id}:deadline:${input.submissionKey}`, actor.id, now, session, {
      extra: { decision: 'resumed', from: open.from, to: input.to, days: lost, dayType: current.dayType, dueDate: change.next.dueDate },
    });
    await recordForwardingEvent(
      forwarding,
      by(actor),
      'forwarding.resumed',
      { from: open.from, to: input.to, days: lost, dayType: current.dayType, previousDue: current.dueDate, due: change.next.dueDate },
      now,
      session,
    );
    return change.next.dueDate;
  });
}
