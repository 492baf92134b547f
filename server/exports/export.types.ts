// What an export is made of: named columns, each reading one value from a row, and the rows as an
// async iterable read lazily from a database cursor. The writers (CSV, XLSX) never see more than one
// row at a time.

/** A calendar day or an instant, shown in Vietnam time (dd/mm/yyyy, or dd/mm/yyyy HH:mm). */
export interface ExportDate {
  date: Date;
  withTime?: boolean;
}

export type ExportValue = string | number | ExportDate | null;

export interface ExportColumn<Row> {
  header: string;
  value: (row: Row) => ExportValue;
  /** Column width in characters, for XLSX. */
  width?: number;
}

export interface ExportSpec<Row> {
  /** File name without extension, e.g. "so-tiep-cong-dan" (Vietnamese letters are kept in filename*). */
  filename: string;
  /** Worksheet name for XLSX (at most 31 characters; []:*?/\ are replaced). */
  sheetName: string;
  columns: readonly ExportColumn<Row>[];
  rows: AsyncIterable<Row>;
}

export const EXPORT_FORMATS = ['csv', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export function isExportDate(value: ExportValue): value is ExportDate {
  return typeof value === 'object' && value !== null && value.date instanceof Date;
}
