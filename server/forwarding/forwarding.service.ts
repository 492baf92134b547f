// Use cases of forwarding, the office's side: draft (one matter or many, to one agency or several),
// approve or send back (when the office requires a leader's approval), cancel, and send — which
// numbers the slip, computes the deadline, issues the agency's link and queues the email with the slip,
// all in one transaction, so a forwarding is either fully sent or not at all.
import mongoose, { trusted, type ClientSession } from 'mongoose';
import { assertCan, type Actor } from '../access/index.js';
import { getAgencies, type AgencySummary } from '../agencies/index.js';
import { AttachmentModel } from '../attachments/index.js';
import { CaseModel } from '../cases/index.js';
import { computeRuleDeadline } from '../deadlines/index.js';
import { enqueueEmail, secretLinkMarker, type EmailRecipient, type EnqueuedEmail } from '../notifications/index.js';
import type { ServiceContext } from '../platform/context.js';
import { nextSequence } from '../platform/db/counters.js';
import { inTransaction } from '../platform/db/transaction.js';
import { ConflictError, NotFoundError, ValidationError, isDuplicateKeyError } from '../platform/errors.js';
import { UserModel } from '../users/index.js';
import { forwardableProvider, type ForwardableKind, type ForwardableMatter, type ForwardableProvider, type ForwardableRef } from './forwardable.js';
import { ForwardingModel, type Forwarding } from './forwarding.model.js';
import { DRAFT_STATUSES, formatDocumentNumber } from './forwarding.rules.js';
import { issueLink, objectId, revokeLinksWithin } from './links.service.js';
import { forwardingSettings } from './settings.js';
import { shareableFilesOfCases } from './shared-files.js';
import { slipFilename } from './slip.js';
import { recordForwardingEvent } from './timeline.js';

export const FORWARDING_RULE_KEYS = ['agency-answer', 'voter-petition-central-answer', 'voter-petition-local-answer'] as const;
export type ForwardingRuleKey = (typeof FORWARDING_RULE_KEYS)[number];

export interface DraftForwardingInput {
  items: ForwardableRef[];
  agencyIds: string[];
  /** per-matter: one forwarding per matter and agency (cases); per-agency: one per agency carrying all (petitions). */
  grouping: 'per-matter' | 'per-agency';
  request: string;
  internalNote: string;
  sharedAttachmentIds: string[];
  ruleKey: ForwardingRuleKey;
  /** The form's one-time key: a repeated or concurrent submission returns the first one's forwardings. */
  submissionKey: string;
}

export interface DraftResult {
  ids: string[];
  sent: boolean;
  /** False when the submission had already been handled (nothing new was written). */
  created: boolean;
}

const by = (actor: Actor) => ({ id: actor.id, name: actor.name });

async function loadMatters(actor: Actor, refs: readonly ForwardableRef[], session: ClientSession | null): Promise<ForwardableMatter[]> {
  const kinds = [...new Set(refs.map((r) => r.kind))];
  const matters: ForwardableMatter[] = [];
  for (const kind of kinds) {
    const ids = [...new Set(refs.filter((r) => r.kind === kind).map((r) => r.id))];
    const loaded = await forwardableProvider(kind).load(actor, ids, session);
    if (loaded.length !== ids.length) throw new ValidationError({ items: 'forwarding.errors.itemUnknown' });
    matters.push(...loaded);
  }
  return matters;
}

function activeAgencies(ids: readonly string[], found: Map<string, AgencySummary>): AgencySummary[] {
  const agencies = [...new Set(ids)].map((id) => found.get(id));
  if (agencies.some((a) => !a)) throw new ValidationError({ agencyIds: 'forwarding.errors.agencyUnknown' });
  if (agencies.some((a) => !a!.active)) throw new ValidationError({ agencyIds: 'forwarding.errors.agencyInactive' });
  return agencies as AgencySummary[];
}

