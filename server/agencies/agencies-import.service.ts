// Importing agencies from CSV: every row is checked on its own, against the other rows and against
// the database; if anything is wrong nothing is saved and every problem is reported by row. Rows are
// matched to stored agencies by name (folded), created or replaced; an import never changes whether
// an agency is active. The shipped sample list is loaded through the same checks.
import mongoose from 'mongoose';
import type { ClientSession } from 'mongoose';
import { assertCan, type Actor } from '../access/index.js';
import { recordAudit } from '../audit/index.js';
import type { ServiceContext } from '../platform/context.js';
import { inTransaction } from '../platform/db/transaction.js';
import { ValidationError, isDuplicateKeyError } from '../platform/errors.js';
import { cleanText, foldVietnamese } from '../platform/text.js';
import { listActiveCommunes, listActiveFields } from '../reference/index.js';
import { AgencyModel, type Agency } from './agency.model.js';
import { CsvSyntaxError, mapHeader, parseContacts, parseCsv, parseLevel, splitList, type CsvColumn } from './agencies-csv.js';
import { contactProblems, wouldLoop, type AgencyContact, type AgencyLevel } from './agencies.rules.js';
import { MAX_IMPORT_ROWS } from './agencies.schemas.js';

export interface AgencyImportRowError {
  /** The line of the CSV text the row starts on (1 = the header). */
  row: number;
  name: string;
  /** The CSV column. */
  field: string;
  messageKey: string;
}

/** An import refused as a whole, with what is wrong in each row. Nothing was saved. */
export class AgencyImportError extends ValidationError {
  constructor(readonly rowErrors: AgencyImportRowError[]) {
    super({ csv: 'agencies.errors.importRows' });
  }
}

export interface AgencyImportResult {
  created: number;
  updated: number;
  unchanged: number;
}

/** A row turned into stored values, parent still by name. */
interface ImportRow {
  line: number;
  name: string;
  nameFolded: string;
  shortName: string;
  level: AgencyLevel;
  parentName: string;
  fieldCodes: string[];
  unitCodes: string[];
  contacts: AgencyContact[];
}

type StoredForImport = Pick<Agency, '_id' | 'name' | 'nameFolded' | 'shortName' | 'level' | 'parentId' | 'fieldCodes' | 'unitCodes' | 'contacts'>;

/** Looks a field or commune up by code, or by its name written with or without diacritics. */
function resolver(items: readonly { code: string; name: string }[]): (text: string) => string | null {
  const byCode = new Map(items.map((i) => [i.code, i.code]));
  const byName = new Map(items.map((i) => [foldVietnamese(i.name), i.code]));
  return (text) => byCode.get(text.toLowerCase()) ?? byName.get(foldVietnamese(text)) ?? null;
}

/** One row before any check: the text of each column, as read from the CSV (or the sample file). */
export interface RawAgencyRow {
  /** Where it starts in the source (1 = the CSV header line). */
  line: number;
  values: Partial<Record<CsvColumn, string>>;
  /** The row has more cells than the header has columns. */
  extraCells?: boolean;
}

/** Parses CSV text into raw rows; a bad header or quoting refuses the whole text. */
export function readAgencyCsv(text: string): RawAgencyRow[] {
  let records;
  try {
    records = parseCsv(text).records;
  } catch (err) {
    if (err instanceof CsvSyntaxError) throw new AgencyImportError([{ row: err.line, name: '', field: '—', messageKey: 'agencies.errors.csvQuote' }]);
    throw err;
  }
  const [header, ...data] = records;
  if (!header || data.length === 0) throw new ValidationError({ csv: 'agencies.errors.importEmpty' });
  if (data.length > MAX_IMPORT_ROWS) throw new ValidationError({ csv: 'agencies.errors.importTooMany' });
  const { columns, unknown, missing } = mapHeader(header.cells);
  const errors: AgencyImportRowError[] = [];
  for (const name of unknown) errors.push({ row: header.line, name: '', field: name, messageKey: 'agencies.errors.csvUnknownColumn' });
  for (const column of missing) errors.push({ row: header.line, name: '', field: column, messageKey: 'agencies.errors.csvMissingColumn' });
  if (errors.length > 0) throw new AgencyImportError(errors);
  return data.map((record) => {
    const values: Partial<Record<CsvColumn, string>> = {};
    columns.forEach((column, i) => {
      if (column) values[column] = record.cells[i] ?? '';
    });
    return { line: record.line, values, extraCells: record.cells.length > columns.length };
  });
}

