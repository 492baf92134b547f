// Reads of forwardings for the office's screens: the list (filters, keyset pages), one forwarding with
// its answers, links and their uses, and the forwardings of a case.
import mongoose, { trusted } from 'mongoose';
import { z } from 'zod';
import { can, type Actor } from '../access/index.js';
import { CaseModel, dateParam, maySeeCase, type Case } from '../cases/index.js';
import { explainStoredDeadline, type ExplanationLanguage } from '../deadlines/index.js';
import { ForwardingAnswerModel, type ForwardingAnswer } from './answer.model.js';
import { ForwardingModel, type Forwarding } from './forwarding.model.js';
import { AWAITING_AGENCY_STATUSES, FORWARDING_STATUSES, daysOverdue, isOverdue } from './forwarding.rules.js';
import { accessLogOfForwarding, linksOfForwarding } from './links.service.js';

export const FORWARDINGS_PAGE_SIZE = 50;

export const forwardingListQuerySchema = z.object({
  status: z.enum(FORWARDING_STATUSES).or(z.literal('open')).optional().catch(undefined),
  agency: z.string().regex(/^[a-f0-9]{24}$/i).optional().catch(undefined),
  overdue: z.literal('1').optional().catch(undefined),
  mine: z.literal('1').optional().catch(undefined),
  after: z.string().regex(/^\d{13}_[a-f0-9]{24}$/).optional().catch(undefined),
  // The figures of the agency performance page link here: sent between two days, and how answered.
  from: dateParam,
  to: dateParam,
  answer: z.enum(['answered', 'on-time', 'late', 'overdue', 'not-due']).optional().catch(undefined),
  verdict: z.literal('unsatisfied').optional().catch(undefined),
});
export type ForwardingListQuery = z.infer<typeof forwardingListQuerySchema>;

const vietnamDayStart = (day: string) => new Date(`${day}T00:00:00+07:00`);

/**
 * The conditions of the sending-period and answer filters, defined exactly as the agency performance
 * figures count (server/statistics/agency-performance.rules.ts): on time = first answer at or before
 * the deadline; overdue = no answer and the deadline passed; not yet due = sent, no answer, not past.
 */
function answerConditions(query: ForwardingListQuery, now: Date): Record<string, unknown>[] {
  const and: Record<string, unknown>[] = [];
  if (query.from) and.push({ sentAt: trusted({ $gte: vietnamDayStart(query.from) }) });
  if (query.to) and.push({ sentAt: trusted({ $lt: new Date(vietnamDayStart(query.to).getTime() + 86_400_000) }) });
  const answered = { firstAnsweredAt: trusted({ $ne: null }) };
  switch (query.answer) {
    case 'answered':
      and.push(answered);
      break;
    case 'on-time':
      and.push(answered, { $or: [{ 'deadline.dueAt': null }, { $expr: trusted({ $lte: ['$firstAnsweredAt', '$deadline.dueAt'] }) }] });
      break;
    case 'late':
      and.push(answered, { 'deadline.dueAt': trusted({ $ne: null }) }, { $expr: trusted({ $gt: ['$firstAnsweredAt', '$deadline.dueAt'] }) });
      break;
    case 'overdue':
      and.push({ firstAnsweredAt: null, 'deadline.dueAt': trusted({ $lt: now }) });
      break;
    case 'not-due':
      and.push({ firstAnsweredAt: null, sentAt: trusted({ $ne: null }) }, { $or: [{ 'deadline.dueAt': null }, { 'deadline.dueAt': trusted({ $gte: now }) }] });
      break;
  }
  if (query.verdict) and.push({ 'items.verdict': query.verdict });
  return and;
}

export interface ForwardingRow {
  id: string;
  status: Forwarding['status'];
  agencyName: string;
  documentNumber: string | null;
  items: { label: string; kind: string }[];
  caseIds: string[];
  dueDate: string | null;
  overdue: boolean;
  daysOverdue: number;
  draftedBy: string;
  createdAt: Date;
  answerCount: number;
  pendingExtension: boolean;
  /** The date the running suspension started, if the deadline is suspended now. */
  suspendedFrom: string | null;
  /** On the case page: how the deadline was computed, in each language. */
  explained?: Record<ExplanationLanguage, string> | null;
}

export const ROW_FIELDS = {
  status: 1,
  agencyName: 1,
  documentNumber: 1,
  'items.label': 1,
  'items.kind': 1,
  caseIds: 1,
  deadline: 1,
  suspension: 1,
  draftedBy: 1,
  createdAt: 1,
  answerCount: 1,
  'extensionRequests.decision': 1,
} as const;

function toRow(f: Forwarding, now: Date): ForwardingRow {
  return {
    id: String(f._id),
    status: f.status,
    agencyName: f.agencyName,
    documentNumber: f.documentNumber,
    items: f.items.map((i) => ({ label: i.label, kind: i.kind })),
    caseIds: f.caseIds.map(String),
    dueDate: f.deadline?.dueDate ?? null,
    overdue: isOverdue(f, now),
    daysOverdue: daysOverdue(f, now),
    draftedBy: f.draftedBy.name,
    createdAt: f.createdAt!,
    answerCount: f.answerCount,
    pendingExtension: f.extensionRequests.some((r) => r.decision === null),
    suspendedFrom: f.suspension?.from ?? null,
  };
}

/** Users who see only their own cases see only the forwardings of those cases. */
async function scope(actor: Actor): Promise<Record<string, unknown> | null> {
  if (can(actor, 'cases:read-all')) return {};
  if (!can(actor, 'cases:read-own')) return null;
  const me = new mongoose.Types.ObjectId(actor.id);
  const own = await CaseModel.find({ $or: [{ assignedTo: me }, { followers: me }] } as Record<string, unknown>, { _id: 1 }).limit(5000).lean<{ _id: mongoose.Types.ObjectId }[]>();
  return { caseIds: trusted({ $in: own.map((c) => c._id) }) };
}

