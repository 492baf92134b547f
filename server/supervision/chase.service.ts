// Formal chase letters (công văn đôn đốc): for a forwarding still with its agency, the office issues
// a numbered letter (yearly sequence, e.g. 12/CV-ĐĐ), emails it to the agency as a PDF with the
// agency's secure link, counts the chase on the forwarding and records it on the case timeline — all
// in one transaction, so a letter exists exactly when its email and its events do.
import mongoose, { trusted, type ClientSession } from 'mongoose';
import { assertCan, type Actor } from '../access/index.js';
import { ForwardingLinkModel, ForwardingModel, daysOverdue, forwardingSettings, type Forwarding } from '../forwarding/index.js';
import { enqueueEmail, secretLinkMarker } from '../notifications/index.js';
import type { ServiceContext } from '../platform/context.js';
import { nextSequence } from '../platform/db/counters.js';
import { inTransaction } from '../platform/db/transaction.js';
import { ConflictError, NotFoundError, ValidationError, isDuplicateKeyError } from '../platform/errors.js';
import { renderPdf } from '../platform/pdf/index.js';
import { ChaseLetterModel, type ChaseLetter } from './chase-letter.model.js';
import { chaseLetterDocument, chaseLetterFilename, type ChaseLetterData } from './chase-letter.js';
import { SupervisionRoundModel, type SupervisionRound } from './round.model.js';
import type { ChaseInput } from './supervision.schemas.js';
import { formatChaseNumber, isChaseable, mayChangeScope, vietnamYear } from './supervision.rules.js';
import { by, recordSupervisionEvent } from './timeline.js';

export const CHASE_LETTER_PDF_KIND = 'supervision-chase-letter';

/** The newest link the agency can still use; a chase letter is not sent without one. */
async function liveLinkId(forwardingId: mongoose.Types.ObjectId, now: Date, session: ClientSession): Promise<mongoose.Types.ObjectId | null> {
  const link = await ForwardingLinkModel.findOne({ forwardingId, revokedAt: null, expiresAt: trusted({ $gt: now }) }, { _id: 1 })
    .sort({ forwardingId: 1, createdAt: -1 })
    .session(session)
    .lean<{ _id: mongoose.Types.ObjectId }>();
  return link?._id ?? null;
}

/**
 * Issues and emails a chase letter about one forwarding, within a round (the forwarding must carry a
 * case of the round). The same form sent twice issues one letter.
 */
