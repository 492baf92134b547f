// The compiled list of a session's petitions for one competence (central, province, commune), in the
// official layout: number, content, field, localities, agency — as XLSX (written row by row with
// exceljs's streaming writer) and as a PDF paper of the office (officialLetterLayout).
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Actor } from '../access/index.js';
import { NotFoundError } from '../platform/errors.js';
import { officialLetterLayout, type PdfContent, type PdfDocument } from '../platform/pdf/index.js';
import { getFields, getUnits } from '../reference/index.js';
import { dayOf, type Competence } from './meetings.rules.js';
import { livePetitionsOfSession } from './petitions.queries.js';
import { getSession, officialSessionName, type SessionDetail } from './sessions.queries.js';

/** Statuses of petitions that are on the list: compiled, and what became of them afterwards. */
const ON_THE_LIST = new Set(['compiled', 'forwarded', 'answered', 'evaluated']);

export interface CompiledRow {
  number: number;
  code: string;
  content: string;
  field: string;
  localities: string;
  agency: string;
  meetingCount: number;
  voterCount: number;
}

export interface CompiledList {
  session: SessionDetail;
  competence: Competence;
  rows: CompiledRow[];
}

const COMPETENCE_WORDS: Readonly<Record<Competence, string>> = {
  central: 'thuộc thẩm quyền giải quyết của các cơ quan Trung ương',
  province: 'thuộc thẩm quyền giải quyết của cấp tỉnh',
  commune: 'thuộc thẩm quyền giải quyết của cấp xã',
};

/** The list in field order (as the fields are ordered in the reference list), then by code. */
export async function compiledList(actor: Actor, sessionId: string, competence: Competence, now: Date): Promise<CompiledList> {
  const session = await getSession(actor, sessionId, dayOf(now));
  if (!session) throw new NotFoundError('meetings.errors.sessionNotFound');
  const petitions = (await livePetitionsOfSession(actor, sessionId)).filter((p) => p.competence === competence && ON_THE_LIST.has(p.status));
  const [fields, units] = await Promise.all([getFields(petitions.map((p) => p.fieldCode ?? '')), getUnits(petitions.flatMap((p) => p.unitCodes))]);
  const order = (code: string | null | undefined) => (code ? (fields.get(code)?.order ?? Number.MAX_SAFE_INTEGER) : Number.MAX_SAFE_INTEGER);
  petitions.sort((a, b) => order(a.fieldCode) - order(b.fieldCode) || a.code.localeCompare(b.code));
  const rows = petitions.map((p, i) => ({
    number: i + 1,
    code: p.code,
    content: p.content,
    field: p.fieldCode ? (fields.get(p.fieldCode)?.name ?? p.fieldCode) : '',
    localities: p.unitCodes.map((c) => units.get(c)?.name ?? c).join(', '),
    agency: p.agencyName ?? '',
    meetingCount: p.meetingCount,
    voterCount: p.voterCount,
  }));
  return { session, competence, rows };
}

export interface OfficeHeading {
  parentBody: string;
  name: string;
  place: string;
}

const HEADERS = ['STT', 'Mã', 'Nội dung kiến nghị', 'Lĩnh vực', 'Địa phương', 'Số cuộc TXCT', 'Số lượt cử tri', 'Cơ quan giải quyết'];
const WIDTHS = [6, 14, 70, 22, 30, 10, 10, 32];

/** Writes the list as a one-sheet workbook: the office and title above, then one row per petition. */
export async function writeCompiledXlsx(out: Writable, list: CompiledList, office: OfficeHeading, createdAt: Date): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  workbook.creator = office.name;
  workbook.created = createdAt;
  workbook.modified = createdAt;
  const sheet = workbook.addWorksheet('Kien nghi cu tri', { pageSetup: { orientation: 'landscape', paperSize: 9, fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
  sheet.columns = WIDTHS.map((width, i) => ({ key: `c${i}`, width }));
  const title = (text: string, bold: boolean, size: number) => {
    const row = sheet.addRow([text]);
    sheet.mergeCells(row.number, 1, row.number, HEADERS.length);
    row.getCell(1).font = { bold, size };
    row.getCell(1).alignment = { horizontal: 'center', wrapText: true };
    row.commit();
  };
  title(office.parentBody.toLocaleUpperCase('vi'), false, 12);
  title(office.name.toLocaleUpperCase('vi'), true, 12);
  title('TỔNG HỢP KIẾN NGHỊ CỬ TRI', true, 14);
  title(`${COMPETENCE_WORDS[list.competence]}, gửi tới ${officialSessionName(list.session)}`, true, 12);
  sheet.addRow([]).commit();
  const header = sheet.addRow(HEADERS);
  header.font = { bold: true };
  header.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  header.commit();
  for (const r of list.rows) {
    const row = sheet.addRow([r.number, r.code, r.content, r.field, r.localities, r.meetingCount, r.voterCount, r.agency]);
    row.alignment = { vertical: 'top', wrapText: true };
    row.commit();
  }
  const total = sheet.addRow(['', '', `Tổng cộng: ${list.rows.length} kiến nghị`]);
  total.font = { bold: true };
  total.commit();
  sheet.commit();
  await workbook.commit();
}

const CELL = { fontSize: 10 } as const;

/** The list as the office's paper: heading, title, then the table (its header repeated on every page). */
export function compiledListPdf(list: CompiledList, office: OfficeHeading, issuedAt: Date): PdfDocument {
  const table: PdfContent = {
    table: {
      headerRows: 1,
      widths: [22, '*', 60, 70, 80],
      body: [
        ['STT', 'Nội dung kiến nghị', 'Lĩnh vực', 'Địa phương', 'Cơ quan giải quyết'].map((text) => ({ text, bold: true, alignment: 'center' as const, ...CELL })),
        ...list.rows.map((r) => [
          { text: String(r.number), alignment: 'center' as const, ...CELL },
          { text: `${r.content} (${r.code}; ${r.meetingCount} cuộc TXCT, ${r.voterCount} lượt cử tri)`, alignment: 'left' as const, ...CELL },
          { text: r.field, ...CELL },
          { text: r.localities, ...CELL },
          { text: r.agency, ...CELL },
        ]),
      ],
    },
    margin: [0, 6, 0, 6],
  };
  const doc = officialLetterLayout({
    parentBody: office.parentBody,
    issuer: office.name.replace(/^Văn phòng\b.*$/i, 'Văn phòng'),
    number: '      /TH-VP',
    place: office.place,
    date: issuedAt,
    title: 'Tổng hợp kiến nghị cử tri',
    subject: `${COMPETENCE_WORDS[list.competence]}, gửi tới ${officialSessionName(list.session)}`,
    body: [
      `Văn phòng tổng hợp ${list.rows.length} kiến nghị của cử tri ${COMPETENCE_WORDS[list.competence]}, sau khi gộp các kiến nghị cùng nội dung từ các cuộc tiếp xúc cử tri, như sau:`,
      table,
    ],
    signature: { position: 'Chánh Văn phòng', name: ' ' },
    distribution: ['Các cơ quan có tên trong danh sách;', 'Lưu: VT.'],
  });
  return { ...doc, pageOrientation: 'landscape' };
}
