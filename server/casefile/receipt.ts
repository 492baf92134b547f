// The receipt given to the citizen (giấy biên nhận): the case number to quote, what was received, and
// the date by which the office will have decided how to handle it. A pure function of plain data, so
// the layout can be tested by reading the PDF's text.
import { officialLetterLayout, type PdfDocument } from '../platform/pdf/index.js';

export interface ReceiptData {
  office: { parentBody: string; name: string; place: string };
  caseNumber: string;
  issuedAt: Date;
  receivedAt: string; // already formatted dd/mm/yyyy HH:mm, Vietnam time
  citizen: { name: string; citizenId: string | null; address: string | null };
  peopleCount: number;
  summary: string;
  dueDate: string | null; // dd/mm/yyyy
  officerName: string;
}

export function receiptDocument(d: ReceiptData): PdfDocument {
  const lines = [
    `${d.office.name} đã tiếp nhận của ông/bà: ${d.citizen.name}`,
    d.citizen.citizenId ? `Số CCCD: ${d.citizen.citizenId}` : null,
    d.citizen.address ? `Địa chỉ: ${d.citizen.address}` : null,
    `Thời gian tiếp nhận: ${d.receivedAt}${d.peopleCount > 1 ? `; số người: ${d.peopleCount}` : ''}`,
    `Nội dung: ${d.summary}`,
    `Số vụ việc: ${d.caseNumber} (đề nghị ghi số này khi liên hệ với Văn phòng)`,
    d.dueDate ? `Văn phòng sẽ xem xét, phân loại và thông báo hướng xử lý trước ngày ${d.dueDate}.` : null,
  ].filter((l): l is string => l !== null);
  return officialLetterLayout({
    parentBody: d.office.parentBody,
    issuer: d.office.name.replace(/^Văn phòng\b.*$/i, 'Văn phòng'),
    number: `${d.caseNumber}/BN`,
    place: d.office.place,
    date: d.issuedAt,
    title: 'Giấy biên nhận',
    subject: 'Tiếp nhận đơn, ý kiến của công dân',
    body: lines,
    signature: { position: 'Người tiếp nhận', name: d.officerName },
    author: d.office.name,
  });
}
