// The chase letter (công văn đôn đốc) as a paper: a pure function of the letter's frozen content, in
// the office's official layout. It names the agency, cites the forwarding slip's number, date and
// deadline and how late the answer is; it names no citizen (the matters' summaries are the redacted
// ones the agency already received).
import { formatDate } from '../platform/dates.js';
import { officialLetterLayout, type PdfDocument } from '../platform/pdf/index.js';
import { chaseSituation } from './supervision.rules.js';

export interface ChaseLetterData {
  office: { parentBody: string; name: string; place: string };
  number: string;
  date: Date;
  agencyName: string;
  slipNumber: string;
  slipDate: Date;
  dueDate: string | null; // YYYY-MM-DD
  daysLate: number;
  forwardingStatus: string;
  items: { label: string; summary: string; kind: string }[];
  confidential: boolean;
  message: string;
  roundBasis: string | null;
  chaseNumber: number;
  signer: { position: string; name: string };
}

const dayOf = (iso: string) => iso.split('-').reverse().join('/');

export function chaseLetterDocument(d: ChaseLetterData): PdfDocument {
  const petitions = d.items.every((i) => i.kind === 'petition');
  const what = petitions ? 'kiến nghị của cử tri' : 'đơn';
  const body: (string | { ol: string[] })[] = [];
  const slip = `Phiếu chuyển đơn số ${d.slipNumber} ngày ${formatDate(d.slipDate)}`;
  if (d.items.length === 1) {
    const item = d.items[0]!;
    body.push(`Theo ${slip}, ${d.office.name} đã chuyển đến ${d.agencyName} ${what} số ${item.label} với nội dung: ${item.summary}`);
  } else {
    body.push(`Theo ${slip}, ${d.office.name} đã chuyển đến ${d.agencyName} các ${what} sau:`);
    body.push({ ol: d.items.map((i) => `${i.label}: ${i.summary}`) });
  }
  if (d.confidential) body.push('Đây là đơn tố cáo. Thông tin về người tố cáo được giữ bí mật theo quy định của Luật Tố cáo.');
  const due = d.dueDate ? dayOf(d.dueDate) : null;
  switch (chaseSituation(d.forwardingStatus, d.daysLate)) {
    case 'late':
      body.push(`Thời hạn thông báo kết quả giải quyết là ngày ${due}. Đến nay đã quá hạn ${d.daysLate} ngày nhưng ${d.office.name} chưa nhận được văn bản trả lời của ${d.agencyName}.`);
      break;
    case 'not-answered':
      body.push(`Đến nay ${d.office.name} chưa nhận được văn bản trả lời của ${d.agencyName}${due ? ` (thời hạn trả lời là ngày ${due})` : ''}.`);
      break;
    case 'answer-wanting':
      body.push(`${d.office.name} đã nhận văn bản trả lời của ${d.agencyName}, nhưng nội dung trả lời chưa đáp ứng yêu cầu giải quyết${due ? ` (thời hạn trả lời là ngày ${due})` : ''}.`);
      break;
  }
  if (d.message.trim()) body.push(d.message.trim());
  const under = d.roundBasis ? `Thực hiện ${d.roundBasis}, ` : 'Thực hiện chức năng giám sát việc giải quyết khiếu nại, tố cáo, kiến nghị, phản ánh của công dân, ';
  body.push(
    `${under}${d.office.name} đề nghị ${d.agencyName} khẩn trương xem xét, giải quyết dứt điểm và gửi văn bản trả lời qua đường liên kết bảo mật trong thư điện tử gửi kèm công văn này (lần đôn đốc thứ ${d.chaseNumber}).`,
  );
  return officialLetterLayout({
    parentBody: d.office.parentBody,
    issuer: d.office.name.replace(/^Văn phòng\b.*$/i, 'Văn phòng'),
    number: d.number,
    place: d.office.place,
    date: d.date,
    subject: `đôn đốc giải quyết ${petitions ? 'kiến nghị của cử tri' : `đơn số ${d.items.map((i) => i.label).join(', ')}`}`,
    recipients: [d.agencyName],
    body,
    signature: d.signer,
    distribution: ['Như trên;', 'Lưu: VT, hồ sơ vụ việc.'],
    author: d.office.name,
  });
}

export function chaseLetterFilename(number: string): string {
  return `Công văn đôn đốc ${number.replace(/[/\\]/g, '-')}.pdf`;
}
