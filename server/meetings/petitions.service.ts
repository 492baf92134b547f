// Petitions raised at a meeting: entered many at once, one row each, during or after the meeting;
// then classified (competence and the agency asked to answer) or withdrawn.
import mongoose, { trusted } from 'mongoose';
import { assertCan, type Actor } from '../access/index.js';
import { getAgency } from '../agencies/index.js';
import type { ServiceContext } from '../platform/context.js';
import { inTransaction } from '../platform/db/transaction.js';
import { ConflictError, NotFoundError, ValidationError, isDuplicateKeyError } from '../platform/errors.js';
import { getFields, getUnits } from '../reference/index.js';
import { recordMeetingEvents } from './meeting-event.model.js';
import { MeetingModel, type Meeting } from './meeting.model.js';
import { dayOf, isEditable, statusAfterClassifying, type PetitionStatus } from './meetings.rules.js';
import type { ClassificationInput, PetitionRowInput, WithdrawInput } from './meetings.schemas.js';
import { petitionWords } from './merge.rules.js';
import { PetitionModel, type Petition } from './petition.model.js';
import { nextPetitionCode } from './petition-store.js';

/** Field and commune codes must name real entries: per row, the row's own field is marked. */
async function checkCodes(rows: readonly { row: number | null; fieldCode: string | null; unitCode: string | null }[]): Promise<void> {
  const [fields, units] = await Promise.all([getFields(rows.map((r) => r.fieldCode ?? '')), getUnits(rows.map((r) => r.unitCode ?? ''))]);
  const errors: Record<string, string> = {};
  for (const r of rows) {
    const suffix = r.row === null ? '' : String(r.row);
    if (r.fieldCode && !fields.has(r.fieldCode)) errors[`fieldCode${suffix}`] = 'meetings.errors.fieldUnknown';
    if (r.unitCode && units.get(r.unitCode)?.level !== 'commune') errors[`unitCode${suffix}`] = 'meetings.errors.communeUnknown';
  }
  if (Object.keys(errors).length > 0) throw new ValidationError(errors);
}

export interface RecordedPetitions {
  count: number;
  replayed: boolean;
}

/**
 * Records the rows of the entry form as petitions of the meeting. Each row's entry key is the form's
 * submission key and the row number, so a double submission records each row once.
 */
export async function recordPetitions(actor: Actor, meetingId: string, input: { submissionKey: string; rows: PetitionRowInput[] }, ctx: ServiceContext): Promise<RecordedPetitions> {
  assertCan(actor, 'cases:write');
  if (!mongoose.isValidObjectId(meetingId)) throw new NotFoundError('meetings.errors.meetingNotFound');
  const meeting = await MeetingModel.findById(meetingId, { level: 1, sessionId: 1, startsAt: 1, delegateUserIds: 1 }).lean<Meeting>();
  if (!meeting) throw new NotFoundError('meetings.errors.meetingNotFound');
  const entryKeys = input.rows.map((r) => `${input.submissionKey}:${r.row}`);
  const already = () => PetitionModel.countDocuments({ entryKey: trusted({ $in: entryKeys }) });
  const done = await already();
  if (done > 0) return { count: done, replayed: true };
  await checkCodes(input.rows);
  const at = ctx.clock.now();
  const year = Number(dayOf(meeting.startsAt).slice(0, 4));
  try {
    await inTransaction(async (session) => {
      const docs = [];
      for (const [i, r] of input.rows.entries()) {
        docs.push({
          _id: new mongoose.Types.ObjectId(),
          code: await nextPetitionCode(year, session),
          kind: 'original' as const,
          level: meeting.level,
          sessionId: meeting.sessionId ?? null,
          meetingId: meeting._id,
          raisedAt: meeting.startsAt,
          content: r.content,
          words: petitionWords(r.content),
          fieldCode: r.fieldCode,
          unitCode: r.unitCode,
          unitCodes: r.unitCode ? [r.unitCode] : [],
          meetingIds: [meeting._id],
          meetingCount: 1,
          voterCount: r.voterCount,
          delegateUserIds: meeting.delegateUserIds,
          competence: r.competence,
          status: 'recorded' as PetitionStatus,
          entryKey: entryKeys[i]!,
          createdBy: new mongoose.Types.ObjectId(actor.id),
        });
      }
      await PetitionModel.insertMany(docs, { session });
      await MeetingModel.updateOne({ _id: meeting._id }, { $inc: { petitionCount: docs.length } }, { session });
      await recordMeetingEvents(
        [
          { subjectType: 'meeting', subjectId: meeting._id, action: 'meeting.petitions-recorded', at, actor, details: { count: docs.length } },
          ...docs.map((d) => ({ subjectType: 'petition' as const, subjectId: d._id, action: 'petition.recorded', at, actor, details: { code: d.code } })),
        ],
        session,
      );
    });
  } catch (err) {
    if (!isDuplicateKeyError(err)) throw err;
    const winner = await already();
    if (winner === 0) throw err;
    return { count: winner, replayed: true };
  }
  return { count: input.rows.length, replayed: false };
}

