// Reads for case screens: lean, projected, filtered on indexed fields, newest first, paginated by key
// (receivedAt, _id). Denouncers' identity is removed here for users without the permission.
import mongoose, { trusted } from 'mongoose';
import { z } from 'zod';
import { assertCan, can, type Actor } from '../access/index.js';
import { parseDateInput } from '../calendar/index.js';
import { cleanText } from '../platform/text.js';
import { CaseEventModel, type CaseEvent } from './case-event.model.js';
import { CaseModel, type Case } from './case.model.js';
import { CASE_STATUSES, OPEN_STATUSES } from './case-status.rules.js';
import { CASE_TYPES } from './case-types.js';
import { visibleParties, visibleText, type PartyView } from './confidentiality.rules.js';
import { queryWords } from './search.rules.js';
import { maySeeCase } from './cases.service.js';

export const CASES_PAGE_SIZE = 25;

/** A date filter as typed (dd/mm/yyyy, or yyyy-mm-dd from a link) → 'YYYY-MM-DD'; anything else is ignored. */
export const dateParam = z
  .string()
  .max(20)
  .transform((v) => parseDateInput(v) ?? undefined)
  .optional()
  .catch(undefined);

/** List filters from the query string; anything malformed is ignored rather than refused. */
export const caseListQuerySchema = z.object({
  q: z.string().max(200).transform(cleanText).optional().catch(undefined),
  status: z.enum([...CASE_STATUSES, 'open']).optional().catch(undefined),
  type: z.enum(CASE_TYPES).optional().catch(undefined),
  field: z.string().max(50).optional().catch(undefined),
  unit: z.string().max(50).optional().catch(undefined),
  officer: z.string().regex(/^[a-f0-9]{24}$/).optional().catch(undefined),
  from: dateParam,
  to: dateParam,
  overdue: z.literal('1').optional().catch(undefined),
  sort: z.enum(['newest', 'oldest', 'deadline']).optional().catch(undefined),
  after: z.string().regex(/^[a-f0-9]{24}$/).optional().catch(undefined),
});

/** Each order a list offers: the key it sorts on (with _id as tie-breaker) and the direction. */
const SORTS = {
  newest: { path: 'receivedAt', dir: -1 },
  oldest: { path: 'receivedAt', dir: 1 },
  deadline: { path: 'handlingDeadline.dueAt', dir: 1 },
} as const;
export type CaseListQuery = z.infer<typeof caseListQuerySchema>;

export interface CaseRow {
  id: string;
  number: string;
  type: string;
  status: string;
  confidential: boolean;
  fieldCode: string | null;
  unitCode: string | null;
  summary: string;
  receivedAt: Date;
  visitCount: number;
  letterCount: number;
  dueAt: Date | null;
  overdue: boolean;
  filers: PartyView[];
}

/** The start of a Vietnam calendar day, as an instant (Vietnam is UTC+7 all year). */
function vietnamDayStart(date: string): Date {
  return new Date(`${date}T00:00:00+07:00`);
}

export function scopeFilter(actor: Actor): Record<string, unknown> {
  if (can(actor, 'cases:read-all')) return {};
  assertCan(actor, 'cases:read-own');
  const me = new mongoose.Types.ObjectId(actor.id);
  return { $or: [{ assignedTo: me }, { followers: me }] };
}

export function buildCaseFilter(actor: Actor, query: CaseListQuery, now: Date): Record<string, unknown> {
  const and: Record<string, unknown>[] = [scopeFilter(actor)];
  if (query.status === 'open') and.push({ status: trusted({ $in: OPEN_STATUSES }) });
  else if (query.status) and.push({ status: query.status });
  if (query.type) and.push({ type: query.type });
  if (query.field) and.push({ fieldCode: query.field });
  if (query.unit) and.push({ unitCode: query.unit });
  if (query.officer) and.push({ assignedTo: new mongoose.Types.ObjectId(query.officer) });
  if (query.from) and.push({ receivedAt: trusted({ $gte: vietnamDayStart(query.from) }) });
  if (query.to) and.push({ receivedAt: trusted({ $lt: new Date(vietnamDayStart(query.to).getTime() + 86_400_000) }) });
  if (query.overdue) and.push({ status: trusted({ $in: ['received', 'in-progress'] }), 'handlingDeadline.dueAt': trusted({ $lt: now }) });
  if (query.q) {
    const words = queryWords(query.q);
    if (words.length) {
      const clauses: Record<string, unknown>[] = [{ searchTokens: trusted({ $all: words }) }];
      if (can(actor, 'view-denouncer-identity')) clauses.push({ identityTokens: trusted({ $all: words }) });
      and.push({ $or: clauses });
    }
  }
  const nonEmpty = and.filter((c) => Object.keys(c).length > 0);
  return nonEmpty.length === 0 ? {} : nonEmpty.length === 1 ? nonEmpty[0]! : { $and: nonEmpty };
}

const ROW_FIELDS = {
  number: 1,
  type: 1,
  status: 1,
  confidential: 1,
  fieldCode: 1,
  unitCode: 1,
  summary: 1,
  receivedAt: 1,
  visitCount: 1,
  letterCount: 1,
  'handlingDeadline.dueAt': 1,
  parties: 1,
} as const;

