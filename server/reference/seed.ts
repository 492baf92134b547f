// Start-up seeding of reference data from the JSON files shipped in server/reference/data: the
// administrative units of the office's province and the initial list of fields. Only codes that are
// missing are inserted, so running it again (or from several instances at once) changes nothing and
// never overwrites what an administrator edited or imported.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { SYSTEM_ACTOR } from '../access/index.js';
import { recordAudit } from '../audit/index.js';
import { systemClock, type Clock } from '../platform/clock.js';
import { inTransaction } from '../platform/db/transaction.js';
import { PROJECT_ROOT } from '../platform/paths.js';
import { foldVietnamese } from '../platform/text.js';
import { FieldModel } from './field.model.js';
import { UnitModel } from './unit.model.js';
import { UnitImportError, validateUnitRows } from './units.service.js';

export const REFERENCE_DATA_DIR = path.join(PROJECT_ROOT, 'server', 'reference', 'data');

const fieldSeedSchema = z.object({
  fields: z.array(z.object({ code: z.string().min(1), name: z.string().min(1), nameEn: z.string().min(1), order: z.number().int() })).min(1),
});

function readJson(file: string): unknown {
  return JSON.parse(fs.readFileSync(path.join(REFERENCE_DATA_DIR, file), 'utf8')) as unknown;
}

export function readSeedUnits(): unknown[] {
  const data = readJson('units.json') as { units?: unknown };
  if (!Array.isArray(data.units)) throw new Error('server/reference/data/units.json has no "units" array');
  return data.units as unknown[];
}

export interface ReferenceSeedResult {
  unitsInserted: number;
  fieldsInserted: number;
}

export async function seedReferenceData(clock: Clock = systemClock): Promise<ReferenceSeedResult> {
  let units;
  try {
    // The shipped file must pass the same checks as an administrator's import.
    units = (await validateUnitRows(readSeedUnits())).valid;
  } catch (err) {
    if (err instanceof UnitImportError) throw new Error(`server/reference/data/units.json is invalid: ${JSON.stringify(err.rowErrors.slice(0, 5))}`, { cause: err });
    throw err;
  }
  const fields = fieldSeedSchema.parse(readJson('fields.json')).fields;

  return inTransaction(async (session) => {
    const unitOps = units.map((u) => ({
      updateOne: { filter: { code: u.code }, update: { $setOnInsert: { ...u, nameFolded: foldVietnamese(u.name), source: 'seed' as const } }, upsert: true },
    }));
    const fieldOps = fields.map((f) => ({
      updateOne: { filter: { code: f.code }, update: { $setOnInsert: { ...f, active: true, source: 'seed' as const } }, upsert: true },
    }));
    const unitsInserted = (await UnitModel.bulkWrite(unitOps, { session })).upsertedCount;
    const fieldsInserted = (await FieldModel.bulkWrite(fieldOps, { session })).upsertedCount;
    if (unitsInserted + fieldsInserted > 0) {
      await recordAudit({ action: 'reference.seeded', at: clock.now(), actor: SYSTEM_ACTOR, target: { type: 'reference', id: 'seed' }, details: { unitsInserted, fieldsInserted } }, session);
    }
    return { unitsInserted, fieldsInserted };
  });
}
