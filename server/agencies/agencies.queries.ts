// Reads of agencies: the admin list (lean, projected, one index per filter, keyset pagination by the
// unique folded name), the edit form, and the lookups the forwarding module uses.
import mongoose, { trusted } from 'mongoose';
import { assertCan, type Actor } from '../access/index.js';
import { escapeRegExp, foldVietnamese } from '../platform/text.js';
import { AgencyModel, type Agency } from './agency.model.js';
import type { AgencyContact, AgencyLevel } from './agencies.rules.js';
import type { AgencyListQuery } from './agencies.schemas.js';

export const AGENCIES_PAGE_SIZE = 25;
/** A safety cap for the lists other modules read whole (a province has tens to a few hundred agencies). */
const MAX_LIST = 2000;

export type AgencyRow = Pick<Agency, '_id' | 'name' | 'nameFolded' | 'shortName' | 'level' | 'parentId' | 'fieldCodes' | 'unitCodes' | 'contacts' | 'active' | 'source'>;
const ROW_FIELDS = { name: 1, nameFolded: 1, shortName: 1, level: 1, parentId: 1, fieldCodes: 1, unitCodes: 1, contacts: 1, active: 1, source: 1 } as const;

export interface AgencyPage {
  rows: AgencyRow[];
  /** Names of the parents shown on the page, by id. */
  parents: Record<string, string>;
  next: string | null;
  total: number;
}

export async function listAgencies(actor: Actor, query: AgencyListQuery): Promise<AgencyPage> {
  assertCan(actor, 'reference:manage');
  const filter: Record<string, unknown> = {};
  if (query.level) filter.level = query.level;
  if (query.field) filter.fieldCodes = query.field;
  if (query.status) filter.active = query.status === 'active';
  if (query.q) filter.nameFolded = trusted({ $regex: escapeRegExp(foldVietnamese(query.q)) });
  const total = await AgencyModel.countDocuments(filter);
  const pageFilter = { ...filter };
  if (query.after) {
    const cursor = await AgencyModel.findById(query.after, { nameFolded: 1 }).lean<Pick<Agency, '_id' | 'nameFolded'>>();
    // The folded name is unique, so it alone orders the pages.
    if (cursor) pageFilter.$and = [{ nameFolded: trusted({ $gt: cursor.nameFolded }) }];
  }
  const found = await AgencyModel.find(pageFilter, ROW_FIELDS).sort({ nameFolded: 1 }).limit(AGENCIES_PAGE_SIZE + 1).lean<AgencyRow[]>();
  const rows = found.slice(0, AGENCIES_PAGE_SIZE);
  const parents = await namesOf(rows.map((r) => r.parentId).filter((id): id is mongoose.Types.ObjectId => !!id));
  return { rows, parents, next: found.length > AGENCIES_PAGE_SIZE ? String(rows[rows.length - 1]!._id) : null, total };
}

async function namesOf(ids: readonly mongoose.Types.ObjectId[]): Promise<Record<string, string>> {
  if (ids.length === 0) return {};
  const found = await AgencyModel.find({ _id: trusted({ $in: [...ids] }) }, { name: 1 }).lean<Pick<Agency, '_id' | 'name'>[]>();
  return Object.fromEntries(found.map((a) => [String(a._id), a.name]));
}

export async function getAgencyForEdit(actor: Actor, id: string): Promise<AgencyRow | null> {
  assertCan(actor, 'reference:manage');
  if (!mongoose.isValidObjectId(id)) return null;
  return AgencyModel.findById(id, ROW_FIELDS).lean<AgencyRow>();
}

export interface ParentOption {
  id: string;
  name: string;
  active: boolean;
}

/** Agencies that may be chosen as a parent, by name (the form's select). */
export async function listParentOptions(actor: Actor): Promise<ParentOption[]> {
  assertCan(actor, 'reference:manage');
  const rows = await AgencyModel.find({}, { name: 1, active: 1 }).sort({ nameFolded: 1 }).limit(MAX_LIST).lean<Pick<Agency, '_id' | 'name' | 'active'>[]>();
  return rows.map((r) => ({ id: String(r._id), name: r.name, active: r.active }));
}

/** What other modules see of an agency. */
export interface AgencySummary {
  id: string;
  name: string;
  shortName: string;
  level: AgencyLevel;
  parentId: string | null;
  fieldCodes: string[];
  unitCodes: string[];
  contacts: AgencyContact[];
  active: boolean;
}

export function toSummary(row: AgencyRow): AgencySummary {
  return {
    id: String(row._id),
    name: row.name,
    shortName: row.shortName ?? '',
    level: row.level,
    parentId: row.parentId ? String(row.parentId) : null,
    fieldCodes: [...(row.fieldCodes ?? [])],
    unitCodes: [...(row.unitCodes ?? [])],
    contacts: (row.contacts ?? []).map((c) => ({ email: c.email, name: c.name ?? '', role: c.role })),
    active: row.active,
  };
}

/** One agency by id, active or not (forwardings keep naming deactivated agencies); null when unknown. */
export async function getAgency(id: string): Promise<AgencySummary | null> {
  if (typeof id !== 'string' || !mongoose.isValidObjectId(id)) return null;
  const row = await AgencyModel.findById(id, ROW_FIELDS).lean<AgencyRow>();
  return row ? toSummary(row) : null;
}

/** Agencies by id, active or not. Unknown or malformed ids are absent. */
export async function getAgencies(ids: readonly string[]): Promise<Map<string, AgencySummary>> {
  const wanted = [...new Set(ids.filter((id) => typeof id === 'string' && mongoose.isValidObjectId(id)))];
  if (wanted.length === 0) return new Map();
  const rows = await AgencyModel.find({ _id: trusted({ $in: wanted.map((id) => new mongoose.Types.ObjectId(id)) }) }, ROW_FIELDS).lean<AgencyRow[]>();
  return new Map(rows.map((r) => [String(r._id), toSummary(r)]));
}

export interface ActiveAgencyFilter {
  level?: AgencyLevel;
  fieldCode?: string;
}

/** Active agencies by name, optionally of one level or competent in one field (the forwarding form's list). */
export async function listActiveAgencies(filter: ActiveAgencyFilter = {}): Promise<AgencySummary[]> {
  const query: Record<string, unknown> = { active: true };
  if (filter.level) query.level = filter.level;
  if (filter.fieldCode) query.fieldCodes = filter.fieldCode;
  const rows = await AgencyModel.find(query, ROW_FIELDS).sort({ nameFolded: 1 }).limit(MAX_LIST).lean<AgencyRow[]>();
  return rows.map(toSummary);
}
