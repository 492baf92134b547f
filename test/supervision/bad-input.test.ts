// Bad input on the round forms — planning, choosing cases, findings: `$`-operators and bracket
// syntax, wrong types, overlong text, NFD and zero-width characters, HTML and script (stored as typed,
// escaped on every page), ids that are malformed, unknown or outside the round, a round in the wrong
// state, and repeated or concurrent submissions. The answer is always a 4xx page in Vietnamese that
// keeps what was typed, never a 500 and never a half-saved record.
import { expect } from 'chai';
import mongoose from 'mongoose';
import { CaseEventModel, CaseModel } from '../../server/cases/index.js';
import { SupervisionFindingModel, SupervisionRoundModel } from '../../server/supervision/index.js';
import { useTestDatabase } from '../support/app.js';
import { csrfFrom } from '../support/http.js';
import { createUserAgent, key, planRound, post, supervisionWorld, type SupervisionWorld } from './support.js';
import { START, sendForwarding } from '../forwarding/support.js';
import { fixedClock } from '../../server/platform/clock.js';

const SCRIPT = '<script>alert("x")</script>';
const ZW = '\u200B\u200C\u200D\u2060\uFEFF';
const unknownId = () => new mongoose.Types.ObjectId().toHexString();

describe('supervision: bad input on rounds, scope and findings', function () {
  this.timeout(120_000);
  useTestDatabase();
  let w: SupervisionWorld;

  beforeEach(async () => {
    w = await supervisionWorld();
  });

  async function planForm() {
    const form = await w.officer.get('/supervision/new');
    return { _csrf: csrfFrom(form.text), submissionKey: /name="submissionKey" value="([a-f0-9]{32})"/.exec(form.text)![1]! };
  }
  const goodPlan = () => ({ title: 'Giám sát đơn tồn đọng', basis: 'Kế hoạch số 7/KH-HĐND', startsOn: '01/04/2027', endsOn: '30/04/2027', staffIds: w.sent.officer.id });

  it('refuses operators, bracket syntax, wrong types and overlong text in the plan, keeping what was typed and saving nothing', async () => {
    const form = await planForm();
    const attempts: [Record<string, unknown>, string[]][] = [
      // Bodies are read flat: 'title[$ne]' is a field of its own, so the title is simply missing.
      [{ ...goodPlan(), title: undefined, 'title[$ne]': 'x', 'basis[$gt]': '' }, ['Vui lòng nhập thông tin này']],
      [{ ...goodPlan(), staffIds: undefined, 'staffIds[$in]': w.sent.officer.id }, ['Hãy chọn ít nhất một thành viên đoàn giám sát.']],
      [{ ...goodPlan(), staffIds: '{"$ne":null}' }, ['Thành viên được chọn không tồn tại hoặc đã ngừng hoạt động.']],
      [{ ...goodPlan(), agencyIds: '$where' }, ['Cơ quan được chọn không tồn tại hoặc đã ngừng hoạt động.']],
      [{ ...goodPlan(), title: `Giám sát ${'rất '.repeat(80)}dài` }, ['Nội dung quá dài', `Giám sát ${'rất '.repeat(80)}dài`]],
      [{ ...goodPlan(), basis: 'QĐ '.repeat(200) }, ['Nội dung quá dài']],
      [{ ...goodPlan(), startsOn: '0'.repeat(41) }, ['Hãy nhập ngày theo dạng ngày/tháng/năm']],
      [{ ...goodPlan(), startsOn: '$gt' }, ['Hãy nhập ngày theo dạng ngày/tháng/năm', 'value="$gt"']],
      // An administrator is not staff who can be a member; an unknown delegate is not one either.
      [{ ...goodPlan(), staffIds: (await createUserAgent(w.app, 'admin')).user.id }, ['Thành viên được chọn không tồn tại hoặc đã ngừng hoạt động.']],
      [{ ...goodPlan(), delegateIds: unknownId() }, ['Thành viên được chọn không tồn tại hoặc đã ngừng hoạt động.']],
    ];
    for (const [fields, expected] of attempts) {
      const res = await w.officer.post('/supervision').type('form').send({ ...form, ...fields });
      const label = JSON.stringify(fields).slice(0, 120);
      expect(res.status, label).to.equal(422);
      expect(res.text, label).to.contain('<html lang="vi"');
      expect(res.text, label).to.contain('Có lỗi cần sửa');
      for (const text of expected) expect(res.text, label).to.contain(text);
    }
    // A field sent twice arrives as a list where one text is expected.
    const twice = new URLSearchParams({ ...form, ...goodPlan() });
    twice.append('title', 'Hai');
    const listed = await w.officer.post('/supervision').type('form').send(twice.toString());
    expect(listed.status).to.equal(422);
    // Something was typed, so it is not "missing": the value is invalid.
    expect(listed.text).to.contain('<a href="#title">Giá trị không hợp lệ</a>');
    expect(await SupervisionRoundModel.countDocuments()).to.equal(0);
    // The same form, now right, plans the round once.
    expect((await w.officer.post('/supervision').type('form').send({ ...form, ...goodPlan() })).status).to.equal(303);
    expect(await SupervisionRoundModel.countDocuments()).to.equal(1);
  });

  it('stores NFD and zero-width text cleaned, judges length after cleaning, and escapes HTML and script on every page', async () => {
    const form = await planForm();
    // 300 letters (the limit) typed in NFD with invisible characters: accepted once cleaned.
    const title = `${'Giám sát '.repeat(33)}đơn`.slice(0, 300);
    expect([...title]).to.have.length(300);
    const typed = `${title.normalize('NFD')}${ZW.repeat(20)}`;
    expect(typed.length).to.be.greaterThan(300);
    const res = await w.officer.post('/supervision').type('form').send({ ...form, ...goodPlan(), title: typed, basis: `Quyết định ${SCRIPT} <img src=x onerror=alert(1)>` });
    expect(res.status, res.text.slice(0, 500)).to.equal(303);
    const round = await SupervisionRoundModel.findOne().lean();
    expect(round!.title).to.equal(title.normalize('NFC'));
    expect(round!.title).to.not.match(/[\u200B-\u200D\u2060\uFEFF]/);
    expect(round!.basis).to.equal(`Quyết định ${SCRIPT} <img src=x onerror=alert(1)>`);

    for (const path of ['/supervision', `/supervision/${String(round!._id)}`]) {
      const page = await w.officer.get(path);
      expect(page.text, path).to.contain('Quyết định &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &lt;img src=x onerror=alert(1)&gt;');
      expect(page.text, path).to.not.contain(SCRIPT);
      expect(page.text, path).to.not.contain('<img src=x');
    }
    // Typed back into a refused form, it is escaped there too.
    const again = await planForm();
    const refused = await w.officer.post('/supervision').type('form').send({ ...again, ...goodPlan(), title: SCRIPT, startsOn: '' });
    expect(refused.status).to.equal(422);
    expect(refused.text).to.contain('value="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"');
    expect(refused.text).to.not.contain(SCRIPT);
  });

  it('refuses cases that are malformed, unknown or merged, and a case number that does not exist, adding nothing', async () => {
    const id = await planRound(w.officer, { staffIds: w.sent.officer.id });
    const other = await sendForwarding(w.app, fixedClock(new Date(START)), { reuse: { officer: w.sent.officer, officerAgent: w.officer, leader: w.sent.leader } });
    await CaseModel.updateOne({ _id: new mongoose.Types.ObjectId(other.caseId) }, { $set: { status: 'merged' } });
    const attempts: [Record<string, unknown>, string][] = [
      [{ caseIds: 'không-phải-mã' }, 'Vụ việc không tồn tại.'],
      [{ caseIds: [w.sent.caseId, '{"$gt":""}'] }, 'Vụ việc không tồn tại.'],
      [{ caseIds: unknownId() }, 'Vụ việc không tồn tại.'],
      [{ caseIds: other.caseId }, 'Vụ việc không tồn tại.'],
      [{ 'caseIds[$ne]': w.sent.caseId }, 'Hãy chọn ít nhất một vụ việc hoặc nhập số vụ việc.'],
      [{ caseNumber: '2027/999999' }, 'Không tìm thấy vụ việc có số này.'],
      [{ caseNumber: '2027/000001 hoặc 1=1 ' + 'x'.repeat(40) }, 'Nội dung quá dài'],
    ];
    for (const [fields, message] of attempts) {
      const res = await post(w.officer, `/supervision/${id}/cases`, `/supervision/${id}/cases`, fields as Record<string, string>);
      const label = JSON.stringify(fields);
      expect(res.status, label).to.equal(422);
      expect(res.text, label).to.contain(message);
      expect(res.text, label).to.contain('<h1 class="govuk-heading-l">Chọn vụ việc vào đợt giám sát</h1>');
    }
    const typed = await post(w.officer, `/supervision/${id}/cases`, `/supervision/${id}/cases`, { caseNumber: '2027/999999', caseIds: w.sent.caseId });
    expect(typed.text).to.contain('value="2027/999999"');
    expect(typed.text).to.match(new RegExp(`value="${w.sent.caseId}" checked`));
    expect((await SupervisionRoundModel.findById(id).lean())!.cases).to.deep.equal([]);
    expect(await CaseEventModel.countDocuments({ type: 'supervision.case-added' })).to.equal(0);

    // Unknown or malformed rounds: 404, whatever the body.
    for (const round of [unknownId(), 'nonsense', '%24ne']) {
      const res = await post(w.officer, `/supervision/${id}`, `/supervision/${round}/cases`, { caseIds: w.sent.caseId });
      expect(res.status, round).to.equal(404);
      expect(res.text).to.contain('Không tìm thấy');
    }
  });

  it('adds a case once when the form is sent twice at the same time', async () => {
    const id = await planRound(w.officer, { staffIds: w.sent.officer.id });
    const page = await w.officer.get(`/supervision/${id}/cases`);
    const body = { _csrf: csrfFrom(page.text), caseIds: w.sent.caseId };
    const results = await Promise.all([0, 1, 2].map(() => w.officer.post(`/supervision/${id}/cases`).type('form').send(body)));
    expect(results.map((r) => r.status)).to.deep.equal([303, 303, 303]);
    const round = await SupervisionRoundModel.findById(id).lean();
    expect(round!.cases.map((c) => String(c.caseId))).to.deep.equal([w.sent.caseId]);
    expect(await CaseEventModel.countDocuments({ type: 'supervision.case-added' })).to.equal(1);
  });

  describe('findings', () => {
    let id: string;
    let outside: string;

    beforeEach(async () => {
      id = await planRound(w.officer, { staffIds: w.sent.officer.id });
      expect((await post(w.officer, `/supervision/${id}/cases`, `/supervision/${id}/cases`, { caseIds: w.sent.caseId })).status).to.equal(303);
      outside = (await sendForwarding(w.app, fixedClock(new Date(START)), { reuse: { officer: w.sent.officer, officerAgent: w.officer, leader: w.sent.leader } })).caseId;
    });

    const finding = (fields: Record<string, unknown> = {}) => ({ submissionKey: key(), caseId: w.sent.caseId, kind: 'finding', on: '05/04/2027', text: 'Sở chưa xác minh nội dung.', ...fields });

    it('are refused on a round that has not started or is concluded (409, nothing saved)', async () => {
      const planned = await post(w.officer, `/supervision/${id}`, `/supervision/${id}/findings`, finding());
      expect(planned.status).to.equal(409);
      expect(planned.text).to.contain('Đợt giám sát chưa bắt đầu.');
      expect(planned.text).to.contain('<html lang="vi"');
      expect((await post(w.officer, `/supervision/${id}`, `/supervision/${id}/start`, {})).status).to.equal(303);
      expect((await post(w.leader, `/supervision/${id}`, `/supervision/${id}/conclude`, { conclusionOn: '05/04/2027', conclusion: 'Kết luận.' })).status).to.equal(303);
      const concluded = await post(w.officer, `/supervision/${id}`, `/supervision/${id}/findings`, finding());
      expect(concluded.status).to.equal(409);
      expect(concluded.text).to.contain('Đợt giám sát đã kết luận; không thể thay đổi.');
      expect(await SupervisionFindingModel.countDocuments()).to.equal(0);
      expect(await CaseEventModel.countDocuments({ type: 'supervision.finding' })).to.equal(0);
    });

    it('refuses a case outside the round, malformed ids, operators, bad dates and overlong text, keeping what was typed', async () => {
      expect((await post(w.officer, `/supervision/${id}`, `/supervision/${id}/start`, {})).status).to.equal(303);
      const text = 'Ghi nhận: Sở chưa xác minh, đề nghị làm rõ';
      const attempts: [Record<string, unknown>, string][] = [
        [{ caseId: outside }, 'Hãy chọn một vụ việc của đợt giám sát.'],
        [{ caseId: unknownId() }, 'Hãy chọn một vụ việc của đợt giám sát.'],
        [{ caseId: 'nonsense' }, 'Hãy chọn một vụ việc của đợt giám sát.'],
        [{ caseId: undefined, 'caseId[$ne]': '' }, 'Vui lòng nhập thông tin này'],
        [{ kind: 'opinion' }, 'Hãy chọn loại ghi nhận.'],
        [{ kind: undefined, 'kind[$in]': 'finding' }, 'Hãy chọn loại ghi nhận.'],
        [{ on: '31/03/2027' }, 'Ngày không được trước ngày bắt đầu đợt giám sát.'],
        [{ on: '06/04/2027' }, 'Ngày không được sau hôm nay.'],
        [{ on: '30/02/2027' }, 'Hãy nhập ngày theo dạng ngày/tháng/năm'],
        [{ text: 'x'.repeat(10_001) }, 'Nội dung quá dài'],
        [{ text: ZW.repeat(10) }, 'Vui lòng nhập thông tin này'],
      ];
      for (const [fields, message] of attempts) {
        const body = finding({ text, ...fields });
        const res = await post(w.officer, `/supervision/${id}`, `/supervision/${id}/findings`, body);
        const label = JSON.stringify(fields).slice(0, 100);
        expect(res.status, label).to.equal(422);
        expect(res.text, label).to.contain(message);
        expect(res.text, label).to.contain('Có lỗi cần sửa');
        // What was typed is still in the form.
        if (typeof body.text === 'string' && body.text.length < 200 && !body.text.startsWith('\u200B')) expect(res.text, label).to.contain(`>${body.text}</textarea>`);
        if (typeof body.on === 'string') expect(res.text, label).to.contain(`value="${body.on}"`);
      }
      expect(await SupervisionFindingModel.countDocuments()).to.equal(0);
      expect(await CaseEventModel.countDocuments({ type: 'supervision.finding' })).to.equal(0);

      for (const round of [unknownId(), 'nonsense']) {
        const res = await post(w.officer, `/supervision/${id}`, `/supervision/${round}/findings`, finding());
        expect(res.status, round).to.equal(404);
      }
    });

    it('stores NFD text cleaned, shows HTML escaped on the round and the case page, and records a triple submission once', async () => {
      expect((await post(w.officer, `/supervision/${id}`, `/supervision/${id}/start`, {})).status).to.equal(303);
      const page = await w.officer.get(`/supervision/${id}`);
      const typed = `Kết quả ${SCRIPT} đã xác minh`.normalize('NFD') + ZW;
      const body = { _csrf: csrfFrom(page.text), ...finding({ text: typed }) };
      const results = await Promise.all([0, 1, 2].map(() => w.officer.post(`/supervision/${id}/findings`).type('form').send(body)));
      expect(results.map((r) => r.status)).to.deep.equal([303, 303, 303]);
      const saved = await SupervisionFindingModel.find().lean();
      expect(saved).to.have.length(1);
      expect(saved[0]!.text).to.equal(`Kết quả ${SCRIPT} đã xác minh`.normalize('NFC'));
      expect(await CaseEventModel.countDocuments({ type: 'supervision.finding' })).to.equal(1);

      const escaped = 'Kết quả &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; đã xác minh';
      for (const path of [`/supervision/${id}`, `/cases/${w.sent.caseId}`]) {
        const shown = await w.officer.get(path);
        expect(shown.text, path).to.contain(escaped);
        expect(shown.text, path).to.not.contain(SCRIPT);
      }
    });
  });
});
