// The report of answers over HTTP, on screen and as PDF (its text read back with pdf.js): the whole
// session, one delegate group (?group=) and one commune (?commune=) narrowing the rows to what that
// group's or commune's voters raised; filter values that are malformed or name nothing are ignored or
// give an empty list — never a 500 — and ids that name no session answer 404.
import { expect } from 'chai';
import mongoose from 'mongoose';
import type supertest from 'supertest';
import { petitionForwardableProvider } from '../../server/meetings/index.js';
import { inTransaction } from '../../server/platform/db/transaction.js';
import { getUnits } from '../../server/reference/index.js';
import { buildTestApp, fixedClock, useTestDatabase } from '../support/app.js';
import { signIn, type Agent } from '../support/http.js';
import { extractPdfText } from '../support/pdf.js';
import { compiledSession, seedMeetingsWorld, type CompiledSession, type MeetingsWorld } from './support.js';

const ROAD_X = 'Đề nghị nâng cấp quốc lộ 9 đoạn qua thị trấn';
const ROAD_Y = 'Nâng cấp quốc lộ 9 qua thị trấn đã xuống cấp';
const BRIDGE = 'Đề nghị sửa cầu vượt lũ trên quốc lộ 15D';
const CLINIC = 'Đề nghị bổ sung bác sĩ cho trạm y tế xã';

function binary(res: supertest.Response, callback: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => callback(null, Buffer.concat(chunks)));
}

async function pdfText(agent: Agent, path: string): Promise<string> {
  const res = await agent.get(path).buffer(true).parse(binary);
  expect(res.status, path).to.equal(200);
  expect(res.headers['content-type'], path).to.equal('application/pdf');
  return extractPdfText(res.body as Buffer);
}

