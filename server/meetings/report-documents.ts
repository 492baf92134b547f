// Printed papers of the answers: the report to the session (figures and every petition with its
// answer), the report to voters of one delegate group or commune, and a delegate's one-page summary.
// Always in Vietnamese: they are the office's papers.
import type { ReportState } from './meetings.rules.js';
import { officialLetterLayout, type PdfContent, type PdfDocument } from '../platform/pdf/index.js';
import { formatDate } from '../platform/dates.js';
import type { OfficeHeading } from './compiled-list.js';
import type { PetitionRow } from './petitions.queries.js';
import type { Counts } from './report.rules.js';
import type { SessionReport } from './report.queries.js';
import { officialSessionName } from './sessions.queries.js';

export const STATE_WORDS: Readonly<Record<ReportState, string>> = {
  pending: 'Chưa chuyển',
  forwarded: 'Đã chuyển, chưa trả lời',
  answered: 'Đã trả lời',
  satisfied: 'Đã trả lời, cử tri đồng tình',
  unsatisfied: 'Đã trả lời, chưa thỏa đáng',
  withdrawn: 'Không chuyển',
};

const SMALL = { fontSize: 10 } as const;
const th = (text: string) => ({ text, bold: true, alignment: 'center' as const, ...SMALL });
const td = (text: string | number) => ({ text: String(text), ...SMALL });

/** What came back for a petition, in words: each agency's answer and the office's evaluation of it. */
export function answerText(r: PetitionRow): string {
  if (r.answers.length === 0) return STATE_WORDS[r.state];
  return r.answers
    .map((a) => {
      const head = a.answeredAt ? `${a.agencyName}${a.documentNumber ? `, văn bản số ${a.documentNumber}` : ''}${a.documentDate ? ` ngày ${formatDate(a.documentDate)}` : ''}` : `${a.agencyName}: chưa trả lời`;
      const verdict = a.verdict === 'satisfied' ? ' (đánh giá: thỏa đáng)' : a.verdict === 'unsatisfied' ? ` (đánh giá: chưa thỏa đáng${a.verdictReason ? ` — ${a.verdictReason}` : ''})` : '';
      return `${head}${a.text ? `: ${a.text}` : ''}${verdict}`;
    })
    .join('\n');
}

/** The figures of each table, with their headings (in the PDF and the workbook alike). */
export const COUNT_COLUMNS: readonly { key: keyof Counts; heading: string }[] = [
  { key: 'petitions', heading: 'Kiến nghị' },
  { key: 'voters', heading: 'Lượt cử tri' },
  { key: 'forwarded', heading: 'Đã chuyển' },
  { key: 'answered', heading: 'Đã trả lời' },
  { key: 'satisfied', heading: 'Thỏa đáng' },
  { key: 'unsatisfied', heading: 'Chưa thỏa đáng' },
];

function countsTable(title: string, rows: { name: string; counts: Counts }[]): PdfContent {
  return {
    stack: [
      { text: title, bold: true, margin: [0, 8, 0, 4] },
      {
        table: {
          headerRows: 1,
          widths: ['*', ...COUNT_COLUMNS.map(() => 45)],
          body: [[th(''), ...COUNT_COLUMNS.map((c) => th(c.heading))], ...rows.map((r) => [td(r.name), ...COUNT_COLUMNS.map((c) => td(r.counts[c.key]))])],
        },
      },
    ],
  };
}

function petitionsTable(rows: readonly PetitionRow[], names: { unit: (code: string) => string }): PdfContent {
  return {
    table: {
      headerRows: 1,
      widths: [22, '*', 70, '*'],
      body: [
        [th('STT'), th('Nội dung kiến nghị'), th('Địa phương'), th('Kết quả trả lời')],
        ...rows.map((r, i) => [td(i + 1), td(`${r.content} (${r.code})`), td(r.unitCodes.map(names.unit).join(', ')), td(answerText(r))]),
      ],
    },
    margin: [0, 6, 0, 6],
  };
}

/** The words of the report, shared by its PDF and its workbook (report-workbook.ts). */
export interface SessionReportWords {
  subject: string;
  /** The opening paragraph: what voters raised and what became of it; or, for a group or commune, the list's lead-in. */
  intro: string;
  /** The tables of figures, in the order of the paper (none for a group's or a commune's report). */
  tables: { title: string; shortName: string; dimension: string; rows: { name: string; counts: Counts }[] }[];
  /** The title of the list of petitions with their answers. */
  listTitle: string;
  rows: readonly PetitionRow[];
  unit: (code: string) => string;
}

