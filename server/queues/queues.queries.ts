// Reads of the work queues: one lean, projected query per queue, on indexed fields, with keyset pages
// (the last row's sort key and _id), and a count per queue. Who sees what is decided here, in the
// queries: officers and leaders (cases:read-all) see every row, delegates (cases:read-own) only the
// rows of cases they follow or are assigned, and a user with neither sees no queue at all.
import mongoose, { trusted } from 'mongoose';
import { can, type Actor } from '../access/index.js';
import { loadWorkingCalendar, vietnamDateOf } from '../calendar/index.js';
import { CaseModel, OPEN_STATUSES, scopeFilter, visibleText, type Case } from '../cases/index.js';
import { afterCondition, keysetScan, takeEach, sortOf, withCondition } from '../exports/index.js';
import { AGENCY_ACTIVE_STATUSES, AWAITING_AGENCY_STATUSES, ForwardingModel, daysOverdue, isOverdue, type Forwarding } from '../forwarding/index.js';
import { UserModel } from '../users/index.js';
import { QUEUES, daysPast, dueSoonHorizon, maySeeQueue, queuesFor, type QueueId, type QueueSubject } from './queues.rules.js';
import type { QueueFilters } from './queues.schemas.js';

export const QUEUE_PAGE_SIZE = 25;
/**
 * Filters by a case's field, commune or agency are turned into a list of case ids first (the
 * forwardings carry only their cases' ids). Beyond this many cases the list is cut, which an office
 * of one province does not reach for one field or commune among its open matters.
 */
const MAX_MATCHING_CASES = 20_000;

/** Case statuses in which the office's own handling deadline runs (as in the case list's "overdue"). */
const HANDLING_STATUSES = ['received', 'in-progress'] as const;

type Filter = Record<string, unknown>;

export interface QueueRow {
  subject: QueueSubject;
  id: string;
  href: string;
  /** The slip's number (or "draft") for a forwarding, the case number for a case. */
  number: string | null;
  agencyName: string | null;
  matters: string;
  /** A case's whole summary (the page shows its beginning, the export all of it); null for a forwarding. */
  summary: string | null;
  status: string;
  dueDate: string | null;
  overdue: boolean;
  daysOverdue: number;
  /** Who drafted the forwarding, or to whom the case is assigned. */
  officer: string | null;
  chaseCount: number;
  pendingExtensionDays: number | null;
  answeredAt: Date | null;
  createdAt: Date;
}

export interface QueuePage {
  rows: QueueRow[];
  next: string | null;
  total: number;
}

/** What every queue query needs to know about the moment: now and the end of the due-soon window. */
export interface QueueMoment {
  now: Date;
  horizon: Date;
}

export async function queueMoment(now: Date): Promise<QueueMoment> {
  const year = Number(vietnamDateOf(now).slice(0, 4));
  return { now, horizon: dueSoonHorizon(now, await loadWorkingCalendar(year, year + 1)) };
}

function and(...parts: (Filter | null)[]): Filter {
  const nonEmpty = parts.filter((p): p is Filter => p !== null && Object.keys(p).length > 0);
  return nonEmpty.length === 0 ? {} : nonEmpty.length === 1 ? nonEmpty[0]! : { $and: nonEmpty };
}

async function ownCaseIds(actor: Actor): Promise<mongoose.Types.ObjectId[]> {
  const own = await CaseModel.find(scopeFilter(actor), { _id: 1 }).limit(MAX_MATCHING_CASES).lean<{ _id: mongoose.Types.ObjectId }[]>();
  return own.map((c) => c._id);
}

/** Ids of the cases of a field / commune, and of those forwarded to an agency, when those filters are set. */
async function caseIdsMatching(filters: QueueFilters, forForwardings: boolean): Promise<mongoose.Types.ObjectId[] | null> {
  const conditions: Filter[] = [];
  if (filters.field) conditions.push({ fieldCode: filters.field });
  if (filters.unit) conditions.push({ unitCode: filters.unit });
  let ids: mongoose.Types.ObjectId[] | null = null;
  if (conditions.length > 0) {
    const found = await CaseModel.find(and(...conditions), { _id: 1 }).limit(MAX_MATCHING_CASES).lean<{ _id: mongoose.Types.ObjectId }[]>();
    ids = found.map((c) => c._id);
  }
  if (filters.agency && !forForwardings) {
    const forwarded = await ForwardingModel.find({ agencyId: new mongoose.Types.ObjectId(filters.agency) }, { caseIds: 1 }).limit(MAX_MATCHING_CASES).lean<Pick<Forwarding, 'caseIds'>[]>();
    const withAgency = new Set(forwarded.flatMap((f) => f.caseIds.map(String)));
    ids = (ids ?? [...withAgency].map((id) => new mongoose.Types.ObjectId(id))).filter((id) => withAgency.has(String(id)));
  }
  return ids;
}

