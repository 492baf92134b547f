// Use cases of an agency acting through its secure link (it has no account): confirm receipt, ask for
// more time, submit an answer. Every call names the forwarding and the link of the agency's session;
// both are checked again inside the transaction, so a link revoked a moment ago acts on nothing. Each
// change is written with its timeline event, the matters' own state and an email to the officer who
// drafted the forwarding; every use is logged with the client's address and user agent.
import mongoose, { trusted, type ClientSession } from 'mongoose';
import { vietnamDateOf } from '../calendar/index.js';
import { AttachmentModel, linkAttachments } from '../attachments/index.js';
import { enqueueEmail } from '../notifications/index.js';
import { inTransaction } from '../platform/db/transaction.js';
import { AppError, ConflictError, NotFoundError, ValidationError, isDuplicateKeyError } from '../platform/errors.js';
import { UserModel } from '../users/index.js';
import { ForwardingAnswerModel } from './answer.model.js';
import { answerProblems, coveredRefIds, itemsAfterAnswer } from './agency.rules.js';
import type { AnswerInput, ConfirmInput, ExtensionInput } from './agency.schemas.js';
import { ForwardingModel, type Forwarding } from './forwarding.model.js';
import { agencyMay, linkRefusal, type LinkRefusal } from './forwarding.rules.js';
import { factOf, tellProviders } from './forwarding.service.js';
import { ForwardingLinkModel, type ForwardingLink, type LinkAction } from './link.model.js';
import { logLinkAccess, type AccessMeta } from './links.service.js';
import { recordForwardingEvent } from './timeline.js';

/** What an agency's session holds: the one forwarding and the link it was opened with. */
export interface AgencyAccess {
  forwardingId: string;
  linkId: string;
}

/** The link no longer opens anything: revoked or expired (410), or not this forwarding's (404). */
export class AgencyLinkRefusedError extends AppError {
  constructor(readonly refusal: Exclude<LinkRefusal, 'closed'>) {
    super(refusal === 'unknown' ? 404 : 410, `agency.refused.${refusal}`);
  }
}

const PDF = { contentType: 'application/pdf', extension: 'pdf' } as const;

function objectIdOrNull(id: string): mongoose.Types.ObjectId | null {
  return typeof id === 'string' && /^[a-f0-9]{24}$/i.test(id) ? new mongoose.Types.ObjectId(id) : null;
}

/** How the timeline and the providers name the agency acting through its link. */
function agencyActor(f: Pick<Forwarding, 'agencyId' | 'agencyName'>) {
  return { id: `agency:${String(f.agencyId)}`, name: f.agencyName };
}

/**
 * The forwarding the access opens, read inside the transaction. A closed forwarding is returned (what
 * the agency may do there is agencyMay's answer); a link that is revoked, expired or not this
 * forwarding's opens nothing.
 */
async function openForwarding(access: AgencyAccess, at: Date, session: ClientSession | null): Promise<Forwarding> {
  const forwardingId = objectIdOrNull(access.forwardingId);
  const linkId = objectIdOrNull(access.linkId);
  const link = linkId ? await ForwardingLinkModel.findById(linkId).session(session).lean<ForwardingLink>() : null;
  const forwarding = forwardingId && link && link.forwardingId.equals(forwardingId) ? await ForwardingModel.findById(forwardingId).session(session).lean<Forwarding>() : null;
  const refusal = linkRefusal(link, forwarding, at);
  if (refusal && refusal !== 'closed') throw new AgencyLinkRefusedError(refusal);
  return forwarding!;
}

/** Every use of the link is logged, refused ones too (outside the transaction: a failed change is still a use). */
async function logUse(access: AgencyAccess, action: LinkAction, meta: AccessMeta): Promise<void> {
  await logLinkAccess({ forwardingId: objectIdOrNull(access.forwardingId), linkId: objectIdOrNull(access.linkId), action }, meta);
}

type AgencyUpdate =
  | { event: 'acknowledged'; confirmerName: string }
  | { event: 'extension-requested'; days: number; reason: string; requesterName: string }
  | { event: 'answered'; answerId: string; outcome: string; documentNumber: string; documentDate: string; responderName: string; matters: string[] };

/** Tells the officer who drafted the forwarding what the agency did (once per change: the key says which). */
async function emailDrafter(f: Forwarding, update: AgencyUpdate, key: string, at: Date, session: ClientSession): Promise<void> {
  if (!mongoose.isValidObjectId(f.draftedBy.id)) return;
  const officer = await UserModel.findById(f.draftedBy.id, { email: 1, name: 1, locale: 1, disabled: 1 })
    .session(session)
    .lean<{ email: string; name: string; locale?: string; disabled?: boolean }>();
  if (!officer || officer.disabled) return;
  await enqueueEmail(
    {
      key,
      template: 'forwarding-agency-update',
      locale: officer.locale === 'en' ? 'en' : 'vi',
      to: [{ email: officer.email, name: officer.name }],
      data: {
        ...update,
        agencyName: f.agencyName,
        forwardingNumber: f.documentNumber,
        caseNumbers: f.items.map((i) => i.label),
        at: at.toISOString(),
        path: `/forwardings/${String(f._id)}`,
      },
      caseId: f.caseIds[0] ?? null,
      createdBy: `agency:${String(f.agencyId)}`,
    },
    session,
    { clock: { now: () => at } },
  );
}

