// The reception register (sổ tiếp công dân): one document per visit (lượt tiếp).
import mongoose, { Schema, type InferSchemaType } from 'mongoose';
import { invalidateOnWrite } from '../platform/cache.js';

export const RECEPTION_KINDS = ['routine', 'scheduled', 'ad-hoc', 'online'] as const;
export const RECEPTION_OUTCOMES = ['letter-accepted', 'returned-with-guidance', 'forwarded', 'resolved-on-spot', 'refused'] as const;
export type ReceptionKind = (typeof RECEPTION_KINDS)[number];
export type ReceptionOutcome = (typeof RECEPTION_OUTCOMES)[number];

/** 5 or more people about one matter make a group visit (đoàn đông người). */
export const GROUP_VISIT_MIN_PEOPLE = 5;

const participantSchema = new Schema(
  {
    personId: { type: Schema.Types.ObjectId, required: true },
    role: { type: String, enum: ['filer', 'representative', 'accompanying'], required: true },
    name: { type: String, required: true },
  },
  { _id: false },
);

const receptionSchema = new Schema(
  {
    receivedAt: { type: Date, required: true },
    kind: { type: String, enum: RECEPTION_KINDS, required: true },
    receivedBy: { type: Schema.Types.ObjectId, required: true },
    host: { type: Schema.Types.ObjectId, default: null }, // the leader or delegate who received, for scheduled receptions
    participants: { type: [participantSchema], default: [] },
    peopleCount: { type: Number, required: true, min: 1 },
    isGroup: { type: Boolean, required: true },
    content: { type: String, required: true },
    previouslyHandledBy: { type: String, default: null },
    outcome: { type: String, enum: RECEPTION_OUTCOMES, required: true },
    notes: { type: String, default: null },
    caseId: { type: Schema.Types.ObjectId, required: true },
    caseNumber: { type: String, required: true },
    /** Copied from the case: a denunciation's visitors are protected like its filers. */
    confidential: { type: Boolean, required: true },
    searchTokens: { type: [String], default: [] },
    submissionKey: { type: String, required: true },
  },
  { collection: 'receptions', timestamps: true },
);
receptionSchema.index({ submissionKey: 1 }, { unique: true });
receptionSchema.index({ receivedAt: -1, _id: -1 });
receptionSchema.index({ kind: 1, receivedAt: -1, _id: -1 });
receptionSchema.index({ outcome: 1, receivedAt: -1, _id: -1 });
receptionSchema.index({ isGroup: 1, receivedAt: -1, _id: -1 });
receptionSchema.index({ caseId: 1, receivedAt: 1 });
receptionSchema.index({ host: 1, receivedAt: -1, _id: -1 });
receptionSchema.index({ searchTokens: 1 });

export type Reception = InferSchemaType<typeof receptionSchema> & { _id: mongoose.Types.ObjectId };
// The period statistics read this collection (server/statistics/period-figures.ts keeps them briefly).
invalidateOnWrite(receptionSchema, 'receptions');
export const ReceptionModel = mongoose.model('Reception', receptionSchema);
