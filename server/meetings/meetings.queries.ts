// Reads of voter meetings: the list (newest first, filtered, paginated by key), and one meeting with
// its press-notice state, minutes, petitions and history.
import mongoose, { trusted } from 'mongoose';
import { z } from 'zod';
import type { Actor } from '../access/index.js';
import { listAttachments, type AttachmentInfo } from '../attachments/index.js';
import { keysetScan, takeEach, sortOf, withCondition, type KeysetOrder } from '../exports/index.js';
import { MeetingEventModel, type MeetingEvent } from './meeting-event.model.js';
import { MeetingModel, type Meeting } from './meeting.model.js';
import { loadVisibleMeeting, visibleScope } from './meetings.access.js';
import { ASSEMBLY_BODIES, MEETING_TIMINGS, dayOf, isPressNoticeWarning, pressNoticeState, type PressNoticeState } from './meetings.rules.js';
import { petitionsOfMeeting, type PetitionRow } from './petitions.queries.js';
import { sessionsById, type SessionRow } from './sessions.queries.js';

export const MEETINGS_PAGE_SIZE = 25;

const objectId = z
  .string()
  .regex(/^[a-f0-9]{24}$/)
  .optional()
  .catch(undefined);

/** List filters from the query string; anything malformed is ignored rather than refused. */
export const meetingListQuerySchema = z.object({
  session: objectId,
  level: z.enum(ASSEMBLY_BODIES).optional().catch(undefined),
  timing: z.enum(MEETING_TIMINGS).optional().catch(undefined),
  after: objectId,
});
export type MeetingListQuery = z.infer<typeof meetingListQuerySchema>;

export interface MeetingRow {
  id: string;
  level: string;
  timing: string;
  session: SessionRow | null;
  topic: string | null;
  startsAt: Date;
  format: string;
  place: string;
  siteCount: number;
  delegates: string[];
  voterCount: number | null;
  petitionCount: number;
  pressNotice: PressNoticeState;
  pressNoticeDue: string;
  pressNoticeWarning: boolean;
  hasMinutes: boolean;
}

const ROW_FIELDS = {
  level: 1,
  timing: 1,
  sessionId: 1,
  topic: 1,
  startsAt: 1,
  format: 1,
  place: 1,
  unitCodes: 1,
  delegates: 1,
  voterCount: 1,
  petitionCount: 1,
  'pressNotice.dueDate': 1,
  pressNoticeOn: 1,
  minutesAttachmentIds: 1,
} as const;

function toRow(m: Meeting, sessions: Map<string, SessionRow>, today: string): MeetingRow {
  const state = pressNoticeState(m.pressNotice.dueDate, m.pressNoticeOn ?? null, today);
  return {
    id: String(m._id),
    level: m.level,
    timing: m.timing,
    session: m.sessionId ? (sessions.get(String(m.sessionId)) ?? null) : null,
    topic: m.topic ?? null,
    startsAt: m.startsAt,
    format: m.format,
    place: m.place,
    siteCount: m.unitCodes.length,
    delegates: m.delegates.map((d) => d.name),
    voterCount: m.voterCount ?? null,
    petitionCount: m.petitionCount,
    pressNotice: state,
    pressNoticeDue: m.pressNotice.dueDate,
    // Once the meeting has passed, a notice never published is history, not a task.
    pressNoticeWarning: isPressNoticeWarning(state) && (state === 'published-late' || dayOf(m.startsAt) >= today),
    hasMinutes: m.minutesAttachmentIds.length > 0,
  };
}

/** The list's filter: what the actor may see (403 for a user who may see no meetings), narrowed by the query. */
export function meetingListFilter(actor: Actor, query: MeetingListQuery): Record<string, unknown> {
  const filter: Record<string, unknown> = { ...visibleScope(actor) };
  if (query.session) filter.sessionId = new mongoose.Types.ObjectId(query.session);
  if (query.level) filter.level = query.level;
  if (query.timing) filter.timing = query.timing;
  return filter;
}