/** One click: the agency confirms it received the forwarding. Confirming again changes nothing. */
export async function confirmReceipt(access: AgencyAccess, input: ConfirmInput, meta: AccessMeta): Promise<{ changed: boolean }> {
  await logUse(access, 'confirm', meta);
  const at = meta.at;
  return inTransaction(async (session) => {
    const f = await openForwarding(access, at, session);
    if (f.acknowledgedAt) return { changed: false };
    if (!agencyMay(f.status, 'confirm', false)) throw new ConflictError('agency.errors.notOpen');
    const confirmer = input.confirmerName || f.agencyName;
    const result = await ForwardingModel.updateOne(
      { _id: f._id, status: f.status, acknowledgedAt: null },
      { $set: { acknowledgedAt: at, acknowledgedBy: confirmer, ...(f.status === 'sent' ? { status: 'acknowledged' } : {}) } },
      { session },
    );
    // Another request confirmed it a moment ago: the same outcome, nothing more to record.
    if (result.modifiedCount !== 1) return { changed: false };
    await recordForwardingEvent(f, agencyActor(f), 'forwarding.acknowledged', { confirmerName: confirmer }, at, session);
    await emailDrafter(f, { event: 'acknowledged', confirmerName: confirmer }, `forwarding-agency:${String(f._id)}:acknowledged`, at, session);
    return { changed: true };
  });
}

/** The agency asks for more time; the office decides. One request may wait for a decision at a time. */
export async function requestExtension(access: AgencyAccess, input: ExtensionInput, meta: AccessMeta): Promise<{ requestId: string }> {
  await logUse(access, 'extension', meta);
  const at = meta.at;
  return inTransaction(async (session) => {
    const f = await openForwarding(access, at, session);
    if (!agencyMay(f.status, 'extension', f.acknowledgedAt !== null)) throw new ConflictError('agency.errors.notOpen');
    if (f.extensionRequests.some((r) => r.decision === null)) throw new ConflictError('agency.errors.extensionPending');
    const requestId = new mongoose.Types.ObjectId();
    const request = { _id: requestId, requestedAt: at, days: input.days, reason: input.reason, requesterName: input.requesterName, decision: null, decidedAt: null, decidedBy: null, decisionNote: null };
    // The length guard makes two concurrent requests one: the second no longer matches.
    const result = await ForwardingModel.updateOne(
      { _id: f._id, status: f.status, extensionRequests: trusted({ $size: f.extensionRequests.length }) },
      { $push: { extensionRequests: request } },
      { session },
    );
    if (result.modifiedCount !== 1) throw new ConflictError('agency.errors.extensionPending');
    await recordForwardingEvent(f, agencyActor(f), 'forwarding.extension-requested', { requestId: String(requestId), days: input.days, reason: input.reason, requesterName: input.requesterName }, at, session);
    await emailDrafter(
      f,
      { event: 'extension-requested', days: input.days, reason: input.reason, requesterName: input.requesterName },
      `forwarding-agency:${String(f._id)}:extension:${String(requestId)}`,
      at,
      session,
    );
    return { requestId: String(requestId) };
  });
}

/** The uploads that carry the answer: at least one, every one a PDF (the signed document). */
async function answerFiles(uploadIds: readonly string[], forwardingId: string, session: ClientSession): Promise<mongoose.Types.ObjectId[]> {
  const ids = [...new Set(uploadIds)].map(objectIdOrNull);
  if (ids.length === 0) throw new ValidationError({ files: 'agency.errors.fileRequired' });
  if (ids.some((id) => id === null)) throw new ValidationError({ files: 'agency.errors.fileRequired' });
  const files = await AttachmentModel.find(
    { _id: trusted({ $in: ids }), status: 'pending', deletedAt: null, 'uploadedBy.kind': 'agency', 'uploadedBy.id': forwardingId },
    { contentType: 1, extension: 1 },
  )
    .session(session)
    .lean<{ _id: mongoose.Types.ObjectId; contentType: string | null; extension: string | null }[]>();
  if (files.length !== ids.length) throw new ValidationError({ files: 'agency.errors.fileRequired' });
  if (files.some((a) => a.contentType !== PDF.contentType || a.extension !== PDF.extension)) throw new ValidationError({ files: 'agency.errors.pdfOnly' });
  return files.map((a) => a._id);
}

export interface SubmitAnswerResult {
  answerId: string;
  /** False when this submission had already been saved (a double click, a retried request). */
  created: boolean;
}

