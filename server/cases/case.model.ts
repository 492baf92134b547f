// The case (vụ việc): the deduplicated matter that visits and letters belong to.
import mongoose, { Schema, type InferSchemaType } from 'mongoose';
import { historicDeadlineSchemaDefinition, storedDeadlineSchemaDefinition } from '../deadlines/index.js';
import { CASE_STATUSES } from './case-status.rules.js';
import { CASE_TYPES, PARTY_ROLES } from './case-types.js';
import { invalidateOnWrite } from '../platform/cache.js';

const partySchema = new Schema(
  {
    personId: { type: Schema.Types.ObjectId, required: true },
    role: { type: String, enum: PARTY_ROLES, required: true },
    // Copied from the person so lists need no join; refreshed when people are merged.
    name: { type: String, required: true },
    citizenId: { type: String, default: null },
    // A filer's answer at intake to "may the office email you about this matter?": true, false, or
    // null when not asked (what null means is in notice-consent.rules.ts).
    emailNotices: { type: Boolean, default: null },
  },
  { _id: false },
);

// Stored with how it was computed (rule, start, days, day type, days skipped) so it can be explained
// later; earlier deadlines stay in the history with the change that replaced them.
const deadlineSchema = new Schema(storedDeadlineSchemaDefinition, { _id: false });
const historicDeadlineSchema = new Schema(historicDeadlineSchemaDefinition, { _id: false });

const caseSchema = new Schema(
  {
    number: { type: String, required: true },
    year: { type: Number, required: true },
    type: { type: String, enum: CASE_TYPES, required: true },
    confidential: { type: Boolean, required: true },
    fieldCode: { type: String, default: null },
    unitCode: { type: String, default: null },
    summary: { type: String, required: true },
    // Folded words for searches that ignore diacritics: number, summary and (when not confidential)
    // the parties' names and ID numbers. A denunciation's filers go to identityTokens instead, which
    // only users allowed to see their identity search.
    searchTokens: { type: [String], default: [] },
    identityTokens: { type: [String], default: [] },
    parties: { type: [partySchema], default: [] },
    citizenIds: { type: [String], default: [] },
    status: { type: String, enum: CASE_STATUSES, required: true },
    assignedTo: { type: Schema.Types.ObjectId, default: null },
    /** Users who follow the case without seeing every case: the delegate who received the citizen, … */
    followers: { type: [Schema.Types.ObjectId], default: [] },
    receivedAt: { type: Date, required: true },
    visitCount: { type: Number, default: 0 },
    letterCount: { type: Number, default: 0 },
    handlingDeadline: { type: deadlineSchema, default: null },
    /** Earlier deadlines, replaced by extensions or recomputation, kept for the record. */
    deadlineHistory: { type: [historicDeadlineSchema], default: [] },
    mergedInto: { type: Schema.Types.ObjectId, default: null },
    createdBy: { type: Schema.Types.ObjectId, required: true },
    /** Idempotency key of the form submission that created the case (a double click creates one case). */
    submissionKey: { type: String, default: null },
  },
  { collection: 'cases', timestamps: true, optimisticConcurrency: true },
);
caseSchema.index({ number: 1 }, { unique: true });
caseSchema.index({ submissionKey: 1 }, { unique: true, partialFilterExpression: { submissionKey: { $type: 'string' } } });
// Lists: newest first by receipt with _id as tie-breaker, filtered by the common filters.
caseSchema.index({ receivedAt: -1, _id: -1 });
caseSchema.index({ status: 1, receivedAt: -1, _id: -1 });
caseSchema.index({ type: 1, receivedAt: -1, _id: -1 });
caseSchema.index({ fieldCode: 1, receivedAt: -1, _id: -1 });
caseSchema.index({ unitCode: 1, receivedAt: -1, _id: -1 });
caseSchema.index({ assignedTo: 1, receivedAt: -1, _id: -1 });
// The "my cases" queue: an officer's cases still open, newest first; its count on the home page is read
// off this index (the one above visited each of the officer's cases to check its status).
caseSchema.index({ assignedTo: 1, status: 1, receivedAt: -1, _id: -1 });
caseSchema.index({ followers: 1, receivedAt: -1, _id: -1 });
caseSchema.index({ 'handlingDeadline.dueAt': 1, _id: 1 });
// The work queues "cases due soon" and "cases overdue": still being handled, by deadline (the count on
// the home page scanned every open case by status before this one).
caseSchema.index({ status: 1, 'handlingDeadline.dueAt': 1, _id: 1 });
caseSchema.index({ receivedAt: 1, _id: 1 });
// Duplicate detection at intake: same ID number, or same commune and field.
caseSchema.index({ citizenIds: 1 });
caseSchema.index({ 'parties.personId': 1 });
caseSchema.index({ searchTokens: 1 });
caseSchema.index({ identityTokens: 1 });
caseSchema.index({ unitCode: 1, fieldCode: 1 });

export type Case = InferSchemaType<typeof caseSchema> & { _id: mongoose.Types.ObjectId; createdAt: Date; updatedAt: Date };
// The period statistics read this collection (server/statistics/period-figures.ts keeps them briefly).
invalidateOnWrite(caseSchema, 'cases');
export const CaseModel = mongoose.model('Case', caseSchema);
