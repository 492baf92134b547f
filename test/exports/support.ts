// Reading exports back in tests: a small RFC 4180 parser (quoted fields, doubled quotes, CR LF, line
// breaks inside quotes) and the worksheet's rows from exceljs, as plain values.
import ExcelJS from 'exceljs';
import type { Agent } from '../support/http.js';

export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      // the \n ends the record
    } else if (c === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

export async function download(agent: Agent, path: string): Promise<{ status: number; headers: Record<string, string>; body: Buffer<ArrayBuffer> }> {
  const res = await agent
    .get(path)
    .buffer(true)
    .parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
  return { status: res.status, headers: res.headers, body: res.body as Buffer<ArrayBuffer> };
}

/** The CSV's rows after checking and removing the UTF-8 byte-order mark. */
export function csvRows(body: Buffer): string[][] {
  if (!(body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf)) throw new Error('no UTF-8 BOM');
  return parseCsv(body.subarray(3).toString('utf8'));
}

export interface SheetCell {
  value: unknown;
  type: ExcelJS.ValueType;
  numFmt: string | undefined;
}

export async function xlsxCells(body: Buffer<ArrayBuffer>): Promise<SheetCell[][]> {
  const workbook = new ExcelJS.Workbook();
  // exceljs reads an ArrayBuffer (its own `Buffer` type is one).
  await workbook.xlsx.load(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength));
  const sheet = workbook.worksheets[0]!;
  const rows: SheetCell[][] = [];
  sheet.eachRow({ includeEmpty: false }, (row) => {
    const cells: SheetCell[] = [];
    for (let i = 1; i <= sheet.columnCount; i++) {
      const cell = row.getCell(i);
      cells.push({ value: cell.value, type: cell.type, numFmt: cell.numFmt });
    }
    rows.push(cells);
  });
  return rows;
}

/** What the CSV shows for an XLSX cell: dates as dd/mm/yyyy (HH:mm), numbers as digits, empty as ''. */
export function asCsvText(cell: SheetCell): string {
  const v = cell.value;
  if (v === null || v === undefined) return '';
  if (v instanceof Date) {
    const p = (n: number) => String(n).padStart(2, '0');
    const day = `${p(v.getUTCDate())}/${p(v.getUTCMonth() + 1)}/${v.getUTCFullYear()}`;
    return cell.numFmt?.includes('hh') ? `${day} ${p(v.getUTCHours())}:${p(v.getUTCMinutes())}` : day;
  }
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}