export function sessionReportWords(report: SessionReport): SessionReportWords {
  const f = report.figures;
  const unit = (code: string) => report.unitNames[code] ?? code;
  const sessionName = officialSessionName(report.session);
  if (report.focus) {
    const where = report.focus.kind === 'group' ? `Tổ đại biểu ${report.focus.key}` : `cử tri ${unit(report.focus.key)}`;
    return {
      subject: `Trả lời kiến nghị của ${where}, ${sessionName}`,
      intro: `Kết quả trả lời ${report.focus.rows.length} kiến nghị của ${where} như sau:`,
      tables: [],
      listTitle: `Kiến nghị của ${where} và kết quả trả lời`,
      rows: report.focus.rows,
      unit,
    };
  }
  return {
    subject: `Kết quả giải quyết kiến nghị cử tri gửi tới ${sessionName}`,
    intro: `Từ các cuộc tiếp xúc cử tri trước và sau ${sessionName}, cử tri đã nêu ${f.raised} kiến nghị (${f.raisedVoters} lượt cử tri); sau khi gộp ${f.merged} kiến nghị cùng nội dung, Văn phòng tổng hợp ${f.listed.petitions} kiến nghị. Đã chuyển ${f.listed.forwarded} kiến nghị; đã nhận trả lời ${f.listed.answered} kiến nghị, trong đó ${f.listed.satisfied} được đánh giá thỏa đáng và ${f.listed.unsatisfied} chưa thỏa đáng; ${f.listed.pending} kiến nghị chưa chuyển.`,
    tables: [
      { title: 'Theo lĩnh vực', shortName: 'Theo lĩnh vực', dimension: 'Lĩnh vực', rows: f.byField.map((r) => ({ name: r.fieldCode ? (report.fieldNames[r.fieldCode] ?? r.fieldCode) : 'Chưa phân loại', counts: r.counts })) },
      { title: 'Theo cơ quan giải quyết', shortName: 'Theo cơ quan', dimension: 'Cơ quan giải quyết', rows: f.byAgency.map((r) => ({ name: r.agencyName ?? 'Chưa xác định', counts: r.counts })) },
      { title: 'Theo tổ đại biểu (kiến nghị tại các cuộc tiếp xúc)', shortName: 'Theo tổ đại biểu', dimension: 'Tổ đại biểu', rows: f.byGroup.map((r) => ({ name: r.group, counts: r.counts })) },
      { title: 'Theo địa phương (kiến nghị tại các cuộc tiếp xúc)', shortName: 'Theo địa phương', dimension: 'Địa phương', rows: f.byCommune.map((r) => ({ name: r.unitCode ? unit(r.unitCode) : 'Không ghi địa phương', counts: r.counts })) },
    ],
    listTitle: 'Danh sách kiến nghị và kết quả trả lời',
    rows: report.listed,
    unit,
  };
}

export function sessionReportPdf(report: SessionReport, office: OfficeHeading, issuedAt: Date): PdfDocument {
  const words = sessionReportWords(report);
  const list = petitionsTable(words.rows, { unit: words.unit });
  const body: PdfContent[] = report.focus
    ? [words.intro, list]
    : [words.intro, ...words.tables.map((tbl) => countsTable(tbl.title, tbl.rows)), { text: words.listTitle, bold: true, margin: [0, 10, 0, 0] }, list];
  const subject = words.subject;
  return officialLetterLayout({
    parentBody: office.parentBody,
    issuer: office.name.replace(/^Văn phòng\b.*$/i, 'Văn phòng'),
    number: '      /BC-VP',
    place: office.place,
    date: issuedAt,
    title: 'Báo cáo',
    subject,
    body,
    signature: { position: 'Chánh Văn phòng', name: ' ' },
    distribution: ['Như trên;', 'Lưu: VT.'],
  });
}

export interface DelegateSummary {
  delegateName: string;
  sessionName: string | null;
  meetings: { startsAt: Date; place: string; voterCount: number | null; petitionCount: number }[];
  petitions: PetitionRow[];
  counts: Counts;
}

/** Rows that fit on the one page with the heading and the meetings; the rest are counted. */
export const SUMMARY_MAX_ROWS = 14;

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}

/** One A4 page the delegate takes to the voters: meetings, figures, and the petitions with their state. */
export function delegateSummaryPdf(s: DelegateSummary, issuedAt: Date): PdfDocument {
  const shown = s.petitions.slice(0, SUMMARY_MAX_ROWS);
  const rest = s.petitions.length - shown.length;
  const c = s.counts;
  return {
    info: { title: `Tóm tắt kết quả tiếp xúc cử tri — ${s.delegateName}`, author: 'Văn phòng Đoàn ĐBQH và HĐND tỉnh', createdAt: issuedAt },
    pageSize: 'A4',
    pageMargins: [40, 36, 36, 30],
    defaultStyle: { fontSize: 9 },
    content: [
      { text: 'TÓM TẮT KẾT QUẢ GIẢI QUYẾT KIẾN NGHỊ CỬ TRI', bold: true, fontSize: 13, alignment: 'center' },
      { text: `Đại biểu: ${s.delegateName}${s.sessionName ? ` — ${s.sessionName}` : ''} — ngày in ${formatDate(issuedAt)}`, alignment: 'center', margin: [0, 2, 0, 8] },
      {
        text: `${s.meetings.length} cuộc tiếp xúc; ${c.petitions} kiến nghị (${c.voters} lượt cử tri); đã chuyển ${c.forwarded}; đã trả lời ${c.answered} (thỏa đáng ${c.satisfied}, chưa thỏa đáng ${c.unsatisfied}); chưa chuyển ${c.pending}.`,
        margin: [0, 0, 0, 6],
      },
      {
        table: {
          headerRows: 1,
          widths: [70, '*', 50, 50],
          body: [
            ['Ngày', 'Địa điểm', 'Cử tri', 'Kiến nghị'].map((t) => ({ text: t, bold: true })),
            ...s.meetings.slice(0, 8).map((m) => [formatDate(m.startsAt), truncate(m.place, 80), m.voterCount === null ? '' : String(m.voterCount), String(m.petitionCount)]),
          ],
        },
        margin: [0, 0, 0, 8],
      },
      {
        table: {
          headerRows: 1,
          widths: [62, '*', 110],
          body: [
            ['Mã', 'Kiến nghị', 'Tình trạng'].map((t) => ({ text: t, bold: true })),
            ...shown.map((p) => [p.code, truncate(p.content, 220), truncate(p.answers.find((a) => a.answeredAt)?.agencyName ? `${STATE_WORDS[p.state]} (${p.answers.find((a) => a.answeredAt)!.agencyName})` : STATE_WORDS[p.state], 90)]),
          ],
        },
      },
      ...(rest > 0 ? [{ text: `… và ${rest} kiến nghị khác (xem danh sách đầy đủ trong ứng dụng).`, italics: true, margin: [0, 4, 0, 0] as [number, number, number, number] }] : []),
    ],
  };
}