export async function sendChaseLetter(actor: Actor, roundId: string, input: ChaseInput, ctx: ServiceContext): Promise<{ id: string; number: string; created: boolean }> {
  assertCan(actor, 'cases:write');
  const earlier = await ChaseLetterModel.findOne({ submissionKey: input.submissionKey }, { number: 1 }).lean<Pick<ChaseLetter, '_id' | 'number'>>();
  if (earlier) return { id: String(earlier._id), number: earlier.number, created: false };
  const now = ctx.clock.now();
  try {
    return await inTransaction(async (session) => {
      const round = mongoose.isValidObjectId(roundId) ? await SupervisionRoundModel.findById(roundId).session(session).lean<SupervisionRound>() : null;
      if (!round) throw new NotFoundError('supervision.errors.notFound');
      if (!mayChangeScope(round.status)) throw new ConflictError('supervision.errors.concluded');
      const forwarding = await ForwardingModel.findById(input.forwardingId).session(session).lean<Forwarding>();
      const inRound = new Set(round.cases.map((c) => String(c.caseId)));
      if (!forwarding || !forwarding.caseIds.some((id) => inRound.has(String(id)))) throw new ValidationError({ forwardingId: 'supervision.errors.forwardingUnknown' });
      if (!isChaseable(forwarding.status) || !forwarding.documentNumber || !forwarding.documentDate) throw new ConflictError('supervision.errors.notChaseable');
      const linkId = await liveLinkId(forwarding._id, now, session);
      if (!linkId) throw new ConflictError('supervision.errors.noLiveLink');

      const count = forwarding.chaseCount + 1;
      const counted = await ForwardingModel.updateOne({ _id: forwarding._id, chaseCount: forwarding.chaseCount }, { $set: { chaseCount: count, lastChasedAt: now } }, { session });
      if (counted.modifiedCount !== 1) throw new ConflictError('supervision.errors.changedMeanwhile');

      const year = vietnamYear(now);
      const seq = await nextSequence(`supervision-chase:${year}`, session);
      const number = formatChaseNumber(seq);
      const daysLate = daysOverdue(forwarding, now);
      const [letter] = await ChaseLetterModel.create(
        [
          {
            number,
            seq,
            year,
            date: now,
            roundId: round._id,
            roundBasis: round.basis,
            forwardingId: forwarding._id,
            caseIds: forwarding.caseIds,
            agencyId: forwarding.agencyId,
            agencyName: forwarding.agencyName,
            slipNumber: forwarding.documentNumber,
            slipDate: forwarding.documentDate,
            dueDate: forwarding.deadline?.dueDate ?? null,
            daysLate,
            forwardingStatus: forwarding.status,
            // The summaries as the agency received them: redacted when the forwarding was drafted.
            items: forwarding.items.map((i) => ({ label: i.label, summary: i.summary, kind: i.kind })),
            confidential: forwarding.confidential,
            message: input.message,
            chaseNumber: count,
            signer: { position: 'Lãnh đạo Văn phòng', name: forwarding.approvedBy?.name ?? '' },
            by: by(actor),
            submissionKey: input.submissionKey,
          },
        ],
        { session },
      );
      const letterId = String(letter!._id);
      await enqueueEmail(
        {
          key: `supervision-chase:${letterId}`,
          template: 'supervision-chase',
          locale: 'vi',
          to: forwarding.contacts.filter((c) => c.role === 'to').map((c) => ({ email: c.email, name: c.name })),
          cc: forwarding.contacts.filter((c) => c.role === 'cc').map((c) => ({ email: c.email, name: c.name })),
          // The same shape as the forwarding's own emails (emailAgency), plus the letter's number.
          data: {
            agencyName: forwarding.agencyName,
            documentNumber: forwarding.documentNumber,
            documentDate: forwarding.documentDate.toISOString(),
            dueDate: forwarding.deadline?.dueDate ?? null,
            items: forwarding.items.map((i) => ({ label: i.label, summary: i.summary })),
            confidential: forwarding.confidential,
            request: forwarding.request,
            link: secretLinkMarker('agency-link', String(linkId)),
            letterNumber: number,
            letterDate: now.toISOString(),
            daysLate,
            chaseNumber: count,
            message: input.message,
          },
          caseId: forwarding.caseIds[0] ?? null,
          attachments: [{ filename: chaseLetterFilename(number), contentType: 'application/pdf', pdf: { kind: CHASE_LETTER_PDF_KIND, params: { letterId } } }],
          createdBy: actor.id,
        },
        session,
        { clock: { now: () => now } },
      );
      await recordSupervisionEvent(
        forwarding.caseIds,
        by(actor),
        'forwarding.chased',
        { forwardingId: String(forwarding._id), agency: forwarding.agencyName, documentNumber: forwarding.documentNumber, count, letterNumber: number, roundId: String(round._id) },
        now,
        session,
      );
      return { id: letterId, number, created: true };
    });
  } catch (err) {
    // The same form sent twice at once: the twin that lost — on the letter's unique submission key, or
    // on the chase count its twin had just raised — answers with the letter its twin issued.
    if (!isDuplicateKeyError(err) && !(err instanceof ConflictError)) throw err;
    const first = await ChaseLetterModel.findOne({ submissionKey: input.submissionKey }, { number: 1 }).lean<Pick<ChaseLetter, '_id' | 'number'>>();
    if (!first) throw err;
    return { id: String(first._id), number: first.number, created: false };
  }
}

export function chaseLetterDataOf(letter: ChaseLetter): ChaseLetterData {
  const s = forwardingSettings();
  return {
    office: { parentBody: s.OFFICE_PARENT_BODY, name: s.OFFICE_NAME, place: s.OFFICE_PLACE },
    number: letter.number,
    date: letter.date,
    agencyName: letter.agencyName,
    slipNumber: letter.slipNumber,
    slipDate: letter.slipDate,
    dueDate: letter.dueDate,
    daysLate: letter.daysLate,
    forwardingStatus: letter.forwardingStatus,
    items: letter.items,
    confidential: letter.confidential,
    message: letter.message,
    roundBasis: letter.roundBasis,
    chaseNumber: letter.chaseNumber,
    signer: letter.signer,
  };
}

/** The letter's PDF: for the email (the registered paper kind) and the officer's download — the same bytes' content. */
export async function chaseLetterPdfOf(letterId: string): Promise<{ bytes: Buffer; letter: ChaseLetter }> {
  const letter = mongoose.isValidObjectId(letterId) ? await ChaseLetterModel.findById(letterId).lean<ChaseLetter>() : null;
  if (!letter) throw new NotFoundError('supervision.errors.letterNotFound');
  return { bytes: await renderPdf(chaseLetterDocument(chaseLetterDataOf(letter))), letter };
}
