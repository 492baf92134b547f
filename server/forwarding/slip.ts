// The forwarding slip (phiếu chuyển đơn): the official letter that hands a matter to the competent
// agency with the date by which the office expects the answer. A pure function of plain data, built
// from the forwarding as sent, so the same slip is produced for the email, the agency's page and the
// officer's download. Nothing of a denunciation's filer appears in it: the matters' summaries are
// already redacted, and the slip names no person.
import { officialLetterLayout, type PdfDocument } from '../platform/pdf/index.js';

export interface SlipData {
  office: { parentBody: string; name: string; place: string };
  documentNumber: string;
  documentDate: Date;
  agencyName: string;
  items: { label: string; summary: string; kind: 'case' | 'petition' }[];
  confidential: boolean;
  request: string;
  dueDate: string | null; // dd/mm/yyyy
  deadlineBasis: string | null;
  signer: { position: string; name: string };
}

export function slipDocument(d: SlipData): PdfDocument {
  const petitions = d.items.every((i) => i.kind === 'petition');
  const what = petitions ? 'kiến nghị của cử tri' : 'đơn của công dân';
  const body: (string | { ol: string[] })[] = [];
  if (d.items.length === 1) {
    const item = d.items[0]!;
    body.push(`${d.office.name} nhận được ${what} (số ${item.label}) với nội dung: ${item.summary}`);
  } else {
    body.push(`${d.office.name} nhận được các ${what} sau:`);
    body.push({ ol: d.items.map((i) => `${i.label}: ${i.summary}`) });
  }
  if (d.confidential) {
    body.push('Đây là đơn tố cáo. Thông tin về người tố cáo được giữ bí mật theo quy định của Luật Tố cáo và không được gửi kèm phiếu này.');
  }
  body.push(
    `Căn cứ quy định của pháp luật, ${d.office.name} chuyển ${petitions ? 'các kiến nghị' : 'đơn'} nêu trên đến ${d.agencyName} để xem xét, giải quyết theo thẩm quyền.`,
  );
  if (d.request.trim()) body.push(d.request.trim());
  if (d.dueDate) {
    body.push(`Đề nghị ${d.agencyName} thông báo kết quả giải quyết cho ${d.office.name} trước ngày ${d.dueDate}${d.deadlineBasis ? ` (${d.deadlineBasis})` : ''}.`);
  }
  body.push('Cơ quan xác nhận đã nhận, đề nghị gia hạn và gửi văn bản trả lời qua đường liên kết bảo mật trong thư điện tử gửi kèm phiếu này.');
  return officialLetterLayout({
    parentBody: d.office.parentBody,
    issuer: d.office.name.replace(/^Văn phòng\b.*$/i, 'Văn phòng'),
    number: d.documentNumber,
    place: d.office.place,
    date: d.documentDate,
    title: 'Phiếu chuyển đơn',
    subject: petitions ? 'Chuyển kiến nghị của cử tri' : `Chuyển đơn số ${d.items.map((i) => i.label).join(', ')}`,
    recipients: [d.agencyName],
    body,
    signature: { position: d.signer.position, name: d.signer.name },
    distribution: ['Như trên;', 'Lưu: VT, hồ sơ vụ việc.'],
    author: d.office.name,
  });
}

export function slipFilename(documentNumber: string): string {
  return `Phiếu chuyển đơn ${documentNumber.replace(/[/\\]/g, '-')}.pdf`;
}

