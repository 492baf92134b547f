// Sessions (kỳ họp) of the National Assembly and of the provincial People's Council. Voter meetings
// are held before and after each one, and their petitions are compiled by the two deadlines stored
// here, computed once from the deadline rules (an edited rule changes only sessions saved later).
import mongoose, { Schema, type InferSchemaType } from 'mongoose';
import { storedDeadlineSchemaDefinition } from '../deadlines/index.js';
import { ASSEMBLY_BODIES } from './meetings.rules.js';

const deadlineSchema = new Schema(storedDeadlineSchemaDefinition, { _id: false });

const sessionSchema = new Schema(
  {
    body: { type: String, enum: ASSEMBLY_BODIES, required: true },
    /** The term (khoá) as it is written, e.g. "XVI". */
    term: { type: String, required: true },
    /** The session's number within the term (kỳ họp thứ …). */
    number: { type: Number, required: true },
    /** Calendar days in Vietnam, 'YYYY-MM-DD'. */
    opensOn: { type: String, required: true },
    closesOn: { type: String, required: true },
    compileBefore: { type: deadlineSchema, required: true },
    compileAfter: { type: deadlineSchema, required: true },
    submissionKey: { type: String, required: true },
    createdBy: { type: Schema.Types.ObjectId, required: true },
  },
  // "sessions" holds the web sessions of signed-in users.
  { collection: 'assembly_sessions', timestamps: true },
);
// One record per session of a body: the natural key.
sessionSchema.index({ body: 1, term: 1, number: 1 }, { unique: true });
sessionSchema.index({ submissionKey: 1 }, { unique: true });
// The list and the selects: newest first, by body or not.
sessionSchema.index({ opensOn: -1, _id: -1 });
sessionSchema.index({ body: 1, opensOn: -1 });

export type AssemblySession = InferSchemaType<typeof sessionSchema> & { _id: mongoose.Types.ObjectId; createdAt: Date; updatedAt: Date };
export const AssemblySessionModel = mongoose.model('AssemblySession', sessionSchema);
