// What happens to a letter after intake: its assessment (eligible or not, why, and the handling
// outcome, which moves its cases), the split of a mixed letter into one case per part, and its scans.
// Each is one transaction with its timeline events.
import mongoose, { trusted } from 'mongoose';
import { assertCan, can, type Actor } from '../access/index.js';
import { linkAttachments } from '../attachments/index.js';
import {
  CaseModel,
  changeCaseStatusWithin,
  checkTransition,
  OPENS_A_CASE,
  openCase,
  reclassifyCaseWithin,
  recordCaseEvent,
  type Case,
  type CaseParty,
} from '../cases/index.js';
import type { ServiceContext } from '../platform/context.js';
import { inTransaction } from '../platform/db/transaction.js';
import { ConflictError, ValidationError } from '../platform/errors.js';
import { checkAssessment, statusForHandling, type AssessmentProblem } from './eligibility.rules.js';
import { LetterModel, type Letter } from './letter.model.js';
import { anyConfidential, letterTokens } from './letters.rules.js';
import type { AssessmentInput, SplitInput } from './letters.schemas.js';
import { loadVisibleLetter } from './letters.service.js';

function fieldErrorsOf(problems: AssessmentProblem[]): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const p of problems) errors[p.field] ??= `letters.errors.assessment.${p.problem}`;
  return errors;
}

/**
 * Records whether the letter is eligible, why not, and its handling outcome. Filing and returning move
 * the letter's cases to "filed" / "returned"; forwarding and proposing acceptance put them "in progress"
 * (the forwarding itself is its own step, later). Every case gets the assessment on its timeline.
 */
export async function assessLetter(actor: Actor, letterId: string, input: AssessmentInput, ctx: ServiceContext): Promise<void> {
  assertCan(actor, 'cases:write');
  const letter = await loadVisibleLetter(actor, letterId);
  const problems = checkAssessment({ type: letter.type, anonymous: letter.anonymous, hasEvidence: input.hasEvidence }, input);
  if (problems.length) throw new ValidationError(fieldErrorsOf(problems));
  const to = statusForHandling(input.handling);
  await inTransaction(async (session) => {
    const fresh = await loadVisibleLetter(actor, letterId, session);
    const cases = await CaseModel.find({ _id: trusted({ $in: fresh.caseIds }) }, { status: 1, number: 1 })
      .session(session)
      .lean<Case[]>();
    const at = ctx.clock.now();
    for (const kase of cases) {
      const from = kase.status;
      // Checked here first so the officer gets the form back with the problem, not an error page.
      const check = from === to ? null : checkTransition(from, to, input.note);
      if (check && !check.ok) throw new ValidationError(check.problem === 'reason-required' ? { note: 'letters.errors.noteRequired' } : { handling: 'letters.errors.handlingNotAllowed' });
      // The assessment first, then the move it causes. `context` picks the wording of the timeline
      // entry for the outcome (i18next context).
      await recordCaseEvent(
        kase._id,
        actor,
        'case.letter-assessed',
        { letterId: String(fresh._id), eligible: input.eligible, reasons: input.reasons, handling: input.handling, context: input.handling, reason: input.note },
        at,
        session,
      );
      if (check) await changeCaseStatusWithin(actor, String(kase._id), { to, reason: input.note }, ctx, session);
    }
    await LetterModel.updateOne(
      { _id: fresh._id },
      {
        $set: {
          eligibility: {
            eligible: input.eligible,
            reasons: input.reasons,
            hasEvidence: fresh.anonymous && input.hasEvidence,
            note: input.note,
            assessedAt: at,
            assessedBy: new mongoose.Types.ObjectId(actor.id),
          },
          handling: input.handling,
        },
      },
      { session },
    );
  });
}

/**
 * Splits a mixed letter: the first part reclassifies the letter's case, every other part opens a case
 * with the same senders, deadline start and officers. The letter then belongs to all of them, and is
 * protected if any part is a denunciation.
 */
