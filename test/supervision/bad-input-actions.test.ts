// Bad input on the round's actions — chase letters, proposals for a session, withdrawals — and in the
// query strings of the supervision pages: forwardings, cases and rounds that are malformed, unknown
// or outside the round, operators and bracket syntax, overlong and HTML text. Always a 4xx page in
// Vietnamese (422 keeps what was typed), never a 500, never a letter, proposal or email half-made.
import { expect } from 'chai';
import mongoose from 'mongoose';
import { ForwardingModel } from '../../server/forwarding/index.js';
import { OutboxMessageModel } from '../../server/notifications/index.js';
import { fixedClock } from '../../server/platform/clock.js';
import { ChaseLetterModel, QuestioningCandidateModel } from '../../server/supervision/index.js';
import { useTestDatabase } from '../support/app.js';
import { csrfFrom } from '../support/http.js';
import { START, sendForwarding, type SentForwarding } from '../forwarding/support.js';
import { makeSession, planRound, post, supervisionWorld, type SupervisionWorld } from './support.js';

const SCRIPT = '<script>alert("x")</script>';
const unknownId = () => new mongoose.Types.ObjectId().toHexString();

describe('supervision: bad input on chase letters, proposals and queries', function () {
  this.timeout(120_000);
  useTestDatabase();
  let w: SupervisionWorld;
  let roundId: string;
  let outside: SentForwarding;

  beforeEach(async () => {
    w = await supervisionWorld();
    roundId = await planRound(w.officer, { staffIds: w.sent.officer.id });
    expect((await post(w.officer, `/supervision/${roundId}/cases`, `/supervision/${roundId}/cases`, { caseIds: w.sent.caseId })).status).to.equal(303);
    // A second case with its own forwarding, not in the round.
    outside = await sendForwarding(w.app, fixedClock(new Date(START)), { reuse: { officer: w.sent.officer, officerAgent: w.officer, leader: w.sent.leader } });
  });

  async function chaseForm() {
    const form = await w.officer.get(`/supervision/${roundId}/chase?forwarding=${w.sent.id}`);
    expect(form.status).to.equal(200);
    return { _csrf: csrfFrom(form.text), submissionKey: /name="submissionKey" value="([a-f0-9]{32})"/.exec(form.text)![1]! };
  }

  const nothingSent = async () => {
    expect(await ChaseLetterModel.countDocuments()).to.equal(0);
    expect(await OutboxMessageModel.countDocuments({ template: 'supervision-chase' })).to.equal(0);
    expect((await ForwardingModel.findById(w.sent.id).lean())!.chaseCount).to.equal(0);
  };

  it('refuses a chase letter about a forwarding outside the round, unknown or malformed (4xx, nothing issued)', async () => {
    const form = await chaseForm();
    for (const forwardingId of [outside.id, unknownId(), 'nonsense', '{"$ne":null}']) {
      const res = await w.officer.post(`/supervision/${roundId}/chase`).type('form').send({ ...form, forwardingId, message: 'Đề nghị trả lời.' });
      expect(res.status, forwardingId).to.be.oneOf([404, 422]);
      expect(res.text, forwardingId).to.contain('<html lang="vi"');
    }
    const bracket = await w.officer.post(`/supervision/${roundId}/chase`).type('form').send({ ...form, 'forwardingId[$ne]': '', message: 'x' });
    expect(bracket.status).to.equal(404);
    await nothingSent();
    // The form itself, for those forwardings: not found.
    for (const q of [`forwarding=${outside.id}`, `forwarding=${unknownId()}`, 'forwarding[$ne]=x', 'forwarding=nonsense', '']) {
      expect((await w.officer.get(`/supervision/${roundId}/chase?${q}`)).status, q).to.equal(404);
    }
    // An unknown or malformed round.
    for (const round of [unknownId(), 'nonsense']) {
      const res = await w.officer.post(`/supervision/${round}/chase`).type('form').send({ ...form, forwardingId: w.sent.id, message: '' });
      expect(res.status, round).to.equal(404);
    }
    await nothingSent();
  });

  it('keeps an overlong request typed in the chase form (422) and escapes HTML in it; a concluded round sends nothing', async () => {
    const form = await chaseForm();
    const long = `Đề nghị ${'khẩn trương '.repeat(400)}`;
    const res = await w.officer.post(`/supervision/${roundId}/chase`).type('form').send({ ...form, forwardingId: w.sent.id, message: `${SCRIPT} ${long}` });
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('Nội dung quá dài');
    expect(res.text).to.contain(`&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; ${long}`);
    expect(res.text).to.not.contain(SCRIPT);
    expect(res.text).to.contain(`value="${form.submissionKey}"`);
    await nothingSent();

    expect((await post(w.officer, `/supervision/${roundId}`, `/supervision/${roundId}/start`, {})).status).to.equal(303);
    expect((await post(w.leader, `/supervision/${roundId}`, `/supervision/${roundId}/conclude`, { conclusionOn: '05/04/2027', conclusion: 'Kết luận.' })).status).to.equal(303);
    const late = await w.officer.post(`/supervision/${roundId}/chase`).type('form').send({ ...form, forwardingId: w.sent.id, message: '' });
    expect(late.status).to.equal(409);
    expect(late.text).to.contain('Đợt giám sát đã kết luận; không thể thay đổi.');
    await nothingSent();
  });

  describe('proposals', () => {
    let sessionId: string;

    beforeEach(async () => {
      sessionId = await makeSession(w.officerActor);
    });

    async function proposalForm(caseId = w.sent.caseId) {
      const page = await w.officer.get(`/supervision/candidates/new?case=${caseId}&round=${roundId}`);
      expect(page.status).to.equal(200);
      return { _csrf: csrfFrom(page.text), submissionKey: /name="submissionKey" value="([a-f0-9]{32})"/.exec(page.text)![1]! };
    }
    const proposal = () => ({ caseId: w.sent.caseId, roundId, kind: 'questioning', sessionId, forwardingId: w.sent.id, agencyId: '', reason: 'Sở quá hạn chưa trả lời.' });

    it('refuses forwardings, agencies, sessions and rounds that do not fit the case, keeping the form (422)', async () => {
      const form = await proposalForm();
      const attempts: [Record<string, unknown>, string][] = [
        [{ forwardingId: outside.id }, 'Phiếu chuyển đơn không thuộc vụ việc của đợt giám sát.'],
        [{ forwardingId: unknownId() }, 'Phiếu chuyển đơn không thuộc vụ việc của đợt giám sát.'],
        [{ forwardingId: 'nonsense' }, 'Phiếu chuyển đơn không thuộc vụ việc của đợt giám sát.'],
        [{ forwardingId: w.sent.id, agencyId: outside.agencyId }, 'Cơ quan được chọn không phải cơ quan nhận phiếu chuyển đơn đã chọn.'],
        [{ forwardingId: '', agencyId: unknownId() }, 'Cơ quan được chọn không tồn tại hoặc đã ngừng hoạt động.'],
        [{ forwardingId: undefined, 'forwardingId[$ne]': '', agencyId: '' }, 'Hãy chọn phiếu chuyển đơn hoặc cơ quan liên quan.'],
        [{ sessionId: unknownId() }, 'Hãy chọn kỳ họp.'],
        [{ sessionId: undefined, 'sessionId[$gt]': '' }, 'Vui lòng nhập thông tin này'],
        [{ kind: 'impeachment' }, 'Hãy chọn chất vấn hoặc giải trình.'],
        [{ roundId: unknownId() }, 'Vụ việc không thuộc đợt giám sát này.'],
        [{ roundId: await planRound(w.officer, { staffIds: w.sent.officer.id, title: 'Đợt khác' }) }, 'Vụ việc không thuộc đợt giám sát này.'],
        [{ roundId: 'nonsense' }, 'Giá trị không hợp lệ'],
        [{ reason: 'lý do '.repeat(800) }, 'Nội dung quá dài'],
        [{ reason: '\u200B\u200B ' }, 'Vui lòng nhập thông tin này'],
      ];
      for (const [fields, message] of attempts) {
        const res = await w.officer.post('/supervision/candidates').type('form').send({ ...form, ...proposal(), ...fields });
        const label = JSON.stringify(fields).slice(0, 100);
        expect(res.status, label).to.equal(422);
        expect(res.text, label).to.contain(message);
        expect(res.text, label).to.contain('Có lỗi cần sửa');
        const reason = (fields.reason as string | undefined) ?? proposal().reason;
        if (reason.trim().length > 3) expect(res.text, label).to.contain(`>${reason}</textarea>`);
      }
      expect(await QuestioningCandidateModel.countDocuments()).to.equal(0);
    });

    it('answers a malformed case with 422 and an unknown one with 404; stores HTML as typed and shows it escaped', async () => {
      const form = await proposalForm();
      const malformed = await w.officer.post('/supervision/candidates').type('form').send({ ...form, ...proposal(), caseId: 'nonsense' });
      expect(malformed.status).to.equal(422);
      expect(malformed.text).to.contain('<html lang="vi"');
      const unknown = await w.officer.post('/supervision/candidates').type('form').send({ ...form, ...proposal(), caseId: unknownId() });
      expect(unknown.status).to.equal(404);
      const bracket = await w.officer.post('/supervision/candidates').type('form').send({ ...form, ...proposal(), caseId: undefined, 'caseId[$ne]': '' });
      expect(bracket.status).to.equal(422);
      expect(await QuestioningCandidateModel.countDocuments()).to.equal(0);

      const ok = await w.officer.post('/supervision/candidates').type('form').send({ ...form, ...proposal(), reason: `Lý do ${SCRIPT}` });
      expect(ok.status).to.equal(303);
      expect((await QuestioningCandidateModel.findOne().lean())!.reason).to.equal(`Lý do ${SCRIPT}`);
      for (const path of [`/supervision/candidates?session=${sessionId}`, `/supervision/${roundId}`]) {
        const page = await w.officer.get(path);
        expect(page.text, path).to.contain('Lý do &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
        expect(page.text, path).to.not.contain(SCRIPT);
      }
    });

    it('withdraws only what exists, keeping an overlong reason typed (422)', async () => {
      const form = await proposalForm();
      expect((await w.officer.post('/supervision/candidates').type('form').send({ ...form, ...proposal() })).status).to.equal(303);
      const candidate = (await QuestioningCandidateModel.findOne().lean())!;
      const path = `/supervision/candidates/${String(candidate._id)}/withdraw`;
      const long = `Đã trả lời ${'đầy đủ '.repeat(300)}`;
      const res = await post(w.officer, path, path, { reason: long });
      expect(res.status).to.equal(422);
      expect(res.text).to.contain('Nội dung quá dài');
      expect(res.text).to.contain(`>${long}</textarea>`);
      const bracket = await post(w.officer, path, path, { 'reason[$ne]': '' });
      expect(bracket.status).to.equal(422);
      expect((await QuestioningCandidateModel.findById(candidate._id).lean())!.status).to.equal('proposed');
      for (const id of [unknownId(), 'nonsense']) {
        expect((await w.officer.get(`/supervision/candidates/${id}/withdraw`)).status, id).to.equal(404);
        expect((await post(w.officer, path, `/supervision/candidates/${id}/withdraw`, { reason: 'Rút.' })).status, id).to.equal(404);
      }
    });
  });

  it('ignores what it cannot read in query strings and answers unknown pages with 404', async () => {
    const ok = ['/supervision?status[$ne]=x&agency[$gt]=', '/supervision?after=1_2', '/supervision?after[$gt]=', '/supervision/candidates?session[$ne]=x', '/supervision/candidates?session=nonsense&withdrawn[$ne]=1', `/supervision/${roundId}/cases?reason[$ne]=x`];
    for (const path of ok) {
      const res = await w.officer.get(path);
      expect(res.status, path).to.equal(200);
      expect(res.text, path).to.contain('<html lang="vi"');
    }
    const missing = [
      `/supervision/candidates/new?case[$ne]=x`,
      `/supervision/candidates/new?case=${unknownId()}`,
      '/supervision/candidates/new',
      '/supervision/candidates.pdf?session[$ne]=x',
      `/supervision/candidates.pdf?session=${unknownId()}`,
      '/supervision/letters/nonsense/pdf',
      `/supervision/letters/${unknownId()}/pdf`,
      `/supervision/${unknownId()}/cases`,
      '/supervision/nonsense/cases',
    ];
    for (const path of missing) {
      const res = await w.officer.get(path);
      expect(res.status, path).to.equal(404);
      expect(res.text, path).to.contain('Không tìm thấy');
    }
  });
});
