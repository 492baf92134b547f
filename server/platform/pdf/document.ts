// What a caller may say about a PDF: a subset of pdfmake's document definition (its own types, from
// @types/pdfmake). Fonts, language, compression and resource access are the renderer's business, so
// images by URL, attachments, passwords and the like are left out on purpose.
import type { Content, Style } from 'pdfmake';
import type {
  DynamicContent,
  Margins,
  PageOrientation,
  PageSize,
  StyleDictionary,
  TDocumentDefinitions,
} from 'pdfmake/interfaces.js';

export type { Content as PdfContent, Style as PdfStyle };
export type { DynamicContent as PdfDynamicContent, Margins as PdfMargins, StyleDictionary as PdfStyles };
/** The full pdfmake definition the renderer hands over; callers build a `PdfDocument` instead. */
export type { TDocumentDefinitions as PdfmakeDefinition };

/** The PDF's Info dictionary. A creation date is required so that output depends only on input. */
export interface PdfInfo {
  title: string;
  /** The office that issues the paper, e.g. "Văn phòng Đoàn ĐBQH và HĐND tỉnh Quảng Trị". */
  author: string;
  subject?: string;
  keywords?: string;
  createdAt: Date;
}

export interface PdfDocument {
  info: PdfInfo;
  content: Content;
  /** Defaults to A4 portrait. */
  pageSize?: PageSize;
  pageOrientation?: PageOrientation;
  /** In points: left, top, right, bottom (see `mm()`). */
  pageMargins?: Margins;
  defaultStyle?: Style;
  styles?: StyleDictionary;
  header?: DynamicContent | Content;
  footer?: DynamicContent | Content;
}

/** Millimetres to PDF points: printed forms are specified in millimetres, PDFs in 1/72 inch. */
export function mm(millimetres: number): number {
  return (millimetres * 72) / 25.4;
}