export async function splitLetter(actor: Actor, letterId: string, input: SplitInput, ctx: ServiceContext): Promise<{ caseNumbers: string[] }> {
  assertCan(actor, 'cases:write');
  const letter = await loadVisibleLetter(actor, letterId);
  if (letter.type !== 'mixed') throw new ConflictError('letters.errors.notMixed');
  if (letter.caseIds.length > 1) throw new ConflictError('letters.errors.alreadySplit');
  const confidential = anyConfidential(input.parts.map((p) => p.type));
  // Splitting a protected letter into parts none of which is a denunciation would reveal its senders:
  // only someone who may see them can decide that.
  if (letter.confidential && !confidential && !can(actor, 'view-denouncer-identity')) throw new ValidationError({ part1Type: 'letters.errors.splitDropsProtection' });
  const [head, ...rest] = input.parts;
  if (!head || rest.length === 0) throw new ValidationError({ part2Summary: 'letters.errors.splitTooFew' });

  return inTransaction(async (session) => {
    const fresh = await LetterModel.findById(letter._id).session(session).lean<Letter>();
    if (!fresh || fresh.caseIds.length !== 1) throw new ConflictError('letters.errors.alreadySplit');
    const first = await CaseModel.findById(fresh.caseIds[0]).session(session).lean<Case>();
    if (!first || first.status === 'merged') throw new ConflictError('letters.errors.alreadySplit');
    // Every part keeps the senders protected when any part is a denunciation: the same people filed it.
    await reclassifyCaseWithin(actor, String(first._id), { type: head.type, fieldCode: head.fieldCode, unitCode: first.unitCode ?? null, summary: head.summary }, ctx, session, {
      protectFilers: confidential,
    });
    // Each sender's answer about email notices goes with them into every part: it was given about the letter.
    const answers = new Map(first.parties.map((p) => [String(p.personId), p.emailNotices ?? null]));
    const parties: CaseParty[] = fresh.senders.map((s) => ({
      person: { _id: s.personId, name: s.name, citizenId: s.citizenId ?? null },
      role: 'filer',
      emailNotices: answers.get(String(s.personId)) ?? null,
    }));
    const opened: Case[] = [];
    for (const part of rest) {
      opened.push(
        await openCase(
          actor,
          {
            type: part.type,
            fieldCode: part.fieldCode,
            unitCode: first.unitCode ?? null,
            summary: part.summary,
            receivedAt: fresh.receivedAt,
            parties,
            assignedTo: first.assignedTo ? String(first.assignedTo) : null,
            // The filer had the receipt of the letter; the split parts are the office's own doing.
            noticeFiler: false,
            followers: first.followers.map(String),
            source: 'letter',
            protectFilers: confidential,
          },
          ctx,
          session,
        ),
      );
    }
    const at = ctx.clock.now();
    const numbers = opened.map((k) => k.number);
    await recordCaseEvent(first._id, actor, 'case.letter-split', { letterId: String(fresh._id), numbers: numbers.join(', ') }, at, session);
    for (const kase of opened) await recordCaseEvent(kase._id, actor, 'case.split-from-letter', { letterId: String(fresh._id), from: first.number }, at, session);

    const caseNumbers = [first.number, ...numbers];
    const result = await LetterModel.updateOne(
      // Only a letter still in one case: two splits at once cannot both apply.
      { _id: fresh._id, 'caseIds.1': trusted({ $exists: false }) },
      { $set: { caseIds: [first._id, ...opened.map((k) => k._id)], caseNumbers, confidential, ...letterTokens({ ...fresh, caseNumbers, confidential }) } },
      { session },
    );
    if (result.modifiedCount !== 1) throw new ConflictError('letters.errors.alreadySplit');
    return { caseNumbers };
  }, OPENS_A_CASE);
}

/**
 * Attaches the scans just uploaded by the actor to the letter. The scans of a protected letter show
 * who wrote it, so they are linked as confidential: only `view-denouncer-identity` may open them.
 */
export async function attachScans(actor: Actor, letterId: string, uploadIds: readonly string[], ctx: ServiceContext): Promise<number> {
  assertCan(actor, 'cases:write');
  if (uploadIds.length === 0) throw new ValidationError({ files: 'letters.errors.noFiles' });
  const letter = await loadVisibleLetter(actor, letterId);
  await inTransaction(async (session) => {
    const fresh = await LetterModel.findById(letter._id, { caseIds: 1, confidential: 1 }).session(session).lean<Letter>();
    if (!fresh) throw new ConflictError('letters.errors.notFound');
    await linkAttachments(uploadIds, { type: 'letter', id: String(fresh._id) }, { confidential: fresh.confidential, uploadedBy: { kind: 'user', id: actor.id } }, session);
    await LetterModel.updateOne({ _id: fresh._id }, { $addToSet: { attachmentIds: { $each: uploadIds.map((id) => new mongoose.Types.ObjectId(id)) } } }, { session });
    const at = ctx.clock.now();
    for (const caseId of fresh.caseIds) {
      await recordCaseEvent(caseId, actor, 'case.letter-scans-added', { letterId: String(fresh._id), count: uploadIds.length }, at, session);
    }
  });
  return uploadIds.length;
}
