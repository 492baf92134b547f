// Voter meetings (tiếp xúc cử tri): delegates of the National Assembly or of the People's Council
// meet voters before or after a session, or on a theme. A meeting is held at one place, or online
// with a site in each connected commune.
import mongoose, { Schema, type InferSchemaType } from 'mongoose';
import { storedDeadlineSchemaDefinition } from '../deadlines/index.js';
import { ASSEMBLY_BODIES, MEETING_FORMATS, MEETING_TIMINGS } from './meetings.rules.js';
import { invalidateOnWrite } from '../platform/cache.js';

const deadlineSchema = new Schema(storedDeadlineSchemaDefinition, { _id: false });

const attendingDelegateSchema = new Schema(
  {
    delegateId: { type: Schema.Types.ObjectId, required: true },
    // Copied so that lists and reports need no join and keep the name the delegate had then.
    name: { type: String, required: true },
    constituency: { type: String, default: '' },
    userId: { type: Schema.Types.ObjectId, default: null },
  },
  { _id: false },
);

const meetingSchema = new Schema(
  {
    level: { type: String, enum: ASSEMBLY_BODIES, required: true },
    timing: { type: String, enum: MEETING_TIMINGS, required: true },
    /** Required before or after a session; a thematic meeting may name the session it reports to. */
    sessionId: { type: Schema.Types.ObjectId, default: null },
    topic: { type: String, default: null },
    startsAt: { type: Date, required: true },
    format: { type: String, enum: MEETING_FORMATS, required: true },
    /** The hall, or for an online meeting its main site. */
    place: { type: String, required: true },
    /** The communes taking part; online, each one is a connected site. */
    unitCodes: { type: [String], default: [] },
    delegates: { type: [attendingDelegateSchema], default: [] },
    /** The accounts of the delegates present: what a delegate's own list is read by. */
    delegateUserIds: { type: [Schema.Types.ObjectId], default: [] },
    coOrganiser: { type: String, default: null },
    voterCount: { type: Number, default: null },
    pressNotice: { type: deadlineSchema, required: true },
    /** The day the notice appeared in the press, 'YYYY-MM-DD'; null until it did. */
    pressNoticeOn: { type: String, default: null },
    minutesAttachmentIds: { type: [Schema.Types.ObjectId], default: [] },
    /** Petitions recorded at this meeting (originals, merged or not). */
    petitionCount: { type: Number, default: 0 },
    submissionKey: { type: String, required: true },
    createdBy: { type: Schema.Types.ObjectId, required: true },
  },
  { collection: 'voter_meetings', timestamps: true },
);
meetingSchema.index({ submissionKey: 1 }, { unique: true });
// The list, newest first, and its filters; a delegate's own meetings; a session's meetings.
meetingSchema.index({ startsAt: -1, _id: -1 });
meetingSchema.index({ sessionId: 1, startsAt: -1, _id: -1 });
meetingSchema.index({ level: 1, startsAt: -1, _id: -1 });
meetingSchema.index({ delegateUserIds: 1, startsAt: -1, _id: -1 });

export type Meeting = InferSchemaType<typeof meetingSchema> & { _id: mongoose.Types.ObjectId; createdAt: Date; updatedAt: Date };
// The period statistics read this collection (server/statistics/period-figures.ts keeps them briefly).
invalidateOnWrite(meetingSchema, 'voter_meetings');
export const MeetingModel = mongoose.model('VoterMeeting', meetingSchema);
