// The statistics page, the periodic report as page, PDF and XLSX over HTTP, and bad filters: every
// mistake answers 422 in Vietnamese with the typed values kept, never 500.
import ExcelJS from 'exceljs';
import { expect } from 'chai';
import type { Express } from 'express';
import { buildTestApp, clearDatabase, connectTestDatabase, fixedClock } from '../support/app.js';
import { createTestUser } from '../support/factories.js';
import { signIn, submitForm, type Agent } from '../support/http.js';
import { extractPdfText } from '../support/pdf.js';
import { buildFixture, FIXTURE_NOW, randomKey, type Fixture } from './fixture.js';

function binary(agent: Agent, path: string) {
  return agent
    .get(path)
    .buffer(true)
    .parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
}

describe('statistics over HTTP', function () {
  this.timeout(120_000);
  let app: Express;
  let fx: Fixture;
  let reader: Agent;

  before(async () => {
    await connectTestDatabase();
    await clearDatabase();
    app = buildTestApp({ clock: fixedClock(FIXTURE_NOW) }).app;
    fx = await buildFixture(app);
    reader = await signIn(app, fx.delegate);
  });

  it('shows this month by default, with figures, charts with text alternatives and data tables', async () => {
    const res = await reader.get('/statistics');
    expect(res.status).to.equal(200);
    expect(res.text).to.contain('Số liệu Tháng 3/2026');
    expect(res.text).to.match(/Lượt tiếp\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*5\s*<\/dd>/);
    expect(res.text).to.match(/Số người\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*16\s*<\/dd>/);
    expect(res.text).to.contain('role="img"');
    expect(res.text).to.contain('<desc id="chart-reception-type-desc">Theo loại, Lượt tiếp: Khiếu nại: 3; Tố cáo: 1; Kiến nghị: 1.</desc>');
    expect(res.text).to.contain('<caption class="govuk-table__caption govuk-table__caption--s">Theo loại</caption>');
    expect(res.text).to.contain('Đại biểu Ngô Văn Hùng');
    // No citizen is named anywhere in the statistics, denouncer or not.
    for (const name of ['Hoàng Thị Em', 'Nguyễn Văn An', 'Lê Văn Cường']) expect(res.text).to.not.contain(name);
    expect(res.text).to.contain('href="/statistics/report.pdf?"');
    expect((await reader.get('/')).text).to.contain('href="/statistics"');
  });

  it('takes the period from the filters', async () => {
    const feb = await reader.get('/statistics?period=month&year=2026&month=2');
    expect(feb.status).to.equal(200);
    expect(feb.text).to.contain('Số liệu Tháng 2/2026');
    const quarter = await reader.get('/statistics?period=quarter&year=2026&quarter=1');
    expect(quarter.text).to.contain('Số liệu Quý 1 năm 2026');
    expect(quarter.text).to.match(/Lượt tiếp\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*6\s*<\/dd>/);
    const custom = await reader.get('/statistics?period=custom&from=05/03/2026&to=09/03/2026');
    expect(custom.text).to.contain('Từ 05/03/2026 đến 09/03/2026');
    expect(custom.text).to.match(/Lượt tiếp\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*3\s*<\/dd>/);
    expect(custom.text).to.contain('href="/statistics/report.pdf?period=custom&amp;from=05%2F03%2F2026&amp;to=09%2F03%2F2026"');
  });

  it('answers bad filters with 422 in Vietnamese, keeping what was typed', async () => {
    const cases: [string, string][] = [
      ['/statistics?period=custom&from=31/02/2026&to=10/03/2026', 'Nhập ngày theo dạng ngày/tháng/năm'],
      ['/statistics?period=custom&from=10/03/2026&to=01/03/2026', 'Ngày kết thúc phải bằng hoặc sau ngày bắt đầu'],
      ['/statistics?period=custom&from=01/01/2000&to=01/01/2020', 'không được dài quá 10 năm'],
      ['/statistics?period=custom&from=hôm qua', 'Nhập ngày theo dạng ngày/tháng/năm'],
      ['/statistics?period=custom', 'Nhập ngày bắt đầu của khoảng thời gian'],
      ['/statistics?period=month&year=abc', 'Năm phải là số từ 2000 đến 2100'],
      ['/statistics?period=month&month=13', 'Tháng phải từ 1 đến 12'],
      ['/statistics?period=weekly', 'Chọn một loại kỳ thống kê'],
      ['/statistics?year=2026&year=2027', 'Năm phải là số từ 2000 đến 2100'],
      // No session has been recorded at all yet.
      ['/statistics?period=since-last-session', 'Chưa có kỳ họp nào bế mạc trước hôm nay để tính “từ sau kỳ họp gần nhất”'],
      ['/statistics?period=since-last-session&body=quoc-hoi', 'Chưa có kỳ họp nào của Quốc hội bế mạc trước hôm nay'],
      ['/statistics?period=since-last-session&body=hội-đồng', 'Chọn kỳ họp của Quốc hội hoặc của HĐND tỉnh trong danh sách'],
      ['/statistics/report.pdf?period=custom&from=10/03/2026&to=01/03/2026', 'Ngày kết thúc phải bằng hoặc sau ngày bắt đầu'],
      ['/statistics/report.xlsx?period=month&month=0', 'Tháng phải từ 1 đến 12'],
    ];
    for (const [path, message] of cases) {
      const res = await reader.get(path);
      expect(res.status, path).to.equal(422);
      expect(res.headers['content-type'], path).to.contain('text/html');
      expect(res.text, path).to.contain('govuk-error-summary');
      expect(res.text, path).to.contain(message);
    }
    // Operator syntax is a literal, unknown parameter: ignored, the default period is shown.
    const injected = await reader.get('/statistics?period[$ne]=x&year[$gt]=1');
    expect(injected.status).to.equal(200);
    expect(injected.text).to.contain('Số liệu Tháng 3/2026');
    const kept = await reader.get('/statistics?period=custom&from=10/03/2026&to=01/03/2026');
    expect(kept.text).to.contain('value="10/03/2026"');
    expect(kept.text).to.contain('value="01/03/2026"');
  });

  it('is closed to users without reports:read', async () => {
    expect((await fx.agent.get('/statistics')).status).to.equal(403);
    expect((await fx.agent.get('/statistics/report.pdf')).status).to.equal(403);
    expect((await fx.agent.get('/')).text).to.not.contain('href="/statistics"');
  });

  it('prints the periodic report as an official PDF with intact Vietnamese', async () => {
    const res = await binary(reader, '/statistics/report.pdf?period=month&year=2026&month=3');
    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.equal('application/pdf');
    expect(res.headers['content-disposition']).to.contain("filename*=UTF-8''B%C3%A1o%20c%C3%A1o%20Th%C3%A1ng%203-2026.pdf");
    const text = await extractPdfText(res.body as Buffer);
    expect(text).to.contain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(text).to.contain('Độc lập - Tự do - Hạnh phúc');
    expect(text).to.contain('BÁO CÁO');
    expect(text).to.contain('Kết quả công tác tiếp công dân, tiếp nhận và xử lý đơn thư (Tháng 3/2026)');
    expect(text).to.contain('I. CÔNG TÁC TIẾP CÔNG DÂN');
    expect(text).to.contain('Văn phòng đã tiếp 5 lượt công dân (17 lượt người, 16 người) đến trình bày khiếu nại, tố cáo, kiến nghị, phản ánh về 3 vụ việc.');
    expect(text).to.contain('Trong đó có 1 đoàn đông người (12 người) về 1 vụ việc.');
    expect(text).to.contain('Văn phòng đã tiếp nhận 4 đơn thư, trong đó 1 đơn không rõ người gửi và 1 đơn có nhiều nội dung');
    expect(text).to.contain('Qua phân loại: 2 đơn đủ điều kiện xử lý, 1 đơn không đủ điều kiện xử lý, 1 đơn đang phân loại.');
    expect(text).to.contain('chuyển 1 đơn đến cơ quan có thẩm quyền; lưu 1 đơn; trả lại và hướng dẫn 1 đơn; đề xuất thụ lý 0 đơn.');
    expect(text).to.contain('Trong kỳ phát sinh 7 vụ việc mới (không kể 1 vụ việc trùng đã được gộp vào vụ việc khác).');
    expect(text).to.contain('Tổng cộng');
    expect(text).to.contain('CHÁNH VĂN PHÒNG');
    expect(text).to.contain('Quảng Trị, ngày 20 tháng 3 năm 2026');
    // Decomposed (NFD) text or lost tone marks would fail the exact sentences above; make it explicit.
    expect(text).to.equal(text.normalize('NFC'));
    expect(text).to.not.contain('Hoàng Thị Em');
  });

  it('exports the periodic report as XLSX with numbers as numbers', async () => {
    const res = await binary(reader, '/statistics/report.xlsx?period=month&year=2026&month=3');
    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.equal('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const workbook = new ExcelJS.Workbook();
    const body = res.body as Buffer<ArrayBuffer>;
    await workbook.xlsx.load(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength));
    expect(workbook.worksheets.map((w) => w.name)).to.deep.equal(['1. Tiếp công dân', '2. Tiếp nhận, xử lý đơn thư', '3. Vụ việc mới']);
    const reception = workbook.worksheets[0]!;
    const rows: unknown[][] = [];
    reception.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    expect(rows[2]?.[0]).to.contain('Văn phòng đã tiếp 5 lượt công dân (17 lượt người, 16 người)');
    const complaint = rows.find((r) => r[0] === 'Khiếu nại');
    expect(complaint).to.deep.equal(['Khiếu nại', 3, 4, 0, 1]);
    const total = rows.find((r) => r[0] === 'Tổng cộng');
    expect(total).to.deep.equal(['Tổng cộng', 5, 17, 1, 3]);
  });

  it('shows the report as a page, in the reader’s language', async () => {
    const res = await reader.get('/statistics/report?period=month&year=2026&month=3');
    expect(res.status).to.equal(200);
    expect(res.text).to.contain('Báo cáo định kỳ công tác tiếp công dân, xử lý đơn thư');
    expect(res.text).to.contain('Văn phòng đã tiếp 5 lượt công dân');
  });

  it('counts since the last session once one has closed, and refuses while none has', async () => {
    const session = async (fields: Record<string, string>) => {
      const res = await submitForm(fx.agent, '/meetings/sessions/new', '/meetings/sessions', { submissionKey: randomKey(), ...fields });
      expect(res.status, res.text.slice(0, 400)).to.equal(303);
    };
    // A session still to come (closing after today, 20/03/2026) is not "the last session".
    await session({ body: 'quoc-hoi', term: 'XVI', number: '1', opensOn: '06/04/2026', closesOn: '10/04/2026' });
    const refused = await reader.get('/statistics?period=since-last-session');
    expect(refused.status).to.equal(422);
    expect(refused.text).to.contain('Chưa có kỳ họp nào bế mạc trước hôm nay');
    expect(refused.text).to.contain('<option value="since-last-session" selected>');

    // A People's Council session closed on 05/03: from 06/03 to today, V3, V4 and V5 (12 + 1 + 1 people), L3 and L4.
    await session({ body: 'hdnd-tinh', term: 'IX', number: '4', opensOn: '03/03/2026', closesOn: '05/03/2026' });
    const res = await reader.get('/statistics?period=since-last-session');
    expect(res.status).to.equal(200);
    expect(res.text).to.contain('Số liệu Từ 06/03/2026 đến 20/03/2026, sau Kỳ họp thứ 4, HĐND tỉnh khóa IX');
    expect(res.text).to.match(/Lượt tiếp\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*3\s*<\/dd>/);
    expect(res.text).to.match(/Lượt người\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*14\s*<\/dd>/);
    expect(res.text).to.match(/Đơn nhận\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*2\s*<\/dd>/);
    // Fifteen days, drawn by day; the PDF names the period the same way.
    expect(res.text).to.contain('Biểu đồ đường qua 15 mốc thời gian');
    const pdf = await binary(reader, '/statistics/report.pdf?period=since-last-session');
    expect(pdf.status).to.equal(200);
    expect(await extractPdfText(pdf.body as Buffer)).to.contain('Văn phòng đã tiếp 3 lượt công dân (14 lượt người');
    // The National Assembly has no closed session yet.
    const assembly = await reader.get('/statistics?period=since-last-session&body=quoc-hoi');
    expect(assembly.status).to.equal(422);
    expect(assembly.text).to.contain('Chưa có kỳ họp nào của Quốc hội bế mạc trước hôm nay');
  });
});

