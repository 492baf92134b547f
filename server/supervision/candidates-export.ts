// The matters proposed for one session as the office's paper (PDF, official layout) and as a file
// (CSV with BOM, or XLSX, through server/exports). A session's list is short (tens of matters), so
// it is read whole and then written row by row.
import type { TFunction } from 'i18next';
import { sendExport, type ExportColumn, type ExportFormat, type ExportSpec } from '../exports/index.js';
import { formatDate } from '../platform/dates.js';
import { officialLetterLayout, type PdfContent, type PdfDocument } from '../platform/pdf/index.js';
import type { Response } from 'express';
import type { CandidateRow } from './supervision.queries.js';

const KIND_WORDS = { questioning: 'Chất vấn', explanation: 'Giải trình' } as const;
const CELL = { fontSize: 10 } as const;

export interface OfficeHeading {
  parentBody: string;
  name: string;
  place: string;
}

export function candidatesPdf(rows: readonly CandidateRow[], sessionLabel: string, office: OfficeHeading, issuedAt: Date): PdfDocument {
  const live = rows.filter((r) => r.status === 'proposed');
  const table: PdfContent = {
    table: {
      headerRows: 1,
      widths: [22, 48, '*', 80, '*'],
      body: [
        ['STT', 'Hình thức', 'Vụ việc', 'Cơ quan', 'Lý do đề xuất'].map((text) => ({ text, bold: true, alignment: 'center' as const, ...CELL })),
        ...live.map((r, i) => [
          { text: String(i + 1), alignment: 'center' as const, ...CELL },
          { text: KIND_WORDS[r.kind], ...CELL },
          { text: `${r.caseNumber}: ${r.summary}`, alignment: 'left' as const, ...CELL },
          { text: r.agencyName, ...CELL },
          { text: `${r.reason} (${r.proposedBy}, ${formatDate(r.proposedAt)})`, alignment: 'left' as const, ...CELL },
        ]),
      ],
    },
    margin: [0, 6, 0, 6],
  };
  return officialLetterLayout({
    parentBody: office.parentBody,
    issuer: office.name.replace(/^Văn phòng\b.*$/i, 'Văn phòng'),
    number: '      /DS-VP',
    place: office.place,
    date: issuedAt,
    title: 'Danh sách vấn đề đề xuất chất vấn, giải trình',
    subject: `tại ${sessionLabel}`,
    body: [
      live.length > 0
        ? `Qua giám sát việc giải quyết đơn thư của công dân, ${office.name} đề xuất ${live.length} vấn đề để chất vấn hoặc yêu cầu giải trình tại ${sessionLabel}, như sau:`
        : `Chưa có vấn đề nào được đề xuất để chất vấn hoặc giải trình tại ${sessionLabel}.`,
      ...(live.length > 0 ? [table] : []),
    ],
    signature: { position: 'Chánh Văn phòng', name: ' ' },
    distribution: ['Thường trực HĐND tỉnh, Đoàn ĐBQH tỉnh;', 'Lưu: VT.'],
    author: office.name,
  });
}

export function candidatesFilename(sessionLabel: string): string {
  return `Đề xuất chất vấn, giải trình - ${sessionLabel.replace(/[/\\:*?"<>|]/g, '-')}`;
}

/** The rows already read, as the async iterable the writers take. */
function asyncRows<Row>(rows: readonly Row[]): AsyncIterable<Row> {
  return {
    [Symbol.asyncIterator]: () => {
      let i = 0;
      return { next: () => Promise.resolve(i < rows.length ? { value: rows[i++]!, done: false as const } : { value: undefined, done: true as const }) };
    },
  };
}

export function candidatesExportSpec(rows: readonly CandidateRow[], sessionLabel: string, t: TFunction): ExportSpec<CandidateRow> {
  const columns: ExportColumn<CandidateRow>[] = [
    { header: t('supervision.candidates.kindLabel'), value: (r) => t(`supervision.candidates.kind.${r.kind}`), width: 14 },
    { header: t('supervision.caseNumber'), value: (r) => r.caseNumber, width: 14 },
    { header: t('supervision.summary'), value: (r) => r.summary, width: 60 },
    { header: t('supervision.agency'), value: (r) => r.agencyName, width: 30 },
    { header: t('supervision.candidates.reason'), value: (r) => r.reason, width: 50 },
    { header: t('supervision.candidates.proposedBy'), value: (r) => r.proposedBy, width: 22 },
    { header: t('supervision.candidates.proposedAt'), value: (r) => ({ date: r.proposedAt }), width: 12 },
    { header: t('supervision.candidates.statusLabel'), value: (r) => t(`supervision.candidates.status.${r.status}`), width: 12 },
    { header: t('supervision.candidates.withdrawalReason'), value: (r) => r.withdrawal?.reason ?? '', width: 40 },
  ];
  return { filename: candidatesFilename(sessionLabel), sheetName: t('supervision.candidates.sheet'), columns, rows: asyncRows(rows) };
}

export async function sendCandidatesExport(res: Response, format: ExportFormat, rows: readonly CandidateRow[], sessionLabel: string, t: TFunction, creator: string, now: Date): Promise<void> {
  await sendExport(res, format, candidatesExportSpec(rows, sessionLabel, t), { creator, now, expectedRows: rows.length });
}
