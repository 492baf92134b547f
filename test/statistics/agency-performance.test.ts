// How agencies answered, on the hand-built office of test/queues/fixture.ts (see its table): every
// figure per agency and in total, the statistics page and the periodic report's section on forwarded
// matters, the page's sorting and links to the forwarding list (which must list exactly what each
// figure counts), the CSV/XLSX export, and bad input (422 in Vietnamese or the default order, never
// 500). The arithmetic has its own table tests.
import ExcelJS from 'exceljs';
import { expect } from 'chai';
import type { Express } from 'express';
import type { Actor } from '../../server/access/index.js';
import { computeStatistics } from '../../server/statistics/index.js';
import { computeAgencyPerformance, parseAgencySort } from '../../server/statistics/agency-performance.service.js';
import { meanOf, medianOf, performanceRow, sortAgencyRows, type AgencyPerformanceRow } from '../../server/statistics/agency-performance.rules.js';
import type { KeyedForwardingRow } from '../../server/statistics/forwarding-figures.queries.js';
import { buildPeriodicReport } from '../../server/statistics/report.content.js';
import { monthPeriod, yearPeriod } from '../../server/statistics/period.rules.js';
import { loadActor } from '../../server/users/index.js';
import { buildTestApp, clearDatabase, connectTestDatabase, fixedClock, testTranslator } from '../support/app.js';
import { signIn, type Agent } from '../support/http.js';
import { buildQueueFixture, DAY, NOW, type QueueFixture } from '../queues/fixture.js';

type Figures = Pick<AgencyPerformanceRow, 'agencyName' | 'forwarded' | 'onTime' | 'late' | 'overdue' | 'notDue' | 'meanDays' | 'medianDays' | 'evaluatedItems' | 'unsatisfiedItems' | 'unsatisfiedShare'>;
const figures = (r: AgencyPerformanceRow): Figures => ({
  agencyName: r.agencyName,
  forwarded: r.forwarded,
  onTime: r.onTime,
  late: r.late,
  overdue: r.overdue,
  notDue: r.notDue,
  meanDays: r.meanDays,
  medianDays: r.medianDays,
  evaluatedItems: r.evaluatedItems,
  unsatisfiedItems: r.unsatisfiedItems,
  unsatisfiedShare: r.unsatisfiedShare,
});

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

const rowIds = (html: string) => [...html.matchAll(/href="\/forwardings\/([a-f0-9]{24})"/g)].map((x) => x[1]);

describe('statistics: agency performance (rules)', () => {
  const tally = (durationsInDays: number[], extra: Partial<Parameters<typeof performanceRow>[0]> = {}) =>
    performanceRow({ agencyId: 'x', agencyName: 'X', forwarded: 10, answered: durationsInDays.length, late: 1, overdue: 2, durations: durationsInDays.map((d) => d * DAY), evaluatedItems: 3, unsatisfiedItems: 1, ...extra });

  for (const [values, mean, median] of [
    [[], null, null],
    [[4], 4, 4],
    [[1, 2, 9], 4, 2],
    [[9, 1, 3, 5], 4.5, 4],
  ] as [number[], number | null, number | null][]) {
    it(`mean ${mean} and median ${median} of [${values.join(', ')}]`, () => {
      expect(meanOf(values)).to.equal(mean);
      expect(medianOf(values)).to.equal(median);
    });
  }

  it('derives on time, not yet due, days to one decimal and the unsatisfied share', () => {
    const row = tally([1.04, 2.26, 10]);
    expect([row.onTime, row.late, row.overdue, row.notDue, row.meanDays, row.medianDays, row.unsatisfiedShare]).to.deep.equal([2, 1, 2, 5, 4.4, 2.3, 33.3]);
    expect(tally([], { evaluatedItems: 0, unsatisfiedItems: 0, late: 0 }).unsatisfiedShare).to.equal(null);
  });

  it('sorts by any column, empty figures last in both directions, ties by name', () => {
    const rows = [
      { ...tally([3]), agencyId: '1', agencyName: 'Bưu điện' },
      { ...tally([]), agencyId: '2', agencyName: 'An ninh' },
      { ...tally([3]), agencyId: '3', agencyName: 'Ánh sáng' },
      { ...tally([8]), agencyId: '4', agencyName: 'Công an' },
    ];
    const ids = (r: AgencyPerformanceRow[]) => r.map((x) => x.agencyId);
    expect(ids(sortAgencyRows(rows, 'meanDays', 'asc'))).to.deep.equal(['3', '1', '4', '2']);
    expect(ids(sortAgencyRows(rows, 'meanDays', 'desc'))).to.deep.equal(['4', '3', '1', '2']);
    expect(ids(sortAgencyRows(rows, 'agency', 'asc'))).to.deep.equal(['2', '3', '1', '4']);
    expect(ids(sortAgencyRows(rows, 'agency', 'desc'))).to.deep.equal(['4', '1', '3', '2']);
  });

  it('reads the order from the query string, falling back to the default', () => {
    expect(parseAgencySort({})).to.deep.equal({ key: 'forwarded', dir: 'desc' });
    expect(parseAgencySort({ sort: 'agency' })).to.deep.equal({ key: 'agency', dir: 'asc' });
    expect(parseAgencySort({ sort: 'medianDays', dir: 'asc' })).to.deep.equal({ key: 'medianDays', dir: 'asc' });
    expect(parseAgencySort({ sort: 'constructor', dir: 'up' })).to.deep.equal({ key: 'forwarded', dir: 'desc' });
    expect(parseAgencySort({ sort: ['late', 'overdue'] })).to.deep.equal({ key: 'forwarded', dir: 'desc' });
    expect(parseAgencySort(null)).to.deep.equal({ key: 'forwarded', dir: 'desc' });
  });
});

