// A delegate's own view: the meetings they attended, the petitions raised there and where each
// answer stands — the material of their report back to voters.
import mongoose, { trusted } from 'mongoose';
import { assertCan, type Actor } from '../access/index.js';
import { MeetingModel, type Meeting } from './meeting.model.js';
import { consolidatedOf, ROW_FIELDS, toRow, type PetitionRow } from './petitions.queries.js';
import { PetitionModel, type Petition } from './petition.model.js';
import { addTo, emptyCounts, type Counts } from './report.rules.js';

/** A delegate attends tens of meetings a year; the page shows the latest this many. */
export const MY_MEETINGS_LIMIT = 100;

export interface MyMeeting {
  id: string;
  startsAt: Date;
  place: string;
  timing: string;
  sessionId: string | null;
  voterCount: number | null;
  petitionCount: number;
  petitions: PetitionRow[];
}

export interface DelegateOverview {
  meetings: MyMeeting[];
  counts: Counts;
}

export async function delegateOverview(actor: Actor, sessionId: string | null): Promise<DelegateOverview> {
  assertCan(actor, 'cases:read-own');
  if (!mongoose.isValidObjectId(actor.id)) return { meetings: [], counts: emptyCounts() };
  const filter: Record<string, unknown> = { delegateUserIds: new mongoose.Types.ObjectId(actor.id) };
  if (sessionId && mongoose.isValidObjectId(sessionId)) filter.sessionId = new mongoose.Types.ObjectId(sessionId);
  const meetings = await MeetingModel.find(filter, { startsAt: 1, place: 1, timing: 1, sessionId: 1, voterCount: 1, petitionCount: 1 })
    .sort({ startsAt: -1, _id: -1 })
    .limit(MY_MEETINGS_LIMIT)
    .lean<Meeting[]>();
  const petitions = meetings.length
    ? await PetitionModel.find({ meetingId: trusted({ $in: meetings.map((m) => m._id) }) }, ROW_FIELDS).sort({ _id: 1 }).lean<Petition[]>()
    : [];
  const consolidated = await consolidatedOf(petitions);
  const rows = petitions.map((p) => toRow(p, consolidated));
  const counts = emptyCounts();
  for (const r of rows) addTo(counts, r.state, r.voterCount);
  return {
    counts,
    meetings: meetings.map((m) => ({
      id: String(m._id),
      startsAt: m.startsAt,
      place: m.place,
      timing: m.timing,
      sessionId: m.sessionId ? String(m.sessionId) : null,
      voterCount: m.voterCount ?? null,
      petitionCount: m.petitionCount,
      petitions: rows.filter((r) => r.meetingId === String(m._id)),
    })),
  };
}
