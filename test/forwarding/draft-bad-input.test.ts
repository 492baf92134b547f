// The office's draft form and list against bad input: overlong text, `$`-operators and bracket keys
// (urlencoded and JSON bodies, query strings), NFD and zero-width text, HTML, unknown and malformed
// forwarding ids, and a form sent twice. Always a 4xx page in Vietnamese that keeps what was typed,
// nothing half-saved, never a 500.
import { expect } from 'chai';
import mongoose from 'mongoose';
import { ForwardingModel, configureForwarding } from '../../server/forwarding/index.js';
import { OutboxMessageModel } from '../../server/notifications/index.js';
import { seedBaseData } from '../../server/seed.js';
import { buildTestApp, fixedClock, testConfig, useTestDatabase } from '../support/app.js';
import { createTestUser } from '../support/factories.js';
import { pageToken, signIn, type Agent } from '../support/http.js';
import { draftForm, makeAgency, openCase } from './office.js';
import { START } from './support.js';

const clock = fixedClock(START);
const drafted = () => mongoose.connection.collection('case_events').countDocuments({ type: 'forwarding.drafted' });

async function expectNothingSaved(): Promise<void> {
  expect(await ForwardingModel.countDocuments(), 'forwardings').to.equal(0);
  expect(await drafted(), 'drafted events').to.equal(0);
  expect(await OutboxMessageModel.countDocuments({ template: 'forwarding-approval' }), 'approval emails').to.equal(0);
}