export interface ForwardingPage {
  rows: ForwardingRow[];
  next: string | null;
  /** Forwardings matching the filters (all pages), for the export links. */
  total: number;
}

/** The list's filter for this user (its scope and the query's filters), or null when the user sees none. */
export async function forwardingListFilter(actor: Actor, query: ForwardingListQuery, now: Date): Promise<Record<string, unknown> | null> {
  const base = await scope(actor);
  if (!base) return null;
  const and: Record<string, unknown>[] = [base];
  // A suspended deadline is not running, so it is not overdue (isOverdue says the same).
  if (query.overdue) and.push({ status: trusted({ $in: AWAITING_AGENCY_STATUSES }), 'deadline.dueAt': trusted({ $lt: now }), suspension: null });
  else if (query.status === 'open') and.push({ status: trusted({ $nin: ['closed', 'cancelled'] }) });
  else if (query.status) and.push({ status: query.status });
  if (query.agency) and.push({ agencyId: new mongoose.Types.ObjectId(query.agency) });
  if (query.mine) and.push({ 'draftedBy.id': actor.id });
  and.push(...answerConditions(query, now));
  return and.length === 1 ? and[0]! : { $and: and };
}

export async function listForwardings(actor: Actor, query: ForwardingListQuery, now: Date): Promise<ForwardingPage> {
  const filter = await forwardingListFilter(actor, query, now);
  if (!filter) return { rows: [], next: null, total: 0 };
  let paged = filter;
  if (query.after) {
    const [ms, id] = query.after.split('_') as [string, string];
    const at = new Date(Number(ms));
    paged = { $and: [filter, { $or: [{ createdAt: trusted({ $lt: at }) }, { createdAt: at, _id: trusted({ $lt: new mongoose.Types.ObjectId(id) }) }] }] };
  }
  const [docs, total] = await Promise.all([
    ForwardingModel.find(paged, ROW_FIELDS)
      .sort({ createdAt: -1, _id: -1 })
      .limit(FORWARDINGS_PAGE_SIZE + 1)
      .lean<Forwarding[]>(),
    ForwardingModel.countDocuments(filter),
  ]);
  const page = docs.slice(0, FORWARDINGS_PAGE_SIZE);
  const last = page.at(-1);
  return { rows: page.map((f) => toRow(f, now)), next: docs.length > FORWARDINGS_PAGE_SIZE && last ? `${last.createdAt!.getTime()}_${String(last._id)}` : null, total };
}

/** The deadline's explanation in both languages (the page picks the reader's), from the one function that writes it. */
export function deadlineExplanations(f: Pick<Forwarding, 'deadline' | 'deadlineHistory'>): Record<ExplanationLanguage, string> | null {
  if (!f.deadline) return null;
  return { vi: explainStoredDeadline(f.deadline, 'vi', f.deadlineHistory ?? []), en: explainStoredDeadline(f.deadline, 'en', f.deadlineHistory ?? []) };
}

export async function forwardingsOfCase(caseId: string, now: Date): Promise<ForwardingRow[]> {
  if (!/^[a-f0-9]{24}$/i.test(caseId)) return [];
  const docs = await ForwardingModel.find({ caseIds: new mongoose.Types.ObjectId(caseId) }, { ...ROW_FIELDS, deadlineHistory: 1 })
    .sort({ caseIds: 1, createdAt: -1 })
    .limit(100)
    .lean<Forwarding[]>();
  return docs.map((f) => ({ ...toRow(f, now), explained: deadlineExplanations(f) }));
}

export interface ForwardingDetail {
  forwarding: Forwarding;
  overdue: boolean;
  daysOverdue: number;
  answers: ForwardingAnswer[];
  links: Awaited<ReturnType<typeof linksOfForwarding>>;
  accessLog: Awaited<ReturnType<typeof accessLogOfForwarding>>;
  cases: { id: string; number: string }[];
  explained: Record<ExplanationLanguage, string> | null;
}

/** One forwarding for an officer, a leader or a delegate who may see one of its cases; null when not. */
export async function getForwardingDetail(actor: Actor, id: string, now: Date): Promise<ForwardingDetail | null> {
  if (!/^[a-f0-9]{24}$/i.test(id)) return null;
  const forwarding = await ForwardingModel.findById(id).lean<Forwarding>();
  if (!forwarding) return null;
  const cases = await CaseModel.find({ _id: trusted({ $in: forwarding.caseIds }) }, { number: 1, assignedTo: 1, followers: 1 }).lean<Pick<Case, '_id' | 'number' | 'assignedTo' | 'followers'>[]>();
  const visible = can(actor, 'cases:read-all') || cases.some((c) => maySeeCase(actor, c));
  if (!visible) return null;
  const [answers, links, accessLog] = await Promise.all([
    ForwardingAnswerModel.find({ forwardingId: forwarding._id }).sort({ forwardingId: 1, submittedAt: 1 }).lean<ForwardingAnswer[]>(),
    linksOfForwarding(forwarding._id),
    accessLogOfForwarding(forwarding._id),
  ]);
  return {
    forwarding,
    overdue: isOverdue(forwarding, now),
    daysOverdue: daysOverdue(forwarding, now),
    answers,
    links,
    accessLog,
    cases: cases.map((c) => ({ id: String(c._id), number: c.number })),
    explained: deadlineExplanations(forwarding),
  };
}
