// A work queue as CSV and XLSX on the hand-built office of fixture.ts, parsed back: the queue the page
// shows (its order, its filters, all its rows whatever the page), each user's scope (a delegate only
// the cases they follow, an administrator nothing), a summary that starts like a formula defused in
// the CSV, and a denunciation's filer blanked for readers who may not see who filed it.
import { expect } from 'chai';
import type { Express } from 'express';
import mongoose from 'mongoose';
import { CaseModel } from '../../server/cases/index.js';
import { guardFormula } from '../../server/exports/index.js';
import { ForwardingModel } from '../../server/forwarding/index.js';
import { buildTestApp, clearDatabase, connectTestDatabase, fixedClock } from '../support/app.js';
import { signIn, type Agent } from '../support/http.js';
import { asCsvText, csvRows, download, xlsxCells } from '../exports/support.js';
import { buildQueueFixture, NOW, type QueueFixture } from './fixture.js';

const FILER = { name: 'Hoàng Thị Em', citizenId: '045190001234' };

describe('work queues exported', function () {
  this.timeout(180_000);
  let fx: QueueFixture;
  let app: Express;
  let officer: Agent;
  let slips: Map<string, string>;

  before(async () => {
    await connectTestDatabase();
    await clearDatabase();
    fx = await buildQueueFixture();
    // K9 (the overdue case) becomes a denunciation whose summary names its filer and starts like a formula.
    await CaseModel.updateOne(
      { _id: new mongoose.Types.ObjectId(fx.cases.K9) },
      { $set: { type: 'denunciation', confidential: true, summary: `=1+1 Bà ${FILER.name} (CCCD ${FILER.citizenId}) tố cáo cán bộ địa chính`, parties: [{ role: 'filer', name: FILER.name, citizenId: FILER.citizenId }] } },
    );
    app = buildTestApp({ clock: fixedClock(NOW) }).app;
    officer = await signIn(app, fx.officer);
    const forwardings = await ForwardingModel.find({}, { documentNumber: 1 }).lean();
    slips = new Map(forwardings.map((f) => [String(f._id), f.documentNumber ?? '']));
  });

  const slip = (key: keyof QueueFixture['forwardings']) => slips.get(fx.forwardings[key])!;

  it('exports the overdue forwardings in the queue’s order, as CSV and XLSX holding the same cells', async () => {
    const csv = await download(officer, '/queues/export.csv?queue=overdue');
    expect(csv.status).to.equal(200);
    expect(csv.headers['content-type']).to.equal('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).to.contain("filename*=UTF-8''");
    expect(decodeURIComponent(/filename\*=UTF-8''([^;]+)/.exec(csv.headers['content-disposition']!)![1]!)).to.equal('Việc cần làm - Chuyển đơn quá hạn trả lời.csv');
    expect(csv.headers['x-export-rows']).to.equal('3');
    const rows = csvRows(csv.body);
    expect(rows[0]).to.deep.equal(['Số phiếu chuyển', 'Cơ quan', 'Vụ việc', 'Trạng thái', 'Hạn', 'Số ngày quá hạn', 'Số lần đôn đốc', 'Số ngày đề nghị gia hạn', 'Ngày trả lời', 'Người soạn phiếu chuyển', 'Ngày soạn']);
    expect(rows.slice(1).map((r) => [r[0], r[1], r[3], r[4], r[5], r[6], r[7]])).to.deep.equal([
      [slip('F1'), fx.names.A, 'Đã đánh giá, đang đôn đốc', '22/03/2027', '31', '1', ''],
      [slip('F3'), fx.names.A, 'Đã gửi', '22/03/2027', '31', '1', ''],
      [slip('F5'), fx.names.B, 'Cơ quan đã nhận', '24/03/2027', '29', '0', '10'],
    ]);
    expect(rows[1]![8]).to.equal('06/03/2027'); // F1 answered 5 days after 01/03
    expect(rows[1]![9]).to.equal('Lê Văn Chuyên');

    const xlsx = await download(officer, '/queues/export.xlsx?queue=overdue');
    expect(xlsx.status).to.equal(200);
    const cells = await xlsxCells(xlsx.body);
    expect(cells.map((r) => r.map((c) => guardFormula(asCsvText(c))))).to.deep.equal(rows);
    expect(cells[1]![4]!.value).to.be.instanceOf(Date);
    expect(cells[1]![5]!.value).to.equal(31);
  });

  it('applies the page’s filters, ignores the page cursor and falls back to the first queue like the page', async () => {
    const ids = async (path: string) => csvRows((await download(officer, path)).body).slice(1).map((r) => r[0]);
    expect(await ids(`/queues/export.csv?queue=overdue&agency=${fx.agencies.B}`)).to.deep.equal([slip('F5')]);
    expect(await ids(`/queues/export.csv?queue=overdue&field=${fx.ref.otherField}`)).to.deep.equal([slip('F3')]);
    expect(await ids(`/queues/export.csv?queue=overdue&after=${fx.forwardings.F3}`)).to.deep.equal([slip('F1'), slip('F3'), slip('F5')]);
    expect(await ids('/queues/export.csv?queue=overdue&agency[$ne]=x&officer=%24ne')).to.have.length(3);
    // No queue named: the officer's first queue, "my cases" (9 rows).
    const fallback = await download(officer, '/queues/export.csv?queue=everything');
    expect(fallback.headers['x-export-rows']).to.equal('9');
    expect(csvRows(fallback.body)[0]![0]).to.equal('Số vụ việc');

    // The page links to the file with the same queue and filters, without its cursor.
    const page = await officer.get(`/queues?queue=overdue&agency=${fx.agencies.A}`);
    expect(page.text).to.contain(`href="/queues/export.csv?queue=overdue&amp;agency=${fx.agencies.A}"`);
    expect(page.text).to.contain(`href="/queues/export.xlsx?queue=overdue&amp;agency=${fx.agencies.A}"`);
    const second = await officer.get(`/queues?queue=overdue&after=${fx.forwardings.F1}`);
    expect(second.text).to.contain('href="/queues/export.csv?queue=overdue"');
  });

  it('exports a case queue with whole summaries: a formula defused, the filer blanked unless the reader may see it', async () => {
    const rows = csvRows((await download(officer, '/queues/export.csv?queue=cases-overdue')).body);
    expect(rows[0]).to.deep.equal(['Số vụ việc', 'Nội dung', 'Trạng thái', 'Hạn', 'Số ngày quá hạn', 'Chuyên viên được giao', 'Ngày tiếp nhận']);
    expect(rows).to.have.length(2);
    const k9 = rows[1]!;
    expect(k9[1]).to.equal("'=1+1 Bà [đã ẩn] (CCCD [đã ẩn]) tố cáo cán bộ địa chính");
    expect(k9.slice(2, 5)).to.deep.equal(['Mới tiếp nhận', '15/03/2027', '38']);
    const cells = await xlsxCells((await download(officer, '/queues/export.xlsx?queue=cases-overdue')).body);
    expect(cells[1]![1]!.value).to.equal('=1+1 Bà [đã ẩn] (CCCD [đã ẩn]) tố cáo cán bộ địa chính');
    expect(cells.map((r) => r.map((c) => guardFormula(asCsvText(c))))).to.deep.equal(rows);
    // The page shows the same blanked text.
    const page = await officer.get('/queues?queue=cases-overdue');
    expect(page.text).to.contain('Bà [đã ẩn] (CCCD [đã ẩn])');
    expect(page.text).to.not.contain(FILER.name);

    // A leader may see who filed a denunciation: the name is there.
    const leader = await signIn(app, fx.leader, { nowMs: NOW.getTime() });
    const leaderRows = csvRows((await download(leader, '/queues/export.csv?queue=cases-overdue')).body);
    expect(leaderRows[1]![1]).to.equal(`'=1+1 Bà ${FILER.name} (CCCD ${FILER.citizenId}) tố cáo cán bộ địa chính`);
  });

  it('gives a delegate only the rows of the cases they follow, and an administrator nothing', async () => {
    const delegate = await signIn(app, fx.delegate);
    const csv = await download(delegate, '/queues/export.csv?queue=overdue');
    expect(csv.headers['x-export-rows']).to.equal('1');
    expect(csvRows(csv.body).slice(1).map((r) => r[0])).to.deep.equal([slip('F3')]);
    const cells = await xlsxCells((await download(delegate, '/queues/export.xlsx?queue=answered')).body);
    expect(cells.slice(1).map((r) => r[0]!.value)).to.deep.equal([slip('F4')]);
    // A queue that is not theirs: their first queue instead, never the office's drafts.
    const drafts = csvRows((await download(delegate, '/queues/export.csv?queue=my-forwardings')).body).slice(1).map((r) => r[0]);
    expect(drafts).to.deep.equal([slip('F3')]);

    const admin = await signIn(app, fx.admin, { nowMs: NOW.getTime() });
    expect((await admin.get('/queues/export.csv?queue=overdue')).status).to.equal(403);
    expect((await admin.get('/queues/export.xlsx')).status).to.equal(403);
  });
});
