// Use cases of agencies: create, edit, deactivate and reactivate (each audited in the same
// transaction as the change), and the competent-agency suggestion for a matter.
import mongoose, { trusted } from 'mongoose';
import { assertCan, can, type Actor } from '../access/index.js';
import { recordAudit } from '../audit/index.js';
import type { ServiceContext } from '../platform/context.js';
import { inTransaction } from '../platform/db/transaction.js';
import { ForbiddenError, NotFoundError, ValidationError, isDuplicateKeyError } from '../platform/errors.js';
import { foldVietnamese } from '../platform/text.js';
import { getFields, getUnits } from '../reference/index.js';
import { AgencyModel, type Agency } from './agency.model.js';
import { toSummary, type AgencyRow, type AgencySummary } from './agencies.queries.js';
import { suggestAgencies, type AgencyCandidate, type SuggestionInput, type SuggestionMatch } from './agencies.rules.js';
import type { AgencyInput } from './agencies.schemas.js';

function auditBase(actor: Actor, ctx: ServiceContext) {
  return { at: ctx.clock.now(), actor, ip: ctx.ip, requestId: ctx.requestId };
}

async function findAgencyOrThrow(id: string): Promise<Agency> {
  const agency = mongoose.isValidObjectId(id) ? await AgencyModel.findById(id).lean<Agency>() : null;
  if (!agency) throw new NotFoundError('agencies.errors.notFound');
  return agency;
}

/** Field and commune codes that do not name a field, or a commune-level unit. */
export async function unknownCodes(fieldCodes: readonly string[], unitCodes: readonly string[]): Promise<{ fields: string[]; units: string[] }> {
  const fields = await getFields(fieldCodes);
  const units = await getUnits(unitCodes);
  return {
    fields: fieldCodes.filter((c) => !fields.has(c)),
    units: unitCodes.filter((c) => units.get(c)?.level !== 'commune'),
  };
}

/** True when `parentId`'s chain of parents reaches `agencyId` (or runs implausibly long). */
async function parentChainReaches(agencyId: string | null, parentId: string): Promise<boolean> {
  let current: string | null = parentId;
  for (let steps = 0; current; steps++) {
    if (current === agencyId || steps > 50) return true;
    const found: { parentId: mongoose.Types.ObjectId | null } | null = await AgencyModel.findById(current, { parentId: 1 }).lean<{ parentId: mongoose.Types.ObjectId | null }>();
    current = found?.parentId ? String(found.parentId) : null;
  }
  return false;
}

async function assertConsistent(input: AgencyInput, agencyId: string | null): Promise<void> {
  const problems: Record<string, string> = {};
  const unknown = await unknownCodes(input.fieldCodes, input.unitCodes);
  if (unknown.fields.length > 0) problems.fieldCodes = 'agencies.errors.fieldUnknown';
  if (unknown.units.length > 0) problems.unitCodes = 'agencies.errors.communeUnknown';
  if (input.parentId) {
    if (input.parentId === agencyId) problems.parentId = 'agencies.errors.parentSelf';
    else if (!(await AgencyModel.exists({ _id: input.parentId }))) problems.parentId = 'agencies.errors.parentUnknown';
    else if (agencyId && (await parentChainReaches(agencyId, input.parentId))) problems.parentId = 'agencies.errors.parentLoop';
  }
  if (Object.keys(problems).length > 0) throw new ValidationError(problems);
}

/** The stored values of an input: only these fields are written, whatever else it carries. */
export function agencyValues(input: AgencyInput) {
  return {
    name: input.name,
    nameFolded: foldVietnamese(input.name),
    shortName: input.shortName,
    level: input.level,
    parentId: input.parentId ? new mongoose.Types.ObjectId(input.parentId) : null,
    fieldCodes: [...input.fieldCodes],
    unitCodes: [...input.unitCodes],
    contacts: input.contacts.map((c) => ({ email: c.email, name: c.name, role: c.role })),
  };
}

function rethrowDuplicate(err: unknown): never {
  if (isDuplicateKeyError(err)) throw new ValidationError({ name: 'agencies.errors.nameTaken' });
  throw err;
}

