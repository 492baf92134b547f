// Start-up seeding of the sample agency list (server/agencies/data/agencies.json), through the same
// checks as an administrator's CSV import. The sample is loaded once, into a database that has no
// agencies yet, and the fact is recorded: later start-ups change nothing, so an agency an
// administrator renamed never comes back under its sample name, and an office that imported its real
// list before this seed existed never gets the sample mixed in. Safe from several instances at once.
import fs from 'node:fs';
import path from 'node:path';
import mongoose, { Schema } from 'mongoose';
import { z } from 'zod';
import { SYSTEM_ACTOR } from '../access/index.js';
import { recordAudit } from '../audit/index.js';
import { systemClock, type Clock } from '../platform/clock.js';
import { inTransaction } from '../platform/db/transaction.js';
import { isDuplicateKeyError } from '../platform/errors.js';
import { PROJECT_ROOT } from '../platform/paths.js';
import { AgencyModel } from './agency.model.js';
import { AgencyImportError, validateAgencyRows, writeAgencyRows, type RawAgencyRow } from './agencies-import.service.js';

export const AGENCY_SAMPLE_FILE = path.join(PROJECT_ROOT, 'server', 'agencies', 'data', 'agencies.json');
const SAMPLE_ID = 'sample-quang-tri-v1';

const seedMarkerSchema = new Schema(
  {
    _id: { type: String, required: true },
    seededAt: { type: Date, required: true },
    inserted: { type: Number, required: true },
  },
  { collection: 'agency_seeds', versionKey: false },
);
export const AgencySeedModel = mongoose.model('AgencySeed', seedMarkerSchema);

const list = z.array(z.string().max(300)).default([]);
const sampleFileSchema = z.object({
  agencies: z
    .array(
      z.object({
        name: z.string().min(1),
        shortName: z.string().default(''),
        level: z.string().min(1),
        parent: z.string().default(''),
        fields: list,
        communes: list,
        to: list,
        cc: list,
        head: list,
      }),
    )
    .min(1),
});

/** The sample file's agencies as raw rows (lists joined the way a CSV cell writes them). */
export function readSampleAgencies(): RawAgencyRow[] {
  const parsed = sampleFileSchema.safeParse(JSON.parse(fs.readFileSync(AGENCY_SAMPLE_FILE, 'utf8')) as unknown);
  if (!parsed.success) throw new Error(`${AGENCY_SAMPLE_FILE} is invalid: ${parsed.error.message}`);
  return parsed.data.agencies.map((a, i) => ({
    line: i + 1,
    values: { name: a.name, shortName: a.shortName, level: a.level, parent: a.parent, fields: a.fields.join('|'), communes: a.communes.join('|'), to: a.to.join('|'), cc: a.cc.join('|'), head: a.head.join('|') },
  }));
}

/**
 * The sample rows that pass the checks against today's reference data. A row naming a field or
 * commune the administrator has since removed is left out (and so are rows naming it as parent),
 * rather than stopping start-up.
 */
async function validSampleRows(raw: RawAgencyRow[]) {
  let rows = raw;
  for (let attempt = 0; attempt <= raw.length; attempt++) {
    try {
      return { ...(await validateAgencyRows(rows)), skipped: raw.length - rows.length };
    } catch (err) {
      if (!(err instanceof AgencyImportError)) throw err;
      const bad = new Set(err.rowErrors.map((e) => e.row));
      rows = rows.filter((r) => !bad.has(r.line));
    }
  }
  throw new Error('the agency sample could not be validated');
}

export interface AgencySeedResult {
  inserted: number;
  skipped: number;
}

export async function seedAgencies(clock: Clock = systemClock): Promise<AgencySeedResult> {
  if (await AgencySeedModel.exists({ _id: SAMPLE_ID })) return { inserted: 0, skipped: 0 };
  const hasAgencies = (await AgencyModel.estimatedDocumentCount()) > 0;
  const { rows, stored, skipped } = hasAgencies ? { rows: [], stored: new Map(), skipped: 0 } : await validSampleRows(readSampleAgencies());
  try {
    return await inTransaction(async (session) => {
      const marked = await AgencySeedModel.updateOne({ _id: SAMPLE_ID }, { $setOnInsert: { seededAt: clock.now(), inserted: rows.length } }, { upsert: true, session });
      if (marked.upsertedCount === 0) return { inserted: 0, skipped: 0 }; // another instance did it
      const result = rows.length > 0 ? await writeAgencyRows(rows, stored, { source: 'seed', onlyNew: true }, session) : { created: 0 };
      await recordAudit(
        { action: 'agency.seeded', at: clock.now(), actor: SYSTEM_ACTOR, target: { type: 'agency', id: SAMPLE_ID }, details: { inserted: result.created, skipped, keptExisting: hasAgencies } },
        session,
      );
      return { inserted: result.created, skipped };
    });
  } catch (err) {
    // Another instance seeded the same names at the same moment: theirs stands.
    if (isDuplicateKeyError(err)) return { inserted: 0, skipped: 0 };
    throw err;
  }
}