describe('statistics: agency performance', function () {
  this.timeout(180_000);
  let fx: QueueFixture;
  let app: Express;
  let reader: Agent;
  let leaderAgent: Agent;
  let actor: Actor;
  const ctx = { clock: fixedClock(NOW), ip: '127.0.0.1', requestId: 'test' };

  before(async () => {
    await connectTestDatabase();
    await clearDatabase();
    fx = await buildQueueFixture();
    app = buildTestApp({ clock: fixedClock(NOW) }).app;
    reader = await signIn(app, fx.delegate);
    leaderAgent = await signIn(app, fx.leader, { nowMs: NOW.getTime() });
    actor = (await loadActor(fx.leader.id))!;
  });

  it('counts each agency’s forwardings sent in the year, and all of them together', async () => {
    const perf = await computeAgencyPerformance(actor, { kind: 'fixed', period: yearPeriod(2027) }, { key: 'forwarded', dir: 'desc' }, 'Tổng cộng', ctx);
    expect(perf.rows.map(figures)).to.deep.equal([
      { agencyName: fx.names.A, forwarded: 4, onTime: 2, late: 1, overdue: 1, notDue: 0, meanDays: 12.3, medianDays: 5, evaluatedItems: 2, unsatisfiedItems: 1, unsatisfiedShare: 50 },
      { agencyName: fx.names.C, forwarded: 2, onTime: 0, late: 0, overdue: 0, notDue: 2, meanDays: null, medianDays: null, evaluatedItems: 0, unsatisfiedItems: 0, unsatisfiedShare: null },
      { agencyName: fx.names.B, forwarded: 2, onTime: 1, late: 0, overdue: 1, notDue: 0, meanDays: 10, medianDays: 10, evaluatedItems: 0, unsatisfiedItems: 0, unsatisfiedShare: null },
    ]);
    expect(figures(perf.total)).to.deep.equal({ agencyName: 'Tổng cộng', forwarded: 8, onTime: 3, late: 1, overdue: 2, notDue: 2, meanDays: 11.8, medianDays: 7.5, evaluatedItems: 2, unsatisfiedItems: 1, unsatisfiedShare: 50 });
    // Only what was sent in the period: March has A and B, and the draft F8 is never counted.
    const march = await computeAgencyPerformance(actor, { kind: 'fixed', period: monthPeriod(2027, 3) }, { key: 'agency', dir: 'asc' }, 'Tổng cộng', ctx);
    expect(march.rows.map((r) => [r.agencyName, r.forwarded])).to.deep.equal([
      [fx.names.A, 4],
      [fx.names.B, 2],
    ]);
    expect(march.total.forwarded).to.equal(6);
    // Overdue is judged now: a week before F3's deadline it was not yet due.
    const before = await computeAgencyPerformance(actor, { kind: 'fixed', period: monthPeriod(2027, 3) }, { key: 'agency', dir: 'asc' }, '', { clock: fixedClock(new Date('2027-03-15T03:00:00Z')) });
    expect([before.total.overdue, before.total.notDue]).to.deep.equal([0, 2]);
  });

  it('adds the forwarded matters to the statistics and to the periodic report', async () => {
    const stats = await computeStatistics(actor, { kind: 'fixed', period: yearPeriod(2027) }, 'vi', ctx);
    expect([stats.forwardings.total.forwarded, stats.forwardings.total.onTime, stats.forwardings.total.late, stats.forwardings.total.overdue, stats.forwardings.total.notDue]).to.deep.equal([8, 3, 1, 2, 2]);
    const report = buildPeriodicReport(stats, testTranslator().t('vi'));
    const section = report.sections.find((s) => s.heading === 'IV. KẾT QUẢ GIẢI QUYẾT ĐƠN ĐÃ CHUYỂN');
    expect(section, 'section IV').to.not.equal(undefined);
    expect(section!.paragraphs).to.deep.equal([
      'Trong kỳ, Văn phòng đã chuyển 8 đơn đến cơ quan có thẩm quyền. Đến nay: 3 đơn được trả lời đúng hạn, 1 đơn được trả lời quá hạn, 2 đơn đã quá hạn mà chưa được trả lời, 2 đơn chưa đến hạn trả lời.',
      'Thời gian trả lời trung bình là 11,8 ngày (trung vị 7,5 ngày), tính trên 4 đơn đã được trả lời.',
    ]);
    expect(section!.tables[0]!.rows).to.deep.equal([
      { label: fx.names.A, values: [4, 2, 1, 1, 0] },
      { label: fx.names.C, values: [2, 0, 0, 0, 2] },
      { label: fx.names.B, values: [2, 1, 0, 1, 0] },
    ]);
    expect(section!.tables[0]!.totals).to.deep.equal([8, 3, 1, 2, 2]);
    // A period without forwardings has no such section.
    const empty = await computeStatistics(actor, { kind: 'fixed', period: yearPeriod(2026) }, 'vi', ctx);
    expect(buildPeriodicReport(empty, testTranslator().t('vi')).sections.map((s) => s.heading)).to.not.include('IV. KẾT QUẢ GIẢI QUYẾT ĐƠN ĐÃ CHUYỂN');

    const page = await reader.get('/statistics?period=year&year=2027');
    expect(page.status).to.equal(200);
    expect(page.text).to.match(/Lượt chuyển\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*8\s*<\/dd>/);
    expect(page.text).to.match(/Số ngày trả lời trung bình\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*11,8\s*<\/dd>/);
    expect(page.text).to.contain('<caption class="govuk-table__caption govuk-table__caption--s">Theo cơ quan được chuyển</caption>');
    expect(page.text).to.contain('href="/statistics/agencies?period=year&amp;year=2027"');
    const xlsx = await binary(reader, '/statistics/report.xlsx?period=year&year=2027');
    const workbook = new ExcelJS.Workbook();
    const body = xlsx.body as Buffer<ArrayBuffer>;
    await workbook.xlsx.load(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength));
    expect(workbook.worksheets.map((w) => w.name).at(-1)).to.equal('4. Đơn, kiến nghị đã chuyển');
  });

  it('breaks the forwardings down by the type, field and commune of the case forwarded', async () => {
    const stats = await computeStatistics(actor, { kind: 'fixed', period: yearPeriod(2027) }, 'vi', ctx);
    const rows = (list: KeyedForwardingRow[]) => Object.fromEntries(list.map((r) => [r.key ?? 'none', [r.forwarded, r.onTime, r.late, r.overdue, r.notDue]]));
    // Eight complaints; F3 (K3) is in the other field, F5 (K5) in the other commune, both overdue.
    expect(rows(stats.forwardings.byType)).to.deep.equal({ complaint: [8, 3, 1, 2, 2] });
    expect(rows(stats.forwardings.byField)).to.deep.equal({ [fx.ref.field]: [7, 3, 1, 1, 2], [fx.ref.otherField]: [1, 0, 0, 1, 0] });
    expect(rows(stats.forwardings.byUnit)).to.deep.equal({ [fx.ref.commune]: [7, 3, 1, 1, 2], [fx.ref.otherCommune]: [1, 0, 0, 1, 0] });
    // On the page, each with its chart and table; in the report, the table by type under the one by agency.
    const page = await reader.get('/statistics?period=year&year=2027');
    for (const id of ['forwardings-type', 'forwardings-field', 'forwardings-unit']) expect(page.text, id).to.contain(`<desc id="chart-${id}-desc">`);
    expect(page.text).to.contain('<desc id="chart-forwardings-type-desc">Theo loại, Lượt chuyển: Khiếu nại: 8.</desc>');
    const report = buildPeriodicReport(stats, testTranslator().t('vi'));
    const section = report.sections.find((s) => s.heading === 'IV. KẾT QUẢ GIẢI QUYẾT ĐƠN ĐÃ CHUYỂN')!;
    expect(section.tables.map((t) => t.title)).to.deep.equal(['Theo cơ quan được chuyển', 'Theo loại']);
    expect(section.tables[1]!.rows).to.deep.equal([{ label: 'Khiếu nại', values: [8, 3, 1, 2, 2] }]);
  });

  it('shows the table with every figure linked to the forwardings it counts', async () => {
    const res = await reader.get('/statistics/agencies?period=year&year=2027');
    expect(res.status).to.equal(200);
    const rows = [...res.text.matchAll(/<tr class="govuk-table__row(?: dn-total-row)?"><th scope="row" class="govuk-table__header">([^<]+)<\/th>([\s\S]*?)<\/tr>/g)].map((x) => [
      x[1],
      ...[...x[2]!.matchAll(/data-figure="\w+">(?:<strong>)?(?:<a class="govuk-link" href="[^"]*">)?([^<]+)/g)].map((c) => c[1]),
    ]);
    expect(rows).to.deep.equal([
      [fx.names.A, '4', '2', '1', '1', '0', '12,3', '5,0', '50,0 %'],
      [fx.names.C, '2', '0', '0', '0', '2', '—', '—', '—'],
      [fx.names.B, '2', '1', '0', '1', '0', '10,0', '10,0', '—'],
      ['Tổng cộng', '8', '3', '1', '2', '2', '11,8', '7,5', '50,0 %'],
    ]);
    const A = fx.agencies.A;
    const span = 'from=2027-01-01&amp;to=2027-12-31';
    expect(res.text).to.contain(`href="/forwardings?agency=${A}&amp;${span}&amp;answer=on-time">2</a>`);
    expect(res.text).to.contain(`href="/forwardings?agency=${A}&amp;${span}&amp;verdict=unsatisfied">50,0 %</a>`);
    expect(res.text).to.contain(`href="/forwardings?${span}&amp;answer=overdue">2</a>`);

    // Each link lists exactly the forwardings its figure counts.
    const f = fx.forwardings;
    const cases: [string, string[]][] = [
      [`agency=${A}&from=2027-01-01&to=2027-12-31`, [f.F1, f.F1b, f.F2, f.F3]],
      [`agency=${A}&from=2027-01-01&to=2027-12-31&answer=on-time`, [f.F1, f.F1b]],
      [`agency=${A}&from=2027-01-01&to=2027-12-31&answer=late`, [f.F2]],
      [`from=2027-01-01&to=2027-12-31&answer=overdue`, [f.F3, f.F5]],
      [`from=2027-01-01&to=2027-12-31&answer=not-due`, [f.F6, f.F7]],
      [`from=2027-01-01&to=2027-12-31&answer=answered`, [f.F1, f.F1b, f.F2, f.F4]],
      [`from=2027-01-01&to=2027-12-31&verdict=unsatisfied`, [f.F1]],
      [`from=01/03/2027&to=31/03/2027`, [f.F1, f.F1b, f.F2, f.F3, f.F4, f.F5]],
    ];
    for (const [query, expected] of cases) {
      const list = await leaderAgent.get(`/forwardings?${query}`);
      expect(list.status, query).to.equal(200);
      expect(new Set(rowIds(list.text)), query).to.deep.equal(new Set(expected));
    }
  });

  it('sorts by each column on request and ignores an order it cannot read', async () => {
    const order = async (query: string) => {
      const res = await reader.get(`/statistics/agencies?period=year&year=2027&${query}`);
      expect(res.status, query).to.equal(200);
      return [...res.text.matchAll(/<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">([^<]+)</g)].map((x) => x[1]);
    };
    const { A, B, C } = fx.names;
    expect(await order('sort=meanDays&dir=asc')).to.deep.equal([B, A, C]);
    expect(await order('sort=meanDays&dir=desc')).to.deep.equal([A, B, C]);
    expect(await order('sort=notDue')).to.deep.equal([C, A, B]);
    expect(await order('sort=agency&dir=desc')).to.deep.equal([B, C, A]);
    expect(await order('sort=unsatisfiedShare&dir=asc')).to.deep.equal([A, C, B]);
    for (const bad of ['sort=__proto__', 'sort=forwarded&dir=sideways', 'sort[]=late', 'dir=asc&dir=desc']) expect(await order(bad), bad).to.have.length(3);
    expect(await order('sort=__proto__')).to.deep.equal([A, C, B]);
    const res = await reader.get('/statistics/agencies?period=year&year=2027&sort=late');
    expect(res.text).to.contain('aria-sort="descending"');
    // The heading of the sorted column turns the order round; the period is kept.
    expect(res.text).to.contain('href="/statistics/agencies?period=year&amp;year=2027&amp;sort=late&amp;dir=asc"');
  });

  it('answers a bad period with 422 in Vietnamese, keeping what was typed, never 500', async () => {
    const cases: [string, string][] = [
      ['/statistics/agencies?period=custom&from=31/02/2027&to=10/03/2027', 'Nhập ngày theo dạng ngày/tháng/năm'],
      ['/statistics/agencies?period=custom&from=10/03/2027&to=01/03/2027&sort=late', 'Ngày kết thúc phải bằng hoặc sau ngày bắt đầu'],
      ['/statistics/agencies?period=month&month=13', 'Tháng phải từ 1 đến 12'],
      ['/statistics/agencies/export.csv?period=weekly', 'Chọn một loại kỳ thống kê'],
      ['/statistics/agencies/export.xlsx?year=abc', 'Năm phải là số từ 2000 đến 2100'],
    ];
    for (const [path, message] of cases) {
      const res = await reader.get(path);
      expect(res.status, path).to.equal(422);
      expect(res.text, path).to.contain('govuk-error-summary');
      expect(res.text, path).to.contain(message);
    }
    const kept = await reader.get('/statistics/agencies?period=custom&from=10/03/2027&to=01/03/2027&sort=late');
    expect(kept.text).to.contain('value="10/03/2027"');
    expect(kept.text).to.contain('<input type="hidden" name="sort" value="late">');
    // Someone without 'reports:read' does not see it.
    expect((await (await signIn(app, fx.officer)).get('/statistics/agencies')).status).to.equal(403);
    // The forwarding list ignores filters it cannot read.
    for (const path of ['/forwardings?answer=sometimes&from=yesterday&to=31/02/2027&verdict=1', '/forwardings?from[$gt]=1']) expect((await leaderAgent.get(path)).status, path).to.equal(200);
  });

  it('exports the table as CSV and XLSX, in the page’s order, with the total', async () => {
    const csv = await binary(reader, '/statistics/agencies/export.csv?period=year&year=2027&sort=agency&dir=asc');
    expect(csv.status).to.equal(200);
    expect(csv.headers['content-type']).to.equal('text/csv; charset=utf-8');
    const text = (csv.body as Buffer).toString('utf8');
    expect(text.startsWith('\uFEFF')).to.equal(true);
    const lines = text.slice(1).trimEnd().split('\r\n');
    expect(lines[0]).to.equal('Cơ quan,Số đơn chuyển,Trả lời đúng hạn,Trả lời quá hạn,Quá hạn chưa trả lời,Chưa đến hạn,Số ngày trả lời trung bình,Số ngày trả lời (trung vị),Tỷ lệ trả lời chưa đạt,Số vụ việc đã đánh giá,Số vụ việc chưa đạt');
    expect(lines.slice(1)).to.deep.equal([
      `${fx.names.A},4,2,1,1,0,12.3,5,50,2,1`,
      `${fx.names.C},2,0,0,0,2,,,,0,0`,
      `${fx.names.B},2,1,0,1,0,10,10,,0,0`,
      'Tổng cộng,8,3,1,2,2,11.8,7.5,50,2,1',
    ]);
    const xlsx = await binary(reader, '/statistics/agencies/export.xlsx?period=year&year=2027');
    expect(xlsx.status).to.equal(200);
    const workbook = new ExcelJS.Workbook();
    const body = xlsx.body as Buffer<ArrayBuffer>;
    await workbook.xlsx.load(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength));
    const rows: unknown[][] = [];
    workbook.worksheets[0]!.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    expect(rows[1]).to.deep.equal([fx.names.A, 4, 2, 1, 1, 0, 12.3, 5, 50, 2, 1]);
    expect(rows.at(-1)).to.deep.equal(['Tổng cộng', 8, 3, 1, 2, 2, 11.8, 7.5, 50, 2, 1]);
  });
});
