// Turns a caller's PdfDocument into the definition pdfmake lays out.
//
// Two things happen on the way. Every string is put in NFC: text typed or pasted as a base letter
// plus combining marks ("e" + U+0302 + U+0323) would otherwise be drawn by stacking mark glyphs,
// which sit badly in most fonts, and would come back decomposed from the PDF's text layer; NFC
// selects the font's designed glyph for "ệ". And the content is copied, because pdfmake writes its
// layout state into the nodes it is given, so the same PdfDocument could not be rendered twice.
import type { Content } from 'pdfmake';
import type { DynamicContent } from 'pdfmake/interfaces.js';
import type { PdfDocument, PdfmakeDefinition } from './document.js';
import { mm } from './document.js';
import { DEFAULT_PDF_FONT } from './fonts.js';

/** A4 with 20 mm top, right and bottom and 30 mm on the binding (left) side. */
export const DEFAULT_PAGE_MARGINS: [number, number, number, number] = [mm(30), mm(20), mm(20), mm(20)];

/** Recorded as the PDF's Creator: the application, as opposed to the office that is the Author. */
const CREATOR = 'Dân Nguyện';

function isPlainObject(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Deep copy of arrays and plain objects with strings in NFC; functions, Dates and Buffers are shared. */
export function normalizedCopy<T>(value: T): T {
  if (typeof value === 'string') return value.normalize('NFC') as T;
  if (Array.isArray(value)) return value.map((item: unknown) => normalizedCopy(item)) as T;
  if (value !== null && typeof value === 'object' && isPlainObject(value)) {
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) copy[key] = normalizedCopy(item);
    return copy as T;
  }
  return value;
}

function repeated(part: DynamicContent | Content | undefined): DynamicContent | Content | undefined {
  if (typeof part !== 'function') return normalizedCopy(part);
  return (currentPage, pageCount, pageSize) => normalizedCopy(part(currentPage, pageCount, pageSize));
}

export function toPdfmakeDefinition(doc: PdfDocument): PdfmakeDefinition {
  const { info } = doc;
  return {
    content: normalizedCopy(doc.content),
    pageSize: doc.pageSize ?? 'A4',
    pageOrientation: doc.pageOrientation ?? 'portrait',
    pageMargins: doc.pageMargins ?? DEFAULT_PAGE_MARGINS,
    defaultStyle: { font: DEFAULT_PDF_FONT, fontSize: 13, ...normalizedCopy(doc.defaultStyle) },
    styles: normalizedCopy(doc.styles),
    header: repeated(doc.header),
    footer: repeated(doc.footer),
    info: {
      title: info.title.normalize('NFC'),
      author: info.author.normalize('NFC'),
      subject: info.subject?.normalize('NFC'),
      keywords: info.keywords?.normalize('NFC'),
      creator: CREATOR,
      creationDate: info.createdAt,
      modDate: info.createdAt,
    },
    // Viewers show the title rather than the file name, and screen readers pick a Vietnamese voice.
    displayTitle: true,
    language: 'vi',
  };
}
