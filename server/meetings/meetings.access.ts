// Who sees which meetings and petitions: officers and leaders every one; a delegate the meetings they
// attended and the petitions raised there (also once merged with others). Anything else answers 404,
// so an id reveals nothing.
import mongoose from 'mongoose';
import { can, type Actor } from '../access/index.js';
import { ForbiddenError, NotFoundError } from '../platform/errors.js';
import { MeetingModel, type Meeting } from './meeting.model.js';
import { PetitionModel, type Petition } from './petition.model.js';

export function mayReadAll(actor: Actor): boolean {
  return can(actor, 'cases:read-all');
}

/** The filter that limits reads to what the actor may see (the same field on meetings and petitions). */
export function visibleScope(actor: Actor): Record<string, unknown> {
  if (mayReadAll(actor)) return {};
  if (can(actor, 'cases:read-own') && mongoose.isValidObjectId(actor.id)) return { delegateUserIds: new mongoose.Types.ObjectId(actor.id) };
  throw new ForbiddenError();
}

function sees(actor: Actor, record: { delegateUserIds?: readonly mongoose.Types.ObjectId[] | null }): boolean {
  if (mayReadAll(actor)) return true;
  return can(actor, 'cases:read-own') && (record.delegateUserIds ?? []).some((id) => String(id) === actor.id);
}

export async function loadVisibleMeeting(actor: Actor, meetingId: string): Promise<Meeting> {
  if (!mayReadAll(actor) && !can(actor, 'cases:read-own')) throw new ForbiddenError();
  if (!mongoose.isValidObjectId(meetingId)) throw new NotFoundError('meetings.errors.meetingNotFound');
  const meeting = await MeetingModel.findById(meetingId).lean<Meeting>();
  if (!meeting || !sees(actor, meeting)) throw new NotFoundError('meetings.errors.meetingNotFound');
  return meeting;
}

export async function loadVisiblePetition(actor: Actor, petitionId: string): Promise<Petition> {
  if (!mayReadAll(actor) && !can(actor, 'cases:read-own')) throw new ForbiddenError();
  if (!mongoose.isValidObjectId(petitionId)) throw new NotFoundError('meetings.errors.petitionNotFound');
  const petition = await PetitionModel.findById(petitionId).lean<Petition>();
  if (!petition || !sees(actor, petition)) throw new NotFoundError('meetings.errors.petitionNotFound');
  return petition;
}
