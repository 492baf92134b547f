// Voter petitions (kiến nghị cử tri). An original is what voters raised at one meeting, in their
// words. Originals that say the same thing are merged into a consolidated petition, which is what the
// office classifies, compiles and forwards; the originals point to it and keep their wording.
import mongoose, { Schema, type InferSchemaType } from 'mongoose';
import { ASSEMBLY_BODIES, COMPETENCES, PETITION_STATUSES, VERDICTS } from './meetings.rules.js';
import { invalidateOnWrite } from '../platform/cache.js';

/** One agency the petition was forwarded to, and what came back (fed by the forwarding module). */
const forwardingSchema = new Schema(
  {
    forwardingId: { type: String, required: true },
    agencyId: { type: String, required: true },
    agencyName: { type: String, required: true },
    forwardedAt: { type: Date, required: true },
    answeredAt: { type: Date, default: null },
    answerOutcome: { type: String, default: null },
    answerDocumentNumber: { type: String, default: null },
    answerDocumentDate: { type: Date, default: null },
    answerText: { type: String, default: null },
    evaluatedAt: { type: Date, default: null },
    verdict: { type: String, enum: [...VERDICTS, null], default: null },
    verdictReason: { type: String, default: null },
  },
  { _id: false },
);

const petitionSchema = new Schema(
  {
    /** Stable human code, e.g. KN-2026-00042. */
    code: { type: String, required: true },
    kind: { type: String, enum: ['original', 'consolidated'], required: true },
    level: { type: String, enum: ASSEMBLY_BODIES, required: true },
    sessionId: { type: Schema.Types.ObjectId, default: null },
    /** The meeting an original was raised at (null for a consolidated petition). */
    meetingId: { type: Schema.Types.ObjectId, default: null },
    /** When it was raised: the meeting's start; for a consolidated petition, the earliest original's. */
    raisedAt: { type: Date, required: true },
    content: { type: String, required: true },
    /** Folded subject words, for merge suggestions and search. */
    words: { type: [String], default: [] },
    fieldCode: { type: String, default: null },
    /** The locality an original concerns (null: the whole province). */
    unitCode: { type: String, default: null },
    /** Every locality, meeting and voter behind the petition (an original's own, or its originals'). */
    unitCodes: { type: [String], default: [] },
    meetingIds: { type: [Schema.Types.ObjectId], default: [] },
    meetingCount: { type: Number, required: true },
    voterCount: { type: Number, required: true },
    delegateUserIds: { type: [Schema.Types.ObjectId], default: [] },
    competence: { type: String, enum: [...COMPETENCES, null], default: null },
    agencyId: { type: Schema.Types.ObjectId, default: null },
    agencyName: { type: String, default: null },
    status: { type: String, enum: PETITION_STATUSES, required: true },
    verdict: { type: String, enum: [...VERDICTS, null], default: null },
    mergedInto: { type: Schema.Types.ObjectId, default: null },
    originalIds: { type: [Schema.Types.ObjectId], default: [] },
    compiledAt: { type: Date, default: null },
    forwardings: { type: [forwardingSchema], default: [] },
    /** The form row (or merge) that created it: a replayed submission finds it instead of adding another. */
    entryKey: { type: String, required: true },
    createdBy: { type: Schema.Types.ObjectId, required: true },
  },
  { collection: 'voter_petitions', timestamps: true },
);
petitionSchema.index({ code: 1 }, { unique: true });
petitionSchema.index({ entryKey: 1 }, { unique: true });
// A meeting's petitions; a session's by status (compiling, merging, reports); the originals of a
// consolidated petition; a delegate's; the forwarding hooks' lookup.
petitionSchema.index({ meetingId: 1, _id: 1 });
petitionSchema.index({ sessionId: 1, status: 1, fieldCode: 1, _id: 1 });
petitionSchema.index({ sessionId: 1, kind: 1, _id: 1 });
// A session's list as a file, in code order (read by key in chunks).
petitionSchema.index({ sessionId: 1, code: 1, _id: 1 });
petitionSchema.index({ mergedInto: 1, _id: 1 });
petitionSchema.index({ delegateUserIds: 1, raisedAt: -1 });
petitionSchema.index({ 'forwardings.forwardingId': 1 });

export type Petition = InferSchemaType<typeof petitionSchema> & { _id: mongoose.Types.ObjectId; createdAt: Date; updatedAt: Date };
export type PetitionForwarding = InferSchemaType<typeof forwardingSchema>;
// The period statistics read this collection (server/statistics/period-figures.ts keeps them briefly).
invalidateOnWrite(petitionSchema, 'voter_petitions');
export const PetitionModel = mongoose.model('VoterPetition', petitionSchema);