/** Checks raw rows on their own, against each other and against the database; returns them ready to write, or throws AgencyImportError. */
export async function validateAgencyRows(raw: readonly RawAgencyRow[]): Promise<{ rows: ImportRow[]; stored: Map<string, StoredForImport> }> {
  const errors: AgencyImportRowError[] = [];
  const field = resolver(await listActiveFields());
  const commune = resolver(await listActiveCommunes());
  const rows: ImportRow[] = [];
  for (const record of raw) {
    const get = (column: CsvColumn) => cleanText(record.values[column] ?? '');
    const name = get('name');
    const problem = (column: string, messageKey: string) => errors.push({ row: record.line, name: name.slice(0, 200), field: column, messageKey });
    const before = errors.length;
    if (record.extraCells) problem('—', 'agencies.errors.csvCellCount');
    if (name === '') problem('name', 'errors.required');
    else if (name.length > 200) problem('name', 'errors.tooLong');
    const shortName = get('shortName');
    if (shortName.length > 60) problem('shortName', 'errors.tooLong');
    const level = parseLevel(get('level'));
    if (!level) problem('level', get('level') === '' ? 'errors.required' : 'agencies.errors.level');
    const fieldCodes: string[] = [];
    for (const item of splitList(get('fields'))) {
      const code = field(item);
      if (code) fieldCodes.push(code);
      else problem('fields', 'agencies.errors.fieldUnknown');
    }
    const unitCodes: string[] = [];
    for (const item of splitList(get('communes'))) {
      const code = commune(item);
      if (code) unitCodes.push(code);
      else problem('communes', 'agencies.errors.communeUnknown');
    }
    const contacts: AgencyContact[] = [];
    let badAddress = false;
    for (const role of ['to', 'cc', 'head'] as const) {
      const parsed = parseContacts(get(role), role);
      if (parsed.invalid.length > 0) problem(role, 'agencies.errors.email');
      badAddress ||= parsed.invalid.length > 0;
      contacts.push(...parsed.contacts);
    }
    // A row whose only address is mistyped is told so once, not also that it lacks an address.
    if (!badAddress) for (const { problem: key } of contactProblems(contacts)) problem(key === 'agencies.errors.contactToRequired' ? 'to' : 'to, cc, head', key);
    if (errors.length > before || !level) continue;
    rows.push({ line: record.line, name, nameFolded: foldVietnamese(name), shortName, level, parentName: get('parent'), fieldCodes: [...new Set(fieldCodes)], unitCodes: [...new Set(unitCodes)], contacts });
  }

  const firstLine = new Map<string, number>();
  for (const row of rows) {
    if (firstLine.has(row.nameFolded)) errors.push({ row: row.line, name: row.name, field: 'name', messageKey: 'agencies.errors.nameRepeated' });
    else firstLine.set(row.nameFolded, row.line);
  }

  // Parents: another row of the file, or an agency already stored, by name; no loops once imported.
  const stored = new Map(
    (await AgencyModel.find({}, { name: 1, nameFolded: 1, shortName: 1, level: 1, parentId: 1, fieldCodes: 1, unitCodes: 1, contacts: 1 }).lean<StoredForImport[]>()).map((a) => [a.nameFolded, a]),
  );
  const storedById = new Map([...stored.values()].map((a) => [String(a._id), a.nameFolded]));
  const fileRows = new Map(rows.map((r) => [r.nameFolded, r]));
  const parentAfter = (folded: string): string | null | undefined => {
    const row = fileRows.get(folded);
    if (row) return row.parentName ? foldVietnamese(row.parentName) : null;
    const agency = stored.get(folded);
    return agency?.parentId ? storedById.get(String(agency.parentId)) : null;
  };
  for (const row of rows) {
    if (!row.parentName) continue;
    const parent = foldVietnamese(row.parentName);
    if (parent === row.nameFolded) errors.push({ row: row.line, name: row.name, field: 'parent', messageKey: 'agencies.errors.parentSelf' });
    else if (!fileRows.has(parent) && !stored.has(parent)) errors.push({ row: row.line, name: row.name, field: 'parent', messageKey: 'agencies.errors.parentUnknown' });
    else if (wouldLoop(row.nameFolded, parent, parentAfter, fileRows.size + stored.size)) errors.push({ row: row.line, name: row.name, field: 'parent', messageKey: 'agencies.errors.parentLoop' });
  }

  if (errors.length > 0) throw new AgencyImportError(errors.sort((a, b) => a.row - b.row));
  return { rows, stored };
}

