// The layout of the office's formal papers (receipts, forwarding slips, chase letters, reports),
// after the administrative document format of Nghị định 30/2020/NĐ-CP, Phụ lục I:
//  - header, left: the parent body in capitals, the issuing office in bold capitals with a short
//    rule under it, then "Số: …"; right: the national name in bold capitals, the motto in bold with a
//    rule as long as the motto, then place and date in italics, level with the number;
//  - a letter (công văn) has no title, its "V/v …" subject goes under the number and "Kính gửi:"
//    follows; other papers have a centred bold title in capitals, the subject in bold under it;
//  - body justified, first lines indented; signature block on the right, "Nơi nhận:" on the left;
//  - page numbers centred in the top margin from page 2 on; margins 20 mm, 30 mm on the left.
// Sizes are the decree's (12–14 pt); the font is the serif standing in for Times New Roman.
import type { Content } from 'pdfmake';
import type { CustomTableLayout, TableCell } from 'pdfmake/interfaces.js';
import type { PdfDocument } from './document.js';
import { mm } from './document.js';
import { OFFICIAL_PDF_FONT } from './fonts.js';
import { DEFAULT_PAGE_MARGINS } from './prepare.js';
import { ruledBlock } from './ruled.js';
import { vietnameseLongDate } from './vietnamese-date.js';

export const NATIONAL_NAME = 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM';
export const NATIONAL_MOTTO = 'Độc lập - Tự do - Hạnh phúc';

export interface OfficialSignature {
  /** Lines above the signature, e.g. "CHÁNH VĂN PHÒNG" or ["KT. CHÁNH VĂN PHÒNG", "PHÓ CHÁNH VĂN PHÒNG"]. */
  position: string | readonly string[];
  /** The signer's full name, printed under the space left for signature and seal. */
  name: string;
}

export interface OfficialLetterOptions {
  /** The body the office belongs to, e.g. "Đoàn ĐBQH và HĐND tỉnh Quảng Trị" (printed in capitals). */
  parentBody?: string;
  /** The issuing office, e.g. "Văn phòng" (printed in bold capitals). */
  issuer: string;
  /** What follows "Số: ", e.g. "125/VP-DN". */
  number: string;
  /** Place name of the date line, e.g. "Quảng Trị". */
  place: string;
  /** Date of issue; the calendar day is taken in Vietnam. */
  date: Date;
  /** Kind of paper, e.g. "Giấy biên nhận" (printed in bold capitals). Leave out for a letter (công văn). */
  title?: string;
  /** Trích yếu. With a title it is printed under it; a letter prints it under the number as "V/v …". */
  subject?: string;
  /** Addressees after "Kính gửi:". */
  recipients?: readonly string[];
  /** Strings become paragraphs, other content is used as given; all of it justified, first lines indented. */
  body: Content;
  signature: OfficialSignature;
  /** "Nơi nhận:" lines, e.g. ["Như trên;", "Lưu: VT, DN."]. */
  distribution?: readonly string[];
  /** PDF metadata. Author defaults to the issuer followed by the parent body. */
  author?: string;
  /** PDF creation date; defaults to `date`. */
  createdAt?: Date;
}

const upper = (text: string) => text.toLocaleUpperCase('vi');

/** The header's two columns; the signature block lines up under the right one. */
const LEFT = '38%';
const RIGHT = '62%';

/** Space for the handwritten signature and the seal, between the position and the name. */
const SIGNATURE_SPACE = mm(25);

/** Gap between the header and what follows it. */
const AFTER_HEADER = 18;

const NO_LINES: CustomTableLayout = {
  hLineWidth: () => 0,
  vLineWidth: () => 0,
  paddingLeft: () => 0,
  paddingRight: () => 0,
  paddingTop: () => 0,
  paddingBottom: () => 0,
};

/** The two-column heading as a table, so that "Số: …" and the date line start on the same level. */
function heading(o: OfficialLetterOptions): Content {
  const office: Content[] = [];
  if (o.parentBody) office.push({ text: upper(o.parentBody), fontSize: 12 });
  office.push(ruledBlock({ text: upper(o.issuer), fontSize: 12, bold: true }, 3, 1));

  const nation: Content[] = [
    { text: NATIONAL_NAME, fontSize: 13, bold: true },
    ruledBlock({ text: NATIONAL_MOTTO, fontSize: 14, bold: true }, 1, 1),
  ];

  const numberLines: Content[] = [{ text: `Số: ${o.number}`, fontSize: 13 }];
  if (!o.title && o.subject) numberLines.push({ text: `V/v ${o.subject}`, fontSize: 12, margin: [0, 4, 0, 0] });
  const dateLine: Content = { text: vietnameseLongDate(o.date, o.place), italics: true, fontSize: 14 };

  const body: TableCell[][] = [
    [
      { stack: office, alignment: 'center' },
      { stack: nation, alignment: 'center' },
    ],
    [
      { stack: numberLines, alignment: 'center', margin: [0, 6, 0, 0] },
      { stack: [dateLine], alignment: 'center', margin: [0, 6, 0, 0] },
    ],
  ];
  return { table: { widths: [LEFT, RIGHT], body }, layout: NO_LINES };
}

