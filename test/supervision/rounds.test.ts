// Supervision rounds through the real app and database: planning (bad input, a double submission),
// starting, choosing cases from the pick list, findings and the conclusion on the case's timeline,
// and who may read or change a round.
import { expect } from 'chai';
import mongoose from 'mongoose';
import { CaseEventModel } from '../../server/cases/index.js';
import { DelegateModel } from '../../server/reference/index.js';
import { SupervisionFindingModel, SupervisionRoundModel } from '../../server/supervision/index.js';
import { useTestDatabase } from '../support/app.js';
import { csrfFrom } from '../support/http.js';
import { createUserAgent, planRound, post, supervisionWorld, type SupervisionWorld } from './support.js';

describe('supervision: rounds', function () {
  this.timeout(90_000);
  useTestDatabase();
  let w: SupervisionWorld;

  beforeEach(async () => {
    w = await supervisionWorld();
  });

  it('refuses a bad plan in Vietnamese, keeps what was typed, saves nothing; a double submission makes one round', async () => {
    const form = await w.officer.get('/supervision/new');
    expect(form.status).to.equal(200);
    const csrf = csrfFrom(form.text);
    const submissionKey = /name="submissionKey" value="([a-f0-9]{32})"/.exec(form.text)![1]!;
    const bad = await w.officer.post('/supervision').type('form').send({ _csrf: csrf, submissionKey, title: 'Giám sát <b>đơn</b> tồn đọng', basis: '', startsOn: '31/04/2027', endsOn: '01/03/2027' });
    expect(bad.status).to.equal(422);
    expect(bad.text).to.include('Hãy nhập ngày theo dạng ngày/tháng/năm');
    expect(bad.text).to.include('Hãy chọn ít nhất một thành viên đoàn giám sát.');
    expect(bad.text).to.include('Giám sát &lt;b&gt;đơn&lt;/b&gt; tồn đọng');
    const backwards = await w.officer.post('/supervision').type('form').send({ _csrf: csrf, submissionKey, title: 'Giám sát', basis: 'QĐ 1', startsOn: '10/04/2027', endsOn: '01/04/2027', staffIds: w.sent.officer.id });
    expect(backwards.status).to.equal(422);
    expect(backwards.text).to.include('Ngày kết thúc phải sau hoặc cùng ngày bắt đầu.');
    expect(backwards.text).to.match(new RegExp(`value="${w.sent.officer.id}" checked`));
    expect(await SupervisionRoundModel.countDocuments()).to.equal(0);

    const good = { _csrf: csrf, submissionKey, title: 'Giám sát đơn tồn đọng quý I', basis: 'Kế hoạch số 7/KH-HĐND', startsOn: '01/04/2027', endsOn: '30/04/2027', staffIds: [w.sent.officer.id, w.leaderUser.id] };
    const [first, second] = await Promise.all([w.officer.post('/supervision').type('form').send(good), w.officer.post('/supervision').type('form').send(good)]);
    expect(first.status).to.equal(303);
    expect(second.status).to.equal(303);
    expect(first.headers.location).to.equal(second.headers.location);
    const rounds = await SupervisionRoundModel.find().lean();
    expect(rounds).to.have.length(1);
    expect(rounds[0]!.status).to.equal('planned');
    expect(rounds[0]!.members.map((m) => m.name).sort()).to.deep.equal(['Lê Văn Chuyên Viên', 'Phạm Văn Lãnh Đạo']);
  });

  it('starts, takes an overdue case from the pick list, records findings and the conclusion on the timeline', async () => {
    const id = await planRound(w.officer, { staffIds: w.sent.officer.id });
    // Findings wait until the round has started.
    const early = await post(w.officer, `/supervision/${id}`, `/supervision/${id}/findings`, { submissionKey: 'a'.repeat(32), caseId: w.sent.caseId, kind: 'finding', on: '05/04/2027', text: 'x' });
    expect(early.status).to.equal(409);

    const pick = await w.officer.get(`/supervision/${id}/cases?reason=overdue`);
    expect(pick.status).to.equal(200);
    expect(pick.text).to.include(`value="${w.sent.caseId}"`);
    expect(pick.text).to.include('Cơ quan quá hạn trả lời');
    expect(pick.text).to.not.include('Trịnh Thị Kín Đáo'); // the denunciation's summary is shown redacted
    const none = await w.officer.post(`/supervision/${id}/cases`).type('form').send({ _csrf: csrfFrom(pick.text) });
    expect(none.status).to.equal(422);
    expect(none.text).to.include('Hãy chọn ít nhất một vụ việc hoặc nhập số vụ việc.');
    const added = await w.officer.post(`/supervision/${id}/cases`).type('form').send({ _csrf: csrfFrom(pick.text), caseIds: w.sent.caseId });
    expect(added.status).to.equal(303);
    expect((await w.officer.get(`/supervision/${id}/cases`)).text).to.not.include(`value="${w.sent.caseId}"`);

    expect((await post(w.officer, `/supervision/${id}`, `/supervision/${id}/start`, {})).status).to.equal(303);
    const page = await w.officer.get(`/supervision/${id}`);
    expect(page.text).to.include('Đang giám sát');
    const submissionKey = /name="submissionKey" value="([a-f0-9]{32})"/.exec(page.text)![1]!;
    const future = await w.officer.post(`/supervision/${id}/findings`).type('form').send({ _csrf: csrfFrom(page.text), submissionKey, caseId: w.sent.caseId, kind: 'finding', on: '06/04/2027', text: 'Cơ quan chưa xác minh' });
    expect(future.status).to.equal(422);
    expect(future.text).to.include('Ngày không được sau hôm nay.');
    expect(future.text).to.include('Cơ quan chưa xác minh');
    expect(await SupervisionFindingModel.countDocuments()).to.equal(0);

    const finding = { _csrf: csrfFrom(page.text), submissionKey, caseId: w.sent.caseId, kind: 'finding', on: '05/04/2027', text: 'Sở chưa tổ chức xác minh nội dung tố cáo, quá hạn 13 ngày.' };
    expect((await w.officer.post(`/supervision/${id}/findings`).type('form').send(finding)).status).to.equal(303);
    expect((await w.officer.post(`/supervision/${id}/findings`).type('form').send(finding)).status).to.equal(303);
    expect(await SupervisionFindingModel.countDocuments()).to.equal(1);
    const events = await CaseEventModel.find({ caseId: new mongoose.Types.ObjectId(w.sent.caseId), type: /^supervision\./ }).sort({ at: 1 }).lean();
    expect(events.map((e) => e.type)).to.deep.equal(['supervision.case-added', 'supervision.finding']);
    const casePage = await w.officer.get(`/cases/${w.sent.caseId}`);
    expect(casePage.text).to.include('Kết quả giám sát (“Giám sát việc giải quyết đơn tố cáo quá hạn”): Sở chưa tổ chức xác minh nội dung tố cáo, quá hạn 13 ngày.');

    // Only a leader concludes.
    const officerConclude = await post(w.officer, `/supervision/${id}`, `/supervision/${id}/conclude`, { conclusionOn: '05/04/2027', conclusion: 'Kết luận' });
    expect(officerConclude.status).to.equal(403);
    const empty = await post(w.leader, `/supervision/${id}`, `/supervision/${id}/conclude`, { conclusionOn: '05/04/2027', conclusion: ' ' });
    expect(empty.status).to.equal(422);
    expect(empty.text).to.include('Kết luận đợt giám sát');
    const concluded = await post(w.leader, `/supervision/${id}`, `/supervision/${id}/conclude`, { conclusionOn: '05/04/2027', conclusion: 'Đề nghị Sở giải quyết dứt điểm trước 30/04/2027.' });
    expect(concluded.status).to.equal(303);
    const round = await SupervisionRoundModel.findById(id).lean();
    expect(round!.status).to.equal('concluded');
    expect(round!.conclusion!.by.name).to.equal('Phạm Văn Lãnh Đạo');
    expect(await CaseEventModel.countDocuments({ caseId: new mongoose.Types.ObjectId(w.sent.caseId), type: 'supervision.round-concluded' })).to.equal(1);
    // A concluded round no longer changes.
    const late = await post(w.officer, `/supervision/${id}/cases`, `/supervision/${id}/cases`, { caseNumber: '2027/000001' });
    expect(late.status).to.equal(409);
  });

  it('lets a delegate read only the rounds they are a member of; an administrator sees none', async () => {
    const member = await createUserAgent(w.app, 'delegate', 'Hồ Văn Đại Biểu');
    const outsider = await createUserAgent(w.app, 'delegate', 'Trần Thị Ngoài');
    const [record] = await DelegateModel.create([{ userId: new mongoose.Types.ObjectId(member.user.id), name: 'Hồ Văn Đại Biểu', nameFolded: 'ho van dai bieu', body: 'hdnd-tinh', term: 'IX' }]);
    const id = await planRound(w.officer, { delegateIds: String(record!._id) });

    const own = await member.agent.get(`/supervision/${id}`);
    expect(own.status).to.equal(200);
    expect(own.text).to.include('Giám sát việc giải quyết đơn tố cáo quá hạn');
    expect(own.text).to.not.include('/start"'); // reading only
    expect((await member.agent.get('/supervision')).text).to.include(`/supervision/${id}`);
    expect((await member.agent.get('/')).text).to.include('href="/supervision"');

    expect((await outsider.agent.get(`/supervision/${id}`)).status).to.equal(404);
    expect((await outsider.agent.get('/supervision')).text).to.not.include(`/supervision/${id}`);
    expect((await outsider.agent.get('/supervision/new')).status).to.equal(403);

    const admin = await createUserAgent(w.app, 'admin');
    expect((await admin.agent.get(`/supervision/${id}`)).status).to.equal(403);
    expect((await admin.agent.get('/supervision')).status).to.equal(403);
    expect((await admin.agent.get('/supervision/candidates')).status).to.equal(403);
    expect((await w.officer.get(`/supervision/${new mongoose.Types.ObjectId().toHexString()}`)).status).to.equal(404);
    expect((await w.officer.get('/supervision/nonsense')).status).to.equal(404);
  });
});
