// The report on a session's answers as a workbook, a sheet per part of the paper (report-documents.ts
// has the words): the summary, each table of figures, and the petitions with their answers. Numbers
// are numbers; text stays text (exceljs writes strings as strings, never as formulas). At most a
// session's petitions (a few thousand rows), so it is built in memory.
import ExcelJS from 'exceljs';
import { safeSheetName } from '../exports/index.js';
import type { OfficeHeading } from './compiled-list.js';
import { answerText, COUNT_COLUMNS, sessionReportWords, STATE_WORDS } from './report-documents.js';
import type { SessionReport } from './report.queries.js';

const LIST_HEADERS = ['STT', 'Mã', 'Nội dung kiến nghị', 'Lĩnh vực', 'Địa phương', 'Số lượt cử tri', 'Cơ quan giải quyết', 'Tình trạng', 'Kết quả trả lời'];
const LIST_WIDTHS = [6, 14, 60, 22, 28, 10, 30, 24, 60];

function heading(sheet: ExcelJS.Worksheet, text: string, width: number, bold = true): void {
  const row = sheet.addRow([text]);
  sheet.mergeCells(row.number, 1, row.number, width);
  row.font = { bold };
  row.alignment = { wrapText: true, vertical: 'top' };
}

export async function sessionReportWorkbook(report: SessionReport, office: OfficeHeading, issuedAt: Date): Promise<Buffer> {
  const words = sessionReportWords(report);
  const f = report.figures;
  const workbook = new ExcelJS.Workbook();
  workbook.creator = office.name;
  workbook.created = issuedAt;
  workbook.modified = issuedAt;
  let index = 0;
  const addSheet = (name: string) => workbook.addWorksheet(safeSheetName(`${++index}. ${name}`));

  const summary = addSheet('Tổng hợp');
  summary.getColumn(1).width = 60;
  summary.getColumn(2).width = 14;
  heading(summary, office.parentBody.toLocaleUpperCase('vi'), 2, false);
  heading(summary, office.name.toLocaleUpperCase('vi'), 2);
  heading(summary, 'BÁO CÁO', 2);
  heading(summary, words.subject, 2);
  summary.addRow([]);
  heading(summary, words.intro, 2, false);
  summary.lastRow!.height = 90;
  if (!report.focus) {
    summary.addRow([]);
    const figures: [string, number][] = [
      ['Kiến nghị cử tri nêu tại các cuộc tiếp xúc', f.raised],
      ['Lượt cử tri kiến nghị', f.raisedVoters],
      ['Kiến nghị đã gộp vào kiến nghị khác', f.merged],
      ['Kiến nghị tổng hợp (sau khi gộp)', f.listed.petitions],
      ['Đã chuyển', f.listed.forwarded],
      ['Đã trả lời', f.listed.answered],
      ['Thỏa đáng', f.listed.satisfied],
      ['Chưa thỏa đáng', f.listed.unsatisfied],
      ['Chưa chuyển', f.listed.pending],
      ['Không chuyển', f.listed.withdrawn],
    ];
    for (const figure of figures) summary.addRow(figure);
  }

  for (const tbl of words.tables) {
    const sheet = addSheet(tbl.shortName);
    sheet.getColumn(1).width = 40;
    for (let c = 2; c <= COUNT_COLUMNS.length + 1; c++) sheet.getColumn(c).width = 14;
    heading(sheet, words.subject, COUNT_COLUMNS.length + 1);
    heading(sheet, tbl.title, COUNT_COLUMNS.length + 1);
    sheet.addRow([tbl.dimension, ...COUNT_COLUMNS.map((c) => c.heading)]).font = { bold: true };
    for (const r of tbl.rows) sheet.addRow([r.name, ...COUNT_COLUMNS.map((c) => r.counts[c.key])]);
  }

  const list = addSheet(report.focus ? 'Kiến nghị và trả lời' : 'Danh sách kiến nghị');
  LIST_WIDTHS.forEach((width, i) => (list.getColumn(i + 1).width = width));
  heading(list, words.listTitle, LIST_HEADERS.length);
  const header = list.addRow(LIST_HEADERS);
  header.font = { bold: true };
  header.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  words.rows.forEach((r, i) => {
    const field = r.fieldCode ? (report.fieldNames[r.fieldCode] ?? r.fieldCode) : '';
    const row = list.addRow([i + 1, r.code, r.content, field, r.unitCodes.map(words.unit).join(', '), r.voterCount, r.agencyName ?? '', STATE_WORDS[r.state], r.answers.length ? answerText(r) : '']);
    row.alignment = { vertical: 'top', wrapText: true };
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
