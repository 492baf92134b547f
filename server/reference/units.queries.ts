// Reads of administrative units: the admin list (lean, projected, on indexed fields, paginated by key
// — folded name, then code — never by skipping) and the lookups other modules use.
import { trusted } from 'mongoose';
import { assertCan, type Actor } from '../access/index.js';
import { vietnamDateOf } from '../calendar/index.js';
import { referenceCache } from '../platform/cache.js';
import { escapeRegExp, foldVietnamese } from '../platform/text.js';
import type { UnitListQuery } from './reference.schemas.js';
import { UnitModel, type Unit } from './unit.model.js';
import type { UnitKind, UnitLevel } from './units.rules.js';

export const UNITS_PAGE_SIZE = 50;

export type UnitRow = Pick<Unit, 'code' | 'name' | 'nameFolded' | 'kind' | 'level' | 'parentCode' | 'validFrom' | 'validTo' | 'replacedBy' | 'source'>;
const ROW_FIELDS = { _id: 0, code: 1, name: 1, nameFolded: 1, kind: 1, level: 1, parentCode: 1, validFrom: 1, validTo: 1, replacedBy: 1, source: 1 } as const;

export interface UnitPage {
  rows: UnitRow[];
  /** Names of the parents and successors shown on the page, by code. */
  names: Record<string, string>;
  next: string | null;
  total: number;
}

export async function listUnits(actor: Actor, query: UnitListQuery): Promise<UnitPage> {
  assertCan(actor, 'reference:manage');
  const filter: Record<string, unknown> = { level: query.level };
  if (!query.legacy) filter.validTo = null;
  if (query.q) {
    filter.$or = [{ nameFolded: trusted({ $regex: escapeRegExp(foldVietnamese(query.q)) }) }, { code: trusted({ $regex: `^${escapeRegExp(query.q.toLowerCase())}` }) }];
  }
  const total = await UnitModel.countDocuments(filter);
  const pageFilter = { ...filter };
  if (query.after) {
    const cursor = await UnitModel.findOne({ code: query.after }, { _id: 0, nameFolded: 1, code: 1 }).lean<Pick<Unit, 'nameFolded' | 'code'>>();
    if (cursor) {
      pageFilter.$and = [{ $or: [{ nameFolded: trusted({ $gt: cursor.nameFolded }) }, { nameFolded: cursor.nameFolded, code: trusted({ $gt: cursor.code }) }] }];
    }
  }
  const found = await UnitModel.find(pageFilter, ROW_FIELDS).sort({ nameFolded: 1, code: 1 }).limit(UNITS_PAGE_SIZE + 1).lean<UnitRow[]>();
  const rows = found.slice(0, UNITS_PAGE_SIZE);
  const named = await getUnits(rows.flatMap((r) => [r.parentCode, ...r.replacedBy]).filter((c): c is string => !!c));
  const names = Object.fromEntries([...named.values()].map((u) => [u.code, u.name]));
  return { rows, names, next: found.length > UNITS_PAGE_SIZE ? rows[rows.length - 1]!.code : null, total };
}

export async function getUnitForEdit(actor: Actor, code: string): Promise<UnitRow | null> {
  assertCan(actor, 'reference:manage');
  return UnitModel.findOne({ code }, ROW_FIELDS).lean<UnitRow>();
}

export interface UnitSummary {
  code: string;
  name: string;
  kind: UnitKind;
  level: UnitLevel;
  parentCode: string | null;
  validTo: string | null;
}
const SUMMARY_FIELDS = { _id: 0, code: 1, name: 1, kind: 1, level: 1, parentCode: 1, validTo: 1 } as const;

/**
 * Communes and wards (and special zones) in force: today's when no date is given (validTo empty),
 * otherwise those in force on that instant's Vietnam date — which, for a date before 1/7/2025, are
 * the former communes. Sorted by name.
 */
const communesInForce = referenceCache(['admin_units'], () => UnitModel.find({ level: 'commune', validTo: null }, SUMMARY_FIELDS).sort({ nameFolded: 1, code: 1 }).limit(5000).lean<UnitSummary[]>());

export async function listActiveCommunes(onDate?: Date): Promise<UnitSummary[]> {
  // A copy: callers may sort or filter the list they get.
  if (!onDate) return (await communesInForce.get()).slice();
  const filter: Record<string, unknown> = { level: 'commune' };
  if (!onDate) {
    filter.validTo = null;
  } else {
    const day = vietnamDateOf(onDate);
    filter.$and = [{ $or: [{ validFrom: null }, { validFrom: trusted({ $lte: day }) }] }, { $or: [{ validTo: null }, { validTo: trusted({ $gte: day }) }] }];
  }
  return UnitModel.find(filter, SUMMARY_FIELDS).sort({ nameFolded: 1, code: 1 }).limit(5000).lean<UnitSummary[]>();
}

/** Units by code, current or former (old records keep naming former units). Unknown codes are absent. */
export async function getUnits(codes: readonly string[]): Promise<Map<string, UnitSummary>> {
  const wanted = [...new Set(codes.filter((c) => typeof c === 'string' && c.length > 0))];
  if (wanted.length === 0) return new Map();
  const units = await UnitModel.find({ code: trusted({ $in: wanted }) }, SUMMARY_FIELDS).lean<UnitSummary[]>();
  return new Map(units.map((u) => [u.code, u]));
}

export async function unitName(code: string): Promise<string | null> {
  return (await getUnits([code])).get(code)?.name ?? null;
}
