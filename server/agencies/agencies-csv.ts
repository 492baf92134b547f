// Reading the agency list an administrator pastes or uploads as CSV: RFC 4180 quoting (fields in
// double quotes may hold separators, line breaks and doubled quotes), ';' or ',' as the separator
// (Excel in Vietnamese writes ';'), an optional UTF-8 byte-order mark, CRLF or LF line ends. Pure: the
// import service resolves names against the database.
import { cleanText, foldVietnamese } from '../platform/text.js';
import { AGENCY_LEVELS, normaliseEmail, type AgencyContact, type AgencyLevel, type ContactRole } from './agencies.rules.js';

export const CSV_COLUMNS = ['name', 'shortName', 'level', 'parent', 'fields', 'communes', 'to', 'cc', 'head'] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];

/** Header words accepted for each column, folded (no diacritics, lower case, single spaces). */
const HEADER_NAMES: Readonly<Record<CsvColumn, readonly string[]>> = {
  name: ['name', 'ten', 'ten co quan'],
  shortName: ['shortname', 'short name', 'ten tat', 'ten viet tat'],
  level: ['level', 'cap'],
  parent: ['parent', 'co quan cap tren', 'cap tren', 'truc thuoc'],
  fields: ['fields', 'linh vuc'],
  communes: ['communes', 'xa phuong', 'dia ban'],
  to: ['to', 'gui', 'noi nhan'],
  cc: ['cc', 'dong gui'],
  head: ['head', 'thu truong', 'lanh dao'],
};

/** Level words accepted in the level column, folded. */
const LEVEL_NAMES: Readonly<Record<AgencyLevel, readonly string[]>> = {
  central: ['central', 'trung uong'],
  province: ['province', 'tinh', 'cap tinh'],
  commune: ['commune', 'xa', 'cap xa', 'xa phuong'],
  other: ['other', 'khac'],
};

export interface CsvRecord {
  /** The line the record starts on (1 = the header line). */
  line: number;
  cells: string[];
}

export class CsvSyntaxError extends Error {
  constructor(readonly line: number) {
    super(`unterminated quoted field starting on line ${line}`);
    this.name = 'CsvSyntaxError';
  }
}

/** The separator of the header line: whichever of ';' and ',' it uses more (';' on a tie). */
export function detectSeparator(firstLine: string): ';' | ',' {
  let semicolons = 0;
  let commas = 0;
  let quoted = false;
  for (const ch of firstLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === ';') semicolons++;
    else if (!quoted && ch === ',') commas++;
  }
  return commas > semicolons ? ',' : ';';
}

/** Splits CSV text into records of cells. Blank lines are skipped. Throws CsvSyntaxError on an unclosed quote. */
export function parseCsv(text: string): { separator: ';' | ','; records: CsvRecord[] } {
  const source = text.replace(/^\uFEFF/, '');
  const separator = detectSeparator(source.split(/\r?\n/, 1)[0] ?? '');
  const records: CsvRecord[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  let quoteLine = 1;
  const endRecord = () => {
    cells.push(cell);
    if (cells.length > 1 || cells[0]!.trim() !== '') records.push({ line: recordLine, cells });
    cells = [];
    cell = '';
  };
  for (let i = 0; i < source.length; i++) {
    const ch = source[i]!;
    if (quoted) {
      if (ch === '"' && source[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') {
        quoted = false;
      } else {
        if (ch === '\n') line++;
        cell += ch;
      }
    } else if (ch === '"' && cell.trim() === '') {
      // A quote opens a quoted field only at its start (spaces before it are dropped).
      cell = '';
      quoted = true;
      quoteLine = line;
    } else if (ch === separator) {
      cells.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && source[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else {
      cell += ch;
    }
  }
  if (quoted) throw new CsvSyntaxError(quoteLine);
  endRecord();
  return { separator, records };
}

/** The column of each header cell, or the cells that name no known column. */
export function mapHeader(cells: readonly string[]): { columns: (CsvColumn | null)[]; unknown: string[]; missing: CsvColumn[] } {
  const columns = cells.map((cell) => {
    const folded = foldVietnamese(cell);
    return CSV_COLUMNS.find((c) => HEADER_NAMES[c].includes(folded)) ?? null;
  });
  const unknown = cells.filter((c, i) => columns[i] === null && c.trim() !== '').map((c) => cleanText(c).slice(0, 40));
  const missing = (['name', 'to'] as const).filter((c) => !columns.includes(c));
  return { columns, unknown, missing };
}

/** A level written as a code ("commune") or in Vietnamese ("Cấp xã"), or null. */
export function parseLevel(text: string): AgencyLevel | null {
  const folded = foldVietnamese(text);
  return AGENCY_LEVELS.find((l) => LEVEL_NAMES[l].includes(folded)) ?? null;
}

/**
 * The items of a list cell, separated by '|', ';' or line breaks; blanks dropped. Not by commas:
 * field names have them ("Nhà ở, xây dựng").
 */
export function splitList(text: string): string[] {
  return text
    .split(/[|;\n]/)
    .map((item) => cleanText(item))
    .filter(Boolean);
}

/**
 * Contacts of one role from a cell: "a@x.vn" or "Phòng Tiếp dân <a@x.vn>", several separated as in
 * splitList or by commas (addresses have none; a name given with an address must not either).
 * Returns the contacts and the entries that are not addresses.
 */
export function parseContacts(text: string, role: ContactRole): { contacts: AgencyContact[]; invalid: string[] } {
  const contacts: AgencyContact[] = [];
  const invalid: string[] = [];
  for (const entry of splitList(text.replace(/,/g, '|'))) {
    const named = /^(.*?)\s*<([^<>]+)>$/.exec(entry);
    const email = normaliseEmail(named ? named[2]! : entry);
    if (email) contacts.push({ email, name: named ? cleanText(named[1]!).slice(0, 120) : '', role });
    else invalid.push(entry.slice(0, 80));
  }
  return { contacts, invalid };
}
