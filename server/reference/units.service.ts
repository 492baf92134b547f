// Use cases of administrative units: create and edit one unit, import many from JSON (all or nothing),
// each audited in the same transaction as the change.
import { trusted } from 'mongoose';
import type { z } from 'zod';
import { assertCan, type Actor } from '../access/index.js';
import { recordAudit } from '../audit/index.js';
import type { ServiceContext } from '../platform/context.js';
import { inTransaction } from '../platform/db/transaction.js';
import { NotFoundError, ValidationError, isDuplicateKeyError } from '../platform/errors.js';
import { zodFieldErrors } from '../platform/http/forms.js';
import { foldVietnamese } from '../platform/text.js';
import type { CreateUnitInput, UnitImportRow, UpdateUnitInput } from './reference.schemas.js';
import { unitImportRowSchema } from './reference.schemas.js';
import { UnitModel, type Unit } from './unit.model.js';
import { unitProblems, type UnitData, type UnitLookup } from './units.rules.js';

export interface ImportRowError {
  /** 1-based position in the imported array. */
  row: number;
  code: string;
  field: string;
  messageKey: string;
}

/** An import refused as a whole, with what is wrong in each row. Nothing was saved. */
export class UnitImportError extends ValidationError {
  constructor(readonly rowErrors: ImportRowError[]) {
    super({ json: 'reference.errors.importRows' });
  }
}

export interface ImportResult {
  created: number;
  updated: number;
  unchanged: number;
}

const UNIT_DATA_FIELDS = { _id: 0, code: 1, name: 1, kind: 1, level: 1, parentCode: 1, validFrom: 1, validTo: 1, replacedBy: 1 } as const;

function toUnitData(input: UnitData): UnitData {
  // Only these fields are written, whatever else the input carries.
  return {
    code: input.code,
    name: input.name,
    kind: input.kind,
    level: input.level,
    parentCode: input.parentCode,
    validFrom: input.validFrom,
    validTo: input.validTo,
    replacedBy: input.replacedBy,
  };
}

/** Looks up the units a unit names (its parent and successors) in the database. */
async function databaseLookup(unit: UnitData): Promise<UnitLookup> {
  const codes = [...new Set([unit.parentCode, ...unit.replacedBy].filter((c): c is string => !!c))];
  const found = codes.length ? await UnitModel.find({ code: trusted({ $in: codes }) }, { _id: 0, code: 1, level: 1, validTo: 1 }).lean<Pick<Unit, 'code' | 'level' | 'validTo'>[]>() : [];
  const byCode = new Map(found.map((u) => [u.code, { level: u.level, validTo: u.validTo ?? null }]));
  return (code) => byCode.get(code);
}

async function assertConsistent(unit: UnitData): Promise<void> {
  const problems = unitProblems(unit, await databaseLookup(unit));
  if (Object.keys(problems).length > 0) throw new ValidationError(problems);
}

function auditBase(actor: Actor, ctx: ServiceContext) {
  return { at: ctx.clock.now(), actor, ip: ctx.ip, requestId: ctx.requestId };
}

export async function createUnit(actor: Actor, input: CreateUnitInput, ctx: ServiceContext): Promise<void> {
  assertCan(actor, 'reference:manage');
  const unit = toUnitData(input);
  await assertConsistent(unit);
  try {
    await inTransaction(async (session) => {
      await UnitModel.create([{ ...unit, nameFolded: foldVietnamese(unit.name), source: 'admin' }], { session });
      await recordAudit({ action: 'reference.unit-created', ...auditBase(actor, ctx), target: { type: 'admin-unit', id: unit.code }, details: { ...unit } }, session);
    });
  } catch (err) {
    if (isDuplicateKeyError(err)) throw new ValidationError({ code: 'reference.errors.codeTaken' });
    throw err;
  }
}

export async function updateUnit(actor: Actor, code: string, input: UpdateUnitInput, ctx: ServiceContext): Promise<void> {
  assertCan(actor, 'reference:manage');
  const before = await UnitModel.findOne({ code }, UNIT_DATA_FIELDS).lean<UnitData>();
  if (!before) throw new NotFoundError('reference.errors.unitNotFound');
  const unit = toUnitData({ ...input, code });
  await assertConsistent(unit);
  await inTransaction(async (session) => {
    await UnitModel.updateOne({ code }, { $set: { ...unit, nameFolded: foldVietnamese(unit.name), source: 'admin' } }, { session });
    await recordAudit({ action: 'reference.unit-updated', ...auditBase(actor, ctx), target: { type: 'admin-unit', id: code }, details: { before, after: unit } }, session);
  });
}

