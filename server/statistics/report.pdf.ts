// The periodic report as an official paper (Nghị định 30/2020/NĐ-CP layout, Tinos for Times New
// Roman): a pure function of the report's content, so the PDF can be read back in tests.
import type { Content } from 'pdfmake';
import type { TableCell } from 'pdfmake/interfaces.js';
import { officialLetterLayout, type PdfDocument } from '../platform/pdf/index.js';
import type { PeriodicReport } from './report.content.js';
import type { FigureTable } from './figure-tables.js';

export interface ReportOffice {
  parentBody: string;
  name: string;
  place: string;
}

function pdfTable(table: FigureTable, totalLabel: string): Content {
  const header: TableCell[] = table.headers.map((h, i) => ({ text: h, bold: true, alignment: i === 0 ? 'left' : 'center' }));
  const body: TableCell[][] = [
    header,
    ...table.rows.map((row) => [{ text: row.label }, ...row.values.map((v) => ({ text: String(v), alignment: 'right' as const }))]),
  ];
  if (table.totals) body.push([{ text: totalLabel, bold: true }, ...table.totals.map((v) => ({ text: String(v), bold: true, alignment: 'right' as const }))]);
  return {
    stack: [
      { text: table.title, bold: true, italics: true, fontSize: 12, margin: [0, 4, 0, 3] },
      { table: { headerRows: 1, widths: ['*', ...table.headers.slice(1).map(() => 'auto')], body, dontBreakRows: true }, fontSize: 11, alignment: 'left' },
    ],
    margin: [0, 2, 0, 8],
  };
}

export function periodicReportDocument(report: PeriodicReport, office: ReportOffice, issuedAt: Date): PdfDocument {
  const body: Content[] = report.sections.flatMap((section): Content[] => [
    { text: section.heading, bold: true, margin: [0, 6, 0, 4] },
    ...section.paragraphs.map((p): Content => ({ text: p, margin: [0, 0, 0, 6] })),
    ...section.tables.map((tbl) => pdfTable(tbl, report.totalLabel)),
  ]);
  return officialLetterLayout({
    parentBody: office.parentBody,
    issuer: office.name.replace(/^Văn phòng\b.*$/i, 'Văn phòng'),
    // The number is given by the clerk when the report is registered and signed.
    number: '        /BC-VP',
    place: office.place,
    date: issuedAt,
    title: report.title,
    subject: report.subject,
    body,
    signature: { position: 'Chánh Văn phòng', name: '' },
    distribution: ['Thường trực HĐND tỉnh;', 'Đoàn ĐBQH tỉnh;', 'Lưu: VT.'],
    author: office.name,
  });
}
