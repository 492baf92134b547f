// Voter meetings: recorded before they take place (the press notice is due 7 working days ahead),
// completed afterwards (voters present, minutes). Petitions are entered in petitions.service.ts.
import mongoose, { trusted } from 'mongoose';
import { assertCan, type Actor } from '../access/index.js';
import { linkAttachments } from '../attachments/index.js';
import { computeRuleDeadline, type StoredDeadline } from '../deadlines/index.js';
import type { ServiceContext } from '../platform/context.js';
import { inTransaction } from '../platform/db/transaction.js';
import { NotFoundError, ValidationError, isDuplicateKeyError } from '../platform/errors.js';
import { DelegateModel, getUnits, type Delegate } from '../reference/index.js';
import { recordMeetingEvents } from './meeting-event.model.js';
import { MeetingModel, type Meeting } from './meeting.model.js';
import { dayOf, meetingTimingProblem, pressNoticeState, type PressNoticeState } from './meetings.rules.js';
import type { MeetingInput } from './meetings.schemas.js';
import { PetitionModel } from './petition.model.js';
import { refreshConsolidatedOf } from './petition-store.js';
import { AssemblySessionModel, type AssemblySession } from './session.model.js';

export interface SavedMeeting {
  id: string;
  replayed: boolean;
  pressNotice: PressNoticeState;
  pressNoticeDue: string;
}

/** Checks everything that needs the database; returns the attending delegates as stored. */
async function checkMeeting(input: MeetingInput) {
  const errors: Record<string, string> = {};
  let session: AssemblySession | null = null;
  if (input.sessionId) {
    session = await AssemblySessionModel.findById(input.sessionId, { body: 1, opensOn: 1, closesOn: 1 }).lean<AssemblySession>();
    if (!session) errors.sessionId = 'meetings.errors.sessionUnknown';
    else if (session.body !== input.level) errors.sessionId = 'meetings.errors.sessionLevel';
  }
  if (!errors.sessionId) {
    const timing = meetingTimingProblem(input.timing, dayOf(input.startsAt), session);
    if (timing) errors[input.timing === 'thematic' || !session ? 'sessionId' : 'date'] = timing;
  }
  const units = await getUnits(input.unitCodes);
  if (input.unitCodes.some((code) => units.get(code)?.level !== 'commune')) errors.unitCodes = 'meetings.errors.communeUnknown';
  const delegates = await DelegateModel.find({ _id: trusted({ $in: input.delegateIds.map((id) => new mongoose.Types.ObjectId(id)) }) }, { name: 1, body: 1, constituency: 1, userId: 1, active: 1 }).lean<Delegate[]>();
  if (delegates.length !== input.delegateIds.length) errors.delegateIds = 'meetings.errors.delegateUnknown';
  else if (delegates.some((d) => d.body !== input.level)) errors.delegateIds = 'meetings.errors.delegateLevel';
  if (Object.keys(errors).length > 0) throw new ValidationError(errors);
  // In the order they were ticked.
  const byId = new Map(delegates.map((d) => [String(d._id), d]));
  const attending = input.delegateIds.map((id) => byId.get(id)!).map((d) => ({ delegateId: d._id, name: d.name, constituency: d.constituency ?? '', userId: d.userId ?? null }));
  return { attending, delegateUserIds: attending.map((d) => d.userId).filter((id): id is mongoose.Types.ObjectId => !!id) };
}

function meetingFields(input: MeetingInput, checked: Awaited<ReturnType<typeof checkMeeting>>, pressNotice: StoredDeadline) {
  return {
    level: input.level,
    timing: input.timing,
    sessionId: input.sessionId ? new mongoose.Types.ObjectId(input.sessionId) : null,
    topic: input.topic,
    startsAt: input.startsAt,
    format: input.format,
    place: input.place,
    unitCodes: input.unitCodes,
    delegates: checked.attending,
    delegateUserIds: checked.delegateUserIds,
    coOrganiser: input.coOrganiser,
    voterCount: input.voterCount,
    pressNotice,
    pressNoticeOn: input.pressNoticeOn,
  };
}

function saved(id: string, replayed: boolean, pressNotice: StoredDeadline, publishedOn: string | null, ctx: ServiceContext): SavedMeeting {
  return { id, replayed, pressNotice: pressNoticeState(pressNotice.dueDate, publishedOn, dayOf(ctx.clock.now())), pressNoticeDue: pressNotice.dueDate };
}

async function bySubmission(submissionKey: string, ctx: ServiceContext): Promise<SavedMeeting | null> {
  const found = await MeetingModel.findOne({ submissionKey }, { pressNotice: 1, pressNoticeOn: 1 }).lean<Meeting>();
  return found ? saved(String(found._id), true, found.pressNotice as StoredDeadline, found.pressNoticeOn ?? null, ctx) : null;
}

