// Merging petitions that say the same thing into one consolidated petition. The originals keep their
// own wording, meeting, locality and voters, point to the consolidated petition and follow its state
// in reports; the consolidated petition counts the meetings and voters behind it.
import mongoose, { trusted } from 'mongoose';
import { assertCan, type Actor } from '../access/index.js';
import type { ServiceContext } from '../platform/context.js';
import { inTransaction } from '../platform/db/transaction.js';
import { ConflictError, NotFoundError, ValidationError, isDuplicateKeyError } from '../platform/errors.js';
import { recordMeetingEvents, type EventInput } from './meeting-event.model.js';
import { dayOf, isEditable, statusAfterClassifying } from './meetings.rules.js';
import type { MergeInput } from './meetings.schemas.js';
import { mergeProblem, mergeTarget, petitionWords } from './merge.rules.js';
import { PetitionModel, type Petition } from './petition.model.js';
import { nextPetitionCode, refreshConsolidated } from './petition-store.js';

export interface MergeResult {
  id: string;
  code: string;
  replayed: boolean;
}

const FIELDS = { code: 1, kind: 1, level: 1, sessionId: 1, status: 1, content: 1, fieldCode: 1, competence: 1, agencyId: 1, agencyName: 1, mergedInto: 1, raisedAt: 1 } as const;

function loadChosen(ids: readonly string[], session: mongoose.ClientSession | null): Promise<Petition[]> {
  return PetitionModel.find({ _id: trusted({ $in: ids.map((id) => new mongoose.Types.ObjectId(id)) }) }, FIELDS)
    .session(session)
    .lean<Petition[]>();
}

/** The chosen petitions are already one consolidated petition (the same form sent twice): its id. */
function alreadyMerged(chosen: readonly Petition[]): Petition['_id'] | null {
  const consolidated = chosen.filter((p) => p.kind === 'consolidated' && p.status !== 'merged');
  if (consolidated.length !== 1) return null;
  const target = consolidated[0]!._id;
  return chosen.every((p) => String(p._id) === String(target) || String(p.mergedInto ?? '') === String(target)) ? target : null;
}

export async function mergePetitions(actor: Actor, given: MergeInput, ctx: ServiceContext): Promise<MergeResult> {
  assertCan(actor, 'cases:write');
  const input = { ...given, ids: [...new Set(given.ids)] };
  const entryKey = `merge:${input.submissionKey}`;
  const replay = await PetitionModel.findOne({ entryKey }, { code: 1 }).lean<Petition>();
  if (replay) return { id: String(replay._id), code: replay.code, replayed: true };

  const chosen = await loadChosen(input.ids, null);
  if (chosen.length !== input.ids.length) throw new ValidationError({ ids: 'meetings.errors.petitionUnknown' });
  const done = alreadyMerged(chosen);
  if (done) return { id: String(done), code: chosen.find((p) => String(p._id) === String(done))!.code, replayed: true };
  const problem = mergeProblem(chosen.map((p) => ({ id: String(p._id), kind: p.kind, level: p.level, sessionId: p.sessionId ? String(p.sessionId) : null, status: p.status })));
  if (problem) throw new ValidationError({ ids: problem });
  if (input.wordingFrom && !input.ids.includes(input.wordingFrom)) throw new ValidationError({ wordingFrom: 'meetings.errors.petitionUnknown' });

  const ordered = input.ids.map((id) => chosen.find((p) => String(p._id) === id)!);
  const targetId = mergeTarget(ordered.map((p) => ({ id: String(p._id), kind: p.kind, level: p.level, sessionId: p.sessionId ? String(p.sessionId) : null, status: p.status })));
  const target = targetId ? ordered.find((p) => String(p._id) === targetId)! : null;
  const content = input.content ?? ordered.find((p) => String(p._id) === input.wordingFrom)?.content ?? target?.content ?? ordered[0]!.content;
  const classifiedFrom = target?.competence && target.agencyId ? target : ordered.find((p) => p.competence && p.agencyId);
  const fieldCode = target?.fieldCode ?? ordered.find((p) => p.fieldCode)?.fieldCode ?? null;
  const at = ctx.clock.now();

  try {
    return await inTransaction(async (session) => {
      // Read again inside the transaction: another merge or a forwarding may have got there first.
      const fresh = await loadChosen(input.ids, session);
      if (fresh.length !== ordered.length || fresh.some((p) => !isEditable(p.status))) throw new ConflictError('meetings.errors.changedMeanwhile');
      let keptId: mongoose.Types.ObjectId;
      let keptCode: string;
      const events: EventInput[] = [];
      if (target) {
        keptId = target._id;
        keptCode = target.code;
        await PetitionModel.updateOne({ _id: keptId }, { $set: { content, words: petitionWords(content), fieldCode } }, { session });
      } else {
        keptId = new mongoose.Types.ObjectId();
        const earliest = ordered.reduce((a, b) => (a.raisedAt <= b.raisedAt ? a : b));
        keptCode = await nextPetitionCode(Number(dayOf(earliest.raisedAt).slice(0, 4)), session);
        const competence = classifiedFrom?.competence ?? ordered.find((p) => p.competence)?.competence ?? null;
        const agencyId = classifiedFrom?.agencyId ?? null;
        await PetitionModel.create(
          [
            {
              _id: keptId,
              code: keptCode,
              kind: 'consolidated',
              level: earliest.level,
              sessionId: earliest.sessionId ?? null,
              meetingId: null,
              raisedAt: earliest.raisedAt,
              content,
              words: petitionWords(content),
              fieldCode,
              meetingCount: 0,
              voterCount: 0,
              competence,
              agencyId,
              agencyName: classifiedFrom?.agencyName ?? null,
              status: statusAfterClassifying('recorded', !!competence && !!agencyId),
              entryKey,
              createdBy: new mongoose.Types.ObjectId(actor.id),
            },
          ],
          { session },
        );
      }
      for (const p of ordered) {
        if (String(p._id) === String(keptId)) continue;
        if (p.kind === 'consolidated') {
          // Its originals move to the kept petition; it stays, merged, for its history.
          await PetitionModel.updateMany({ mergedInto: p._id }, { $set: { mergedInto: keptId } }, { session });
          await PetitionModel.updateOne({ _id: p._id }, { $set: { status: 'merged', mergedInto: keptId, originalIds: [] } }, { session });
        } else {
          await PetitionModel.updateOne({ _id: p._id }, { $set: { status: 'merged', mergedInto: keptId } }, { session });
        }
        events.push({ subjectType: 'petition', subjectId: p._id, action: 'petition.merged', at, actor, details: { into: keptCode } });
      }
      await refreshConsolidated([keptId], session);
      events.push({ subjectType: 'petition', subjectId: keptId, action: target ? 'petition.merged-more' : 'petition.consolidated', at, actor, details: { codes: ordered.filter((p) => String(p._id) !== String(keptId)).map((p) => p.code) } });
      await recordMeetingEvents(events, session);
      return { id: String(keptId), code: keptCode, replayed: false };
    });
  } catch (err) {
    if (!isDuplicateKeyError(err)) throw err;
    const winner = await PetitionModel.findOne({ entryKey }, { code: 1 }).lean<Petition>();
    if (!winner) throw err;
    return { id: String(winner._id), code: winner.code, replayed: true };
  }
}

