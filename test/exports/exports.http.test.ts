// Exports of the case list, the reception register and the letter register: parsed back (CSV by
// hand, XLSX with exceljs) and compared with each other and with the lists; the list's filters
// apply; formulas are defused; a denouncer's name appears only to users allowed to see it, and each
// export that showed it is recorded.
import { expect } from 'chai';
import type { Express } from 'express';
import mongoose from 'mongoose';
import ExcelJS from 'exceljs';
import { guardFormula } from '../../server/exports/index.js';
import { listReceptions } from '../../server/receptions/index.js';
import { receptionListQuerySchema } from '../../server/receptions/receptions.queries.js';
import { loadActor } from '../../server/users/index.js';
import { buildTestApp, clearDatabase, connectTestDatabase, fixedClock } from '../support/app.js';
import { createTestUser } from '../support/factories.js';
import { signIn, type Agent } from '../support/http.js';
import { postWalkIn, walkInFields } from '../support/intake.js';
import { buildFixture, FIXTURE_NOW, type Fixture } from '../statistics/fixture.js';
import { asCsvText, csvRows, download, xlsxCells } from './support.js';

const SECRET = 'Hoàng Thị Em';
const audit = () => mongoose.connection.collection('audit_events');

describe('exports over HTTP', function () {
  this.timeout(120_000);
  let app: Express;
  let fx: Fixture;
  let officer: Agent;
  let cleared: Agent;
  let clearedEmail: string;

  before(async () => {
    await connectTestDatabase();
    await clearDatabase();
    app = buildTestApp({ clock: fixedClock(FIXTURE_NOW) }).app;
    fx = await buildFixture(app);
    officer = fx.agent;
    const clearedUser = await createTestUser({ role: 'officer', name: 'Cán bộ được xem', grantedPermissions: ['view-denouncer-identity'] });
    clearedEmail = clearedUser.email;
    cleared = await signIn(app, clearedUser);
    // A visit whose content starts like a spreadsheet formula.
    const res = await postWalkIn(officer, walkInFields({ date: '13/03/2026', name: 'Bùi Văn Khoa', citizenId: '045091077777', caseChoice: 'new', type: 'petition', content: '=HYPERLINK("http://x.example","bấm vào đây") kiến nghị' }));
    expect(res.status).to.equal(303);
  });

  it('exports the case list as CSV and XLSX with the same rows, newest first', async () => {
    const csv = await download(officer, '/cases/export.csv');
    expect(csv.status).to.equal(200);
    expect(csv.headers['content-type']).to.equal('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).to.contain("filename*=UTF-8''Danh%20s%C3%A1ch%20v%E1%BB%A5%20vi%E1%BB%87c.csv");
    expect(csv.headers['cache-control']).to.equal('private, no-store');
    const rows = csvRows(csv.body);
    expect(rows[0]).to.deep.equal(['Số vụ việc', 'Ngày tiếp nhận', 'Loại vụ việc', 'Trạng thái', 'Lĩnh vực', 'Xã, phường', 'Người gửi, người đến', 'Nội dung', 'Số lượt tiếp', 'Số đơn', 'Hạn xử lý', 'Quá hạn']);
    const total = await mongoose.connection.collection('cases').countDocuments();
    expect(rows.length - 1).to.equal(total);
    expect(csv.headers['x-export-rows']).to.equal(String(total));
    const dates = rows.slice(1).map((r) => r[1]!.split('/').reverse().join(''));
    expect(dates).to.deep.equal([...dates].sort().reverse());

    const xlsx = await download(officer, '/cases/export.xlsx');
    expect(xlsx.status).to.equal(200);
    expect(xlsx.headers['content-type']).to.equal('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const cells = await xlsxCells(xlsx.body);
    // The same cells; only the CSV defuses text that looks like a formula (XLSX text is never evaluated).
    expect(cells.map((r) => r.map((c) => guardFormula(asCsvText(c))))).to.deep.equal(rows);
    // Real dates and numbers in the workbook, not text.
    expect(cells[1]![1]!.value).to.be.instanceOf(Date);
    expect(cells[1]![8]!.type).to.equal(ExcelJS.ValueType.Number);

    // The merged case keeps its visits on the case it joined: K1 shows 3 visits and 1 letter.
    const k1 = rows.find((r) => r[7]?.startsWith('Khiếu nại quyết định thu hồi đất nông nghiệp') && r[8] === '3');
    expect(k1?.slice(8, 10)).to.deep.equal(['3', '1']);
    expect(rows.find((r) => r[3] === 'Đã gộp')).to.not.equal(undefined);
  });

  it('applies the list’s filters to the export', async () => {
    const rows = csvRows((await download(officer, '/cases/export.csv?type=petition&from=01/03/2026&to=31/03/2026')).body).slice(1);
    expect(rows.map((r) => r[2])).to.deep.equal(rows.map(() => 'Kiến nghị'));
    expect(rows).to.have.length(3); // K2, K7 (from the split) and the formula visit's case
    const none = csvRows((await download(officer, '/cases/export.csv?q=khong-co-gi-nhu-vay')).body);
    expect(none).to.have.length(1);
    const oldest = csvRows((await download(officer, '/cases/export.csv?sort=oldest')).body).slice(1);
    expect(oldest[0]![1]).to.equal('16/02/2026');
    const byDeadline = csvRows((await download(officer, '/cases/export.csv?sort=deadline')).body).slice(1);
    expect(byDeadline).to.have.length(oldest.length);
  });

  it('defuses formulas in CSV and keeps XLSX text as text', async () => {
    const csvText = csvRows((await download(officer, '/receptions/export.csv')).body).flat();
    expect(csvText).to.include('\'=HYPERLINK("http://x.example","bấm vào đây") kiến nghị');
    expect(csvText.some((c) => c.startsWith('='))).to.equal(false);
    const cells = (await xlsxCells((await download(officer, '/receptions/export.xlsx')).body)).flat();
    const formula = cells.find((c) => typeof c.value === 'string' && c.value.includes('HYPERLINK'));
    expect(formula?.type).to.equal(ExcelJS.ValueType.String);
    expect(formula?.value).to.equal('=HYPERLINK("http://x.example","bấm vào đây") kiến nghị');
    expect(cells.some((c) => c.type === ExcelJS.ValueType.Formula)).to.equal(false);
  });

  it('exports the reception register with the same rows as the register for the same filters', async () => {
    const actor = await loadActor(fx.officer.id);
    for (const qs of ['', 'group=1', 'kind=scheduled', 'from=05/03/2026&to=09/03/2026', 'q=nguyen van an', 'outcome=letter-accepted&to=10/03/2026']) {
      const query = receptionListQuerySchema.parse(Object.fromEntries(new URLSearchParams(qs)));
      const list = await listReceptions(actor!, query);
      const rows = csvRows((await download(officer, `/receptions/export.csv?${qs}`)).body).slice(1);
      expect(rows.map((r) => r[7]), qs).to.deep.equal(list.rows.map((r) => r.caseNumber));
      expect(rows.map((r) => Number(r[3])), qs).to.deep.equal(list.rows.map((r) => r.peopleCount));
    }
    const all = csvRows((await download(officer, '/receptions/export.csv')).body);
    expect(all[0]).to.deep.equal(['Thời gian', 'Hình thức tiếp', 'Người đến', 'Số người', 'Đoàn đông người', 'Nội dung', 'Kết quả', 'Số vụ việc']);
    const group = all.find((r) => r[3] === '12');
    expect(group?.slice(1, 5)).to.deep.equal(['Tiếp định kỳ (lãnh đạo, đại biểu)', 'Lê Văn Cường; Phạm Văn Dũng', '12', 'Có']);
    expect(group?.[0]).to.equal('06/03/2026 09:15');
  });

  it('exports the letter register as XLSX as well as CSV, the split letter as one row', async () => {
    const csv = csvRows((await download(officer, '/letters/export.csv')).body);
    const xlsx = await xlsxCells((await download(officer, '/letters/export.xlsx')).body);
    expect(xlsx.map((r) => r.map((c) => guardFormula(asCsvText(c))))).to.deep.equal(csv);
    expect(csv.length - 1).to.equal(5);
    const split = csv.find((r) => r[3] === 'Hỗn hợp' || r[7]?.includes(';'));
    expect(split?.[7]?.split('; ')).to.have.length(2);
  });

  it('shows a denouncer only to users allowed to see them, and records each export that did', async () => {
    const before = await audit().countDocuments({ action: 'case.identity-viewed' });
    for (const path of ['/cases/export.csv', '/cases/export.xlsx', '/receptions/export.csv', '/receptions/export.xlsx', '/cases/export.csv?q=hoang thi em']) {
      const file = await download(officer, path);
      expect(file.status, path).to.equal(200);
      const text = path.includes('.csv') ? file.body.toString('utf8') : (await xlsxCells(file.body)).flat().map(asCsvText).join('|');
      expect(text, path).to.not.contain(SECRET);
      expect(text, path).to.not.contain('045185033333');
      if (!path.includes('q=')) expect(text, path).to.contain('[bảo mật]');
    }
    expect(await audit().countDocuments({ action: 'case.identity-viewed' })).to.equal(before);

    const k3 = fx.cases.K3;
    const caseCsv = (await download(cleared, '/cases/export.csv')).body.toString('utf8');
    expect(caseCsv).to.contain(SECRET);
    const caseEntry = await audit().findOne({ actorEmail: clearedEmail, 'details.where': 'case-export' });
    expect(caseEntry?.details).to.deep.include({ caseIds: [k3] });
    const regXlsx = (await xlsxCells((await download(cleared, '/receptions/export.xlsx')).body)).flat().map(asCsvText).join('|');
    expect(regXlsx).to.contain(SECRET);
    const regEntry = await audit().findOne({ actorEmail: clearedEmail, 'details.where': 'reception-export' });
    expect(regEntry?.details).to.deep.include({ caseIds: [k3] });
    expect(await audit().countDocuments({ actorEmail: clearedEmail, action: 'case.identity-viewed' })).to.equal(2);
    // A search by the denouncer's name finds the case only for the cleared user.
    expect(csvRows((await download(cleared, '/cases/export.csv?q=hoang thi em')).body)).to.have.length(2);
    expect(csvRows((await download(officer, '/cases/export.csv?q=hoang thi em')).body)).to.have.length(1);
  });

  it('offers the exports on the list pages with the current filters and the row count', async () => {
    const page = await officer.get('/cases?type=petition');
    expect(page.text).to.contain('href="/cases/export.csv?type=petition"');
    expect(page.text).to.contain('href="/cases/export.xlsx?type=petition"');
    expect(page.text).to.contain('data-export-total="4"');
    const register = await officer.get('/receptions');
    expect(register.text).to.contain('href="/receptions/export.xlsx"');
    const letters = await officer.get('/letters?channel=post');
    expect(letters.text).to.contain('href="/letters/export.csv?q=&amp;channel=post');
    expect(letters.text).to.contain('/assets/js/export-progress.mjs');
  });

  it('refuses an unknown format and a delegate outside their cases', async () => {
    expect((await officer.get('/cases/export.pdf')).status).to.equal(404);
    const delegateAgent = await signIn(app, fx.delegate);
    const rows = csvRows((await download(delegateAgent, '/cases/export.csv')).body);
    // The delegate follows the group visit's case (they hosted it) and nothing else.
    expect(rows.slice(1).map((r) => r[7])).to.deep.equal(['Kiến nghị về việc bồi thường giải phóng mặt bằng dự án đường ven biển']);
  });
});
