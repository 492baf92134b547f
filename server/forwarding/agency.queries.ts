// What an agency sees through its link, and nothing more: the office's letter (number, date, the
// matters' redacted summaries, the request, the deadline and its extensions), the files the officer
// chose to share, and the agency's own answers and requests. Never the internal note, the cases, the
// parties, other forwardings, or the office's staff other than the signer — the projections below
// name every field that leaves the database.
import mongoose, { trusted } from 'mongoose';
import { AttachmentModel } from '../attachments/index.js';
import { ForwardingAnswerModel } from './answer.model.js';
import type { AgencyAccess } from './agency.service.js';
import { forwardingForAgency } from './agency.service.js';
import { ForwardingModel } from './forwarding.model.js';
import { agencyMay, type AnswerOutcome, type ForwardingStatus } from './forwarding.rules.js';
import { forwardingSettings } from './settings.js';
import { deadlineExplanations } from './forwarding.queries.js';
import type { ExplanationLanguage, HistoricDeadline, StoredDeadline } from '../deadlines/index.js';

export interface AgencyFile {
  id: string;
  name: string;
  size: number;
}

export interface AgencyAnswerView {
  id: string;
  submittedAt: Date;
  responderName: string;
  responderPosition: string;
  documentNumber: string;
  documentDate: Date;
  outcome: AnswerOutcome;
  expectedDate: Date | null;
  competentAgency: string | null;
  text: string;
  /** Labels of the matters it covers. */
  matters: string[];
  files: AgencyFile[];
}

export interface AgencyForwardingView {
  officeName: string;
  officeContact: string | null;
  agencyName: string;
  documentNumber: string | null;
  documentDate: Date | null;
  status: ForwardingStatus;
  confidential: boolean;
  signerName: string | null;
  acknowledgedAt: Date | null;
  deadline: { dueDate: string; basis: string | null } | null;
  /** How the due date was counted (days, start, days off passed over, extensions), as the office's pages say it. */
  deadlineExplained: Record<ExplanationLanguage, string> | null;
  /** Earlier due dates, each with the change that replaced it. */
  deadlineHistory: { dueDate: string; kind: string; days: number }[];
  /** Numbered from 1: the answer form refers to matters by position, never by the office's ids. */
  items: { position: number; label: string; summary: string; answered: boolean }[];
  request: string;
  sharedFiles: AgencyFile[];
  answers: AgencyAnswerView[];
  extensionRequests: { requestedAt: Date; days: number; reason: string; requesterName: string; decision: 'granted' | 'refused' | null; decidedAt: Date | null; decisionNote: string | null }[];
  may: { confirm: boolean; extension: boolean; answer: boolean };
  extensionPending: boolean;
}

const FORWARDING_FIELDS = {
  status: 1,
  agencyName: 1,
  documentNumber: 1,
  documentDate: 1,
  confidential: 1,
  'approvedBy.name': 1,
  acknowledgedAt: 1,
  // Whole, for its explanation; the view below passes on only the due date, basis and explanation.
  deadline: 1,
  deadlineHistory: 1,
  'items.label': 1,
  'items.summary': 1,
  'items.refId': 1,
  'items.answered': 1,
  request: 1,
  sharedAttachmentIds: 1,
  'extensionRequests.requestedAt': 1,
  'extensionRequests.days': 1,
  'extensionRequests.reason': 1,
  'extensionRequests.requesterName': 1,
  'extensionRequests.decision': 1,
  'extensionRequests.decidedAt': 1,
  'extensionRequests.decisionNote': 1,
} as const;

interface ProjectedForwarding {
  _id: mongoose.Types.ObjectId;
  status: ForwardingStatus;
  agencyName: string;
  documentNumber: string | null;
  documentDate: Date | null;
  confidential: boolean;
  approvedBy: { name: string } | null;
  acknowledgedAt: Date | null;
  deadline: StoredDeadline | null;
  deadlineHistory: HistoricDeadline[];
  items: { label: string; summary: string; refId: string; answered: boolean }[];
  request: string;
  sharedAttachmentIds: mongoose.Types.ObjectId[];
  extensionRequests: AgencyForwardingView['extensionRequests'];
}

const ANSWER_FIELDS = {
  submittedAt: 1,
  responderName: 1,
  responderPosition: 1,
  documentNumber: 1,
  documentDate: 1,
  outcome: 1,
  expectedDate: 1,
  competentAgency: 1,
  text: 1,
  itemRefIds: 1,
  attachmentIds: 1,
} as const;

