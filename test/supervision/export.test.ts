// The rounds list as CSV and XLSX, parsed back: the list's own filters and order, the reader's scope
// (a delegate's file has only their rounds, an administrator gets none), a title that starts like a
// formula defused in the CSV, real dates in the workbook, and every round once across keyset chunks.
import { expect } from 'chai';
import ExcelJS from 'exceljs';
import mongoose from 'mongoose';
import { guardFormula } from '../../server/exports/index.js';
import { DelegateModel } from '../../server/reference/index.js';
import { SupervisionRoundModel } from '../../server/supervision/index.js';
import { useTestDatabase } from '../support/app.js';
import { asCsvText, csvRows, download, xlsxCells } from '../exports/support.js';
import { createUserAgent, planRound, post, supervisionWorld, type SupervisionWorld } from './support.js';

const HEADER = ['Tên đợt giám sát', 'Căn cứ (số quyết định, kế hoạch)', 'Ngày bắt đầu', 'Ngày kết thúc', 'Trạng thái', 'Thành viên đoàn giám sát', 'Cơ quan được giám sát', 'Số vụ việc', 'Các vụ việc', 'Ngày kết luận', 'Người lập', 'Ngày lập'];

describe('supervision: the rounds list exported', function () {
  this.timeout(120_000);
  useTestDatabase();
  let w: SupervisionWorld;

  beforeEach(async () => {
    w = await supervisionWorld();
  });

  it('exports what the list shows, with its filters, as CSV and XLSX holding the same cells', async () => {
    const r1 = await planRound(w.officer, { staffIds: w.sent.officer.id, agencyIds: w.sent.agencyId, title: 'Giám sát Sở quý I', startsOn: '01/04/2027', endsOn: '30/04/2027' });
    expect((await post(w.officer, `/supervision/${r1}/cases`, `/supervision/${r1}/cases`, { caseIds: w.sent.caseId })).status).to.equal(303);
    expect((await post(w.officer, `/supervision/${r1}`, `/supervision/${r1}/start`, {})).status).to.equal(303);
    expect((await post(w.leader, `/supervision/${r1}`, `/supervision/${r1}/conclude`, { conclusionOn: '05/04/2027', conclusion: 'Kết luận.' })).status).to.equal(303);
    await planRound(w.officer, { staffIds: [w.sent.officer.id, w.leaderUser.id], title: '=HYPERLINK("http://x.example","bấm") đợt hai', startsOn: '02/04/2027', endsOn: '03/04/2027' });

    const list = await w.officer.get('/supervision');
    expect(list.text).to.contain('2 đợt giám sát');
    expect(list.text).to.contain('href="/supervision/export.csv"');
    const filtered = await w.officer.get(`/supervision?status=concluded&agency=${w.sent.agencyId}`);
    expect(filtered.text).to.contain(`href="/supervision/export.xlsx?status=concluded&amp;agency=${w.sent.agencyId}"`);

    const csv = await download(w.officer, '/supervision/export.csv');
    expect(csv.status).to.equal(200);
    expect(csv.headers['content-type']).to.equal('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).to.contain("filename*=UTF-8''Danh%20s%C3%A1ch%20%C4%91%E1%BB%A3t%20gi%C3%A1m%20s%C3%A1t.csv");
    expect(csv.headers['cache-control']).to.equal('private, no-store');
    expect(csv.headers['x-export-rows']).to.equal('2');
    const rows = csvRows(csv.body);
    expect(rows).to.deep.equal([
      HEADER,
      [`'=HYPERLINK("http://x.example","bấm") đợt hai`, 'Quyết định số 15/QĐ-HĐND', '02/04/2027', '03/04/2027', 'Đã lập kế hoạch', 'Lê Văn Chuyên Viên; Phạm Văn Lãnh Đạo', '', '0', '', '', 'Lê Văn Chuyên Viên', '05/04/2027 10:00'],
      ['Giám sát Sở quý I', 'Quyết định số 15/QĐ-HĐND', '01/04/2027', '30/04/2027', 'Đã kết luận', 'Lê Văn Chuyên Viên', w.sent.agencyName, '1', '2027/000001', '05/04/2027', 'Lê Văn Chuyên Viên', '05/04/2027 10:00'],
    ]);

    const xlsx = await download(w.officer, '/supervision/export.xlsx');
    expect(xlsx.status).to.equal(200);
    expect(xlsx.headers['content-type']).to.equal('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const cells = await xlsxCells(xlsx.body);
    expect(cells.map((r) => r.map((c) => guardFormula(asCsvText(c))))).to.deep.equal(rows);
    expect(cells[1]![0]!.value).to.equal('=HYPERLINK("http://x.example","bấm") đợt hai'); // text, never evaluated
    expect(cells[1]![0]!.type).to.equal(ExcelJS.ValueType.String);
    expect(cells[2]![2]!.value).to.be.instanceOf(Date);
    expect(cells[2]![7]!.type).to.equal(ExcelJS.ValueType.Number);

    // The list's filters; what cannot be read is ignored, as on the page.
    const only = async (q: string) => csvRows((await download(w.officer, `/supervision/export.csv?${q}`)).body).slice(1).map((r) => r[0]);
    expect(await only(`agency=${w.sent.agencyId}`)).to.deep.equal(['Giám sát Sở quý I']);
    expect(await only('status=planned')).to.deep.equal([`'=HYPERLINK("http://x.example","bấm") đợt hai`]);
    expect(await only(`status=planned&agency=${w.sent.agencyId}`)).to.deep.equal([]);
    expect(await only('agency[$ne]=x&status=%24ne&after=1_2')).to.have.length(2);
    const leaderMine = csvRows((await download(w.leader, '/supervision/export.csv?mine=1')).body).slice(1).map((r) => r[0]);
    expect(leaderMine).to.deep.equal([`'=HYPERLINK("http://x.example","bấm") đợt hai`]);
  });

  it("gives a delegate only their own rounds and an administrator nothing", async () => {
    const member = await createUserAgent(w.app, 'delegate', 'Hồ Văn Đại Biểu');
    const [record] = await DelegateModel.create([{ userId: new mongoose.Types.ObjectId(member.user.id), name: 'Hồ Văn Đại Biểu', nameFolded: 'ho van dai bieu', body: 'hdnd-tinh', term: 'IX' }]);
    await planRound(w.officer, { delegateIds: String(record!._id), title: 'Đợt có đại biểu' });
    await planRound(w.officer, { staffIds: w.sent.officer.id, title: 'Đợt của Văn phòng' });

    const csv = await download(member.agent, '/supervision/export.csv');
    expect(csv.status).to.equal(200);
    expect(csv.headers['x-export-rows']).to.equal('1');
    expect(csvRows(csv.body).slice(1).map((r) => [r[0], r[5]])).to.deep.equal([['Đợt có đại biểu', 'Hồ Văn Đại Biểu']]);
    const cells = await xlsxCells((await download(member.agent, '/supervision/export.xlsx')).body);
    expect(cells.slice(1).map((r) => r[0]!.value)).to.deep.equal(['Đợt có đại biểu']);

    const admin = await createUserAgent(w.app, 'admin');
    expect((await admin.agent.get('/supervision/export.csv')).status).to.equal(403);
    expect((await admin.agent.get('/supervision/export.xlsx')).status).to.equal(403);
  });

  it('reads more rounds than one chunk by key: every round once, newest first, ties by id', async () => {
    const base = new Date('2027-01-04T03:00:00Z').getTime();
    // 1,203 rounds, three created at each instant: chunks of 500 end in the middle of a tie.
    const docs = Array.from({ length: 1203 }, (_, i) => ({
      title: `Đợt ${String(i).padStart(4, '0')}`,
      basis: 'Kế hoạch số 1/KH',
      startsOn: '2027-01-04',
      endsOn: '2027-01-31',
      status: 'planned',
      members: [],
      memberUserIds: [],
      agencies: [],
      cases: [],
      conclusion: null,
      startedAt: null,
      createdBy: { id: w.sent.officer.id, name: 'Lê Văn Chuyên Viên' },
      submissionKey: `k${i}`,
      createdAt: new Date(base + Math.floor(i / 3) * 60_000),
      updatedAt: new Date(base),
    }));
    await SupervisionRoundModel.collection.insertMany(docs);
    const expected = (await SupervisionRoundModel.find({}, { title: 1 }).sort({ createdAt: -1, _id: -1 }).lean()).map((r) => r.title);
    const csv = await download(w.officer, '/supervision/export.csv');
    expect(csv.headers['x-export-rows']).to.equal('1203');
    const titles = csvRows(csv.body).slice(1).map((r) => r[0]);
    expect(titles).to.have.length(1203);
    expect(titles).to.deep.equal(expected);
  });
});
