// A matter proposed for questioning or explanation at a session (chất vấn, giải trình). Never deleted:
// a withdrawn proposal keeps its reason, who withdrew it and when.
import mongoose, { Schema } from 'mongoose';
import { CANDIDATE_KINDS, CANDIDATE_STATUSES, type CandidateKind, type CandidateStatus } from './supervision.rules.js';

export interface QuestioningCandidate {
  _id: mongoose.Types.ObjectId;
  sessionId: mongoose.Types.ObjectId;
  /** How the session was named when the matter was proposed (the list and papers print it). */
  sessionLabel: string;
  kind: CandidateKind;
  caseId: mongoose.Types.ObjectId;
  caseNumber: string;
  forwardingId: mongoose.Types.ObjectId | null;
  agencyId: mongoose.Types.ObjectId;
  agencyName: string;
  /** What the session reads of the matter: the forwarding's redacted summary, or the case's, redacted. */
  summary: string;
  reason: string;
  roundId: mongoose.Types.ObjectId | null;
  proposedBy: { id: string; name: string };
  proposedAt: Date;
  status: CandidateStatus;
  withdrawal: { reason: string; at: Date; by: { id: string; name: string } } | null;
  /** session:case:kind while the proposal stands, null once withdrawn. */
  activeKey: string | null;
  submissionKey: string;
}

const by = { type: { id: String, name: String }, _id: false, required: true };

const candidateSchema = new Schema<QuestioningCandidate>(
  {
    sessionId: { type: Schema.Types.ObjectId, required: true },
    sessionLabel: { type: String, required: true },
    kind: { type: String, enum: CANDIDATE_KINDS, required: true },
    caseId: { type: Schema.Types.ObjectId, required: true },
    caseNumber: { type: String, required: true },
    forwardingId: { type: Schema.Types.ObjectId, default: null },
    agencyId: { type: Schema.Types.ObjectId, required: true },
    agencyName: { type: String, required: true },
    summary: { type: String, default: '' },
    reason: { type: String, required: true },
    roundId: { type: Schema.Types.ObjectId, default: null },
    proposedBy: by,
    proposedAt: { type: Date, required: true },
    status: { type: String, enum: CANDIDATE_STATUSES, required: true },
    withdrawal: { type: new Schema({ reason: String, at: Date, by: { type: { id: String, name: String }, _id: false } }, { _id: false }), default: null },
    activeKey: { type: String, default: null },
    submissionKey: { type: String, required: true },
  },
  { collection: 'supervision_candidates', optimisticConcurrency: true },
);
candidateSchema.index({ submissionKey: 1 }, { unique: true });
candidateSchema.index({ activeKey: 1 }, { unique: true, partialFilterExpression: { activeKey: { $type: 'string' } } });
// The list of one session, in the order proposed; the proposals about one case.
candidateSchema.index({ sessionId: 1, proposedAt: 1, _id: 1 });
candidateSchema.index({ caseId: 1, proposedAt: -1 });

export const QuestioningCandidateModel = mongoose.model<QuestioningCandidate>('QuestioningCandidate', candidateSchema);
