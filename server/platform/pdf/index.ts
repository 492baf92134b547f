export { renderPdf, streamPdf } from './render.js';
export type { StreamPdfOptions } from './render.js';
export { mm } from './document.js';
export type {
  PdfDocument,
  PdfInfo,
  PdfContent,
  PdfStyle,
  PdfStyles,
  PdfMargins,
  PdfDynamicContent,
} from './document.js';
export { DEFAULT_PDF_FONT, OFFICIAL_PDF_FONT } from './fonts.js';
export type { PdfFontFamily } from './fonts.js';
export { officialLetterLayout, NATIONAL_NAME, NATIONAL_MOTTO } from './official-letter.js';
export type { OfficialLetterOptions, OfficialSignature } from './official-letter.js';
export { vietnameseLongDate } from './vietnamese-date.js';