export async function createAgency(actor: Actor, input: AgencyInput, ctx: ServiceContext): Promise<string> {
  assertCan(actor, 'reference:manage');
  await assertConsistent(input, null);
  const values = agencyValues(input);
  try {
    return await inTransaction(async (session) => {
      const [agency] = await AgencyModel.create([{ ...values, active: true, source: 'admin' }], { session });
      const id = String(agency!._id);
      await recordAudit({ action: 'agency.created', ...auditBase(actor, ctx), target: { type: 'agency', id }, details: { ...input } }, session);
      return id;
    });
  } catch (err) {
    return rethrowDuplicate(err);
  }
}

function snapshot(agency: Agency) {
  return {
    name: agency.name,
    shortName: agency.shortName,
    level: agency.level,
    parentId: agency.parentId ? String(agency.parentId) : null,
    fieldCodes: agency.fieldCodes,
    unitCodes: agency.unitCodes,
    contacts: agency.contacts.map((c) => ({ email: c.email, name: c.name, role: c.role })),
  };
}

export async function updateAgency(actor: Actor, id: string, input: AgencyInput, ctx: ServiceContext): Promise<void> {
  assertCan(actor, 'reference:manage');
  const agency = await findAgencyOrThrow(id);
  await assertConsistent(input, id);
  const values = agencyValues(input);
  try {
    await inTransaction(async (session) => {
      await AgencyModel.updateOne({ _id: agency._id }, { $set: { ...values, source: 'admin' } }, { session });
      await recordAudit({ action: 'agency.updated', ...auditBase(actor, ctx), target: { type: 'agency', id }, details: { before: snapshot(agency), after: { ...input } } }, session);
    });
  } catch (err) {
    rethrowDuplicate(err);
  }
}

/** Deactivates or reactivates an agency. Never deletes: forwardings refer to it. */
export async function setAgencyActive(actor: Actor, id: string, active: boolean, ctx: ServiceContext): Promise<void> {
  assertCan(actor, 'reference:manage');
  const agency = await findAgencyOrThrow(id);
  if (agency.active === active) return;
  await inTransaction(async (session) => {
    await AgencyModel.updateOne({ _id: agency._id }, { $set: { active } }, { session });
    await recordAudit({ action: active ? 'agency.activated' : 'agency.deactivated', ...auditBase(actor, ctx), target: { type: 'agency', id } }, session);
  });
}

export interface CompetentAgency {
  agency: AgencySummary;
  match: SuggestionMatch;
}

const CANDIDATE_FIELDS = { name: 1, nameFolded: 1, shortName: 1, level: 1, parentId: 1, fieldCodes: 1, unitCodes: 1, contacts: 1, active: 1, source: 1 } as const;

/**
 * The agencies to suggest for a matter of a field, a commune and a type (agencies.rules.ts explains
 * the ranking). Candidates come from three indexed reads — competent in the field, covering the
 * commune, of general competence — rather than the whole collection.
 */
export async function suggestCompetentAgencies(actor: Actor, input: SuggestionInput): Promise<CompetentAgency[]> {
  if (!can(actor, 'cases:write') && !can(actor, 'cases:read-all') && !can(actor, 'reference:manage')) throw new ForbiddenError();
  const reads: Promise<AgencyRow[]>[] = [AgencyModel.find({ active: true, fieldCodes: trusted({ $size: 0 }) }, CANDIDATE_FIELDS).limit(500).lean<AgencyRow[]>()];
  if (input.fieldCode) reads.push(AgencyModel.find({ active: true, fieldCodes: input.fieldCode }, CANDIDATE_FIELDS).limit(500).lean<AgencyRow[]>());
  if (input.unitCode) reads.push(AgencyModel.find({ active: true, unitCodes: input.unitCode }, CANDIDATE_FIELDS).limit(500).lean<AgencyRow[]>());
  const rows = (await Promise.all(reads)).flat();
  const candidates: (AgencyCandidate & { row: AgencyRow })[] = rows.map((row) => ({
    id: String(row._id),
    name: row.name,
    nameFolded: row.nameFolded,
    shortName: row.shortName ?? '',
    level: row.level,
    fieldCodes: row.fieldCodes ?? [],
    unitCodes: row.unitCodes ?? [],
    active: row.active,
    row,
  }));
  return suggestAgencies(candidates, input).map((s) => ({ agency: toSummary(s.agency.row), match: s.match }));
}
