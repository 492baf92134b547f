// Voter petitions in the statistics, against the hand-built year of petitions-fixture.ts (every figure
// worked out there): raised, merged, after merging, forwarded, answered, satisfied by the meeting's
// day; by field, agency, delegate group and commune; the period "since the last session" of either
// body or of one; the page's charts and tables; and the session report as XLSX, parsed back.
import ExcelJS from 'exceljs';
import { expect } from 'chai';
import type { Express } from 'express';
import type { Actor } from '../../server/access/index.js';
import { emptyCounts, type Counts } from '../../server/meetings/report.rules.js';
import { computeStatistics, type Statistics } from '../../server/statistics/index.js';
import { PETITIONS_KEY } from '../../server/statistics/agency-performance.rules.js';
import { monthPeriod, quarterPeriod } from '../../server/statistics/period.rules.js';
import { loadActor } from '../../server/users/index.js';
import { buildTestApp, clearDatabase, connectTestDatabase, fixedClock } from '../support/app.js';
import { signIn, type Agent } from '../support/http.js';
import { buildPetitionsFixture, PETITIONS_NOW, type PetitionsFixture } from './petitions-fixture.js';

const counts = (c: Partial<Counts>): Counts => ({ ...emptyCounts(), ...c });
const byKey = (rows: { key: string | null; counts: Counts }[]) => Object.fromEntries(rows.map((r) => [r.key ?? 'none', r.counts]));

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