function toRow(c: Case, maySeeIdentity: boolean, now: Date): CaseRow {
  const dueAt = c.handlingDeadline?.dueAt ?? null;
  return {
    id: String(c._id),
    number: c.number,
    type: c.type,
    status: c.status,
    confidential: c.confidential,
    fieldCode: c.fieldCode ?? null,
    unitCode: c.unitCode ?? null,
    summary: visibleText(c.summary, c.parties, c.confidential, maySeeIdentity),
    receivedAt: c.receivedAt,
    visitCount: c.visitCount,
    letterCount: c.letterCount,
    dueAt,
    overdue: !!dueAt && dueAt < now && (c.status === 'received' || c.status === 'in-progress'),
    filers: visibleParties(c.parties.filter((p) => p.role !== 'accompanying'), c.confidential, maySeeIdentity),
  };
}

function sortValue(c: Case, path: (typeof SORTS)[keyof typeof SORTS]['path']): Date | null {
  return path === 'receivedAt' ? c.receivedAt : (c.handlingDeadline?.dueAt ?? null);
}

/**
 * A word search is counted up to this many matches: a common word matches tens of thousands of cases,
 * counting them all costs more than the page itself, and "more than 1,000" tells the officer enough to
 * narrow the search. Lists without words are counted exactly (off the index).
 */
export const SEARCH_COUNT_LIMIT = 1000;

export async function listCases(actor: Actor, query: CaseListQuery, now: Date): Promise<{ rows: CaseRow[]; next: string | null; total: number; totalCapped: boolean }> {
  const filter = buildCaseFilter(actor, query, now);
  const sort = SORTS[query.sort ?? 'newest'];
  const searching = Boolean(query.q && queryWords(query.q).length);
  const counted = await CaseModel.countDocuments(filter, searching ? { limit: SEARCH_COUNT_LIMIT + 1 } : {});
  const totalCapped = searching && counted > SEARCH_COUNT_LIMIT;
  const total = totalCapped ? SEARCH_COUNT_LIMIT : counted;
  let pageFilter = filter;
  if (query.after) {
    const cursor = await CaseModel.findById(query.after, { receivedAt: 1, 'handlingDeadline.dueAt': 1 }).lean<Case>();
    const value = cursor ? sortValue(cursor, sort.path) : null;
    if (cursor && value) {
      // Keyset: rows strictly after the cursor in (key, _id) order, in the list's direction.
      const op = sort.dir === 1 ? '$gt' : '$lt';
      const keyset = { $or: [{ [sort.path]: trusted({ [op]: value }) }, { [sort.path]: value, _id: trusted({ [op]: cursor._id }) }] };
      pageFilter = Object.keys(filter).length ? { $and: [filter, keyset] } : keyset;
    }
  }
  const docs = await CaseModel.find(pageFilter, ROW_FIELDS)
    .sort({ [sort.path]: sort.dir, _id: sort.dir })
    .limit(CASES_PAGE_SIZE + 1)
    .lean<Case[]>();
  const maySeeIdentity = can(actor, 'view-denouncer-identity');
  const rows = docs.slice(0, CASES_PAGE_SIZE).map((c) => toRow(c, maySeeIdentity, now));
  return { rows, next: docs.length > CASES_PAGE_SIZE ? rows[rows.length - 1]!.id : null, total, totalCapped };
}

export interface CaseDetail extends CaseRow {
  parties: PartyView[];
  assignedTo: string | null;
  handlingDeadline: Case['handlingDeadline'];
  mergedInto: string | null;
  events: Pick<CaseEvent, 'at' | 'actorName' | 'type' | 'data'>[];
}

/** One case as this actor may see it, or null when it does not exist or is out of their scope. */
export async function getCaseDetail(actor: Actor, caseId: string, now: Date): Promise<CaseDetail | null> {
  if (!mongoose.isValidObjectId(caseId)) return null;
  const kase = await CaseModel.findById(caseId).lean<Case>();
  if (!kase || !maySeeCase(actor, kase)) return null;
  const maySeeIdentity = can(actor, 'view-denouncer-identity');
  const events = await CaseEventModel.find({ caseId: kase._id }, { at: 1, actorName: 1, type: 1, data: 1 }).sort({ at: 1, _id: 1 }).lean<CaseEvent[]>();
  return {
    ...toRow(kase, maySeeIdentity, now),
    parties: visibleParties(kase.parties, kase.confidential, maySeeIdentity),
    assignedTo: kase.assignedTo ? String(kase.assignedTo) : null,
    handlingDeadline: kase.handlingDeadline,
    mergedInto: kase.mergedInto ? String(kase.mergedInto) : null,
    events,
  };
}

/**
 * The cases a person is party to, as far as the actor may see them. A denunciation is left out for
 * a user who may not see denouncers: listing it on the person's page would name its filer.
 */
export async function casesOfPerson(actor: Actor, personId: string): Promise<{ id: string; number: string; summary: string; status: string; type: string }[]> {
  if (!mongoose.isValidObjectId(personId)) return [];
  const filter: Record<string, unknown>[] = [scopeFilter(actor), { 'parties.personId': new mongoose.Types.ObjectId(personId) }];
  if (!can(actor, 'view-denouncer-identity')) filter.push({ confidential: false });
  const docs = await CaseModel.find({ $and: filter.filter((f) => Object.keys(f).length) }, { number: 1, summary: 1, status: 1, type: 1 })
    .sort({ receivedAt: -1 })
    .limit(200)
    .lean<Case[]>();
  return docs.map((c) => ({ id: String(c._id), number: c.number, summary: c.summary, status: c.status, type: c.type }));
}
