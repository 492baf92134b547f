// The meetings list and a session's petitions as CSV and XLSX over HTTP, parsed back: UTF-8 with a
// byte-order mark, a cell that starts like a formula defused in the CSV, the same cells in both
// files, the list's filters applied, and each user getting only what their list shows them (a
// delegate their own meetings and petitions; an administrator nothing, with a 403 page).
import { expect } from 'chai';
import ExcelJS from 'exceljs';
import mongoose from 'mongoose';
import { guardFormula } from '../../server/exports/index.js';
import { mergePetitions, petitionForwardableProvider, PetitionModel, type Petition } from '../../server/meetings/index.js';
import { inTransaction } from '../../server/platform/db/transaction.js';
import { getFields, getUnits } from '../../server/reference/index.js';
import { buildTestApp, fixedClock, useTestDatabase } from '../support/app.js';
import { createTestUser } from '../support/factories.js';
import { signIn, type Agent } from '../support/http.js';
import { asCsvText, csvRows, download, xlsxCells } from '../exports/support.js';
import { addPetitions, key, makeMeeting, makeSession, seedMeetingsWorld, testContext, type MeetingsWorld } from './support.js';

const NOW = '2026-05-20T03:00:00Z';
const FORMULA_PLACE = '=cmd|" /C calc"!A0 Nhà văn hóa thôn 3';
const FORMULA_PETITION = '=HYPERLINK("http://x.example","bấm") Đề nghị nâng cấp quốc lộ 9';

const MEETING_HEADER = ['Ngày giờ', 'Đại biểu', 'Thời điểm', 'Kỳ họp', 'Chuyên đề', 'Hình thức', 'Địa điểm', 'Số xã, phường tham dự', 'Đại biểu tham dự', 'Số cử tri tham dự', 'Số kiến nghị', 'Thông báo trên phương tiện thông tin đại chúng', 'Hạn đăng thông báo', 'Có biên bản'];
const PETITION_HEADER = ['Mã', 'Loại', 'Nội dung kiến nghị', 'Lĩnh vực', 'Địa phương', 'Số cuộc TXCT', 'Số lượt cử tri', 'Thẩm quyền', 'Cơ quan giải quyết', 'Tình trạng', 'Trả lời của cơ quan'];

