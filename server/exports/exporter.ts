// Sends a list as a file download, CSV or XLSX, streamed from the rows' cursor to the response: the
// first bytes leave at once, memory stays flat whatever the number of rows, and a client that goes
// away stops the database reads. Once bytes are sent an error can no longer become an error page,
// so the connection is cut (the browser shows a failed download) and the error is rethrown for the log.
import type { Response } from 'express';
import { contentDisposition } from '../platform/pdf/disposition.js';
import { writeCsv } from './csv.js';
import { EXPORT_FORMATS, type ExportFormat, type ExportSpec } from './export.types.js';
import { isClientGone } from './stream-control.js';
import { writeXlsx } from './xlsx.js';

const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

export function isExportFormat(value: unknown): value is ExportFormat {
  return typeof value === 'string' && (EXPORT_FORMATS as readonly string[]).includes(value);
}

export interface SendExportOptions {
  /** The workbook's author, e.g. the office's name. */
  creator: string;
  now: Date;
  /** The number of rows the filters select (from a count query), sent as X-Export-Rows so a page can show progress. */
  expectedRows?: number;
}

/** Streams the export; resolves with the number of rows sent, or null when the client went away first. */
export async function sendExport<Row>(res: Response, format: ExportFormat, spec: ExportSpec<Row>, options: SendExportOptions): Promise<number | null> {
  res.status(200);
  res.setHeader('Content-Type', CONTENT_TYPES[format]);
  res.setHeader('Content-Disposition', contentDisposition('attachment', `${spec.filename}.${format}`));
  // Lists of citizens: never in a shared or browser cache.
  res.setHeader('Cache-Control', 'private, no-store');
  if (options.expectedRows !== undefined) res.setHeader('X-Export-Rows', String(options.expectedRows));
  res.flushHeaders();
  const gone = new Promise<null>((resolve) => res.once('close', () => resolve(null)));
  try {
    const written =
      format === 'csv'
        ? writeCsv(res, spec.columns, spec.rows)
        : writeXlsx(res, spec.columns, spec.rows, { sheetName: spec.sheetName, creator: options.creator, createdAt: options.now });
    // Settled here or below; once the client has left, its rejection (premature close) is expected.
    written.catch(() => undefined);
    // The XLSX writer waits for the response to finish, which never happens once the client left.
    return await Promise.race([written, gone.then(() => (res.writableFinished ? written : null))]);
  } catch (err) {
    if (isClientGone(err)) return null;
    res.destroy(err instanceof Error ? err : undefined);
    throw err;
  }
}