describe('forwarding: the draft form and the list against bad input', function () {
  this.timeout(60_000);
  useTestDatabase();
  let app: ReturnType<typeof buildTestApp>['app'];
  let officer: Agent;
  let leader: Agent;
  let agencyId: string;
  let caseId: string;

  beforeEach(async () => {
    clock.set(START);
    app = buildTestApp({ clock }).app;
    await seedBaseData(clock);
    agencyId = await makeAgency('Sở Giáo dục và Đào tạo thử', 'vanthu@sgddt.test.gov.vn');
    officer = await signIn(app, await createTestUser({ role: 'officer', name: 'Lê Văn Chuyên' }));
    leader = await signIn(app, await createTestUser({ role: 'leader', name: 'Phạm Thị Duyệt' }), { nowMs: clock.now().getTime() });
    caseId = await openCase(officer, 'Khiếu nại việc thu các khoản đóng góp đầu năm học không đúng quy định');
  });
  // One test builds an app that sends without approval; the setting is the process's, so it goes back.
  afterEach(() => configureForwarding(testConfig()));

  it('refuses overlong request and note with 422 "Nội dung quá dài", keeping both texts, saving nothing', async () => {
    const form = await draftForm(officer, [caseId]);
    const request = 'Đề nghị Sở kiểm tra việc thu tiền. '.repeat(120); // 4,200 characters (limit 4,000)
    const note = 'Ghi chú nội bộ dài. '.repeat(210); // 4,200 characters
    const res = await officer.post('/forwardings').type('form').send({ _csrf: form.csrf, submissionKey: form.submissionKey, caseIds: caseId, agencyIds: agencyId, request, internalNote: note });
    expect(res.status).to.equal(422);
    expect(res.text).to.include('Có lỗi cần sửa');
    expect(res.text).to.include('Nội dung quá dài');
    expect(res.text).to.include('href="#request"');
    expect(res.text).to.include('href="#internalNote"');
    expect(res.text).to.include(request.trim());
    expect(res.text).to.include(note.trim());
    expect(res.text).to.match(new RegExp(`value="${agencyId}" checked`));
    // The same submission key still works once the text is shortened.
    expect(res.text).to.include(`name="submissionKey" value="${form.submissionKey}"`);
    await expectNothingSaved();
  });

  it('never turns bracket keys or JSON objects into query operators: 422, nothing saved', async () => {
    const form = await draftForm(officer, [caseId]);
    const typed = 'Đề nghị xem xét theo thẩm quyền';
    // urlencoded: `agencyIds[$ne]` stays a literal key, so no agency was chosen.
    const bracket = await officer
      .post('/forwardings')
      .type('form')
      .send(`_csrf=${encodeURIComponent(form.csrf)}&submissionKey=${form.submissionKey}&caseIds=${caseId}&agencyIds[$ne]=x&request=${encodeURIComponent(typed)}&submissionKey[$regex]=.*`);
    expect(bracket.status).to.equal(422);
    expect(bracket.text).to.include('Hãy chọn ít nhất một cơ quan nhận.');
    expect(bracket.text).to.include(typed);
    // JSON: real objects arrive, and every one is refused as a value.
    const json = await officer
      .post('/forwardings')
      .type('json')
      .send({ _csrf: form.csrf, submissionKey: form.submissionKey, caseIds: caseId, agencyIds: { $ne: null }, sharedAttachmentIds: { $exists: true }, request: { $gt: '' }, internalNote: typed });
    expect(json.status).to.equal(422);
    expect(json.text).to.include('Cơ quan được chọn không tồn tại.');
    expect(json.text).to.include('Có tệp không được phép gửi cho cơ quan.');
    expect(json.text).to.include('href="#request"');
    expect(json.text).to.include(typed);
    const jsonKey = await officer.post('/forwardings').type('json').send({ _csrf: form.csrf, submissionKey: { $regex: '.*' }, caseIds: caseId, agencyIds: agencyId });
    expect(jsonKey.status).to.equal(422);
    expect(jsonKey.text).to.include('href="#submissionKey"');
    // No case at all (the operator was the only "case"): there is no form to show again, but a 422 in Vietnamese.
    for (const body of [{ caseIds: { $gt: '' } }, { caseIds: [{ $gt: '' }] }]) {
      const res = await officer.post('/forwardings').type('json').send({ _csrf: form.csrf, submissionKey: form.submissionKey, agencyIds: agencyId, ...body });
      expect(res.status, JSON.stringify(body)).to.equal(422);
      expect(res.text).to.include('Dữ liệu chưa hợp lệ');
    }
    const noCase = await officer.post('/forwardings').type('form').send(`_csrf=${encodeURIComponent(form.csrf)}&submissionKey=${form.submissionKey}&caseIds[$gt]=&agencyIds=${agencyId}`);
    expect(noCase.status).to.equal(422);
    expect(noCase.text).to.include('Dữ liệu chưa hợp lệ');
    await expectNothingSaved();
  });

  it('stores NFD text as NFC without zero-width characters, and shows HTML as text', async () => {
    const form = await draftForm(officer, [caseId]);
    const request = 'Đề nghị Sở\u200B xem xét <script>alert("x")</script> <b>gấp</b>'.normalize('NFD');
    const note = '\uFEFFGhi chú: đã gọi điện cho hiệu trưởng\u200D'.normalize('NFD');
    const res = await officer.post('/forwardings').type('form').send({ _csrf: form.csrf, submissionKey: form.submissionKey, caseIds: caseId, agencyIds: agencyId, request, internalNote: note });
    expect(res.status).to.equal(303);
    const saved = (await ForwardingModel.findOne().lean())!;
    expect(saved.request).to.equal('Đề nghị Sở xem xét <script>alert("x")</script> <b>gấp</b>'.normalize('NFC'));
    expect(saved.internalNote).to.equal('Ghi chú: đã gọi điện cho hiệu trưởng');
    const page = await leader.get(`/forwardings/${String(saved._id)}`);
    expect(page.text).to.not.include('<script>alert("x")</script>');
    expect(page.text).to.not.include('<b>gấp</b>');
    expect(page.text).to.include('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &lt;b&gt;gấp&lt;/b&gt;');
  });

  it('makes one forwarding of a form sent twice, one after the other or both at once', async () => {
    const form = await draftForm(officer, [caseId]);
    const body = { _csrf: form.csrf, submissionKey: form.submissionKey, caseIds: caseId, agencyIds: agencyId, request: 'Đề nghị giải quyết' };
    const first = await officer.post('/forwardings').type('form').send(body);
    const again = await officer.post('/forwardings').type('form').send(body);
    expect([first.status, again.status]).to.deep.equal([303, 303]);
    expect(again.headers.location).to.equal(first.headers.location);
    expect(await ForwardingModel.countDocuments()).to.equal(1);
    expect(await drafted()).to.equal(1);
    expect(await OutboxMessageModel.countDocuments({ template: 'forwarding-approval' })).to.equal(1);

    // Without approval the draft is sent at once: two simultaneous sends take one number and send one email.
    const direct = buildTestApp({ clock, config: { FORWARDING_APPROVAL: 'none' } }).app;
    const sender = await signIn(direct, await createTestUser({ role: 'officer', name: 'Trần Thị Gửi' }));
    const other = await openCase(sender, 'Kiến nghị xây thêm phòng học cho điểm trường thôn');
    const directForm = await draftForm(sender, [other]);
    const directBody = { _csrf: directForm.csrf, submissionKey: directForm.submissionKey, caseIds: other, agencyIds: agencyId };
    const [a, b] = await Promise.all([sender.post('/forwardings').type('form').send(directBody), sender.post('/forwardings').type('form').send(directBody)]);
    expect([a.status, b.status]).to.deep.equal([303, 303]);
    const sent = await ForwardingModel.find({ 'items.refId': other }).lean();
    expect(sent).to.have.length(1);
    expect(sent[0]!.status).to.equal('sent');
    expect(sent[0]!.documentNumber).to.equal('1/PC-VP');
    expect(await OutboxMessageModel.countDocuments({ template: 'forwarding-sent' })).to.equal(1);
    expect((await mongoose.connection.collection<{ _id: string; seq: number }>('counters').findOne({ _id: 'forwarding-document:2027' }))?.seq).to.equal(1);
  });

  it('ignores operators, brackets and repeated values in the list query: 200, never a 500', async () => {
    const queries = [
      'status[$ne]=closed',
      'status=open&status=closed',
      'agency[$gt]=',
      'agency=zzz',
      'overdue[$ne]=1',
      'after[$gt]=0',
      'after=1_2',
      'from=99/99/9999&to=$gt',
      'answer[$in]=late',
      'mine=%00',
      'verdict={"$ne":null}',
    ];
    for (const q of queries) {
      const res = await officer.get(`/forwardings?${q}`);
      expect(res.status, q).to.equal(200);
      expect(res.text, q).to.include('Phiếu chuyển đơn');
    }
    // The draft form's query: an operator in place of the case is no case ticked; an unknown case is not found.
    const bracket = await officer.get('/forwardings/new?case[$gt]=');
    expect(bracket.status).to.equal(303);
    expect(bracket.headers.location).to.equal('/cases');
    const unknown = await officer.get(`/forwardings/new?case=${new mongoose.Types.ObjectId().toHexString()}`);
    expect(unknown.status).to.equal(404);
    expect(unknown.text).to.include('Có vụ việc không tồn tại hoặc bạn không có quyền xem.');
  });

  it('answers unknown and malformed forwarding ids with a 404 in Vietnamese on every page and action', async () => {
    const unknown = new mongoose.Types.ObjectId().toHexString();
    const ids = [unknown, 'nonsense', '%24gt', `${unknown}0`, '0'.repeat(300), encodeURIComponent('{"$ne":null}')];
    for (const id of ids) {
      for (const path of [`/forwardings/${id}`, `/forwardings/${id}/slip.pdf`, `/forwardings/${id}/files/${unknown}`]) {
        const res = await officer.get(path);
        expect(res.status, path).to.equal(404);
        expect(res.text, path).to.include('Không tìm thấy');
      }
      const posts: [Agent, string, Record<string, string>][] = [
        [leader, 'approve', { note: '' }],
        [leader, 'return', { note: 'Sửa lại' }],
        [officer, 'resubmit', { request: 'Gửi lại' }],
        [officer, 'cancel', { reason: 'Huỷ' }],
        [officer, 'revoke-link', { reason: 'Lộ thư' }],
        [officer, 'reissue-link', { reason: 'Mất thư' }],
        [officer, 'chase', { message: 'Đề nghị trả lời' }],
        [officer, 'evaluate', { 'ref-0': caseId, 'verdict-0': 'satisfied' }],
      ];
      for (const [agent, action, fields] of posts) {
        const res = await agent.post(`/forwardings/${id}/${action}`).type('form').send({ _csrf: await pageToken(agent, '/forwardings'), ...fields });
        expect(res.status, `${action} ${id}`).to.equal(404);
        expect(res.text, `${action} ${id}`).to.include('Không tìm thấy phiếu chuyển đơn.');
      }
    }
    expect(await ForwardingModel.countDocuments()).to.equal(0);
  });
});