/** A matter may be with an agency once at a time: a second open forwarding to the same agency is refused. */
async function assertNotAlreadyWith(matters: readonly ForwardableMatter[], agencies: readonly AgencySummary[], session: ClientSession | null): Promise<void> {
  for (const m of matters) {
    const open = await ForwardingModel.findOne(
      {
        'items.kind': m.kind,
        'items.refId': m.id,
        agencyId: trusted({ $in: agencies.map((a) => new mongoose.Types.ObjectId(a.id)) }),
        status: trusted({ $nin: ['cancelled', 'closed'] }),
      },
      { agencyName: 1 },
    )
      .session(session)
      .lean<Pick<Forwarding, 'agencyName'>>();
    if (open) throw new ValidationError({ agencyIds: 'forwarding.errors.alreadyWithAgency' });
  }
}

/** The chosen files, each with the case it belongs to; any file that may not be shared refuses the form. */
async function shareableChoice(actor: Actor, matters: readonly ForwardableMatter[], ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const caseIds = matters.flatMap((m) => (m.caseId ? [m.caseId] : []));
  const allowed = new Map((await shareableFilesOfCases(actor, caseIds)).map((f) => [f.id, f.caseId]));
  if (!ids.every((id) => allowed.has(id))) throw new ValidationError({ sharedAttachmentIds: 'forwarding.errors.fileNotShareable' });
  return new Map(ids.map((id) => [id, allowed.get(id)!]));
}

function groupsOf(matters: ForwardableMatter[], agencies: AgencySummary[], grouping: DraftForwardingInput['grouping']) {
  if (grouping === 'per-agency') return agencies.map((agency) => ({ agency, matters }));
  return matters.flatMap((m) => agencies.map((agency) => ({ agency, matters: [m] })));
}

export async function draftForwardings(actor: Actor, input: DraftForwardingInput, ctx: ServiceContext): Promise<DraftResult> {
  assertCan(actor, 'cases:write');
  const firstKey = `${input.submissionKey}:0`;
  const already = async (): Promise<DraftResult | null> => {
    const docs = await ForwardingModel.find({ submissionKey: trusted({ $regex: `^${input.submissionKey.replace(/[^\w-]/g, '')}:` }) }, { status: 1 }).lean<Pick<Forwarding, '_id' | 'status'>[]>();
    if (docs.length === 0) return null;
    return { ids: docs.map((d) => String(d._id)), sent: docs.every((d) => !DRAFT_STATUSES.includes(d.status)), created: false };
  };
  if (await ForwardingModel.exists({ submissionKey: firstKey })) return (await already())!;

  if (input.items.length === 0) throw new ValidationError({ items: 'forwarding.errors.noItems' });
  if (input.agencyIds.length === 0) throw new ValidationError({ agencyIds: 'forwarding.errors.noAgency' });
  const matters = await loadMatters(actor, input.items, null);
  const problem = matters.find((m) => m.problem);
  if (problem) throw new ValidationError({ items: problem.problem! });
  const agencies = activeAgencies(input.agencyIds, await getAgencies(input.agencyIds));
  await assertNotAlreadyWith(matters, agencies, null);
  const files = await shareableChoice(actor, matters, [...new Set(input.sharedAttachmentIds)]);

  const settings = forwardingSettings();
  const now = ctx.clock.now();
  const sendNow = settings.FORWARDING_APPROVAL === 'none';
  try {
    const ids = await inTransaction(async (session) => {
      const created: string[] = [];
      for (const [index, group] of groupsOf(matters, agencies, input.grouping).entries()) {
        const caseIds = [...new Set(group.matters.flatMap((m) => (m.caseId ? [m.caseId] : [])))].map((id) => new mongoose.Types.ObjectId(id));
        const [doc] = await ForwardingModel.create(
          [
            {
              status: 'awaiting-approval',
              agencyId: new mongoose.Types.ObjectId(group.agency.id),
              agencyName: group.agency.name,
              contacts: group.agency.contacts,
              items: group.matters.map((m) => ({ kind: m.kind, refId: m.id, label: m.label, summary: m.summary, caseId: m.caseId ? new mongoose.Types.ObjectId(m.caseId) : null })),
              caseIds,
              confidential: await anyConfidential(caseIds, session),
              request: input.request,
              internalNote: input.internalNote,
              // Each forwarding carries only the files of its own matters.
              sharedAttachmentIds: [...files].filter(([, caseId]) => group.matters.some((m) => m.caseId === caseId)).map(([id]) => new mongoose.Types.ObjectId(id)),
              ruleKey: input.ruleKey,
              draftedBy: by(actor),
              submissionKey: `${input.submissionKey}:${index}`,
            },
          ],
          { session },
        );
        const forwarding = doc!.toObject<Forwarding>();
        await recordForwardingEvent(forwarding, by(actor), 'forwarding.drafted', {}, now, session);
        if (sendNow) await sendWithin(actor, forwarding, null, ctx, session);
        created.push(String(forwarding._id));
      }
      if (!sendNow) await notifyApprovers(created.length, actor, now, input.submissionKey, session);
      return created;
    });
    return { ids, sent: sendNow, created: true };
  } catch (err) {
    // The same form submitted twice at once: the other request wrote the forwardings.
    if (isDuplicateKeyError(err)) {
      const existing = await already();
      if (existing) return existing;
    }
    throw err;
  }
}