function sameUnit(a: UnitData, b: UnitData): boolean {
  return (
    a.name === b.name &&
    a.kind === b.kind &&
    a.level === b.level &&
    (a.parentCode ?? null) === (b.parentCode ?? null) &&
    (a.validFrom ?? null) === (b.validFrom ?? null) &&
    (a.validTo ?? null) === (b.validTo ?? null) &&
    a.replacedBy.join('\u0000') === b.replacedBy.join('\u0000')
  );
}

/**
 * Field → message key for a row the schema refused. Unlike a form, a JSON row can hold any type: a
 * value of the wrong type is "invalid", a missing one "required", and a row that is not an object
 * is reported as such.
 */
function rowIssues(raw: unknown, error: z.ZodError): Record<string, string> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { _form: 'reference.errors.importRow' };
  const messages = zodFieldErrors(error);
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? '_form');
    if (issue.code === 'invalid_type' || issue.code === 'invalid_union') {
      const value = (raw as Record<string, unknown>)[field];
      messages[field] = value === undefined ? 'errors.required' : messages[field]?.startsWith('reference.') ? messages[field] : 'errors.invalid';
    }
  }
  return messages;
}

/** Checks every row on its own and against the others and the database; returns the rows or throws with all problems. */
export async function validateUnitRows(rows: readonly unknown[]): Promise<{ valid: UnitImportRow[]; existing: Map<string, UnitData> }> {
  const errors: ImportRowError[] = [];
  const valid: (UnitImportRow | null)[] = rows.map((raw, i) => {
    const parsed = unitImportRowSchema.safeParse(raw);
    if (parsed.success) return parsed.data;
    const rawCode = (raw as { code?: unknown } | null)?.code;
    for (const [field, messageKey] of Object.entries(rowIssues(raw, parsed.error))) {
      errors.push({ row: i + 1, code: typeof rawCode === 'string' ? rawCode.slice(0, 64) : '', field, messageKey });
    }
    return null;
  });

  const firstRowOf = new Map<string, number>();
  valid.forEach((row, i) => {
    if (!row) return;
    if (firstRowOf.has(row.code)) errors.push({ row: i + 1, code: row.code, field: 'code', messageKey: 'reference.errors.codeRepeated' });
    else firstRowOf.set(row.code, i);
  });

  const existing = new Map((await UnitModel.find({}, UNIT_DATA_FIELDS).lean<UnitData[]>()).map((u) => [u.code, u]));
  const fileRows = new Map(valid.filter((r): r is UnitImportRow => !!r).map((r) => [r.code, r]));
  // The state after the import: the file's rows over what is already stored.
  const lookup: UnitLookup = (code) => fileRows.get(code) ?? existing.get(code);
  valid.forEach((row, i) => {
    if (!row) return;
    for (const [field, messageKey] of Object.entries(unitProblems(row, lookup))) errors.push({ row: i + 1, code: row.code, field, messageKey });
  });

  if (errors.length > 0) throw new UnitImportError(errors);
  return { valid: [...fileRows.values()], existing };
}

/** Creates or updates units by code from a JSON array, all or nothing. */
export async function importUnits(actor: Actor, rows: readonly unknown[], ctx: ServiceContext): Promise<ImportResult> {
  assertCan(actor, 'reference:manage');
  const { valid, existing } = await validateUnitRows(rows);
  const result: ImportResult = { created: 0, updated: 0, unchanged: 0 };
  const created: string[] = [];
  const updated: string[] = [];
  for (const row of valid) {
    const stored = existing.get(row.code);
    if (!stored) created.push(row.code);
    else if (!sameUnit(stored, row)) updated.push(row.code);
    else result.unchanged++;
  }
  result.created = created.length;
  result.updated = updated.length;
  const byCode = new Map(valid.map((r) => [r.code, r]));
  try {
    await inTransaction(async (session) => {
      const ops = [...created, ...updated].map((code) => {
        const unit = toUnitData(byCode.get(code)!);
        return { updateOne: { filter: { code }, update: { $set: { ...unit, nameFolded: foldVietnamese(unit.name), source: 'import' as const } }, upsert: true } };
      });
      if (ops.length > 0) await UnitModel.bulkWrite(ops, { session, ordered: true });
      await recordAudit(
        {
          action: 'reference.units-imported',
          ...auditBase(actor, ctx),
          target: { type: 'admin-unit', id: 'import' },
          details: { ...result, createdCodes: created.slice(0, 500), updatedCodes: updated.slice(0, 500) },
        },
        session,
      );
    });
  } catch (err) {
    // Another import or edit created one of these codes in the meantime: report, save nothing.
    if (isDuplicateKeyError(err)) throw new ValidationError({ json: 'reference.errors.importConflict' });
    throw err;
  }
  return result;
}