export async function createMeeting(actor: Actor, input: MeetingInput, ctx: ServiceContext): Promise<SavedMeeting> {
  assertCan(actor, 'cases:write');
  const replay = await bySubmission(input.submissionKey, ctx);
  if (replay) return replay;
  const checked = await checkMeeting(input);
  const pressNotice = await computeRuleDeadline('voter-meeting-press-notice', { startAt: input.startsAt });
  const id = new mongoose.Types.ObjectId();
  try {
    await inTransaction(async (session) => {
      await MeetingModel.create([{ _id: id, ...meetingFields(input, checked, pressNotice), submissionKey: input.submissionKey, createdBy: new mongoose.Types.ObjectId(actor.id) }], { session });
      await recordMeetingEvents([{ subjectType: 'meeting', subjectId: id, action: 'meeting.created', at: ctx.clock.now(), actor, details: { startsAt: input.startsAt, place: input.place } }], session);
    });
  } catch (err) {
    if (!isDuplicateKeyError(err)) throw err;
    const winner = await bySubmission(input.submissionKey, ctx);
    if (!winner) throw err;
    return winner;
  }
  return saved(String(id), false, pressNotice, input.pressNoticeOn, ctx);
}

/**
 * Corrects a meeting or completes it after it took place. Its level and session stay as they were
 * once petitions are recorded: those petitions were compiled for that session.
 */
export async function updateMeeting(actor: Actor, meetingId: string, input: MeetingInput, ctx: ServiceContext): Promise<SavedMeeting> {
  assertCan(actor, 'cases:write');
  if (!mongoose.isValidObjectId(meetingId)) throw new NotFoundError('meetings.errors.meetingNotFound');
  const current = await MeetingModel.findById(meetingId).lean<Meeting>();
  if (!current) throw new NotFoundError('meetings.errors.meetingNotFound');
  if (current.petitionCount > 0 && (current.level !== input.level || String(current.sessionId ?? '') !== (input.sessionId ?? ''))) {
    throw new ValidationError({ sessionId: 'meetings.errors.sessionFixed' });
  }
  const checked = await checkMeeting(input);
  const pressNotice = await computeRuleDeadline('voter-meeting-press-notice', { startAt: input.startsAt });
  await inTransaction(async (session) => {
    const fields = meetingFields(input, checked, pressNotice);
    await MeetingModel.updateOne({ _id: current._id }, { $set: fields }, { session });
    // The originals raised there follow the meeting's date and delegates.
    await PetitionModel.updateMany({ meetingId: current._id }, { $set: { raisedAt: input.startsAt, delegateUserIds: checked.delegateUserIds } }, { session });
    await refreshConsolidatedOf({ meetingId: current._id }, session);
    await recordMeetingEvents(
      [{ subjectType: 'meeting', subjectId: current._id, action: 'meeting.updated', at: ctx.clock.now(), actor, details: { voterCount: input.voterCount, pressNoticeOn: input.pressNoticeOn, startsAt: input.startsAt } }],
      session,
    );
  });
  return saved(String(current._id), false, pressNotice, input.pressNoticeOn, ctx);
}

/** Links uploaded minutes (biên bản) to the meeting. */
export async function attachMinutes(actor: Actor, meetingId: string, uploadIds: readonly string[], ctx: ServiceContext): Promise<number> {
  assertCan(actor, 'cases:write');
  if (uploadIds.length === 0) throw new ValidationError({ files: 'meetings.errors.noFiles' });
  if (!mongoose.isValidObjectId(meetingId)) throw new NotFoundError('meetings.errors.meetingNotFound');
  await inTransaction(async (session) => {
    const meeting = await MeetingModel.findById(meetingId, { _id: 1 }).session(session).lean<Meeting>();
    if (!meeting) throw new NotFoundError('meetings.errors.meetingNotFound');
    await linkAttachments(uploadIds, { type: 'meeting', id: String(meeting._id) }, { confidential: false, uploadedBy: { kind: 'user', id: actor.id } }, session);
    await MeetingModel.updateOne({ _id: meeting._id }, { $addToSet: { minutesAttachmentIds: { $each: uploadIds.map((id) => new mongoose.Types.ObjectId(id)) } } }, { session });
    await recordMeetingEvents([{ subjectType: 'meeting', subjectId: meeting._id, action: 'meeting.minutes-added', at: ctx.clock.now(), actor, details: { count: uploadIds.length } }], session);
  });
  return uploadIds.length;
}