async function anyConfidential(caseIds: mongoose.Types.ObjectId[], session: ClientSession): Promise<boolean> {
  if (caseIds.length === 0) return false;
  return (await CaseModel.exists({ _id: trusted({ $in: caseIds }), confidential: true }).session(session)) !== null;
}

/** Leaders are told by email that forwardings wait for their approval (one email per submission). */
async function notifyApprovers(count: number, actor: Actor, now: Date, submissionKey: string, session: ClientSession): Promise<void> {
  const leaders = await UserModel.find({ role: 'leader', disabled: false }, { email: 1, name: 1, locale: 1 }).lean<{ email: string; name: string; locale?: string }[]>();
  for (const leader of leaders) {
    await enqueueEmail(
      {
        key: `forwarding-approval:${submissionKey}:${leader.email}`,
        template: 'forwarding-approval',
        locale: leader.locale === 'en' ? 'en' : 'vi',
        to: [{ email: leader.email, name: leader.name }],
        data: { count, drafter: actor.name, at: now.toISOString(), listPath: '/forwardings?status=awaiting-approval' },
        createdBy: actor.id,
      },
      session,
      { clock: { now: () => now } },
    );
  }
}

async function loadForwarding(id: string, session: ClientSession | null): Promise<Forwarding> {
  const forwarding = await ForwardingModel.findById(objectId(id)).session(session).lean<Forwarding>();
  if (!forwarding) throw new NotFoundError('forwarding.errors.notFound');
  return forwarding;
}

/** A leader approves: the forwarding is numbered and sent. */
export async function approveForwarding(actor: Actor, id: string, input: { note: string }, ctx: ServiceContext): Promise<void> {
  assertCan(actor, 'forwardings:approve');
  await inTransaction(async (session) => {
    const forwarding = await loadForwarding(id, session);
    if (forwarding.status !== 'awaiting-approval') throw new ConflictError('forwarding.errors.notAwaitingApproval');
    await sendWithin(actor, forwarding, input.note || null, ctx, session);
  });
}

/** A leader sends a draft back to the officer with a note. */
export async function returnForwarding(actor: Actor, id: string, input: { note: string }, ctx: ServiceContext): Promise<void> {
  assertCan(actor, 'forwardings:approve');
  await inTransaction(async (session) => {
    const forwarding = await loadForwarding(id, session);
    const result = await ForwardingModel.updateOne({ _id: forwarding._id, status: 'awaiting-approval' }, { $set: { status: 'returned', approvalNote: input.note } }, { session });
    if (result.modifiedCount !== 1) throw new ConflictError('forwarding.errors.notAwaitingApproval');
    await recordForwardingEvent(forwarding, by(actor), 'forwarding.returned', { note: input.note }, ctx.clock.now(), session);
  });
}

