// What the members found about one case in a round, and their conclusion on it. Kept forever (never
// edited): a correction is a new finding. Each is also an event on the case's timeline.
import mongoose, { Schema } from 'mongoose';
import { FINDING_KINDS, type FindingKind } from './supervision.rules.js';

export interface SupervisionFinding {
  _id: mongoose.Types.ObjectId;
  roundId: mongoose.Types.ObjectId;
  caseId: mongoose.Types.ObjectId;
  kind: FindingKind;
  text: string;
  /** The day it was found or concluded (Vietnam calendar day), as the author states it. */
  on: string;
  at: Date;
  by: { id: string; name: string };
  submissionKey: string;
}

const findingSchema = new Schema<SupervisionFinding>(
  {
    roundId: { type: Schema.Types.ObjectId, required: true },
    caseId: { type: Schema.Types.ObjectId, required: true },
    kind: { type: String, enum: FINDING_KINDS, required: true },
    text: { type: String, required: true },
    on: { type: String, required: true },
    at: { type: Date, required: true },
    by: { type: { id: String, name: String }, _id: false, required: true },
    submissionKey: { type: String, required: true },
  },
  { collection: 'supervision_findings' },
);
findingSchema.index({ submissionKey: 1 }, { unique: true });
// The round's page reads all its findings in order.
findingSchema.index({ roundId: 1, at: 1, _id: 1 });
findingSchema.index({ caseId: 1, at: 1 });

export const SupervisionFindingModel = mongoose.model<SupervisionFinding>('SupervisionFinding', findingSchema);