/**
 * The agency's answer: the document (number, date, signer), the outcome, the text and the signed PDF.
 * The covered matters become answered and wait for the office's evaluation; the forwarding is
 * 'answered'. The same submission key saves one answer, however often it arrives.
 */
export async function submitAnswer(access: AgencyAccess, input: AnswerInput, uploadIds: readonly string[], meta: AccessMeta): Promise<SubmitAnswerResult> {
  await logUse(access, 'answer', meta);
  const at = meta.at;
  const submissionKey = `${access.forwardingId}:${input.submissionKey}`;
  const already = async (): Promise<SubmitAnswerResult | null> => {
    const found = await ForwardingAnswerModel.findOne({ submissionKey }, { _id: 1 }).lean<{ _id: mongoose.Types.ObjectId }>();
    return found ? { answerId: String(found._id), created: false } : null;
  };
  const replay = await already();
  if (replay) return replay;
  try {
    return await inTransaction(async (session) => {
      const f = await openForwarding(access, at, session);
      if (!agencyMay(f.status, 'answer', f.acknowledgedAt !== null)) throw new ConflictError('agency.errors.notOpen');
      const covered = coveredRefIds(f.items, input.matters);
      const problems = answerProblems(input, { today: vietnamDateOf(at), forwardingDate: f.documentDate ? vietnamDateOf(f.documentDate) : null });
      if (!covered) problems.matters = 'agency.errors.matterUnknown';
      if (Object.keys(problems).length > 0) throw new ValidationError(problems);
      const files = await answerFiles(uploadIds, String(f._id), session);

      const answerId = new mongoose.Types.ObjectId();
      await ForwardingAnswerModel.create(
        [
          {
            _id: answerId,
            forwardingId: f._id,
            itemRefIds: covered!,
            responderName: input.responderName,
            responderPosition: input.responderPosition,
            documentNumber: input.documentNumber,
            documentDate: new Date(`${input.documentDate}T00:00:00+07:00`),
            outcome: input.outcome,
            expectedDate: input.outcome === 'in-progress' && input.expectedDate ? new Date(`${input.expectedDate}T00:00:00+07:00`) : null,
            competentAgency: input.outcome === 'not-competent' ? input.competentAgency : null,
            text: input.text,
            attachmentIds: files,
            submittedAt: at,
            linkId: objectIdOrNull(access.linkId),
            ip: meta.ip?.slice(0, 64) ?? null,
            submissionKey,
          },
        ],
        { session },
      );
      await linkAttachments(
        files.map(String),
        { type: 'forwarding-answer', id: String(answerId) },
        { confidential: false, uploadedBy: { kind: 'agency', id: String(f._id) } },
        session,
      );
      const result = await ForwardingModel.updateOne(
        { _id: f._id, status: f.status, answerCount: f.answerCount },
        {
          $set: {
            status: 'answered',
            items: itemsAfterAnswer(f.items, covered!),
            firstAnsweredAt: f.firstAnsweredAt ?? at,
            lastAnsweredAt: at,
            // An answer is also a receipt: the agency need not click "confirm" first.
            ...(f.acknowledgedAt ? {} : { acknowledgedAt: at, acknowledgedBy: input.responderName }),
          },
          $inc: { answerCount: 1 },
        },
        { session },
      );
      if (result.modifiedCount !== 1) throw new ConflictError('agency.errors.changedMeanwhile');

      const who = agencyActor(f);
      const answered: Forwarding = { ...f, status: 'answered' };
      await recordForwardingEvent(
        answered,
        who,
        'forwarding.answered',
        { answerId: String(answerId), outcome: input.outcome, answerDocumentNumber: input.documentNumber, answerDocumentDate: input.documentDate, responderName: input.responderName, matters: covered! },
        at,
        session,
      );
      await tellProviders(
        answered,
        (p, ids) =>
          p.onAnswered(ids, { ...factOf(answered, who, at), outcome: input.outcome, documentNumber: input.documentNumber, documentDate: new Date(`${input.documentDate}T00:00:00+07:00`), text: input.text }, session),
        covered!,
      );
      await emailDrafter(
        answered,
        {
          event: 'answered',
          answerId: String(answerId),
          outcome: input.outcome,
          documentNumber: input.documentNumber,
          documentDate: input.documentDate,
          responderName: input.responderName,
          matters: f.items.filter((i) => covered!.includes(i.refId)).map((i) => i.label),
        },
        `forwarding-agency:${String(f._id)}:answer:${String(answerId)}`,
        at,
        session,
      );
      return { answerId: String(answerId), created: true };
    });
  } catch (err) {
    // The same form submitted twice at once: the other request saved the answer.
    if (isDuplicateKeyError(err)) {
      const existing = await already();
      if (existing) return existing;
    }
    throw err;
  }
}

/** Looks the forwarding up for a read (the page, a download), with the same link checks as a change. */
export async function forwardingForAgency(access: AgencyAccess, at: Date): Promise<Forwarding> {
  const f = await openForwarding(access, at, null);
  if (!f) throw new NotFoundError('agency.refused.unknown');
  return f;
}