function sameAgency(a: StoredForImport, b: ImportRow, parentId: mongoose.Types.ObjectId | null): boolean {
  const contacts = (list: readonly AgencyContact[]) => list.map((c) => `${c.role} ${c.email} ${c.name ?? ''}`).join('\n');
  return (
    a.name === b.name &&
    (a.shortName ?? '') === b.shortName &&
    a.level === b.level &&
    String(a.parentId ?? '') === String(parentId ?? '') &&
    a.fieldCodes.join(' ') === b.fieldCodes.join(' ') &&
    a.unitCodes.join(' ') === b.unitCodes.join(' ') &&
    contacts(a.contacts) === contacts(b.contacts)
  );
}

/**
 * Writes validated rows: new names are created (with ids chosen first, so rows can name each other
 * as parents), changed ones replaced. Used by the admin import and by the sample seed, which passes
 * `onlyNew` so that it never touches what an administrator changed.
 */
export async function writeAgencyRows(
  rows: readonly ImportRow[],
  stored: ReadonlyMap<string, StoredForImport>,
  options: { source: 'import' | 'seed'; onlyNew: boolean },
  session: ClientSession,
): Promise<AgencyImportResult & { createdNames: string[]; updatedNames: string[] }> {
  const idOf = new Map<string, mongoose.Types.ObjectId>();
  for (const [folded, agency] of stored) idOf.set(folded, agency._id);
  for (const row of rows) if (!idOf.has(row.nameFolded)) idOf.set(row.nameFolded, new mongoose.Types.ObjectId());
  const result = { created: 0, updated: 0, unchanged: 0, createdNames: [] as string[], updatedNames: [] as string[] };
  const ops = [];
  for (const row of rows) {
    const parentId = row.parentName ? (idOf.get(foldVietnamese(row.parentName)) ?? null) : null;
    const values = { name: row.name, nameFolded: row.nameFolded, shortName: row.shortName, level: row.level, parentId, fieldCodes: row.fieldCodes, unitCodes: row.unitCodes, contacts: row.contacts };
    const existing = stored.get(row.nameFolded);
    if (!existing) {
      result.created++;
      result.createdNames.push(row.name);
      ops.push({ updateOne: { filter: { nameFolded: row.nameFolded }, update: { $setOnInsert: { _id: idOf.get(row.nameFolded)!, ...values, active: true, source: options.source } }, upsert: true } });
    } else if (options.onlyNew || sameAgency(existing, row, parentId)) {
      result.unchanged++;
    } else {
      result.updated++;
      result.updatedNames.push(row.name);
      ops.push({ updateOne: { filter: { _id: existing._id }, update: { $set: { ...values, source: options.source } } } });
    }
  }
  if (ops.length > 0) await AgencyModel.bulkWrite(ops, { session, ordered: true });
  return result;
}

/** Creates or replaces agencies by name from CSV text, all or nothing. */
export async function importAgencies(actor: Actor, text: string, ctx: ServiceContext): Promise<AgencyImportResult> {
  assertCan(actor, 'reference:manage');
  const { rows, stored } = await validateAgencyRows(readAgencyCsv(text));
  try {
    return await inTransaction(async (session) => {
      const { createdNames, updatedNames, ...result } = await writeAgencyRows(rows, stored, { source: 'import', onlyNew: false }, session);
      await recordAudit(
        {
          action: 'agency.imported',
          at: ctx.clock.now(),
          actor,
          ip: ctx.ip,
          requestId: ctx.requestId,
          target: { type: 'agency', id: 'import' },
          details: { ...result, createdNames: createdNames.slice(0, 500), updatedNames: updatedNames.slice(0, 500) },
        },
        session,
      );
      return result;
    });
  } catch (err) {
    // Someone created one of these names meanwhile: report, save nothing.
    if (isDuplicateKeyError(err)) throw new ValidationError({ csv: 'agencies.errors.importConflict' });
    throw err;
  }
}