describe('statistics: the delegate and the admin both read reports', () => {
  before(async () => {
    await connectTestDatabase();
    await clearDatabase();
  });

  for (const role of ['delegate', 'admin'] as const) {
    it(`renders an empty month without errors for the ${role}: page, report page, PDF and XLSX`, async () => {
      const app = buildTestApp({ clock: fixedClock(FIXTURE_NOW) }).app;
      const user = await createTestUser({ role });
      // The admin signs in with a second factor, checked against the app's fixed clock.
      const agent = await signIn(app, user, { nowMs: Date.parse(FIXTURE_NOW) });
      const res = await agent.get('/statistics');
      expect(res.status).to.equal(200);
      expect(res.text).to.contain('Số liệu Tháng 3/2026');
      expect(res.text).to.contain('Không có số liệu trong kỳ.');
      expect(res.text).to.contain('id="section-petitions"');
      expect((await agent.get('/')).text).to.contain('href="/statistics"');
      const report = await agent.get('/statistics/report');
      expect(report.status).to.equal(200);
      expect(report.text).to.contain('Văn phòng đã tiếp 0 lượt công dân');
      const pdf = await binary(agent, '/statistics/report.pdf');
      expect(pdf.status).to.equal(200);
      expect(await extractPdfText(pdf.body as Buffer)).to.contain('Văn phòng đã tiếp 0 lượt công dân');
      const xlsx = await binary(agent, '/statistics/report.xlsx');
      expect(xlsx.status).to.equal(200);
      expect(xlsx.headers['content-type']).to.equal('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      expect((await agent.get('/statistics/agencies')).status).to.equal(200);
    });
  }
});
