// Matters proposed for questioning or explanation at a session: proposed from a round with the reason
// and the agency concerned (bad input refused, one proposal per session and kind), listed per session,
// printed as the office's paper and exported as CSV; withdrawn with a reason and kept.
import { expect } from 'chai';
import ExcelJS from 'exceljs';
import mongoose from 'mongoose';
import { CaseEventModel } from '../../server/cases/index.js';
import { guardFormula } from '../../server/exports/index.js';
import { QuestioningCandidateModel } from '../../server/supervision/index.js';
import { useTestDatabase } from '../support/app.js';
import { csrfFrom } from '../support/http.js';
import { extractPdfText } from '../support/pdf.js';
import { asCsvText, csvRows, download, xlsxCells } from '../exports/support.js';
import { DENOUNCER } from '../forwarding/support.js';
import { binary, createUserAgent, makeSession, planRound, post, supervisionWorld, type SupervisionWorld } from './support.js';

describe('supervision: questioning candidates', function () {
  this.timeout(90_000);
  useTestDatabase();
  let w: SupervisionWorld;
  let roundId: string;
  let sessionId: string;

  beforeEach(async () => {
    w = await supervisionWorld({ denunciation: true });
    roundId = await planRound(w.officer, { staffIds: w.sent.officer.id });
    expect((await post(w.officer, `/supervision/${roundId}/cases`, `/supervision/${roundId}/cases`, { caseIds: w.sent.caseId })).status).to.equal(303);
    sessionId = await makeSession(w.officerActor);
  });

  async function proposalForm() {
    const page = await w.officer.get(`/supervision/candidates/new?case=${w.sent.caseId}&round=${roundId}`);
    expect(page.status, page.text.slice(0, 300)).to.equal(200);
    return { csrf: csrfFrom(page.text), submissionKey: /name="submissionKey" value="([a-f0-9]{32})"/.exec(page.text)![1]!, html: page.text };
  }

  it('refuses a proposal without session, reason or agency; proposes once; lists, prints and exports it', async () => {
    const form = await proposalForm();
    expect(form.html).to.include('Kỳ họp thứ 4, HĐND tỉnh khóa IX');
    expect(form.html).to.not.include(DENOUNCER.name);
    const bad = await w.officer.post('/supervision/candidates').type('form').send({ _csrf: form.csrf, submissionKey: form.submissionKey, caseId: w.sent.caseId, roundId, kind: 'questioning', sessionId: '', forwardingId: '', agencyId: '', reason: '' });
    expect(bad.status).to.equal(422);
    expect(bad.text).to.include('Hãy chọn kỳ họp.');
    expect(bad.text).to.include('Hãy chọn phiếu chuyển đơn hoặc cơ quan liên quan.');
    expect(await QuestioningCandidateModel.countDocuments()).to.equal(0);

    const good = { _csrf: form.csrf, submissionKey: form.submissionKey, caseId: w.sent.caseId, roundId, kind: 'questioning', sessionId, forwardingId: w.sent.id, agencyId: '', reason: 'Sở quá hạn 13 ngày, đã đôn đốc nhưng chưa trả lời.' };
    const [a, b] = await Promise.all([w.officer.post('/supervision/candidates').type('form').send(good), w.officer.post('/supervision/candidates').type('form').send(good)]);
    expect(a.status).to.equal(303);
    expect(b.status).to.equal(303);
    expect(a.headers.location).to.equal(`/supervision/${roundId}`);
    const saved = await QuestioningCandidateModel.find().lean();
    expect(saved).to.have.length(1);
    expect(saved[0]!.agencyName).to.equal(w.sent.agencyName);
    expect(saved[0]!.sessionLabel).to.equal('Kỳ họp thứ 4, HĐND tỉnh khóa IX');
    expect(saved[0]!.summary).to.include('[đã ẩn]');
    expect(saved[0]!.summary).to.not.include(DENOUNCER.name);
    expect(await CaseEventModel.countDocuments({ caseId: new mongoose.Types.ObjectId(w.sent.caseId), type: 'supervision.candidate-questioning' })).to.equal(1);

    // The same case, session and kind a second time (a new form) is refused.
    const again = await proposalForm();
    const dup = await w.officer.post('/supervision/candidates').type('form').send({ ...good, _csrf: again.csrf, submissionKey: again.submissionKey });
    expect(dup.status).to.equal(422);
    expect(dup.text).to.include('Vụ việc này đã được đề xuất với hình thức này cho kỳ họp đã chọn.');

    const list = await w.officer.get(`/supervision/candidates?session=${sessionId}`);
    expect(list.status).to.equal(200);
    expect(list.text).to.include('Sở quá hạn 13 ngày, đã đôn đốc nhưng chưa trả lời.');
    expect(list.text).to.include('Chất vấn');

    const pdf = await w.officer.get(`/supervision/candidates.pdf?session=${sessionId}`).buffer(true).parse(binary);
    expect(pdf.status).to.equal(200);
    const text = (await extractPdfText(pdf.body as Buffer)).replace(/([/-]) /g, '$1');
    expect(text).to.include('DANH SÁCH VẤN ĐỀ ĐỀ XUẤT CHẤT VẤN, GIẢI TRÌNH');
    expect(text).to.include('tại Kỳ họp thứ 4, HĐND tỉnh khóa IX');
    expect(text).to.include('2027/000001');
    expect(text).to.include(w.sent.agencyName);
    expect(text).to.not.include(DENOUNCER.name);

    const csv = await w.officer.get(`/supervision/candidates.csv?session=${sessionId}`).buffer(true).parse(binary);
    expect(csv.status).to.equal(200);
    const csvText = (csv.body as Buffer).toString('utf8');
    expect(csvText.charCodeAt(0)).to.equal(0xfeff);
    expect(csvText).to.include('Hình thức');
    expect(csvText).to.include('Chất vấn');
    expect(csvText).to.include('2027/000001');
    expect(csvText).to.include(w.sent.agencyName);
    // The workbook read back holds the same cells as the CSV (the proposal date as a real date).
    const xlsx = await download(w.officer, `/supervision/candidates.xlsx?session=${sessionId}`);
    expect(xlsx.status).to.equal(200);
    expect(xlsx.headers['content-type']).to.equal('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const cells = await xlsxCells(xlsx.body);
    expect(cells.map((r) => r.map((c) => guardFormula(asCsvText(c))))).to.deep.equal(csvRows(csv.body as Buffer));
    expect(cells[1]![6]!.value).to.be.instanceOf(Date);

    // A delegate reads the session's list; an administrator does not.
    const delegate = await createUserAgent(w.app, 'delegate');
    expect((await delegate.agent.get(`/supervision/candidates?session=${sessionId}`)).text).to.include('2027/000001');
    expect((await delegate.agent.get(`/supervision/candidates/new?case=${w.sent.caseId}`)).status).to.equal(403);
  });

  it('withdraws with a reason, keeps the proposal and frees the case to be proposed again', async () => {
    const form = await proposalForm();
    await w.officer.post('/supervision/candidates').type('form').send({ _csrf: form.csrf, submissionKey: form.submissionKey, caseId: w.sent.caseId, roundId, kind: 'explanation', sessionId, forwardingId: '', agencyId: w.sent.agencyId, reason: 'Đề nghị Sở giải trình việc chậm xác minh.' });
    const candidate = await QuestioningCandidateModel.findOne().lean();
    expect(candidate!.kind).to.equal('explanation');

    const noReason = await post(w.officer, `/supervision/candidates/${String(candidate!._id)}/withdraw`, `/supervision/candidates/${String(candidate!._id)}/withdraw`, { reason: '' });
    expect(noReason.status).to.equal(422);
    expect((await QuestioningCandidateModel.findById(candidate!._id).lean())!.status).to.equal('proposed');
    const done = await post(w.officer, `/supervision/candidates/${String(candidate!._id)}/withdraw`, `/supervision/candidates/${String(candidate!._id)}/withdraw`, { reason: 'Sở đã trả lời đạt yêu cầu.' });
    expect(done.status).to.equal(303);
    const kept = await QuestioningCandidateModel.findById(candidate!._id).lean();
    expect(kept!.status).to.equal('withdrawn');
    expect(kept!.withdrawal!.reason).to.equal('Sở đã trả lời đạt yêu cầu.');
    expect(kept!.withdrawal!.by.name).to.equal('Lê Văn Chuyên Viên');
    expect(await CaseEventModel.countDocuments({ caseId: new mongoose.Types.ObjectId(w.sent.caseId), type: 'supervision.candidate-withdrawn' })).to.equal(1);
    const twice = await post(w.officer, `/supervision/candidates?session=${sessionId}`, `/supervision/candidates/${String(candidate!._id)}/withdraw`, { reason: 'Lần nữa' });
    expect(twice.status).to.equal(409);

    expect((await w.officer.get(`/supervision/candidates?session=${sessionId}`)).text).to.include('Chưa có vấn đề nào được đề xuất cho kỳ họp này.');
    const withWithdrawn = await w.officer.get(`/supervision/candidates?session=${sessionId}&withdrawn=1`);
    expect(withWithdrawn.text).to.include('Sở đã trả lời đạt yêu cầu.');
    const csvText = ((await w.officer.get(`/supervision/candidates.csv?session=${sessionId}&withdrawn=1`).buffer(true).parse(binary)).body as Buffer).toString('utf8');
    expect(csvText).to.include('Đã rút');

    const again = await proposalForm();
    const reproposed = await w.officer.post('/supervision/candidates').type('form').send({ _csrf: again.csrf, submissionKey: again.submissionKey, caseId: w.sent.caseId, roundId, kind: 'explanation', sessionId, forwardingId: '', agencyId: w.sent.agencyId, reason: 'Sở lại chậm trả lời phần còn lại.' });
    expect(reproposed.status).to.equal(303);
    expect(await QuestioningCandidateModel.countDocuments()).to.equal(2);
  });
  it('exports the session as CSV and XLSX with the same rows: BOM, a formula-like reason defused, withdrawn ones only when asked', async () => {
    const propose = async (fields: Record<string, string>) => {
      const form = await proposalForm();
      const res = await w.officer.post('/supervision/candidates').type('form').send({ _csrf: form.csrf, submissionKey: form.submissionKey, caseId: w.sent.caseId, roundId, sessionId, ...fields });
      expect(res.status, res.text.slice(0, 300)).to.equal(303);
    };
    await propose({ kind: 'questioning', forwardingId: w.sent.id, agencyId: '', reason: 'Sở quá hạn 13 ngày chưa trả lời.' });
    await propose({ kind: 'explanation', forwardingId: '', agencyId: w.sent.agencyId, reason: '=HYPERLINK("http://x.example","bấm") giải trình' });

    const csv = await download(w.officer, `/supervision/candidates.csv?session=${sessionId}`);
    expect(csv.status).to.equal(200);
    expect(csv.headers['content-type']).to.equal('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).to.contain("filename*=UTF-8''");
    expect(csv.headers['x-export-rows']).to.equal('2');
    const rows = csvRows(csv.body);
    expect(rows[0]).to.deep.equal(['Hình thức', 'Số vụ việc', 'Nội dung', 'Cơ quan', 'Lý do đề xuất', 'Người đề xuất', 'Ngày đề xuất', 'Tình trạng', 'Lý do rút']);
    expect(rows.slice(1).map((r) => [r[0], r[1], r[3], r[4], r[5], r[6], r[7]])).to.deep.equal([
      ['Chất vấn', '2027/000001', w.sent.agencyName, 'Sở quá hạn 13 ngày chưa trả lời.', 'Lê Văn Chuyên Viên', '05/04/2027', 'Đang đề xuất'],
      ['Giải trình', '2027/000001', w.sent.agencyName, `'=HYPERLINK("http://x.example","bấm") giải trình`, 'Lê Văn Chuyên Viên', '05/04/2027', 'Đang đề xuất'],
    ]);
    for (const row of rows.slice(1)) {
      expect(row[2]).to.contain('[đã ẩn]');
      expect(row.join(' ')).to.not.contain(DENOUNCER.name);
    }

    const xlsx = await download(w.officer, `/supervision/candidates.xlsx?session=${sessionId}`);
    const cells = await xlsxCells(xlsx.body);
    // Text cells are never evaluated in XLSX, so the reason is kept as typed there.
    expect(cells[2]![4]!.value).to.equal('=HYPERLINK("http://x.example","bấm") giải trình');
    expect(cells[2]![4]!.type).to.equal(ExcelJS.ValueType.String);
    expect(cells[1]![6]!.value).to.be.instanceOf(Date);
    expect(cells.map((r) => r.map((c) => guardFormula(asCsvText(c))))).to.deep.equal(rows);

    // Withdrawn: gone from the default export, listed with its reason when asked.
    const first = await QuestioningCandidateModel.findOne({ kind: 'questioning' }).lean();
    const withdrawn = await post(w.officer, `/supervision/candidates/${String(first!._id)}/withdraw`, `/supervision/candidates/${String(first!._id)}/withdraw`, { reason: 'Sở đã trả lời.' });
    expect(withdrawn.status).to.equal(303);
    expect(csvRows((await download(w.officer, `/supervision/candidates.csv?session=${sessionId}`)).body).slice(1).map((r) => r[0])).to.deep.equal(['Giải trình']);
    const all = csvRows((await download(w.officer, `/supervision/candidates.csv?session=${sessionId}&withdrawn=1`)).body).slice(1);
    expect(all.map((r) => [r[0], r[7], r[8]])).to.deep.equal([
      ['Chất vấn', 'Đã rút', 'Sở đã trả lời.'],
      ['Giải trình', 'Đang đề xuất', ''],
    ]);
    const allXlsx = await xlsxCells((await download(w.officer, `/supervision/candidates.xlsx?session=${sessionId}&withdrawn=1`)).body);
    expect(allXlsx.slice(1).map((r) => r.map((c) => guardFormula(asCsvText(c))))).to.deep.equal(all);

    // No session, or one that does not exist: 404, not an empty file.
    expect((await w.officer.get('/supervision/candidates.csv')).status).to.equal(404);
    expect((await w.officer.get(`/supervision/candidates.xlsx?session=${new mongoose.Types.ObjectId().toHexString()}`)).status).to.equal(404);
    expect((await w.officer.get('/supervision/candidates.csv?session[$ne]=x')).status).to.equal(404);
  });
});
