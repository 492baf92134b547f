// A forwarding (chuyển đơn): one official letter from the office to one agency, carrying one matter
// (a case) or several (voter petitions compiled for that agency), with its own document number,
// deadline, secure link, answers and evaluation. Drafts become letters when they are sent.
import mongoose, { Schema } from 'mongoose';
import { historicDeadlineSchemaDefinition, storedDeadlineSchemaDefinition, type HistoricDeadline, type StoredDeadline } from '../deadlines/index.js';
import type { AgencyContact } from '../agencies/index.js';
import { retireIndex } from '../platform/db/connect.js';
import { FORWARDABLE_KINDS, type ForwardableKind } from './forwardable.js';
import { FORWARDING_STATUSES, ITEM_VERDICTS, type ForwardingStatus, type ItemVerdict } from './forwarding.rules.js';
import { invalidateOnWrite } from '../platform/cache.js';

export interface ForwardingItem {
  kind: ForwardableKind;
  refId: string;
  label: string;
  /** What the agency reads: redacted by the provider when the matter is drafted. */
  summary: string;
  caseId: mongoose.Types.ObjectId | null;
  answered: boolean;
  verdict: ItemVerdict | null;
  verdictReason: string | null;
  evaluatedAt: Date | null;
}

export interface ExtensionRequest {
  _id: mongoose.Types.ObjectId;
  requestedAt: Date;
  days: number;
  reason: string;
  requesterName: string;
  decision: 'granted' | 'refused' | null;
  decidedAt: Date | null;
  decidedBy: string | null;
  decisionNote: string | null;
  /** The office's letter answering the request, when it issued one. */
  decisionDocumentNumber: string | null;
  decisionDocumentDate: string | null;
}

/**
 * A suspension of the deadline (tạm đình chỉ) that has started and not ended yet: the clock is
 * stopped from `from`; when it ends, the deadline is recomputed over the whole span and this is cleared.
 */
export interface OpenSuspension {
  from: string;
  reason: string;
  documentNumber: string;
  documentDate: string;
  by: { id: string; name: string };
  at: Date;
}

export interface Forwarding {
  _id: mongoose.Types.ObjectId;
  status: ForwardingStatus;
  agencyId: mongoose.Types.ObjectId;
  agencyName: string;
  /** The addresses at the time of sending: the record of whom the office wrote to. */
  contacts: AgencyContact[];
  items: ForwardingItem[];
  /** Cases the forwarding carries (for the case page and the case's own state). */
  caseIds: mongoose.Types.ObjectId[];
  /** True when any matter is a denunciation: the filer's identity must never reach the agency. */
  confidential: boolean;
  /** Shown to the agency on the slip and the link page. */
  request: string;
  /** Never shown to the agency. */
  internalNote: string;
  /** Files of the matter that the officer chose to share with the agency. */
  sharedAttachmentIds: mongoose.Types.ObjectId[];
  ruleKey: string;
  deadline: StoredDeadline | null;
  deadlineHistory: HistoricDeadline[];
  /** The suspension running now, if any. */
  suspension: OpenSuspension | null;
  /** The submission keys of the deadline changes already recorded: a form sent twice changes it once. */
  deadlineChangeKeys: string[];
  documentNumber: string | null;
  /** The number's place in the Vietnam year's series (the number itself does not carry the year). */
  documentYear: number | null;
  documentSeq: number | null;
  documentDate: Date | null;
  draftedBy: { id: string; name: string };
  approvedBy: { id: string; name: string } | null;
  approvalNote: string | null;
  sentAt: Date | null;
  acknowledgedAt: Date | null;
  acknowledgedBy: string | null;
  firstAnsweredAt: Date | null;
  lastAnsweredAt: Date | null;
  answerCount: number;
  extensionRequests: ExtensionRequest[];
  chaseCount: number;
  lastChasedAt: Date | null;
  closedAt: Date | null;
  /** How it ended: satisfied, reforwarded, supervision, cancelled. */
  closure: string | null;
  /** Idempotency key: the draft form's submission plus the matter and the agency. */
  submissionKey: string | null;
  createdAt?: Date;
  updatedAt?: Date;
}

const itemSchema = new Schema<ForwardingItem>(
  {
    kind: { type: String, enum: FORWARDABLE_KINDS, required: true },
    refId: { type: String, required: true },
    label: { type: String, required: true },
    summary: { type: String, required: true },
    caseId: { type: Schema.Types.ObjectId, default: null },
    answered: { type: Boolean, default: false },
    verdict: { type: String, enum: [...ITEM_VERDICTS, null], default: null },
    verdictReason: { type: String, default: null },
    evaluatedAt: { type: Date, default: null },
  },
  { _id: false },
);

const contactSchema = new Schema<AgencyContact>({ email: String, name: String, role: String }, { _id: false });

const extensionSchema = new Schema<ExtensionRequest>({
  requestedAt: { type: Date, required: true },
  days: { type: Number, required: true },
  reason: { type: String, required: true },
  requesterName: { type: String, default: '' },
  decision: { type: String, enum: ['granted', 'refused', null], default: null },
  decidedAt: { type: Date, default: null },
  decidedBy: { type: String, default: null },
  decisionNote: { type: String, default: null },
  decisionDocumentNumber: { type: String, default: null },
  decisionDocumentDate: { type: String, default: null },
});

