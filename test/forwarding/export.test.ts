// The forwarding list as CSV and XLSX, read back (CSV by hand, XLSX with exceljs): the list's rows and
// filters, formulas defused, the deadline's explanation, the user's scope — and no trace of a
// denouncer, even for an officer allowed to see one, since the list itself shows no party.
import { expect } from 'chai';
import type { Express } from 'express';
import { guardFormula } from '../../server/exports/index.js';
import { foldVietnamese } from '../../server/platform/text.js';
import { asCsvText, csvRows, download, xlsxCells } from '../exports/support.js';
import { buildTestApp, fixedClock, useTestDatabase } from '../support/app.js';
import { createTestUser } from '../support/factories.js';
import { signIn } from '../support/http.js';
import { APP_CONFIG, DENOUNCER, START, sendForwarding } from './support.js';

const HEADER = ['Số phiếu', 'Ngày phiếu', 'Cơ quan nhận', 'Vụ việc', 'Trạng thái', 'Thời hạn trả lời', 'Số ngày quá hạn', 'Cách tính thời hạn', 'Số văn bản trả lời', 'Người lập', 'Ngày lập'];
const FORMULA_AGENCY = '=HYPERLINK("http://x.example","Sở") Ban Dân tộc';

describe('forwarding list export', function () {
  this.timeout(90_000);
  useTestDatabase();

  it('exports the filtered list as CSV and XLSX with the same cells, formulas defused, no denouncer anywhere', async () => {
    const clock = fixedClock(START);
    const app: Express = buildTestApp({ clock, config: APP_CONFIG }).app;
    const denunciation = await sendForwarding(app, clock, { denunciation: true, agencyName: 'Thanh tra tỉnh thử' });
    const complaint = await sendForwarding(app, clock, { denunciation: false, agencyName: FORMULA_AGENCY, reuse: { officer: denunciation.officer, officerAgent: denunciation.officerAgent, leader: denunciation.leader } });
    // The officer may see the denouncer on the case: the forwarding list still shows none.
    const officer = denunciation.officerAgent;
    expect((await officer.get(`/cases/${denunciation.caseId}`)).text).to.include(DENOUNCER.name);

    const list = await officer.get('/forwardings');
    expect(list.text).to.include('href="/forwardings/export.csv?status=&amp;overdue=&amp;mine=');

    const csv = await download(officer, '/forwardings/export.csv');
    expect(csv.status).to.equal(200);
    expect(csv.headers['content-type']).to.equal('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).to.contain("filename*=UTF-8''Danh%20s%C3%A1ch%20phi%E1%BA%BFu%20chuy%E1%BB%83n%20%C4%91%C6%A1n.csv");
    expect(csv.headers['x-export-rows']).to.equal('2');
    const rows = csvRows(csv.body);
    expect(rows[0]).to.deep.equal(HEADER);
    expect(rows).to.have.length(3);
    const byAgency = new Map(rows.slice(1).map((r) => [r[2]!, r]));
    expect(byAgency.get('Thanh tra tỉnh thử')!.slice(4, 9)).to.deep.equal(['Đã gửi', '23/03/2027', '0', '15 ngày làm việc kể từ 02/03/2027 (chuyển đơn) → 23/03/2027 (bỏ qua 6 ngày nghỉ)', '0']);
    expect(byAgency.get(`'${FORMULA_AGENCY}`), 'the formula is defused').to.not.equal(undefined);
    const caseNumbers = rows.slice(1).map((r) => r[3]);
    expect(caseNumbers.every((n) => /^\d{4}\/\d{6}$/.test(n ?? ''))).to.equal(true);

    const xlsx = await download(officer, '/forwardings/export.xlsx');
    expect(xlsx.status).to.equal(200);
    const cells = await xlsxCells(xlsx.body);
    expect(cells.map((r) => r.map((c) => guardFormula(asCsvText(c))))).to.deep.equal(rows);
    expect(cells[1]![5]!.value).to.be.instanceOf(Date);

    // Neither file names the denouncer, in any spelling.
    const secrets = [DENOUNCER.name, DENOUNCER.citizenId, foldVietnamese(DENOUNCER.name)];
    const xlsxText = cells.flat().map((c) => asCsvText(c)).join('\n');
    for (const text of [csv.body.toString('utf8'), foldVietnamese(csv.body.toString('utf8')), xlsxText, foldVietnamese(xlsxText)]) {
      for (const secret of secrets) expect(text).to.not.include(secret);
    }

    // The list's filters: one agency, a status with nothing in it.
    const one = csvRows((await download(officer, `/forwardings/export.csv?agency=${complaint.agencyId}`)).body);
    expect(one.slice(1).map((r) => r[2])).to.deep.equal([`'${FORMULA_AGENCY}`]);
    expect(csvRows((await download(officer, '/forwardings/export.csv?status=closed')).body)).to.deep.equal([HEADER]);
    // Junk in the query is ignored as the list ignores it, never an error.
    expect((await download(officer, '/forwardings/export.csv?status[$ne]=x&agency=<script>')).status).to.equal(200);
  });

  it('exports only what the user may list: a delegate who follows no case gets the header alone', async () => {
    const clock = fixedClock(START);
    const app: Express = buildTestApp({ clock, config: APP_CONFIG }).app;
    await sendForwarding(app, clock, { denunciation: true });
    const delegate = await signIn(app, await createTestUser({ role: 'delegate' }), { nowMs: clock.now().getTime() });
    const csv = await download(delegate, '/forwardings/export.csv');
    expect(csv.status).to.equal(200);
    expect(csvRows(csv.body)).to.deep.equal([HEADER]);
    const xlsx = await xlsxCells((await download(delegate, '/forwardings/export.xlsx')).body);
    expect(xlsx).to.have.length(1);
  });
});