/**
 * Takes an original back out of its consolidated petition (merged by mistake). A consolidated
 * petition left with a single original is dissolved: that original stands alone again.
 */
export async function detachOriginal(actor: Actor, petitionId: string, ctx: ServiceContext): Promise<void> {
  assertCan(actor, 'cases:write');
  if (!mongoose.isValidObjectId(petitionId)) throw new NotFoundError('meetings.errors.petitionNotFound');
  const original = await PetitionModel.findById(petitionId, FIELDS).lean<Petition>();
  if (!original) throw new NotFoundError('meetings.errors.petitionNotFound');
  if (original.kind !== 'original' || !original.mergedInto) throw new ConflictError('meetings.errors.notMerged');
  const consolidated = await PetitionModel.findById(original.mergedInto, FIELDS).lean<Petition>();
  if (!consolidated || !isEditable(consolidated.status)) throw new ConflictError('meetings.errors.notEditable');
  const at = ctx.clock.now();
  await inTransaction(async (session) => {
    const status = statusAfterClassifying('recorded', !!original.competence && !!original.agencyId);
    const moved = await PetitionModel.updateOne({ _id: original._id, mergedInto: consolidated._id }, { $set: { mergedInto: null, status } }, { session });
    if (moved.matchedCount !== 1) throw new ConflictError('meetings.errors.changedMeanwhile');
    const left = await PetitionModel.find({ mergedInto: consolidated._id }, { _id: 1 }).session(session).lean<Petition[]>();
    const events: EventInput[] = [{ subjectType: 'petition', subjectId: original._id, action: 'petition.detached', at, actor, details: { from: consolidated.code } }];
    if (left.length <= 1) {
      await PetitionModel.updateMany({ mergedInto: consolidated._id }, { $set: { mergedInto: null, status: 'recorded' } }, { session });
      await PetitionModel.updateOne({ _id: consolidated._id }, { $set: { status: 'withdrawn', originalIds: [] } }, { session });
      events.push({ subjectType: 'petition', subjectId: consolidated._id, action: 'petition.dissolved', at, actor, details: {} });
    } else {
      await refreshConsolidated([consolidated._id], session);
    }
    await recordMeetingEvents(events, session);
  });
}