/** The officer submits a returned draft again (with the request text corrected). */
export async function resubmitForwarding(actor: Actor, id: string, input: { request: string }, ctx: ServiceContext): Promise<void> {
  assertCan(actor, 'cases:write');
  const sendNow = forwardingSettings().FORWARDING_APPROVAL === 'none';
  await inTransaction(async (session) => {
    const forwarding = await loadForwarding(id, session);
    const result = await ForwardingModel.updateOne({ _id: forwarding._id, status: 'returned' }, { $set: { status: 'awaiting-approval', request: input.request } }, { session });
    if (result.modifiedCount !== 1) throw new ConflictError('forwarding.errors.notReturned');
    await recordForwardingEvent(forwarding, by(actor), 'forwarding.resubmitted', {}, ctx.clock.now(), session);
    if (sendNow) await sendWithin(actor, { ...forwarding, status: 'awaiting-approval', request: input.request }, null, ctx, session);
  });
}

/** Withdraws a draft that was not sent. */
export async function cancelForwarding(actor: Actor, id: string, input: { reason: string }, ctx: ServiceContext): Promise<void> {
  assertCan(actor, 'cases:write');
  await inTransaction(async (session) => {
    const forwarding = await loadForwarding(id, session);
    const result = await ForwardingModel.updateOne(
      { _id: forwarding._id, status: trusted({ $in: DRAFT_STATUSES }) },
      { $set: { status: 'cancelled', closedAt: ctx.clock.now(), closure: 'cancelled' } },
      { session },
    );
    if (result.modifiedCount !== 1) throw new ConflictError('forwarding.errors.notDraft');
    await recordForwardingEvent(forwarding, by(actor), 'forwarding.cancelled', { reason: input.reason }, ctx.clock.now(), session);
  });
}

/**
 * Sends a drafted forwarding, inside the caller's transaction: document number, deadline, link, the
 * email to the agency with the slip and the shared files, the matters' own state, the timeline.
 */