export async function listMeetings(actor: Actor, query: MeetingListQuery, now: Date): Promise<{ rows: MeetingRow[]; next: string | null; total: number }> {
  const filter = meetingListFilter(actor, query);
  const total = await MeetingModel.countDocuments(filter);
  let pageFilter = filter;
  if (query.after) {
    const cursor = await MeetingModel.findById(query.after, { startsAt: 1 }).lean<Meeting>();
    if (cursor) {
      pageFilter = { $and: [filter, { $or: [{ startsAt: trusted({ $lt: cursor.startsAt }) }, { startsAt: cursor.startsAt, _id: trusted({ $lt: cursor._id }) }] }] };
    }
  }
  const found = await MeetingModel.find(pageFilter, ROW_FIELDS)
    .sort({ startsAt: -1, _id: -1 })
    .limit(MEETINGS_PAGE_SIZE + 1)
    .lean<Meeting[]>();
  const page = found.slice(0, MEETINGS_PAGE_SIZE);
  const today = dayOf(now);
  const sessions = await sessionsById(page.map((m) => m.sessionId), today);
  const rows = page.map((m) => toRow(m, sessions, today));
  return { rows, next: found.length > MEETINGS_PAGE_SIZE ? rows[rows.length - 1]!.id : null, total };
}

const EXPORT_ORDER: KeysetOrder = { path: 'startsAt', dir: -1 };

/** Every meeting the filter selects, newest first as on the list, read in chunks by key. */
export async function* exportMeetingRows(filter: Record<string, unknown>, now: Date): AsyncGenerator<MeetingRow> {
  const today = dayOf(now);
  const chunks = keysetScan<Meeting>((after, limit) => MeetingModel.find(withCondition(filter, after), ROW_FIELDS).sort(sortOf(EXPORT_ORDER)).limit(limit).lean<Meeting[]>(), EXPORT_ORDER);
  for await (const chunk of chunks) {
    const sessions = await sessionsById(chunk.map((m) => m.sessionId), today);
    for (const m of takeEach(chunk)) yield toRow(m, sessions, today);
  }
}

export interface MeetingDetail extends MeetingRow {
  sessionId: string | null;
  unitCodes: string[];
  attending: { delegateId: string; name: string; constituency: string }[];
  coOrganiser: string | null;
  pressNoticeOn: string | null;
  pressNoticeDeadline: Meeting['pressNotice'];
  petitions: PetitionRow[];
  minutes: AttachmentInfo[];
  events: Pick<MeetingEvent, 'action' | 'at' | 'actorName' | 'details'>[];
}

export async function getMeetingDetail(actor: Actor, meetingId: string, now: Date): Promise<MeetingDetail> {
  const m = await loadVisibleMeeting(actor, meetingId);
  const today = dayOf(now);
  const [sessions, petitions, minutes, events] = await Promise.all([
    sessionsById([m.sessionId], today),
    petitionsOfMeeting(m._id),
    listAttachments({ type: 'meeting', id: String(m._id) }, actor),
    MeetingEventModel.find({ subjectId: m._id }, { action: 1, at: 1, actorName: 1, details: 1 }).sort({ at: 1, _id: 1 }).limit(200).lean<MeetingEvent[]>(),
  ]);
  return {
    ...toRow(m, sessions, today),
    sessionId: m.sessionId ? String(m.sessionId) : null,
    unitCodes: [...m.unitCodes],
    attending: m.delegates.map((d) => ({ delegateId: String(d.delegateId), name: d.name, constituency: d.constituency ?? '' })),
    coOrganiser: m.coOrganiser ?? null,
    pressNoticeOn: m.pressNoticeOn ?? null,
    pressNoticeDeadline: m.pressNotice,
    petitions,
    minutes,
    events,
  };
}