/** The queue's own condition, on forwardings or on cases. */
function queueCondition(actor: Actor, id: QueueId, m: QueueMoment): Filter {
  // A suspended deadline's clock is stopped: neither due soon nor overdue until the suspension ends.
  const awaiting = { status: trusted({ $in: AWAITING_AGENCY_STATUSES }), suspension: null };
  switch (id) {
    case 'my-forwardings':
      return { 'draftedBy.id': actor.id, status: trusted({ $nin: ['closed', 'cancelled'] }) };
    case 'due-soon':
      return { ...awaiting, 'deadline.dueAt': trusted({ $gte: m.now, $lte: m.horizon }) };
    case 'overdue':
      return { ...awaiting, 'deadline.dueAt': trusted({ $lt: m.now }) };
    case 'reminded':
      return { ...awaiting, 'deadline.dueAt': trusted({ $lt: m.now }), chaseCount: trusted({ $gt: 0 }) };
    case 'answered':
      return { status: 'answered' };
    case 'awaiting-approval':
      return { status: 'awaiting-approval' };
    case 'extensions':
      return { status: trusted({ $in: AGENCY_ACTIVE_STATUSES }), extensionRequests: trusted({ $elemMatch: { decision: null } }) };
    case 'my-cases':
      return { assignedTo: new mongoose.Types.ObjectId(actor.id), status: trusted({ $in: OPEN_STATUSES }) };
    case 'cases-due-soon':
      return { status: trusted({ $in: HANDLING_STATUSES }), 'handlingDeadline.dueAt': trusted({ $gte: m.now, $lte: m.horizon }) };
    case 'cases-overdue':
      return { status: trusted({ $in: HANDLING_STATUSES }), 'handlingDeadline.dueAt': trusted({ $lt: m.now }) };
  }
}

/** The complete filter of a queue for this user, or null when the user may not see it (no rows). */
export async function queueFilter(actor: Actor, id: QueueId, filters: QueueFilters, m: QueueMoment): Promise<Filter | null> {
  if (!maySeeQueue(actor, id)) return null;
  const subject = QUEUES[id].subject;
  const readAll = can(actor, 'cases:read-all');
  if (!readAll && !can(actor, 'cases:read-own')) return null;
  const matching = await caseIdsMatching(filters, subject === 'forwarding');
  if (subject === 'case') {
    return and(
      scopeFilter(actor),
      queueCondition(actor, id, m),
      filters.officer ? { assignedTo: new mongoose.Types.ObjectId(filters.officer) } : null,
      matching ? { _id: trusted({ $in: matching }) } : null,
    );
  }
  return and(
    readAll ? null : { caseIds: trusted({ $in: await ownCaseIds(actor) }) },
    queueCondition(actor, id, m),
    filters.agency ? { agencyId: new mongoose.Types.ObjectId(filters.agency) } : null,
    filters.officer ? { 'draftedBy.id': filters.officer } : null,
    matching ? { caseIds: trusted({ $in: matching }) } : null,
  );
}

const FORWARDING_FIELDS = {
  status: 1, agencyName: 1, documentNumber: 1, 'items.label': 1, deadline: 1, suspension: 1, draftedBy: 1, createdAt: 1, lastAnsweredAt: 1, chaseCount: 1, extensionRequests: 1,
} as const;
const CASE_FIELDS = { number: 1, status: 1, summary: 1, confidential: 1, 'parties.name': 1, 'parties.citizenId': 1, assignedTo: 1, handlingDeadline: 1, receivedAt: 1, createdAt: 1 } as const;

function forwardingRow(f: Forwarding, now: Date): QueueRow {
  const pending = f.extensionRequests.find((r) => r.decision === null);
  return {
    subject: 'forwarding',
    id: String(f._id),
    href: `/forwardings/${String(f._id)}`,
    number: f.documentNumber,
    agencyName: f.agencyName,
    matters: f.items.map((i) => i.label).join(', '),
    summary: null,
    status: f.status,
    dueDate: f.deadline?.dueDate ?? null,
    overdue: isOverdue(f, now),
    daysOverdue: daysOverdue(f, now),
    officer: f.draftedBy.name,
    chaseCount: f.chaseCount,
    pendingExtensionDays: pending ? pending.days : null,
    answeredAt: f.lastAnsweredAt,
    createdAt: f.createdAt!,
  };
}

/** A case's summary is long; the queue shows its beginning (the case page has it all). */
function excerpt(text: string, max = 140): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

function caseRow(c: Case, officers: Map<string, string>, now: Date, maySeeIdentity: boolean): QueueRow {
  const dueAt = c.handlingDeadline?.dueAt ?? null;
  const running = (HANDLING_STATUSES as readonly string[]).includes(c.status);
  const summary = visibleText(c.summary, c.parties, c.confidential, maySeeIdentity);
  return {
    subject: 'case',
    id: String(c._id),
    href: `/cases/${String(c._id)}`,
    number: c.number,
    agencyName: null,
    matters: excerpt(summary),
    summary,
    status: c.status,
    dueDate: c.handlingDeadline?.dueDate ?? null,
    overdue: running && daysPast(dueAt, now) > 0,
    daysOverdue: running ? daysPast(dueAt, now) : 0,
    officer: c.assignedTo ? (officers.get(String(c.assignedTo)) ?? null) : null,
    chaseCount: 0,
    pendingExtensionDays: null,
    answeredAt: null,
    createdAt: c.receivedAt,
  };
}