const suspensionSchema = new Schema<OpenSuspension>(
  {
    from: { type: String, required: true },
    reason: { type: String, required: true },
    documentNumber: { type: String, required: true },
    documentDate: { type: String, required: true },
    by: { type: { id: String, name: String }, required: true, _id: false },
    at: { type: Date, required: true },
  },
  { _id: false },
);

const forwardingSchema = new Schema<Forwarding>(
  {
    status: { type: String, enum: FORWARDING_STATUSES, required: true },
    agencyId: { type: Schema.Types.ObjectId, required: true },
    agencyName: { type: String, required: true },
    contacts: { type: [contactSchema], default: [] },
    items: { type: [itemSchema], required: true },
    caseIds: { type: [Schema.Types.ObjectId], default: [] },
    confidential: { type: Boolean, default: false },
    request: { type: String, default: '' },
    internalNote: { type: String, default: '' },
    sharedAttachmentIds: { type: [Schema.Types.ObjectId], default: [] },
    ruleKey: { type: String, required: true },
    deadline: { type: new Schema(storedDeadlineSchemaDefinition, { _id: false }), default: null },
    deadlineHistory: { type: [new Schema(historicDeadlineSchemaDefinition, { _id: false })], default: [] },
    suspension: { type: suspensionSchema, default: null },
    deadlineChangeKeys: { type: [String], default: [] },
    documentNumber: { type: String, default: null },
    documentYear: { type: Number, default: null },
    documentSeq: { type: Number, default: null },
    documentDate: { type: Date, default: null },
    draftedBy: { type: { id: String, name: String }, required: true, _id: false },
    approvedBy: { type: { id: String, name: String }, default: null, _id: false },
    approvalNote: { type: String, default: null },
    sentAt: { type: Date, default: null },
    acknowledgedAt: { type: Date, default: null },
    acknowledgedBy: { type: String, default: null },
    firstAnsweredAt: { type: Date, default: null },
    lastAnsweredAt: { type: Date, default: null },
    answerCount: { type: Number, default: 0 },
    extensionRequests: { type: [extensionSchema], default: [] },
    chaseCount: { type: Number, default: 0 },
    lastChasedAt: { type: Date, default: null },
    closedAt: { type: Date, default: null },
    closure: { type: String, default: null },
    submissionKey: { type: String, default: null },
  },
  { collection: 'forwardings', timestamps: true, optimisticConcurrency: true },
);
forwardingSchema.index({ submissionKey: 1 }, { unique: true, partialFilterExpression: { submissionKey: { $type: 'string' } } });
// Numbers restart every year ("1/PC-VP" again on 1 January): unique within the year's series.
forwardingSchema.index({ documentYear: 1, documentSeq: 1 }, { unique: true, partialFilterExpression: { documentSeq: { $type: 'number' } } });
// The case page, and "is this matter already with this agency?".
forwardingSchema.index({ caseIds: 1, createdAt: -1 });
forwardingSchema.index({ 'items.kind': 1, 'items.refId': 1, agencyId: 1 });
// Lists and queues: by status, newest first; open ones by deadline (the reminder scan, overdue lists).
forwardingSchema.index({ status: 1, createdAt: -1, _id: -1 });
forwardingSchema.index({ createdAt: -1, _id: -1 });
forwardingSchema.index({ status: 1, 'deadline.dueAt': 1, _id: 1 });
// The work queues and the digest leave suspended deadlines out: with the suspension in the index,
// counting the overdue ones reads only the index.
forwardingSchema.index({ status: 1, suspension: 1, 'deadline.dueAt': 1, _id: 1 });
forwardingSchema.index({ agencyId: 1, createdAt: -1, _id: -1 });
forwardingSchema.index({ 'draftedBy.id': 1, createdAt: -1, _id: -1 });
// Work queues (server/queues) filtered by agency or drafter and ordered by deadline; answers waiting
// for evaluation, oldest first; extension requests waiting for a decision.
forwardingSchema.index({ agencyId: 1, status: 1, 'deadline.dueAt': 1, _id: 1 });
forwardingSchema.index({ 'draftedBy.id': 1, status: 1, 'deadline.dueAt': 1, _id: 1 });
forwardingSchema.index({ status: 1, lastAnsweredAt: 1, _id: 1 });
forwardingSchema.index({ 'extensionRequests.decision': 1, 'deadline.dueAt': 1, _id: 1 });
// Agency performance and the statistics: forwardings sent in a period, by agency.
forwardingSchema.index({ sentAt: 1, agencyId: 1 });
// The forwarding list's filter on unsatisfactory answers (linked from the agency performance page).
forwardingSchema.index({ 'items.verdict': 1, createdAt: -1, _id: -1 });

// The period statistics read this collection (server/statistics/period-figures.ts keeps them briefly).
invalidateOnWrite(forwardingSchema, 'forwardings');
export const ForwardingModel = mongoose.model<Forwarding>('Forwarding', forwardingSchema);

// Until December 2026 the number alone was unique, which refused the first forwarding of each new year.
retireIndex({
  collection: 'forwardings',
  name: 'documentNumber_1',
  migrate: async (connection) => {
    const sent = connection.collection('forwardings').find({ documentSeq: { $type: 'number' }, documentYear: null }, { projection: { documentDate: 1 } });
    for await (const f of sent) {
      const year = Number(new Intl.DateTimeFormat('en', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric' }).format(f.documentDate as Date));
      await connection.collection('forwardings').updateOne({ _id: f._id }, { $set: { documentYear: year } });
    }
  },
});
