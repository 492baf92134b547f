// The letter form through the real app, signed in through the real forms, with CSRF on: the happy
// path, the duplicate step, concurrent submissions, and every kind of bad input.
import { expect } from 'chai';
import supertest from 'supertest';
import { buildTestApp, useTestDatabase } from '../support/app.js';
import { createTestUser } from '../support/factories.js';
import { pageToken, signIn, type Agent, expectSentToSignIn } from '../support/http.js';
import { seedIntakeReference } from '../support/intake.js';
import { db, findLetters, idFrom, letterFields, postLetter } from './support.js';

describe('letter intake over HTTP', () => {
  useTestDatabase();
  let ref: Awaited<ReturnType<typeof seedIntakeReference>>;
  let agent: Agent;
  let app: ReturnType<typeof buildTestApp>['app'];

  beforeEach(async () => {
    ref = await seedIntakeReference();
    app = buildTestApp().app;
    agent = await signIn(app, await createTestUser({ role: 'officer', name: 'Đinh Thị Nhận' }));
  });

  it('asks whether a sender without a CCCD is the namesake already on file in the same commune', async () => {
    await postLetter(agent, letterFields({ name: 'Cao Thị Mận', citizenId: '', phone: '', unitCode: ref.commune, caseChoice: 'new' }));
    const fields = letterFields({ name: 'Cao Thi Man', citizenId: '', phone: '0977000111', unitCode: ref.commune, caseChoice: 'new', summary: 'Kiến nghị về điện sinh hoạt' });
    const question = await postLetter(agent, fields);
    expect(question.status).to.equal(200);
    expect(question.text).to.contain('Có thể người này đã có hồ sơ');
    expect(question.text).to.contain('Cao Thị Mận');
    const person = await db().collection('people').findOne({});
    const token = await pageToken(agent, '/letters/new');
    const res = await agent.post('/letters').type('form').send({ ...fields, _csrf: token, personChoice: String(person!._id) });
    expect(res.status).to.equal(303);
    expect(await db().collection('people').countDocuments()).to.equal(1);
    expect(await db().collection('people').findOne({})).to.include({ name: 'Cao Thị Mận', phone: '0977000111' });
  });

  it('logs a letter and a new case through the form, and shows it on its page, the register and the case page', async () => {
    const form = await agent.get('/letters/new');
    expect(form.status).to.equal(200);
    expect(form.text).to.contain('Nhập đơn mới');
    expect(form.text).to.match(/name="submissionKey" value="[a-f0-9]{32}"/);
    const res = await postLetter(agent, letterFields({ unitCode: ref.commune, fieldCode: ref.field, channel: 'forwarded-by-body', forwardedBy: 'Ban Tiếp công dân Trung ương' }));
    expect(res.status, res.text.slice(0, 300)).to.equal(303);
    expect(res.headers.location).to.match(/^\/letters\/[a-f0-9]{24}$/);
    const page = await agent.get(res.headers.location!);
    expect(page.text).to.contain('Đã lưu đơn và tạo vụ việc 2026/000001.');
    expect(page.text).to.contain('Trần Văn Bình');
    expect(page.text).to.contain('045090054321');
    expect(page.text).to.contain('Ban Tiếp công dân Trung ương');
    expect(page.text).to.contain('16/03/2026');
    expect(page.text).to.contain('Tổ 5 · 0905111222');
    const register = await agent.get('/letters');
    expect(register.text).to.contain('1 đơn');
    expect(register.text).to.contain('2026/000001');
    const kase = await db().collection('cases').findOne({});
    const casePage = await agent.get(`/cases/${String(kase?._id)}`);
    expect(casePage.text).to.contain('Các đơn');
    expect(casePage.text).to.contain(`/letters/${idFrom(res.headers.location)}`);
    expect(casePage.text).to.contain('0 lượt tiếp, 1 đơn');
  });

  it('suggests the existing case first, keeping what was typed, then saves the letter to the case chosen', async () => {
    const first = await postLetter(agent, letterFields({ caseChoice: 'new' }));
    const caseId = String((await db().collection('cases').findOne({}))?._id);
    const fields = letterFields({ name: 'TRẦN VĂN BÌNH', summary: 'Đơn nhắc lại lần hai, chưa nhận được trả lời', channel: 'email' });
    const suggestion = await postLetter(agent, fields);
    expect(suggestion.status).to.equal(200);
    expect(suggestion.text).to.contain('Có thể đã có vụ việc này');
    expect(suggestion.text).to.contain('trùng số CCCD');
    expect(suggestion.text).to.contain('value="TRẦN VĂN BÌNH"');
    expect(suggestion.text).to.contain('Đơn nhắc lại lần hai, chưa nhận được trả lời');
    expect(await db().collection('letters').countDocuments()).to.equal(1);
    const token = await pageToken(agent, '/letters/new');
    const res = await agent.post('/letters').type('form').send({ ...fields, _csrf: token, caseChoice: caseId });
    expect(res.status).to.equal(303);
    expect(first.headers.location).to.not.equal(res.headers.location);
    expect((await agent.get(res.headers.location!)).text).to.contain('Đã lưu đơn vào vụ việc 2026/000001.');
    expect(await db().collection('cases').countDocuments()).to.equal(1);
    expect((await db().collection('cases').findOne({}))?.letterCount).to.equal(2);
  });

  it('records one letter and one case when the same form is submitted twice at once', async () => {
    const token = await pageToken(agent, '/letters/new');
    const fields = { ...letterFields({ caseChoice: 'new' }), _csrf: token };
    const [a, b] = await Promise.all([agent.post('/letters').type('form').send(fields), agent.post('/letters').type('form').send(fields)]);
    expect([a.status, b.status]).to.deep.equal([303, 303]);
    expect(a.headers.location).to.equal(b.headers.location);
    expect(await db().collection('letters').countDocuments()).to.equal(1);
    expect(await db().collection('cases').countDocuments()).to.equal(1);
    expect(await db().collection('people').countDocuments()).to.equal(1);
  });

  const badInputs: [string, Record<string, string>, string, string][] = [
    ['a missing summary', { summary: ' \u200B ' }, 'summary', 'Vui lòng nhập thông tin này'],
    ['no name and not anonymous', { name: '' }, 'name', 'Nhập họ tên người gửi, hoặc chọn đơn nặc danh'],
    ['an anonymous letter with a name', { anonymous: '1' }, 'anonymous', 'Đơn nặc danh thì để trống thông tin người gửi'],
    ['a citizen ID with 11 digits', { citizenId: '04509005432' }, 'citizenId', 'Số CCCD gồm đúng 12 chữ số'],
    ['a citizen ID with an unknown province', { citizenId: '003090054321' }, 'citizenId', 'không phải mã tỉnh hợp lệ'],
    ['a co-signer ID without a name', { cosigner1CitizenId: '045190054322' }, 'cosigner1Name', 'Nhập họ tên người cùng ký đơn'],
    ['an impossible date', { date: '31/02/2026' }, 'date', 'Nhập ngày đúng dạng'],
    ['a date that is not a date', { date: 'hôm qua' }, 'date', 'Nhập ngày đúng dạng'],
    ['a date in the future', { date: '01/01/2099' }, 'date', 'không được ở tương lai'],
    ['an unknown channel', { channel: 'pigeon' }, 'channel', 'Chọn nguồn đơn'],
    ['a forwarded letter without the forwarding body', { channel: 'forwarded-by-body' }, 'forwardedBy', 'Nhập tên cơ quan, tổ chức chuyển đơn'],
    ['an unknown type', { type: 'lawsuit' }, 'type', 'Chọn loại đơn'],
    ['a mixed letter without its main type', { type: 'mixed' }, 'mainType', 'chọn loại nội dung chính'],
    ['an over-long summary', { summary: 'x'.repeat(2100) }, 'summary', 'Nội dung quá dài'],
    ['an over-long full text', { fullText: 'y'.repeat(20_500) }, 'fullText', 'Nội dung quá dài'],
    ['a bad phone number', { phone: 'gọi sau' }, 'phone', 'Số điện thoại không hợp lệ'],
    ['a malformed case choice', { caseChoice: '{"$ne":null}' }, 'caseChoice', 'Chọn vụ việc hoặc tạo vụ việc mới'],
    ['a case that does not exist', { caseChoice: '64b7f0000000000000000000' }, 'caseChoice', 'Không tìm thấy vụ việc đã chọn'],
  ];
  for (const [label, change, field, message] of badInputs) {
    it(`refuses ${label} with 422, keeping what was typed and saving nothing`, async () => {
      const res = await postLetter(agent, letterFields({ street: 'Tổ <b>5</b>', fullText: 'Kính gửi <i>Đoàn</i>', ...change }));
      expect(res.status).to.equal(422);
      expect(res.text).to.contain(`href="#${field}"`);
      expect(res.text).to.contain(`id="${field}"`);
      expect(res.text).to.contain(message);
      expect(res.text).to.contain('Tổ &lt;b&gt;5&lt;/b&gt;');
      if (field !== 'fullText') expect(res.text).to.contain('Kính gửi &lt;i&gt;Đoàn&lt;/i&gt;');
      expect(await db().collection('letters').countDocuments()).to.equal(0);
      expect(await db().collection('cases').countDocuments()).to.equal(0);
      expect(await db().collection('people').countDocuments()).to.equal(0);
    });
  }

  it('refuses a case the officer may not see with the same message as an unknown one', async () => {
    await postLetter(agent, letterFields({ caseChoice: 'new' }));
    const caseId = String((await db().collection('cases').findOne({}))?._id);
    const outsider = await signIn(app, await createTestUser({ role: 'delegate', grantedPermissions: ['cases:write'] }));
    const res = await postLetter(outsider, letterFields({ caseChoice: caseId, citizenId: '', name: 'Người Khác' }));
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('Không tìm thấy vụ việc đã chọn');
    expect(res.text).to.contain('value="Người Khác"');
    expect(await db().collection('letters').countDocuments()).to.equal(1);
  });

  it('treats HTML and script in text as text, NFD input as NFC, and operator keys in the body as stray fields', async () => {
    const token = await pageToken(agent, '/letters/new');
    const body = new URLSearchParams({
      ...letterFields({ caseChoice: 'new', name: 'Nguye\u0302\u0303n Thi\u0323 Hoa', citizenId: '', summary: '<script>alert("x")</script> đòi bồi thường <img src=x onerror=alert(1)>' }),
      _csrf: token,
    });
    body.append('name[$ne]', 'x');
    body.append('caseChoice[$gt]', '');
    body.append('$where', '1');
    const res = await agent.post('/letters').type('form').send(body.toString());
    expect(res.status).to.equal(303);
    const page = await agent.get(res.headers.location!);
    expect(page.text).to.contain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; đòi bồi thường &lt;img src=x onerror=alert(1)&gt;');
    expect(page.text).to.not.contain('<script>alert("x")</script>');
    expect(page.text).to.contain('Nguyễn Thị Hoa'.normalize('NFC'));
    expect((await findLetters())[0]?.senders[0]?.name).to.equal('Nguyễn Thị Hoa'.normalize('NFC'));
  });

  it('answers a repeated field (an array where text is expected) with 422, not 500', async () => {
    const token = await pageToken(agent, '/letters/new');
    const body = new URLSearchParams({ ...letterFields({ caseChoice: 'new' }), _csrf: token });
    body.append('summary', 'thứ hai');
    const res = await agent.post('/letters').type('form').send(body.toString());
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('href="#summary"');
    expect(await db().collection('letters').countDocuments()).to.equal(0);
  });

  it('refuses a form without its CSRF token', async () => {
    const res = await agent.post('/letters').type('form').send(letterFields({ caseChoice: 'new' }));
    expect(res.status).to.equal(403);
    expect(await db().collection('letters').countDocuments()).to.equal(0);
  });

  it('is closed to administrators and to visitors who are not signed in; unknown letters are 404', async () => {
    const admin = await signIn(app, await createTestUser({ role: 'admin' }));
    expect((await admin.get('/letters')).status).to.equal(403);
    expect((await admin.get('/letters/new')).status).to.equal(403);
    const delegate = await signIn(app, await createTestUser({ role: 'delegate' }));
    expect((await delegate.get('/letters/new')).status).to.equal(403);
    expect((await delegate.get('/letters')).status).to.equal(200);
    const res = await supertest(app).get('/letters');
    expectSentToSignIn(res);
    expect((await agent.get('/letters/64b7f0000000000000000000')).status).to.equal(404);
    expect((await agent.get('/letters/not-an-id')).status).to.equal(404);
  });
});