async function officerNames(ids: readonly (mongoose.Types.ObjectId | null | undefined)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((id): id is mongoose.Types.ObjectId => !!id).map(String))];
  if (wanted.length === 0) return new Map();
  const users = await UserModel.find({ _id: trusted({ $in: wanted.map((id) => new mongoose.Types.ObjectId(id)) }) }, { name: 1 }).lean<{ _id: mongoose.Types.ObjectId; name: string }[]>();
  return new Map(users.map((u) => [String(u._id), u.name]));
}

function valueAt(doc: object, path: string): unknown {
  return path.split('.').reduce<unknown>((node, part) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined), doc);
}

/** One page of a queue, after the row `after` (an id from the previous page), with the queue's total. */
export async function listQueue(actor: Actor, id: QueueId, filters: QueueFilters, after: string | undefined, m: QueueMoment, limit = QUEUE_PAGE_SIZE): Promise<QueuePage> {
  const filter = await queueFilter(actor, id, filters, m);
  if (!filter) return { rows: [], next: null, total: 0 };
  const { subject, order } = QUEUES[id];
  const sort = { [order.path]: order.dir, _id: order.dir } as Record<string, 1 | -1>;
  // Mongoose models differ in their document types; both are read lean with a projection.
  const model = (subject === 'case' ? CaseModel : ForwardingModel) as unknown as mongoose.Model<{ _id: mongoose.Types.ObjectId }>;
  let pageFilter = filter;
  if (after) {
    const cursor = await model.findOne(and(filter, { _id: new mongoose.Types.ObjectId(after) }), { [order.path]: 1 }).lean<Record<string, unknown> & { _id: mongoose.Types.ObjectId }>();
    // A row that has left the queue since (answered, approved…) starts the list again from the top.
    if (cursor) pageFilter = withCondition(filter, afterCondition(order, valueAt(cursor, order.path) ?? null, cursor._id));
  }
  const [total, docs] = await Promise.all([
    model.countDocuments(filter),
    model.find(pageFilter, subject === 'case' ? CASE_FIELDS : FORWARDING_FIELDS).sort(sort).limit(limit + 1).lean<unknown[]>(),
  ]);
  const page = docs.slice(0, limit);
  let rows: QueueRow[];
  if (subject === 'case') {
    const cases = page as Case[];
    const names = await officerNames(cases.map((c) => c.assignedTo));
    rows = cases.map((c) => caseRow(c, names, m.now, can(actor, 'view-denouncer-identity')));
  } else {
    rows = (page as Forwarding[]).map((f) => forwardingRow(f, m.now));
  }
  return { rows, next: docs.length > limit ? (rows.at(-1)?.id ?? null) : null, total };
}

/** Every row of a queue for this user, in the queue's order, read by key in chunks (for the export). */
export async function* exportQueueRows(actor: Actor, id: QueueId, filters: QueueFilters, m: QueueMoment): AsyncGenerator<QueueRow> {
  const filter = await queueFilter(actor, id, filters, m);
  if (!filter) return;
  const { subject, order } = QUEUES[id];
  const maySeeIdentity = can(actor, 'view-denouncer-identity');
  if (subject === 'case') {
    const chunks = keysetScan<Case>((after, limit) => CaseModel.find(withCondition(filter, after), CASE_FIELDS).sort(sortOf(order)).limit(limit).lean<Case[]>(), order);
    for await (const chunk of chunks) {
      const names = await officerNames(chunk.map((c) => c.assignedTo));
      for (const c of takeEach(chunk)) yield caseRow(c, names, m.now, maySeeIdentity);
    }
    return;
  }
  const chunks = keysetScan<Forwarding>((after, limit) => ForwardingModel.find(withCondition(filter, after), FORWARDING_FIELDS).sort(sortOf(order)).limit(limit).lean<Forwarding[]>(), order);
  for await (const chunk of chunks) for (const f of takeEach(chunk)) yield forwardingRow(f, m.now);
}

/** The number of rows in each of these queues (those the user may not see are left out). */
export async function countQueues(actor: Actor, ids: readonly QueueId[], filters: QueueFilters, m: QueueMoment): Promise<{ id: QueueId; count: number }[]> {
  const visible = ids.filter((id) => maySeeQueue(actor, id));
  return Promise.all(
    visible.map(async (id) => {
      const filter = await queueFilter(actor, id, filters, m);
      if (!filter) return { id, count: 0 };
      const count = QUEUES[id].subject === 'case' ? await CaseModel.countDocuments(filter) : await ForwardingModel.countDocuments(filter);
      return { id, count };
    }),
  );
}

/** Every queue this user may open, with its count. */
export async function allQueueCounts(actor: Actor, filters: QueueFilters, m: QueueMoment): Promise<{ id: QueueId; count: number }[]> {
  return countQueues(actor, queuesFor(actor), filters, m);
}