describe('meetings: the session report over HTTP (page and PDF, filtered by group and commune)', function () {
  this.timeout(60_000);
  useTestDatabase();
  let w: MeetingsWorld;
  let fx: CompiledSession;
  let officer: Agent;
  let base: string;
  let communeX: string;

  beforeEach(async () => {
    w = await seedMeetingsWorld();
    // M1 (delegate A, "Đơn vị 1", commune X): road 6, bridge 3, clinic 4. M2 (delegate B, "Đơn vị 2",
    // commune Y): road 5, merged with M1's road. 18 voters, 4 raised, 2 merged into 1: 3 on the list.
    fx = await compiledSession(w);
    const at = new Date('2026-06-20T03:00:00Z');
    const fact = (forwardingId: string, agency: { id: string; name: string }) => ({ by: { id: 'agency-link', name: agency.name }, forwardingId, agencyId: agency.id, agencyName: agency.name, at });
    // The road petition is answered (document 125) and judged satisfactory; the clinic's is forwarded only.
    await inTransaction(async (s) => {
      await petitionForwardableProvider.onForwarded([fx.road], fact('fw-1', w.agencyA), s);
      await petitionForwardableProvider.onForwarded([fx.clinic], fact('fw-2', w.agencyB), s);
      await petitionForwardableProvider.onAnswered([fx.road], { ...fact('fw-1', w.agencyA), outcome: 'resolved', documentNumber: '125/BGTVT', documentDate: at, text: 'Đã bố trí vốn' }, s);
      await petitionForwardableProvider.onEvaluated([fx.road], { ...fact('fw-1', w.agencyA), verdict: 'satisfied', reason: null }, s);
    });
    const app = buildTestApp({ clock: fixedClock('2026-07-01T03:00:00Z') }).app;
    officer = await signIn(app, w.officer);
    base = `/meetings/sessions/${fx.sessionId}/report`;
    communeX = (await getUnits([w.commune])).get(w.commune)!.name;
  });

  it('prints the whole session’s report as PDF with its figures and every listed petition', async () => {
    const text = await pdfText(officer, `${base}.pdf`);
    expect(text).to.contain('Kết quả giải quyết kiến nghị cử tri gửi tới Kỳ họp thứ 2, Quốc hội khóa XVI');
    expect(text).to.contain('cử tri đã nêu 4 kiến nghị (18 lượt cử tri); sau khi gộp 2 kiến nghị cùng nội dung, Văn phòng tổng hợp 3 kiến nghị');
    expect(text).to.contain('Đã chuyển 2 kiến nghị; đã nhận trả lời 1 kiến nghị, trong đó 1 được đánh giá thỏa đáng');
    expect(text).to.contain(ROAD_X).and.contain(BRIDGE).and.contain(CLINIC).and.contain('125/BGTVT');
    // The list as sent holds the merged petition, not the original wording merged into it.
    expect(text).to.not.contain(ROAD_Y);
  });

  it('narrows the page and the PDF to one delegate group with ?group=', async () => {
    const page = await officer.get(`${base}?group=${encodeURIComponent('Đơn vị 2')}`);
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('Trả lời kiến nghị của cử tri: Tổ đại biểu Đơn vị 2');
    expect(page.text).to.contain(ROAD_Y).and.not.contain(CLINIC).and.not.contain(BRIDGE);
    expect(page.text).to.contain(`href="${base}.pdf?group=%C4%90%C6%A1n%20v%E1%BB%8B%202"`);

    const text = await pdfText(officer, `${base}.pdf?group=${encodeURIComponent('Đơn vị 2')}`);
    expect(text).to.contain('Trả lời kiến nghị của Tổ đại biểu Đơn vị 2');
    expect(text).to.contain('Kết quả trả lời 1 kiến nghị của Tổ đại biểu Đơn vị 2');
    expect(text).to.contain(ROAD_Y).and.contain('125/BGTVT');
    expect(text).to.not.contain(CLINIC).and.not.contain(BRIDGE);
  });

  it('narrows the page and the PDF to one commune with ?commune=', async () => {
    const page = await officer.get(`${base}?commune=${w.commune}`);
    expect(page.status).to.equal(200);
    expect(page.text).to.contain(`Trả lời kiến nghị của cử tri: ${communeX}`);
    expect(page.text).to.contain(ROAD_X).and.contain(BRIDGE).and.contain(CLINIC).and.not.contain(ROAD_Y);

    const text = await pdfText(officer, `${base}.pdf?commune=${w.commune}`);
    expect(text).to.contain(`Kết quả trả lời 3 kiến nghị của cử tri ${communeX}`);
    expect(text).to.contain(ROAD_X).and.contain(BRIDGE).and.contain(CLINIC).and.not.contain(ROAD_Y);
  });

  const ignored: [string, string][] = [
    ['the group as an operator', 'group[$ne]=x'],
    ['the group given twice', 'group=a&group=b'],
    ['an over-long group', `group=${'x'.repeat(400)}`],
    ['a commune path', 'commune=..%2F..%2Fetc%2Fpasswd'],
    ['a commune operator', 'commune=%24ne'],
    ['the commune as an operator', 'commune[$gt]='],
  ];
  for (const [label, query] of ignored) {
    it(`ignores ${label} and shows the whole report, on the page and in the PDF`, async () => {
      const page = await officer.get(`${base}?${query}`);
      expect(page.status).to.equal(200);
      expect(page.text).to.contain('Cử tri nêu 4 kiến nghị (18 lượt cử tri)').and.not.contain('Trả lời kiến nghị của cử tri:');
      expect(await pdfText(officer, `${base}.pdf?${query}`)).to.contain('Văn phòng tổng hợp 3 kiến nghị');
    });
  }

  it('shows an empty list, escaped, for a group or commune that raised nothing', async () => {
    const page = await officer.get(`${base}?group=${encodeURIComponent('<script>alert(1)</script>')}`);
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('Tổ đại biểu &lt;script&gt;alert(1)&lt;/script&gt;').and.not.contain('<script>alert(1)</script>');
    expect(page.text).to.not.contain(ROAD_X).and.not.contain(CLINIC);
    expect(await pdfText(officer, `${base}.pdf?commune=khong-co`)).to.contain('Kết quả trả lời 0 kiến nghị');
  });

  it('answers 404 for a session that does not exist or a malformed id, on the page and for the PDF', async () => {
    for (const id of [new mongoose.Types.ObjectId().toHexString(), 'khong-co', '%24ne']) {
      for (const path of [`/meetings/sessions/${id}/report`, `/meetings/sessions/${id}/report.pdf`, `/meetings/sessions/${id}/report.pdf?group=x`]) {
        const res = await officer.get(path);
        expect(res.status, path).to.equal(404);
        expect(res.text, path).to.contain('Không tìm thấy kỳ họp');
      }
    }
  });
});
