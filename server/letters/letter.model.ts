// The register of letters (sổ tiếp nhận đơn): one document per letter received, whatever the channel.
// Every letter belongs to at least one case; a mixed letter split into parts belongs to several.
import mongoose, { Schema, type InferSchemaType } from 'mongoose';
import { ELIGIBILITY_REASONS, LETTER_CHANNELS, LETTER_HANDLINGS, LETTER_TYPES } from './letter-kinds.js';
import { storedDeadlineSchemaDefinition } from '../deadlines/index.js';
import { invalidateOnWrite } from '../platform/cache.js';

const senderSchema = new Schema(
  {
    personId: { type: Schema.Types.ObjectId, required: true },
    // Copied from the person so lists need no join; refreshed when people are merged.
    name: { type: String, required: true },
    citizenId: { type: String, default: null },
  },
  { _id: false },
);

const eligibilitySchema = new Schema(
  {
    /** null until an officer has assessed the letter. */
    eligible: { type: Boolean, default: null },
    reasons: { type: [{ type: String, enum: ELIGIBILITY_REASONS }], default: [] },
    /** An anonymous letter with concrete information and evidence stays eligible. */
    hasEvidence: { type: Boolean, default: false },
    note: { type: String, default: null },
    assessedAt: { type: Date, default: null },
    assessedBy: { type: Schema.Types.ObjectId, default: null },
  },
  { _id: false },
);

/** The handling deadline of the letter's (first) case, copied so the register can show it. */
const deadlineSchema = new Schema(storedDeadlineSchemaDefinition, { _id: false });

const letterSchema = new Schema(
  {
    receivedAt: { type: Date, required: true },
    channel: { type: String, enum: LETTER_CHANNELS, required: true },
    /** The body that forwarded the letter, for the channel "forwarded-by-body". */
    forwardedBy: { type: String, default: null },
    receivedBy: { type: Schema.Types.ObjectId, required: true },
    /** Empty when the letter is anonymous. */
    senders: { type: [senderSchema], default: [] },
    anonymous: { type: Boolean, required: true },
    type: { type: String, enum: LETTER_TYPES, required: true },
    fieldCode: { type: String, default: null },
    unitCode: { type: String, default: null },
    summary: { type: String, required: true },
    /** The letter's own words. For a denunciation it usually names the filer, so it is protected like the senders. */
    fullText: { type: String, default: null },
    eligibility: { type: eligibilitySchema, default: () => ({}) },
    handling: { type: String, enum: LETTER_HANDLINGS, default: null }, // null until decided
    caseIds: { type: [Schema.Types.ObjectId], required: true },
    caseNumbers: { type: [String], default: [] },
    /** True when any of the letter's cases is a denunciation: senders, full text and scans are then protected. */
    confidential: { type: Boolean, required: true },
    attachmentIds: { type: [Schema.Types.ObjectId], default: [] },
    // Folded words for searches that ignore diacritics. A protected letter's senders (and full text)
    // go to identityTokens, which only users allowed to see denouncers search.
    searchTokens: { type: [String], default: [] },
    identityTokens: { type: [String], default: [] },
    submissionKey: { type: String, required: true },
    handlingDeadline: { type: deadlineSchema, default: null },
  },
  { collection: 'letters', timestamps: true },
);
letterSchema.index({ submissionKey: 1 }, { unique: true });
// The register: newest first with _id as the tie-breaker, and one index per filter.
letterSchema.index({ receivedAt: -1, _id: -1 });
letterSchema.index({ channel: 1, receivedAt: -1, _id: -1 });
letterSchema.index({ type: 1, receivedAt: -1, _id: -1 });
letterSchema.index({ 'eligibility.eligible': 1, receivedAt: -1, _id: -1 });
letterSchema.index({ handling: 1, receivedAt: -1, _id: -1 });
letterSchema.index({ searchTokens: 1 });
letterSchema.index({ identityTokens: 1 });
// The letters of a case (case page, merges) and of a person (merges).
letterSchema.index({ caseIds: 1, receivedAt: 1 });
letterSchema.index({ 'senders.personId': 1 });

export type Letter = InferSchemaType<typeof letterSchema> & { _id: mongoose.Types.ObjectId; createdAt: Date; updatedAt: Date };
// The period statistics read this collection (server/statistics/period-figures.ts keeps them briefly).
invalidateOnWrite(letterSchema, 'letters');
export const LetterModel = mongoose.model('Letter', letterSchema);