type ProjectedAnswer = Omit<AgencyAnswerView, 'id' | 'matters' | 'files'> & { _id: mongoose.Types.ObjectId; itemRefIds: string[]; attachmentIds: mongoose.Types.ObjectId[] };

async function filesByIds(ids: readonly mongoose.Types.ObjectId[]): Promise<Map<string, AgencyFile>> {
  if (ids.length === 0) return new Map();
  // Never a confidential file (a denunciation's scan shows who wrote it), whatever was chosen.
  const docs = await AttachmentModel.find({ _id: trusted({ $in: ids }), status: 'linked', deletedAt: null, confidential: false }, { originalName: 1, size: 1 }).lean<
    { _id: mongoose.Types.ObjectId; originalName: string; size: number }[]
  >();
  return new Map(docs.map((d) => [String(d._id), { id: String(d._id), name: d.originalName, size: d.size }]));
}

export async function agencyViewOf(access: AgencyAccess, at: Date): Promise<AgencyForwardingView> {
  // The link checks first (the same as for a change), then the projected read.
  const checked = await forwardingForAgency(access, at);
  const f = (await ForwardingModel.findById(checked._id, FORWARDING_FIELDS).lean<ProjectedForwarding>())!;
  const answers = await ForwardingAnswerModel.find({ forwardingId: f._id }, ANSWER_FIELDS).sort({ forwardingId: 1, submittedAt: 1 }).lean<ProjectedAnswer[]>();
  const files = await filesByIds([...f.sharedAttachmentIds, ...answers.flatMap((a) => a.attachmentIds)]);
  const labelOf = new Map(f.items.map((i) => [i.refId, i.label]));
  const settings = forwardingSettings();
  const acknowledged = f.acknowledgedAt !== null;
  const extensionPending = f.extensionRequests.some((r) => r.decision === null);
  return {
    officeName: settings.OFFICE_NAME,
    officeContact: settings.OFFICE_CONTACT ?? null,
    agencyName: f.agencyName,
    documentNumber: f.documentNumber,
    documentDate: f.documentDate,
    status: f.status,
    confidential: f.confidential,
    signerName: f.approvedBy?.name ?? null,
    acknowledgedAt: f.acknowledgedAt,
    deadline: f.deadline ? { dueDate: f.deadline.dueDate, basis: f.deadline.basis ?? null } : null,
    deadlineExplained: deadlineExplanations(f),
    deadlineHistory: f.deadlineHistory.map((h) => ({ dueDate: h.dueDate, kind: h.replacedBy.kind, days: h.replacedBy.days })),
    items: f.items.map((i, n) => ({ position: n + 1, label: i.label, summary: i.summary, answered: i.answered })),
    request: f.request,
    sharedFiles: f.sharedAttachmentIds.flatMap((id) => files.get(String(id)) ?? []),
    answers: answers.map((a) => ({
      id: String(a._id),
      submittedAt: a.submittedAt,
      responderName: a.responderName,
      responderPosition: a.responderPosition,
      documentNumber: a.documentNumber,
      documentDate: a.documentDate,
      outcome: a.outcome,
      expectedDate: a.expectedDate,
      competentAgency: a.competentAgency,
      text: a.text,
      matters: a.itemRefIds.map((r) => labelOf.get(r) ?? ''),
      files: a.attachmentIds.flatMap((id) => files.get(String(id)) ?? []),
    })),
    extensionRequests: f.extensionRequests.map((r) => ({
      requestedAt: r.requestedAt,
      days: r.days,
      reason: r.reason,
      requesterName: r.requesterName,
      decision: r.decision,
      decidedAt: r.decidedAt,
      decisionNote: r.decisionNote,
    })),
    may: {
      confirm: agencyMay(f.status, 'confirm', acknowledged),
      extension: agencyMay(f.status, 'extension', acknowledged) && !extensionPending,
      answer: agencyMay(f.status, 'answer', acknowledged),
    },
    extensionPending,
  };
}

/**
 * A file the agency may download: one the office shared with this forwarding, or one of its own
 * answers' files. Anything else (another forwarding's, a case's other scans) is null.
 */
export async function agencyFileOf(access: AgencyAccess, attachmentId: string, at: Date): Promise<mongoose.Types.ObjectId | null> {
  if (typeof attachmentId !== 'string' || !/^[a-f0-9]{24}$/i.test(attachmentId)) return null;
  const f = await forwardingForAgency(access, at);
  const id = new mongoose.Types.ObjectId(attachmentId);
  if (f.sharedAttachmentIds.some((s) => s.equals(id))) return id;
  const owning = await ForwardingAnswerModel.exists({ forwardingId: f._id, attachmentIds: id });
  return owning ? id : null;
}