describe('meetings: the meetings list and a session’s petitions as CSV and XLSX', function () {
  this.timeout(60_000);
  useTestDatabase();
  let w: MeetingsWorld;
  let app: ReturnType<typeof buildTestApp>['app'];
  let officer: Agent;
  let sessionId: string;
  let names: { x: string; y: string; field: string };

  beforeEach(async () => {
    w = await seedMeetingsWorld();
    app = buildTestApp({ clock: fixedClock(NOW) }).app;
    officer = await signIn(app, w.officer);
    sessionId = await makeSession(w.officerActor);
    // M1 (delegate A, with an account): 08/05 08:00, two communes online. M2 (delegate B): 09/05 14:30.
    // M3: a People's Council meeting on a theme, 12/05.
    const m1 = await makeMeeting(w.officerActor, { sessionId, format: 'online', place: FORMULA_PLACE, unitCodes: [w.commune, w.otherCommune], delegateIds: [w.delegateA], voterCount: '120' });
    const m2 = await makeMeeting(w.officerActor, { sessionId, date: '09/05/2026', time: '14:30', place: 'Hội trường phường', unitCodes: [w.otherCommune], delegateIds: [w.delegateB] });
    await makeMeeting(w.officerActor, { level: 'hdnd-tinh', timing: 'thematic', topic: 'Chuyên đề đất đai', sessionId: '', date: '12/05/2026', place: 'Hội trường HĐND tỉnh', unitCodes: [w.commune], delegateIds: [w.delegateCouncil] });
    await addPetitions(w.officerActor, m1, [
      { content: FORMULA_PETITION, fieldCode: w.field, unitCode: w.commune, voterCount: 6 },
      { content: 'Đề nghị sửa cầu treo bản Khe Sanh', fieldCode: w.field, unitCode: w.commune, voterCount: 2 },
    ]);
    await addPetitions(w.officerActor, m2, [
      { content: 'Nâng cấp quốc lộ 9 qua thị trấn', fieldCode: w.field, unitCode: w.otherCommune, voterCount: 5 },
      { content: 'Chợ phường xuống cấp', unitCode: w.otherCommune, voterCount: 1 },
    ]);
    const [p1, , p3] = (await PetitionModel.find({}).sort({ code: 1 }).lean<Petition[]>()).map((p) => String(p._id));
    // The road petitions of both meetings become KN-2026-00005 (2 meetings, 11 voters), worded as M1's.
    const road = await mergePetitions(w.officerActor, { submissionKey: key(), ids: [p1!, p3!], wordingFrom: p1!, content: null }, testContext());
    const at = new Date('2026-05-15T03:00:00Z');
    const fact = { by: { id: 'agency-link', name: w.agencyA.name }, forwardingId: 'fw-1', agencyId: w.agencyA.id, agencyName: w.agencyA.name, at };
    await inTransaction(async (s) => {
      await petitionForwardableProvider.onForwarded([road.id], fact, s);
      await petitionForwardableProvider.onAnswered([road.id], { ...fact, outcome: 'resolved', documentNumber: '88/BGTVT', documentDate: at, text: 'Đã bố trí vốn' }, s);
    });
    const [units, fields] = await Promise.all([getUnits([w.commune, w.otherCommune]), getFields([w.field])]);
    names = { x: units.get(w.commune)!.name, y: units.get(w.otherCommune)!.name, field: fields.get(w.field)!.name };
  });

  it('exports the meetings list as CSV (BOM, formulas defused) and XLSX with the same cells, newest first', async () => {
    const csv = await download(officer, '/meetings/export.csv');
    expect(csv.status).to.equal(200);
    expect(csv.headers['content-type']).to.equal('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).to.match(/^attachment;/).and.contain("filename*=UTF-8''Danh%20s%C3%A1ch%20cu%E1%BB%99c%20ti%E1%BA%BFp%20x%C3%BAc%20c%E1%BB%AD%20tri.csv");
    expect(csv.headers['x-export-rows']).to.equal('3');
    const rows = csvRows(csv.body);
    expect(rows[0]).to.deep.equal(MEETING_HEADER);
    expect(rows.slice(1).map((r) => r[0])).to.deep.equal(['12/05/2026 08:00', '09/05/2026 14:30', '08/05/2026 08:00']);
    const [m3, m2, m1] = rows.slice(1);
    expect(m1!.slice(0, 12)).to.deep.equal(['08/05/2026 08:00', 'Đại biểu Quốc hội', 'Trước kỳ họp', 'Kỳ họp thứ 2, Quốc hội khóa XVI', '', 'Trực tuyến', `'${FORMULA_PLACE}`, '2', 'Phạm Quốc Đại', '120', '2', 'Quá hạn, chưa đăng']);
    expect(m1![13]).to.equal('');
    expect(m2!.slice(6, 11)).to.deep.equal(['Hội trường phường', '1', 'Trần Thị Bảy', '', '2']);
    expect(m3!.slice(1, 5)).to.deep.equal(['Đại biểu HĐND tỉnh', 'Chuyên đề', '', 'Chuyên đề đất đai']);
    // The press notice is due 7 working days before the meeting: a day in April for M1.
    expect(m1![12]).to.match(/^\d\d\/04\/2026$/);

    const xlsx = await download(officer, '/meetings/export.xlsx');
    expect(xlsx.status).to.equal(200);
    expect(xlsx.headers['content-type']).to.equal('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const cells = await xlsxCells(xlsx.body);
    expect(cells.map((r) => r.map((c) => guardFormula(asCsvText(c))))).to.deep.equal(rows);
    // In the workbook the text is a text cell, never a formula; dates and counts are real values.
    expect(cells[3]![6]!.type).to.equal(ExcelJS.ValueType.String);
    expect(cells[3]![6]!.value).to.equal(FORMULA_PLACE);
    expect(cells[1]![0]!.value).to.be.instanceOf(Date);
    expect(cells[3]![10]!.type).to.equal(ExcelJS.ValueType.Number);
  });

  it('applies the list’s filters (session, level, timing) and ignores malformed ones', async () => {
    const places = async (query: string) => csvRows((await download(officer, `/meetings/export.csv${query}`)).body).slice(1).map((r) => r[6]);
    expect(await places('?level=hdnd-tinh')).to.deep.equal(['Hội trường HĐND tỉnh']);
    expect(await places(`?session=${sessionId}&timing=before`)).to.deep.equal(['Hội trường phường', guardFormula(FORMULA_PLACE)]);
    expect(await places('?timing=thematic')).to.deep.equal(['Hội trường HĐND tỉnh']);
    for (const ignored of ['?timing=galaxy', '?session[$ne]=x', '?session=%7B%22%24ne%22%3Anull%7D', '?level=a&level=b']) {
      expect(await places(ignored), ignored).to.have.length(3);
    }
    // The list page links to the files with its own filters.
    const page = await officer.get('/meetings?level=hdnd-tinh');
    expect(page.text).to.contain('href="/meetings/export.csv?session=&amp;level=hdnd-tinh&amp;timing="').and.contain('href="/meetings/export.xlsx?session=&amp;level=hdnd-tinh&amp;timing="');
  });

  it('exports a session’s petitions after merging, in code order, with names, counts, state and answers', async () => {
    const csv = await download(officer, `/meetings/sessions/${sessionId}/petitions.csv`);
    expect(csv.status).to.equal(200);
    expect(csv.headers['content-disposition']).to.contain("filename*=UTF-8''Ki%E1%BA%BFn%20ngh%E1%BB%8B%20c%E1%BB%AD%20tri%20-%20K%E1%BB%B3%20h%E1%BB%8Dp%20th%E1%BB%A9%202%2C%20Qu%E1%BB%91c%20h%E1%BB%99i%20kh%C3%B3a%20XVI.csv");
    const rows = csvRows(csv.body);
    expect(rows[0]).to.deep.equal(PETITION_HEADER);
    expect(rows.slice(1)).to.deep.equal([
      ['KN-2026-00002', 'Kiến nghị tại cuộc tiếp xúc', 'Đề nghị sửa cầu treo bản Khe Sanh', names.field, names.x, '1', '2', '', '', 'Chưa chuyển', ''],
      ['KN-2026-00004', 'Kiến nghị tại cuộc tiếp xúc', 'Chợ phường xuống cấp', '', names.y, '1', '1', '', '', 'Chưa chuyển', ''],
      ['KN-2026-00005', 'Kiến nghị đã gộp', guardFormula(FORMULA_PETITION), names.field, `${names.x}; ${names.y}`, '2', '11', '', '', 'Đã trả lời', `${w.agencyA.name}: văn bản số 88/BGTVT ngày 15/05/2026`],
    ]);
    expect(rows[3]![2]).to.match(/^'=HYPERLINK/);

    const xlsx = await download(officer, `/meetings/sessions/${sessionId}/petitions.xlsx`);
    expect(xlsx.status).to.equal(200);
    const cells = await xlsxCells(xlsx.body);
    expect(cells.map((r) => r.map((c) => guardFormula(asCsvText(c))))).to.deep.equal(rows);
    expect(cells[3]![2]!.value).to.equal(FORMULA_PETITION);
    expect(cells[3]![2]!.type).to.equal(ExcelJS.ValueType.String);

    const page = await officer.get(`/meetings/sessions/${sessionId}`);
    expect(page.text).to.contain(`href="/meetings/sessions/${sessionId}/petitions.csv"`).and.contain(`href="/meetings/sessions/${sessionId}/petitions.xlsx"`);
  });

  it('gives a delegate only the meetings they attended and the petitions raised there', async () => {
    const delegate = await signIn(app, w.delegateUser);
    const meetings = csvRows((await download(delegate, '/meetings/export.csv')).body).slice(1);
    expect(meetings.map((r) => r[6])).to.deep.equal([guardFormula(FORMULA_PLACE)]);
    const petitions = csvRows((await download(delegate, `/meetings/sessions/${sessionId}/petitions.csv`)).body).slice(1);
    // Theirs: the bridge, and the merged road petition (one of its originals was raised at their meeting).
    expect(petitions.map((r) => r[0])).to.deep.equal(['KN-2026-00002', 'KN-2026-00005']);
    const xlsx = await xlsxCells((await download(delegate, `/meetings/sessions/${sessionId}/petitions.xlsx`)).body);
    expect(xlsx.slice(1).map((r) => r[0]!.value)).to.deep.equal(['KN-2026-00002', 'KN-2026-00005']);
  });

  it('refuses an administrator with a 403 page (not a broken download), and answers 404 for a session that does not exist', async () => {
    const admin = await signIn(app, await createTestUser({ role: 'admin' }), { nowMs: Date.parse(NOW) });
    for (const path of ['/meetings/export.csv', '/meetings/export.xlsx', `/meetings/sessions/${sessionId}/petitions.csv`, `/meetings/sessions/${sessionId}/petitions.xlsx`]) {
      const res = await admin.get(path);
      expect(res.status, path).to.equal(403);
      expect(res.headers['content-type'], path).to.contain('text/html');
      expect(res.headers['content-disposition'], path).to.equal(undefined);
    }
    for (const id of [new mongoose.Types.ObjectId().toHexString(), 'khong-co', '%24ne']) {
      const res = await officer.get(`/meetings/sessions/${id}/petitions.csv`);
      expect(res.status, id).to.equal(404);
      expect(res.text).to.contain('Không tìm thấy kỳ họp');
    }
  });
});
