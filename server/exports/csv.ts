// CSV that Excel opens correctly: UTF-8 with a byte-order mark, CRLF line ends (RFC 4180), every text
// cell guarded against formula injection. Streamed: csv-stringify pulls rows as the response drains.
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import { formatDate, formatDateTime } from '../platform/dates.js';
import { guardFormula } from './cell-guard.js';
import { isExportDate, type ExportColumn, type ExportValue } from './export.types.js';

export function csvCell(value: ExportValue): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  if (isExportDate(value)) return value.withTime ? formatDateTime(value.date) : formatDate(value.date);
  return guardFormula(value);
}

/** Writes the header and every row to `out`; resolves with the number of data rows written. */
export async function writeCsv<Row>(out: Writable, columns: readonly ExportColumn<Row>[], rows: AsyncIterable<Row>): Promise<number> {
  let count = 0;
  async function* records(): AsyncGenerator<string[]> {
    yield columns.map((c) => guardFormula(c.header));
    for await (const row of rows) {
      count++;
      yield columns.map((c) => csvCell(c.value(row)));
    }
  }
  await pipeline(Readable.from(records()), stringify({ bom: true, record_delimiter: 'windows' }), out);
  return count;
}