async function loadEditable(petitionId: string): Promise<Petition> {
  if (!mongoose.isValidObjectId(petitionId)) throw new NotFoundError('meetings.errors.petitionNotFound');
  const petition = await PetitionModel.findById(petitionId).lean<Petition>();
  if (!petition) throw new NotFoundError('meetings.errors.petitionNotFound');
  if (!isEditable(petition.status)) throw new ConflictError(petition.status === 'merged' ? 'meetings.errors.petitionMerged' : 'meetings.errors.notEditable');
  return petition;
}

/** Classifies a petition: its wording, field, locality, competence and the agency asked to answer. */
export async function classifyPetition(actor: Actor, petitionId: string, input: ClassificationInput, ctx: ServiceContext): Promise<void> {
  assertCan(actor, 'cases:write');
  const petition = await loadEditable(petitionId);
  await checkCodes([{ row: null, fieldCode: input.fieldCode, unitCode: petition.kind === 'original' ? input.unitCode : null }]);
  let agencyName: string | null = null;
  if (input.agencyId) {
    const agency = await getAgency(input.agencyId);
    if (!agency || (!agency.active && String(petition.agencyId ?? '') !== input.agencyId)) throw new ValidationError({ agencyId: 'meetings.errors.agencyUnknown' });
    agencyName = agency.name;
  }
  const classified = !!input.competence && !!input.agencyId;
  const status = statusAfterClassifying(petition.status, classified);
  const change = {
    content: input.content,
    words: petitionWords(input.content),
    fieldCode: input.fieldCode,
    competence: input.competence,
    agencyId: input.agencyId ? new mongoose.Types.ObjectId(input.agencyId) : null,
    agencyName,
    status,
    // A consolidated petition's localities are its originals'.
    ...(petition.kind === 'original' ? { unitCode: input.unitCode, unitCodes: input.unitCode ? [input.unitCode] : [] } : {}),
  };
  await inTransaction(async (session) => {
    const result = await PetitionModel.updateOne({ _id: petition._id, status: petition.status }, { $set: change }, { session });
    if (result.matchedCount !== 1) throw new ConflictError('meetings.errors.changedMeanwhile');
    await recordMeetingEvents(
      [
        {
          subjectType: 'petition',
          subjectId: petition._id,
          action: 'petition.classified',
          at: ctx.clock.now(),
          actor,
          details: {
            before: { fieldCode: petition.fieldCode, competence: petition.competence, agencyName: petition.agencyName, contentChanged: false },
            after: { fieldCode: input.fieldCode, competence: input.competence, agencyName, contentChanged: input.content !== petition.content },
          },
        },
      ],
      session,
    );
  });
}

/** Withdraws a petition (raised by mistake, or settled on the spot); it is kept, never forwarded. */
export async function withdrawPetition(actor: Actor, petitionId: string, input: WithdrawInput, ctx: ServiceContext): Promise<void> {
  assertCan(actor, 'cases:write');
  const petition = await loadEditable(petitionId);
  await inTransaction(async (session) => {
    const result = await PetitionModel.updateOne({ _id: petition._id, status: petition.status }, { $set: { status: 'withdrawn' } }, { session });
    if (result.matchedCount !== 1) throw new ConflictError('meetings.errors.changedMeanwhile');
    await recordMeetingEvents([{ subjectType: 'petition', subjectId: petition._id, action: 'petition.withdrawn', at: ctx.clock.now(), actor, details: { reason: input.reason } }], session);
  });
}
