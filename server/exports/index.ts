// Lists as files: streamed CSV and XLSX with one column model, keyset reading, formula guarding and
// the recording of denouncers' identities shown.
export { sendExport, isExportFormat } from './exporter.js';
export type { SendExportOptions } from './exporter.js';
export { writeCsv, csvCell } from './csv.js';
export { writeXlsx, safeSheetName } from './xlsx.js';
export { guardFormula } from './cell-guard.js';
export { keysetScan, takeEach, afterCondition, withCondition, sortOf, DEFAULT_CHUNK_SIZE } from './keyset.js';
export type { KeysetOrder } from './keyset.js';
export { IdentityViewBatches, IDENTITY_BATCH_SIZE, recordingIdentities } from './identity-views.js';
export { EXPORT_FORMATS } from './export.types.js';
export type { ExportColumn, ExportSpec, ExportValue, ExportDate, ExportFormat } from './export.types.js';
export { ReferenceNames } from './reference-names.js';