async function workbookOf(body: Buffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  const bytes = body as Buffer<ArrayBuffer>;
  await workbook.xlsx.load(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  return workbook;
}

function rowsOf(sheet: ExcelJS.Worksheet): unknown[][] {
  const rows: unknown[][] = [];
  sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  return rows;
}

describe('statistics: voter petitions', function () {
  this.timeout(180_000);
  const clock = fixedClock(PETITIONS_NOW);
  const ctx = { clock, ip: '127.0.0.1', requestId: 'test' };
  let fx: PetitionsFixture;

  // Built once: the tests below only read.
  before(async () => {
    await connectTestDatabase();
    await clearDatabase();
    fx = await buildPetitionsFixture();
  });

  describe('figures', () => {
    let actor: Actor;
    let may: Statistics;

    before(async () => {
      actor = (await loadActor(fx.delegate.id))!;
      may = await computeStatistics(actor, { kind: 'fixed', period: monthPeriod(2026, 5) }, 'vi', ctx);
    });

    it('counts meetings, petitions raised, merged, after merging, forwarded, answered and satisfied by the meeting’s day', () => {
      const p = may.petitions;
      expect({ meetings: p.meetings, votersPresent: p.votersPresent, raised: p.raised, raisedVoters: p.raisedVoters, merged: p.merged }).to.deep.equal({
        meetings: 4,
        votersPresent: 290,
        raised: 7,
        raisedVoters: 23,
        merged: 3,
      });
      expect(p.listed).to.deep.equal(counts({ petitions: 5, voters: 23, forwarded: 3, answered: 2, satisfied: 1, unsatisfied: 1, pending: 1, withdrawn: 1 }));
    });

    it('breaks the list after merging down by field and by agency', () => {
      const { ref, agencies } = fx;
      expect(byKey(may.petitions.byField)).to.deep.equal({
        // C (10 voters, satisfied) and P7 (6, pending); P2 (2, unsatisfied) and P5 (4, forwarded); P3 withdrawn.
        [ref.field]: counts({ petitions: 2, voters: 16, forwarded: 1, answered: 1, satisfied: 1, pending: 1 }),
        [ref.otherField]: counts({ petitions: 2, voters: 6, forwarded: 2, answered: 1, unsatisfied: 1 }),
        none: counts({ petitions: 1, voters: 1, withdrawn: 1 }),
      });
      expect(byKey(may.petitions.byAgency)).to.deep.equal({
        [agencies.A.id]: counts({ petitions: 1, voters: 10, forwarded: 1, answered: 1, satisfied: 1 }),
        [agencies.B.id]: counts({ petitions: 2, voters: 6, forwarded: 2, answered: 1, unsatisfied: 1 }),
        none: counts({ petitions: 2, voters: 7, pending: 1, withdrawn: 1 }),
      });
      expect(may.petitions.agencyNames).to.include({ [agencies.A.id]: agencies.A.name, [agencies.B.id]: agencies.B.name });
    });

    it('breaks what voters raised down by delegate group and commune, in the merged petition’s state', () => {
      // Đơn vị 1 was at M1 (P1 ✓, P2 ✗, P3 withdrawn) and M3 (P6 ✓); Đơn vị 2 at M2 (P4 ✓, P5, P7) and M3 (P6 ✓).
      expect(byKey(may.petitions.byGroup)).to.deep.equal({
        'Đơn vị 1': counts({ petitions: 4, voters: 8, forwarded: 3, answered: 3, satisfied: 2, unsatisfied: 1, withdrawn: 1 }),
        'Đơn vị 2': counts({ petitions: 4, voters: 17, forwarded: 3, answered: 2, satisfied: 2, pending: 1 }),
      });
      expect(byKey(may.petitions.byUnit)).to.deep.equal({
        [fx.ref.commune]: counts({ petitions: 2, voters: 5, forwarded: 2, answered: 2, satisfied: 1, unsatisfied: 1 }),
        [fx.ref.otherCommune]: counts({ petitions: 4, voters: 17, forwarded: 3, answered: 2, satisfied: 2, pending: 1 }),
        none: counts({ petitions: 1, voters: 1, withdrawn: 1 }),
      });
    });

    it('leaves out meetings of other periods, and a quarter adds them up', async () => {
      const april = (await computeStatistics(actor, { kind: 'fixed', period: monthPeriod(2026, 4) }, 'vi', ctx)).petitions;
      expect([april.meetings, april.votersPresent, april.raised, april.raisedVoters, april.merged]).to.deep.equal([1, 50, 1, 7, 0]);
      expect(april.listed).to.deep.equal(counts({ petitions: 1, voters: 7, forwarded: 1 }));
      // April to June: M0, M1, M2, M3, M5 and M8; P0–P8.
      const q2 = (await computeStatistics(actor, { kind: 'fixed', period: quarterPeriod(2026, 2) }, 'vi', ctx)).petitions;
      expect([q2.meetings, q2.votersPresent, q2.raised, q2.raisedVoters, q2.merged]).to.deep.equal([6, 380, 9, 39, 3]);
      expect(q2.listed).to.deep.equal(counts({ petitions: 7, voters: 39, forwarded: 4, answered: 2, satisfied: 1, unsatisfied: 1, pending: 2, withdrawn: 1 }));
    });

    it('counts the forwardings of petitions under their own key in the forwardings by type, field and commune', async () => {
      const june = await computeStatistics(actor, { kind: 'fixed', period: monthPeriod(2026, 6) }, 'vi', ctx);
      for (const rows of [june.forwardings.byType, june.forwardings.byField, june.forwardings.byUnit]) {
        expect(rows.map((r) => [r.key, r.forwarded, r.onTime])).to.deep.equal([[PETITIONS_KEY, 2, 2]]);
      }
      // The periodic report does not call those two lists letters.
      const report = await (await signIn(buildTestApp({ clock }).app, fx.delegate)).get('/statistics/report?period=month&year=2026&month=6');
      expect(report.status).to.equal(200);
      expect(report.text).to.contain('IV. KẾT QUẢ GIẢI QUYẾT ĐƠN, KIẾN NGHỊ ĐÃ CHUYỂN');
      expect(report.text).to.contain(
        'Trong kỳ, Văn phòng đã chuyển đến cơ quan có thẩm quyền 2 lượt, gồm 0 lượt chuyển đơn và 2 lượt chuyển danh sách kiến nghị của cử tri. Đến nay: 2 lượt được trả lời đúng hạn',
      );
    });
  });

  describe('over HTTP: the page, since the last session, the session report as XLSX', () => {
    let app: Express;
    let reader: Agent;

    before(async () => {
      app = buildTestApp({ clock }).app;
      reader = await signIn(app, fx.delegate);
    });

    it('shows the petitions with a chart and a data table for each breakdown', async () => {
      const res = await reader.get('/statistics?period=month&year=2026&month=5');
      expect(res.status).to.equal(200);
      expect(res.text).to.match(/Kiến nghị cử tri nêu\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*7\s*<\/dd>/);
      expect(res.text).to.match(/Kiến nghị sau khi gộp\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*5\s*<\/dd>/);
      expect(res.text).to.match(/Cuộc tiếp xúc cử tri\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*4\s*<\/dd>/);
      expect(res.text).to.contain('<h2 class="govuk-heading-m" id="section-petitions">Kiến nghị cử tri</h2>');
      expect(res.text).to.contain(`<desc id="chart-petitions-agency-desc">Theo cơ quan giải quyết, Kiến nghị: ${fx.agencies.B.name}: 2; Chưa giao cơ quan giải quyết: 2; ${fx.agencies.A.name}: 1.</desc>`);
      expect(res.text).to.contain('<desc id="chart-petitions-group-desc">Theo tổ đại biểu (kiến nghị nêu tại các cuộc tiếp xúc), Kiến nghị: Đơn vị 1: 4; Đơn vị 2: 4.</desc>');
      for (const id of ['petitions-field', 'petitions-agency', 'petitions-group', 'petitions-unit']) expect(res.text, id).to.contain(`aria-labelledby="chart-${id}-title chart-${id}-desc"`);
      // The table by delegate group has no totals (a meeting with two groups counts for both); the others do.
      const groupTable = /<caption[^>]*>Theo tổ đại biểu[\s\S]*?<\/table>/.exec(res.text)![0];
      expect(groupTable).to.not.contain('dn-total-row');
      const agencyTable = /<caption[^>]*>Theo cơ quan giải quyết<\/caption>[\s\S]*?<\/table>/.exec(res.text)![0];
      expect(agencyTable).to.match(/Tổng cộng<\/th>\s*(<td[^>]*><strong>\d+<\/strong><\/td>\s*){6}/);
      expect(agencyTable).to.contain('<strong>5</strong>');
      expect(res.text).to.not.contain('sẽ được bổ sung');
    });

    it('counts since the last session of either body, or of the one chosen, naming the session', async () => {
      // Either body: the People's Council's session closed last (03/07): 04/07–20/07 holds M9 only.
      const either = await reader.get('/statistics?period=since-last-session');
      expect(either.status).to.equal(200);
      expect(either.text).to.contain('Số liệu Từ 04/07/2026 đến 20/07/2026, sau Kỳ họp thứ 5, HĐND tỉnh khóa IX');
      expect(either.text).to.match(/Kiến nghị cử tri nêu\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*1\s*<\/dd>/);
      expect(either.text).to.contain('<desc id="chart-petitions-group-desc">Theo tổ đại biểu (kiến nghị nêu tại các cuộc tiếp xúc), Kiến nghị: Đơn vị 5: 1.</desc>');
      // The National Assembly's: from 16/06, M8 and M9.
      const assembly = await reader.get('/statistics?period=since-last-session&body=quoc-hoi');
      expect(assembly.status).to.equal(200);
      expect(assembly.text).to.contain('Số liệu Từ 16/06/2026 đến 20/07/2026, sau Kỳ họp thứ 2, Quốc hội khóa XVI');
      expect(assembly.text).to.match(/Cuộc tiếp xúc cử tri\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*2\s*<\/dd>/);
      expect(assembly.text).to.match(/Lượt cử tri kiến nghị\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*13\s*<\/dd>/);
      expect(assembly.text).to.contain('<option value="quoc-hoi" selected>Quốc hội</option>');
      // The report and the agencies page take the same period.
      const report = await reader.get('/statistics/report?period=since-last-session&body=quoc-hoi');
      expect(report.text).to.contain('Kết quả công tác tiếp công dân, tiếp nhận và xử lý đơn thư (Từ 16/06/2026 đến 20/07/2026, sau Kỳ họp thứ 2, Quốc hội khóa XVI)');
      expect((await reader.get('/statistics/agencies?period=since-last-session')).status).to.equal(200);
      // On the day a session closes it is still sitting: the People's Council's earlier session does not count yet.
      const onClosingDay = await signIn(buildTestApp({ clock: fixedClock(new Date('2026-07-03T03:00:00Z')) }).app, fx.delegate);
      const early = await onClosingDay.get('/statistics?period=since-last-session');
      expect(early.text).to.contain('Số liệu Từ 16/06/2026 đến 03/07/2026, sau Kỳ họp thứ 2, Quốc hội khóa XVI');
    });

    it('answers a body it does not know, or one without a closed session, with 422 in Vietnamese keeping the choice', async () => {
      const bad = await reader.get('/statistics?period=since-last-session&body=uy-ban');
      expect(bad.status).to.equal(422);
      expect(bad.text).to.contain('govuk-error-summary');
      expect(bad.text).to.contain('Chọn kỳ họp của Quốc hội hoặc của HĐND tỉnh trong danh sách');
      expect(bad.text).to.contain('href="#body"');
      // Operator syntax is an unknown parameter: ignored, and the session of either body is used.
      expect((await reader.get('/statistics/report.xlsx?period=since-last-session&body[$ne]=x')).status).to.equal(200);
      // Before the People's Council's first session closed, asking for its sessions is refused.
      const before = await signIn(buildTestApp({ clock: fixedClock(new Date('2026-06-20T03:00:00Z')) }).app, fx.delegate);
      const none = await before.get('/statistics?period=since-last-session&body=hdnd-tinh');
      expect(none.status).to.equal(422);
      expect(none.text).to.contain('Chưa có kỳ họp nào của HĐND tỉnh bế mạc trước hôm nay');
      expect(none.text).to.contain('<option value="hdnd-tinh" selected>HĐND tỉnh</option>');
    });

    it('exports the session report as XLSX, a sheet per part of the paper, numbers as numbers, Vietnamese intact', async () => {
      for (const user of [fx.delegate, fx.admin, fx.officer]) {
        const agent = await signIn(app, user, { nowMs: PETITIONS_NOW.getTime() });
        const page = await agent.get(`/meetings/sessions/${fx.sessions.S1}/report`);
        expect(page.status, user.role).to.equal(200);
        expect(page.text, user.role).to.contain(`href="/meetings/sessions/${fx.sessions.S1}/report.xlsx"`);
      }
      const res = await binary(reader, `/meetings/sessions/${fx.sessions.S1}/report.xlsx`);
      expect(res.status).to.equal(200);
      expect(res.headers['content-type']).to.equal('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      expect(res.headers['content-disposition']).to.contain("filename*=UTF-8''B%C3%A1o%20c%C3%A1o%20k%E1%BA%BFt%20qu%E1%BA%A3");
      const workbook = await workbookOf(res.body as Buffer);
      expect(workbook.worksheets.map((w) => w.name)).to.deep.equal(['1. Tổng hợp', '2. Theo lĩnh vực', '3. Theo cơ quan', '4. Theo tổ đại biểu', '5. Theo địa phương', '6. Danh sách kiến nghị']);

      // Session S1: P0–P8 raised (39 voters), 3 merged; C, P0, P2, P3, P5, P7, P8 listed.
      const summary = rowsOf(workbook.worksheets[0]!);
      // Headings and the opening paragraph span the sheet's columns (merged cells repeat their value).
      expect(summary.slice(0, 4).map((r) => r[0])).to.deep.equal(['ĐOÀN ĐBQH VÀ HĐND TỈNH QUẢNG TRỊ', 'VĂN PHÒNG ĐOÀN ĐBQH VÀ HĐND TỈNH', 'BÁO CÁO', 'Kết quả giải quyết kiến nghị cử tri gửi tới Kỳ họp thứ 2, Quốc hội khóa XVI']);
      expect(String(summary[4]![0])).to.match(/^Từ các cuộc tiếp xúc cử tri trước và sau Kỳ họp thứ 2, Quốc hội khóa XVI, cử tri đã nêu 9 kiến nghị \(39 lượt cử tri\)/);
      expect(summary.slice(5)).to.deep.equal([
        ['Kiến nghị cử tri nêu tại các cuộc tiếp xúc', 9],
        ['Lượt cử tri kiến nghị', 39],
        ['Kiến nghị đã gộp vào kiến nghị khác', 3],
        ['Kiến nghị tổng hợp (sau khi gộp)', 7],
        ['Đã chuyển', 4],
        ['Đã trả lời', 2],
        ['Thỏa đáng', 1],
        ['Chưa thỏa đáng', 1],
        ['Chưa chuyển', 2],
        ['Không chuyển', 1],
      ]);
      const agencies = rowsOf(workbook.worksheets[2]!);
      expect(agencies[2]).to.deep.equal(['Cơ quan giải quyết', 'Kiến nghị', 'Lượt cử tri', 'Đã chuyển', 'Đã trả lời', 'Thỏa đáng', 'Chưa thỏa đáng']);
      // B: P0 (7), P2 (2, ✗), P5 (4); A: C (10, ✓); none: P3 (1), P7 (6), P8 (9).
      expect(agencies.slice(3)).to.have.deep.members([
        [fx.agencies.A.name, 1, 10, 1, 1, 1, 0],
        [fx.agencies.B.name, 3, 13, 3, 1, 0, 1],
        ['Chưa xác định', 3, 16, 0, 0, 0, 0],
      ]);
      const groups = rowsOf(workbook.worksheets[3]!);
      expect(groups.slice(3)).to.deep.equal([
        // Đơn vị 1: M0 (P0), M1 (P1 ✓, P2 ✗, P3), M3 (P6 ✓), M8 (P8) — 7+3+2+1+2+9 = 24 voters.
        ['Đơn vị 1', 6, 24, 4, 3, 2, 1],
        ['Đơn vị 2', 4, 17, 3, 2, 2, 0],
      ]);
      const list = rowsOf(workbook.worksheets[5]!);
      expect(list[1]).to.deep.equal(['STT', 'Mã', 'Nội dung kiến nghị', 'Lĩnh vực', 'Địa phương', 'Số lượt cử tri', 'Cơ quan giải quyết', 'Tình trạng', 'Kết quả trả lời']);
      expect(list).to.have.length(2 + 7);
      const merged = list.find((r) => r[2] === 'C Sửa chữa đường liên xã bị sạt lở')!;
      expect(merged[5]).to.equal(10);
      expect(merged[6]).to.equal(fx.agencies.A.name);
      expect(merged[7]).to.equal('Đã trả lời, cử tri đồng tình');
      expect(String(merged[8])).to.contain('văn bản số 06/TL ngày 06/07/2026');
      expect(list.map((r) => r[0])).to.deep.equal(['Danh sách kiến nghị và kết quả trả lời', 'STT', 1, 2, 3, 4, 5, 6, 7]);
      const text = JSON.stringify(rowsOf(workbook.worksheets[5]!));
      expect(text).to.equal(text.normalize('NFC'));
    });

    it('exports one delegate group’s report to voters as XLSX', async () => {
      const res = await binary(reader, `/meetings/sessions/${fx.sessions.S1}/report.xlsx?group=${encodeURIComponent('Đơn vị 2')}`);
      expect(res.status).to.equal(200);
      const workbook = await workbookOf(res.body as Buffer);
      expect(workbook.worksheets.map((w) => w.name)).to.deep.equal(['1. Tổng hợp', '2. Kiến nghị và trả lời']);
      const list = rowsOf(workbook.worksheets[1]!);
      expect(list[0]![0]).to.equal('Kiến nghị của Tổ đại biểu Đơn vị 2 và kết quả trả lời');
      expect(list.slice(2).map((r) => String(r[2]).slice(0, 2))).to.have.members(['P4', 'P5', 'P6', 'P7']);
      // A session that does not exist.
      expect((await binary(reader, '/meetings/sessions/000000000000000000000000/report.xlsx')).status).to.equal(404);
    });
  });
});
