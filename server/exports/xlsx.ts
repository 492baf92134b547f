// XLSX written with exceljs's streaming writer: each row is committed (serialised into the zip stream)
// as soon as it is added, shared strings are off (they would keep every string in memory), and the
// producer waits while the response is backed up — and while the zip's compressor is: exceljs hands
// the sheet's XML to it without waiting, so rows read faster than they compress used to pile up
// uncompressed (about 250 MB for 100,000 cases, for an 11 MB file). Text cells are typed as strings, which spreadsheets
// never evaluate, so they are written as typed; dates are real dates in Vietnam time.
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { isExportDate, type ExportColumn, type ExportValue } from './export.types.js';
import { roomIn, writable, type DrainableSink } from './stream-control.js';

/** Vietnam is UTC+7 all year; a spreadsheet date has no zone, so the wall-clock time is written. */
const VIETNAM_OFFSET_MS = 7 * 3_600_000;

export function safeSheetName(name: string): string {
  const cleaned = name.replace(/[[\]:*?/\\]/g, ' ').trim().slice(0, 31);
  return cleaned === '' ? 'Sheet1' : cleaned;
}

function xlsxValue(value: ExportValue): { value: string | number | Date | null; numFmt?: string } {
  if (isExportDate(value)) return { value: new Date(value.date.getTime() + VIETNAM_OFFSET_MS), numFmt: value.withTime ? 'dd/mm/yyyy hh:mm' : 'dd/mm/yyyy' };
  return { value };
}

export interface XlsxOptions {
  sheetName: string;
  creator: string;
  /** Workbook dates; a fixed value keeps the file a function of its data. */
  createdAt: Date;
}

/**
 * The stream the worksheet's XML goes into once the zip has started on it (the entry's compressor),
 * found through exceljs's internals (the sheet's buffer and what it pipes to, exceljs 4); null before
 * the zip starts on the sheet, or if those internals change — then only the response holds rows back.
 */
function sheetCompressor(sheet: ExcelJS.Worksheet): DrainableSink | null {
  const buffer = (sheet as unknown as { _stream?: { pipes?: unknown } })._stream;
  const pipe = Array.isArray(buffer?.pipes) ? (buffer.pipes[0] as Partial<DrainableSink> | undefined) : undefined;
  return pipe && typeof pipe.once === 'function' && (typeof pipe.writableNeedDrain === 'boolean' || typeof pipe._writableState === 'object') ? (pipe as DrainableSink) : null;
}

/** Writes a one-sheet workbook to `out`; resolves with the number of data rows written. */
export async function writeXlsx<Row>(out: Writable, columns: readonly ExportColumn<Row>[], rows: AsyncIterable<Row>, options: XlsxOptions): Promise<number> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  workbook.creator = options.creator;
  workbook.created = options.createdAt;
  workbook.modified = options.createdAt;
  const sheet = workbook.addWorksheet(safeSheetName(options.sheetName), { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((c, i) => ({ key: `c${i}`, width: c.width ?? 18 }));
  const header = sheet.addRow(columns.map((c) => c.header));
  header.font = { bold: true };
  header.commit();
  let count = 0;
  for await (const row of rows) {
    await writable(out);
    const compressor = sheetCompressor(sheet);
    if (compressor) await roomIn(compressor, out);
    const cells = columns.map((c) => xlsxValue(c.value(row)));
    const line = sheet.addRow(cells.map((c) => c.value));
    cells.forEach((c, i) => {
      if (c.numFmt) line.getCell(i + 1).numFmt = c.numFmt;
    });
    line.commit();
    count++;
  }
  sheet.commit();
  await workbook.commit();
  return count;
}