async function sendWithin(actor: Actor, forwarding: Forwarding, note: string | null, ctx: ServiceContext, session: ClientSession): Promise<void> {
  const settings = forwardingSettings();
  const now = ctx.clock.now();
  const year = Number(new Intl.DateTimeFormat('en', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric' }).format(now));
  const seq = await nextSequence(`forwarding-document:${year}`, session);
  const documentNumber = formatDocumentNumber(seq, settings.FORWARDING_NUMBER_SUFFIX);
  const deadline = await computeRuleDeadline(forwarding.ruleKey, { startAt: now });
  // The agency's addresses as they are today (an admin may have corrected them since the draft).
  const agency = (await getAgencies([String(forwarding.agencyId)])).get(String(forwarding.agencyId));
  if (!agency?.active) throw new ValidationError({ agencyIds: 'forwarding.errors.agencyInactive' });
  const result = await ForwardingModel.updateOne(
    { _id: forwarding._id, status: trusted({ $in: DRAFT_STATUSES }) },
    {
      $set: {
        status: 'sent',
        documentNumber,
        documentYear: year,
        documentSeq: seq,
        documentDate: now,
        deadline,
        sentAt: now,
        contacts: agency.contacts,
        agencyName: agency.name,
        approvedBy: by(actor),
        approvalNote: note,
      },
    },
    { session },
  );
  if (result.modifiedCount !== 1) throw new ConflictError('forwarding.errors.notAwaitingApproval');
  const sent: Forwarding = { ...forwarding, status: 'sent', documentNumber, documentYear: year, documentSeq: seq, documentDate: now, deadline, sentAt: now, contacts: agency.contacts, agencyName: agency.name, approvedBy: by(actor) };
  const link = await issueLink(sent, actor.id, now, session);
  await emailAgency(sent, link._id, 'forwarding-sent', `forwarding:${String(sent._id)}:sent`, actor.id, now, session, { withSlip: true });
  await recordForwardingEvent(sent, by(actor), 'forwarding.sent', { due: deadline.dueDate }, now, session);
  await tellProviders(sent, (provider, ids) => provider.onForwarded(ids, factOf(sent, by(actor), now), session));
}

/** Queues an email to the agency's contacts (to, with cc copied) carrying the secure link. */
export async function emailAgency(
  forwarding: Forwarding,
  linkId: mongoose.Types.ObjectId,
  template: string,
  key: string,
  createdBy: string,
  now: Date,
  session: ClientSession,
  options: { withSlip?: boolean; extra?: Record<string, unknown>; escalate?: { leaders: EmailRecipient[] } } = {},
): Promise<EnqueuedEmail> {
  const contacts = (role: string) => forwarding.contacts.filter((c) => c.role === role).map((c) => ({ email: c.email, name: c.name }));
  const to = contacts('to');
  // An escalation also copies the agency's head and the office's leaders; nobody gets two copies.
  const seen = new Set(to.map((c) => c.email.toLowerCase()));
  const cc = [...contacts('cc'), ...(options.escalate ? [...contacts('head'), ...options.escalate.leaders] : [])].filter((c) => {
    const address = c.email.toLowerCase();
    if (seen.has(address)) return false;
    seen.add(address);
    return true;
  });
  const shared = options.withSlip && forwarding.sharedAttachmentIds.length > 0
    ? await AttachmentModel.find({ _id: trusted({ $in: forwarding.sharedAttachmentIds }) }, { originalName: 1, contentType: 1 }).session(session).lean<{ _id: mongoose.Types.ObjectId; originalName: string; contentType: string }[]>()
    : [];
  const attachments = options.withSlip
    ? [
        { filename: slipFilename(forwarding.documentNumber ?? ''), contentType: 'application/pdf', pdf: { kind: 'forwarding-slip', params: { forwardingId: String(forwarding._id) } } },
        ...shared.map((a) => ({ filename: a.originalName, contentType: a.contentType, attachmentId: String(a._id) })),
      ]
    : [];
  return enqueueEmail(
    {
      key,
      template,
      locale: 'vi',
      to,
      cc,
      data: {
        agencyName: forwarding.agencyName,
        documentNumber: forwarding.documentNumber,
        documentDate: forwarding.documentDate?.toISOString() ?? null,
        dueDate: forwarding.deadline?.dueDate ?? null,
        items: forwarding.items.map((i) => ({ label: i.label, summary: i.summary })),
        confidential: forwarding.confidential,
        request: forwarding.request,
        link: secretLinkMarker('agency-link', String(linkId)),
        ...options.extra,
      },
      caseId: forwarding.caseIds[0] ?? null,
      attachments,
      createdBy,
    },
    session,
    { clock: { now: () => now } },
  );
}

/** Hands a change to the provider of each kind of matter the forwarding carries (case status, petition state). */
export async function tellProviders(
  forwarding: Pick<Forwarding, 'items'>,
  call: (provider: ForwardableProvider, ids: string[]) => Promise<void>,
  only?: readonly string[],
): Promise<void> {
  const items = only ? forwarding.items.filter((i) => only.includes(i.refId)) : forwarding.items;
  for (const kind of [...new Set(items.map((i) => i.kind))] as ForwardableKind[]) {
    await call(forwardableProvider(kind), items.filter((i) => i.kind === kind).map((i) => i.refId));
  }
}

/** The facts every provider call starts from. */
export function factOf(forwarding: Pick<Forwarding, '_id' | 'agencyId' | 'agencyName'>, who: { id: string; name: string }, at: Date) {
  return { by: who, at, forwardingId: String(forwarding._id), agencyId: String(forwarding.agencyId), agencyName: forwarding.agencyName };
}

/** An officer sends a new link (the earlier ones stop working), e.g. when the agency lost the email. */
export async function reissueLink(actor: Actor, id: string, input: { reason: string }, ctx: ServiceContext): Promise<void> {
  assertCan(actor, 'cases:write');
  const now = ctx.clock.now();
  await inTransaction(async (session) => {
    const forwarding = await loadForwarding(id, session);
    if (!['sent', 'acknowledged', 'answered', 'evaluated'].includes(forwarding.status)) throw new ConflictError('forwarding.errors.notWithAgency');
    await revokeLinksWithin(forwarding._id, actor.id, input.reason, now, session);
    const link = await issueLink(forwarding, actor.id, now, session);
    await emailAgency(forwarding, link._id, 'forwarding-link', `forwarding:${id}:link:${String(link._id)}`, actor.id, now, session, { extra: { reason: input.reason } });
    await recordForwardingEvent(forwarding, by(actor), 'forwarding.link-reissued', { reason: input.reason }, now, session);
  });
}
