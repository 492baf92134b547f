// An agency's answer to a forwarding, submitted through the secure link. An agency may add to its
// answer (a further document, an update on a matter in progress) until the office closes the
// forwarding; each submission is one document here.
import mongoose, { Schema } from 'mongoose';
import { ANSWER_OUTCOMES, type AnswerOutcome } from './forwarding.rules.js';

export interface ForwardingAnswer {
  _id: mongoose.Types.ObjectId;
  forwardingId: mongoose.Types.ObjectId;
  /** The matters this answer covers (refIds of the forwarding's items). */
  itemRefIds: string[];
  responderName: string;
  responderPosition: string;
  documentNumber: string;
  documentDate: Date;
  outcome: AnswerOutcome;
  /** In progress: when the agency expects to conclude. */
  expectedDate: Date | null;
  /** Not competent: the agency it names as competent. */
  competentAgency: string | null;
  text: string;
  attachmentIds: mongoose.Types.ObjectId[];
  submittedAt: Date;
  linkId: mongoose.Types.ObjectId | null;
  ip: string | null;
  submissionKey: string;
}

const answerSchema = new Schema<ForwardingAnswer>(
  {
    forwardingId: { type: Schema.Types.ObjectId, required: true },
    itemRefIds: { type: [String], required: true },
    responderName: { type: String, required: true },
    responderPosition: { type: String, required: true },
    documentNumber: { type: String, required: true },
    documentDate: { type: Date, required: true },
    outcome: { type: String, enum: ANSWER_OUTCOMES, required: true },
    expectedDate: { type: Date, default: null },
    competentAgency: { type: String, default: null },
    text: { type: String, required: true },
    attachmentIds: { type: [Schema.Types.ObjectId], default: [] },
    submittedAt: { type: Date, required: true },
    linkId: { type: Schema.Types.ObjectId, default: null },
    ip: { type: String, default: null },
    submissionKey: { type: String, required: true },
  },
  { collection: 'forwarding_answers' },
);
answerSchema.index({ forwardingId: 1, submittedAt: 1 });
answerSchema.index({ submissionKey: 1 }, { unique: true });

export const ForwardingAnswerModel = mongoose.model<ForwardingAnswer>('ForwardingAnswer', answerSchema);