function titleBlock(o: OfficialLetterOptions): Content[] {
  if (!o.title) return [];
  const title: Content = { text: upper(o.title), fontSize: 14, bold: true };
  // The short rule goes under the last line of the block: the subject if there is one.
  const lines = o.subject
    ? [title, ruledBlock({ text: o.subject, fontSize: 14, bold: true }, 3, 1)]
    : [ruledBlock(title, 3, 1)];
  return [{ stack: lines, alignment: 'center', margin: [0, AFTER_HEADER, 0, 10] }];
}

function recipientsBlock(o: OfficialLetterOptions): Content[] {
  const list = o.recipients ?? [];
  if (list.length === 0) return [];
  const margin: [number, number, number, number] = [0, o.title ? 0 : AFTER_HEADER, 0, 10];
  if (list.length === 1) return [{ text: `Kính gửi: ${list[0]}`, alignment: 'center', margin }];
  // Several addressees go under one another, aligned after "Kính gửi:", the whole block centred.
  return [
    {
      columns: [
        { width: '*', text: '' },
        { width: 'auto', text: 'Kính gửi:' },
        { width: 'auto', stack: list.map((r) => `- ${r}`), margin: [6, 0, 0, 0] },
        { width: '*', text: '' },
      ],
      columnGap: 0,
      margin,
    },
  ];
}

function paragraphs(o: OfficialLetterOptions): Content {
  const parts = Array.isArray(o.body) ? o.body : [o.body];
  const startsAfterHeader = !o.title && !o.recipients?.length;
  return {
    stack: parts.map((part) => (typeof part === 'string' ? { text: part, margin: [0, 0, 0, 6] } : part)),
    alignment: 'justify',
    leadingIndent: mm(10),
    margin: [0, startsAfterHeader ? AFTER_HEADER : 0, 0, 0],
  };
}

function closing(o: OfficialLetterOptions): Content {
  const positions = typeof o.signature.position === 'string' ? [o.signature.position] : o.signature.position;
  const signer: Content = {
    stack: [
      ...positions.map((line) => ({ text: upper(line), bold: true })),
      { text: o.signature.name, bold: true, margin: [0, SIGNATURE_SPACE, 0, 0] },
    ],
    alignment: 'center',
    fontSize: 14,
  };
  const distribution: Content = o.distribution?.length
    ? {
        stack: [
          { text: 'Nơi nhận:', bold: true, italics: true, fontSize: 12 },
          ...o.distribution.map((line) => ({ text: `- ${line}`, fontSize: 11 })),
        ],
      }
    : { text: '' };
  return {
    columns: [
      { width: LEFT, stack: [distribution] },
      { width: RIGHT, stack: [signer] },
    ],
    margin: [0, 12, 0, 0],
    // Position, space for the signature and name stay together on one page.
    unbreakable: true,
  };
}

/** Page numbers from page 2, centred in the top margin. */
function pageNumber(currentPage: number): Content | null {
  if (currentPage === 1) return null;
  return { text: String(currentPage), alignment: 'center', fontSize: 13, margin: [0, mm(10), 0, 0] };
}

export function officialLetterLayout(o: OfficialLetterOptions): PdfDocument {
  return {
    info: {
      title: o.title ?? (o.subject ? `V/v ${o.subject}` : `Số: ${o.number}`),
      author: o.author ?? [o.issuer, o.parentBody].filter(Boolean).join(' '),
      subject: o.subject,
      createdAt: o.createdAt ?? o.date,
    },
    pageSize: 'A4',
    pageMargins: DEFAULT_PAGE_MARGINS,
    defaultStyle: { font: OFFICIAL_PDF_FONT, fontSize: 14 },
    header: pageNumber,
    content: [heading(o), ...titleBlock(o), ...recipientsBlock(o), paragraphs(o), closing(o)],
  };
}
