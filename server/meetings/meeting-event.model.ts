// The history of sessions, meetings and petitions: who did what and when, kept forever. Written in
// the same transaction as the change it records.
import mongoose, { Schema, type ClientSession, type InferSchemaType } from 'mongoose';
import type { Actor } from '../access/index.js';

export const MEETING_EVENT_SUBJECTS = ['session', 'meeting', 'petition'] as const;
export type MeetingEventSubject = (typeof MEETING_EVENT_SUBJECTS)[number];

const meetingEventSchema = new Schema(
  {
    subjectType: { type: String, enum: MEETING_EVENT_SUBJECTS, required: true },
    subjectId: { type: Schema.Types.ObjectId, required: true },
    action: { type: String, required: true },
    at: { type: Date, required: true },
    /** The user, or for the forwarding hooks whoever the forwarding names (an agency through its link). */
    actorId: { type: String, default: null },
    actorName: { type: String, default: null },
    details: { type: Schema.Types.Mixed, default: {} },
  },
  { collection: 'meeting_events' },
);
meetingEventSchema.index({ subjectId: 1, at: 1, _id: 1 });

export type MeetingEvent = InferSchemaType<typeof meetingEventSchema> & { _id: mongoose.Types.ObjectId };
export const MeetingEventModel = mongoose.model('MeetingEvent', meetingEventSchema);

export interface EventInput {
  subjectType: MeetingEventSubject;
  subjectId: mongoose.Types.ObjectId | string;
  action: string;
  at: Date;
  actor: Pick<Actor, 'id' | 'name'> | null;
  details?: Record<string, unknown>;
}

export async function recordMeetingEvents(events: readonly EventInput[], session: ClientSession): Promise<void> {
  if (events.length === 0) return;
  await MeetingEventModel.insertMany(
    events.map((e) => ({
      subjectType: e.subjectType,
      subjectId: new mongoose.Types.ObjectId(String(e.subjectId)),
      action: e.action,
      at: e.at,
      actorId: e.actor?.id ?? null,
      actorName: e.actor?.name ?? null,
      details: e.details ?? {},
    })),
    { session },
  );
}
