// The case timeline: every change, who made it and when. Append-only and kept forever.
import mongoose, { Schema, type InferSchemaType } from 'mongoose';

const caseEventSchema = new Schema(
  {
    caseId: { type: Schema.Types.ObjectId, required: true },
    at: { type: Date, required: true },
    actorId: { type: String, required: true },
    actorName: { type: String, required: true },
    type: { type: String, required: true },
    /** What changed, as plain data (for denunciations never the filer's identity). */
    data: { type: Schema.Types.Mixed, default: {} },
  },
  { collection: 'case_events', versionKey: false },
);
caseEventSchema.index({ caseId: 1, at: 1, _id: 1 });

export type CaseEvent = InferSchemaType<typeof caseEventSchema> & { _id: mongoose.Types.ObjectId };
export const CaseEventModel = mongoose.model('CaseEvent', caseEventSchema);
