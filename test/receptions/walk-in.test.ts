// An officer logs a walk-in: new person and new case in one form; repeat visits join the case.
import { expect } from 'chai';
import mongoose from 'mongoose';
import { buildTestApp, useTestDatabase } from '../support/app.js';
import { createTestUser, type TestUser } from '../support/factories.js';
import { pageToken, signIn, type Agent } from '../support/http.js';
import { postWalkIn, seedIntakeReference, walkInFields } from '../support/intake.js';

const db = () => mongoose.connection;

describe('walk-in reception', () => {
  useTestDatabase();
  let ref: Awaited<ReturnType<typeof seedIntakeReference>>;
  let officer: TestUser;
  let agent: Agent;
  let app: ReturnType<typeof buildTestApp>['app'];

  beforeEach(async () => {
    ref = await seedIntakeReference();
    app = buildTestApp().app;
    officer = await createTestUser({ role: 'officer', name: 'Lê Thị Tiếp' });
    agent = await signIn(app, officer);
  });

  it('logs a new person and a new case in one form, with the handling deadline computed', async () => {
    const res = await postWalkIn(agent, walkInFields({ unitCode: ref.commune, fieldCode: ref.field }));
    expect(res.status, res.text.slice(0, 500)).to.equal(303);
    expect(res.headers.location).to.match(/^\/cases\/[a-f0-9]{24}$/);
    const page = await agent.get(res.headers.location!);
    expect(page.text).to.contain('Đã lưu lượt tiếp và tạo vụ việc 2026/000001.');
    expect(page.text).to.contain('Nguyễn Văn An');
    expect(page.text).to.contain('045090012345');
    // Received Monday 02/03/2026: 10 working days counted from the next day → Monday 16/03/2026.
    expect(page.text).to.contain('16/03/2026');
    const kase = await db().collection('cases').findOne({ number: '2026/000001' });
    expect(kase).to.include({ status: 'received', type: 'complaint', visitCount: 1, letterCount: 0, confidential: false });
    expect(kase?.handlingDeadline).to.include({ dueDate: '2026-03-16', days: 10, dayType: 'working', startDate: '2026-03-02' });
    expect(await db().collection('people').countDocuments()).to.equal(1);
    const visit = await db().collection('receptions').findOne({});
    expect(visit).to.include({ peopleCount: 1, isGroup: false, outcome: 'letter-accepted', caseNumber: '2026/000001' });
    expect((await agent.get('/receptions')).text).to.contain('2026/000001');
  });

  it('suggests the existing case on a repeat visit and adds the visit to it, without a second person', async () => {
    const first = await postWalkIn(agent, walkInFields({ unitCode: ref.commune, fieldCode: ref.field }));
    const caseUrl = first.headers.location!;
    const fields = walkInFields({ name: 'NGUYỄN VĂN AN', unitCode: ref.commune, fieldCode: ref.field, content: 'Tiếp tục khiếu nại việc thu hồi đất, chưa nhận được trả lời' });
    const suggestion = await postWalkIn(agent, fields);
    expect(suggestion.status).to.equal(200);
    expect(suggestion.text).to.contain('Có thể đã có vụ việc này');
    expect(suggestion.text).to.contain('2026/000001');
    expect(suggestion.text).to.contain('trùng số CCCD');
    // What was typed is still in the form, ready to be submitted to the chosen case.
    expect(suggestion.text).to.contain('Tiếp tục khiếu nại việc thu hồi đất, chưa nhận được trả lời');
    expect(suggestion.text).to.contain('value="NGUYỄN VĂN AN"');
    expect(await db().collection('receptions').countDocuments()).to.equal(1);
    const caseId = caseUrl.split('/').pop()!;
    const token = await pageToken(agent, '/receptions/new');
    const res = await agent.post('/receptions').type('form').send({ ...fields, _csrf: token, caseChoice: caseId });
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal(caseUrl);
    const kase = await db().collection('cases').findOne({ number: '2026/000001' });
    expect(kase?.visitCount).to.equal(2);
    expect(await db().collection('cases').countDocuments()).to.equal(1);
    expect(await db().collection('people').countDocuments()).to.equal(1);
    expect(await db().collection('receptions').countDocuments()).to.equal(2);
    const page = await agent.get(caseUrl);
    expect(page.text).to.contain('2 lượt tiếp, 0 đơn');
  });

  it('offers a namesake in the same commune when no CCCD is given, and uses that record when chosen', async () => {
    await postWalkIn(agent, walkInFields({ name: 'Trương Thị Lụa', citizenId: '', phone: '', unitCode: ref.commune, street: 'Thôn Bắc', caseChoice: 'new' }));
    const fields = walkInFields({ name: 'TRƯƠNG THỊ LỤA', citizenId: '', unitCode: ref.commune, phone: '0987654321', caseChoice: 'new', content: 'Kiến nghị cấp nước sạch' });
    const question = await postWalkIn(agent, fields);
    expect(question.status).to.equal(200);
    expect(question.text).to.contain('Có thể người này đã có hồ sơ');
    expect(question.text).to.contain('Trương Thị Lụa — Thôn Bắc');
    const existing = await db().collection('people').findOne({});
    const token = await pageToken(agent, '/receptions/new');
    const res = await agent.post('/receptions').type('form').send({ ...fields, _csrf: token, personChoice: String(existing!._id) });
    expect(res.status).to.equal(303);
    expect(await db().collection('people').countDocuments()).to.equal(1);
    // The missing phone number was added to the existing record, nothing overwritten.
    expect(await db().collection('people').findOne({})).to.include({ name: 'Trương Thị Lụa', phone: '0987654321', street: 'Thôn Bắc' });
    // "Someone else" creates a second record.
    const other = await postWalkIn(agent, { ...fields, submissionKey: 'ab'.repeat(16), personChoice: 'new' });
    expect(other.status).to.equal(303);
    expect(await db().collection('people').countDocuments()).to.equal(2);
  });

  it('creates a new case when the officer says the matter is different', async () => {
    await postWalkIn(agent, walkInFields({ unitCode: ref.commune, fieldCode: ref.field }));
    const res = await postWalkIn(agent, walkInFields({ caseChoice: 'new', content: 'Kiến nghị sửa đường liên thôn bị sạt lở', type: 'petition' }));
    expect(res.status).to.equal(303);
    expect(await db().collection('cases').countDocuments()).to.equal(2);
    expect(await db().collection('people').countDocuments()).to.equal(1);
  });

  it('records one visit and one case when the same form is submitted twice at once', async () => {
    const token = await pageToken(agent, '/receptions/new');
    const fields = { ...walkInFields({ caseChoice: 'new' }), _csrf: token };
    const [a, b] = await Promise.all([agent.post('/receptions').type('form').send(fields), agent.post('/receptions').type('form').send(fields)]);
    expect([a.status, b.status]).to.deep.equal([303, 303]);
    expect(a.headers.location).to.equal(b.headers.location);
    expect(await db().collection('receptions').countDocuments()).to.equal(1);
    expect(await db().collection('cases').countDocuments()).to.equal(1);
    expect(await db().collection('people').countDocuments()).to.equal(1);
  });

  it('marks 5 or more people as a group visit', async () => {
    await postWalkIn(agent, walkInFields({ peopleCount: '12', extra1Name: 'Trần Văn Bình', extra1Role: 'representative' }));
    const visit = await db().collection('receptions').findOne({});
    expect(visit).to.include({ peopleCount: 12, isGroup: true });
    expect(visit?.participants).to.have.length(2);
    expect((await agent.get('/receptions?group=1')).text).to.contain('Đoàn 12 người');
  });

  const badInputs: [string, Record<string, string>, string, string][] = [
    ['a missing name', { name: '   ' }, 'name', 'Vui lòng nhập thông tin này'],
    ['a citizen ID with 11 digits', { citizenId: '04509001234' }, 'citizenId', 'Số CCCD gồm đúng 12 chữ số'],
    ['a citizen ID with an unknown province', { citizenId: '003090012345' }, 'citizenId', 'không phải mã tỉnh hợp lệ'],
    ['an impossible date', { date: '31/02/2026' }, 'date', 'Nhập ngày đúng dạng'],
    ['a date in the future', { date: '01/01/2099' }, 'date', 'không được ở tương lai'],
    ['a bad time', { time: '25:61' }, 'time', 'Nhập giờ đúng dạng'],
    ['zero people', { peopleCount: '0' }, 'peopleCount', 'Nhập số người từ 1 trở lên'],
    ['fewer people than names', { peopleCount: '1', extra1Name: 'Trần Văn Bình' }, 'peopleCount', 'không được ít hơn số người đã ghi tên'],
    ['an unknown case type', { type: 'lawsuit' }, 'type', 'Chọn loại vụ việc'],
    ['an over-long content', { content: 'x'.repeat(6000) }, 'content', 'Nội dung quá dài'],
    ['a bad phone number', { phone: 'gọi sau' }, 'phone', 'Số điện thoại không hợp lệ'],
  ];
  for (const [label, change, field, message] of badInputs) {
    it(`refuses ${label}, keeping what was typed and saving nothing`, async () => {
      const res = await postWalkIn(agent, walkInFields({ ...change, street: 'Thôn <b>3</b>' }));
      expect(res.status).to.equal(422);
      expect(res.text).to.contain(`href="#${field}"`);
      expect(res.text).to.contain(message);
      expect(res.text).to.contain('Thôn &lt;b&gt;3&lt;/b&gt;');
      expect(await db().collection('receptions').countDocuments()).to.equal(0);
      expect(await db().collection('cases').countDocuments()).to.equal(0);
      expect(await db().collection('people').countDocuments()).to.equal(0);
    });
  }

  it('reports an impossible date together with the other mistakes', async () => {
    const res = await postWalkIn(agent, walkInFields({ date: '31/02/2026', citizenId: '12345', name: '' }));
    expect(res.status).to.equal(422);
    for (const field of ['date', 'citizenId', 'name']) expect(res.text).to.contain(`href="#${field}"`);
    // A screen reader hears each field's message after "Lỗi:", in the page's language.
    expect(res.text.split('<span class="govuk-visually-hidden">Lỗi:</span>').length - 1).to.be.at.least(3);
    expect(res.text).not.to.contain('>Error:<');
  });

  it('treats script in text as text, and operator keys in the body as ordinary fields', async () => {
    const token = await pageToken(agent, '/receptions/new');
    const body = new URLSearchParams({ ...walkInFields({ content: '<script>alert("x")</script> đòi bồi thường', caseChoice: 'new' }), _csrf: token });
    body.append('name[$ne]', 'x');
    const res = await agent.post('/receptions').type('form').send(body.toString());
    expect(res.status).to.equal(303);
    const page = await agent.get(res.headers.location!);
    expect(page.text).to.contain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; đòi bồi thường');
    expect(page.text).to.not.contain('<script>alert("x")</script>');
  });

  it('refuses a case id that does not exist', async () => {
    const res = await postWalkIn(agent, walkInFields({ caseChoice: '64b7f0000000000000000000' }));
    expect(res.status).to.equal(404);
    expect(await db().collection('receptions').countDocuments()).to.equal(0);
    expect(await db().collection('people').countDocuments()).to.equal(0);
  });

  it('finds cases and visits by name without diacritics', async () => {
    await postWalkIn(agent, walkInFields({ name: 'Đặng Thị Hường', citizenId: '' }));
    expect((await agent.get('/cases?q=dang thi huong')).text).to.contain('Đặng Thị Hường');
    expect((await agent.get('/receptions?q=huong')).text).to.contain('Đặng Thị Hường');
    expect((await agent.get('/cases?q=zzz')).text).to.contain('Không có vụ việc nào phù hợp.');
  });

  it('filters by dates typed as dd/mm/yyyy, and ignores malformed dates', async () => {
    await postWalkIn(agent, walkInFields({ name: 'Lâm Văn Ngày' })); // received 02/03/2026
    const count = async (path: string) => /(\d+) vụ việc</.exec((await agent.get(path)).text)?.[1];
    expect(await count('/cases?from=02/03/2026&to=02/03/2026')).to.equal('1');
    expect(await count('/cases?from=03/03/2026')).to.equal('0');
    expect(await count('/cases?to=01/03/2026')).to.equal('0');
    expect(await count('/cases?from=2026-03-02')).to.equal('1');
    expect(await count('/cases?from=31/02/2026&to=abc')).to.equal('1');
    expect((await agent.get('/receptions?from=02/03/2026')).text).to.contain('Lâm Văn Ngày');
  });

  it('says next to a date box that its date could not be read and was not applied, keeping what was typed', async () => {
    await postWalkIn(agent, walkInFields({ name: 'Lâm Văn Ngày' }));
    const notApplied = 'Không đọc được ngày này (nhập theo dạng dd/mm/yyyy, ví dụ 05/12/2026): danh sách chưa lọc theo ngày này.';
    const cases = await agent.get('/cases?from=31/02/2026&to=%3Cb%3Eabc');
    expect(cases.status).to.equal(200);
    expect(cases.text.split(notApplied)).to.have.length(3); // under both boxes
    expect(cases.text).to.contain('value="31/02/2026"').and.to.contain('value="&lt;b&gt;abc"').and.not.to.contain('<b>abc');
    expect(cases.text).to.contain('<span class="govuk-visually-hidden">Lỗi:</span> Không đọc được ngày này');
    expect(cases.text).to.contain('Lâm Văn Ngày'); // the list itself, not filtered by those dates
    const visits = await agent.get('/receptions?to=30/02/2026');
    expect(visits.text.split(notApplied)).to.have.length(2);
    expect(visits.text).to.contain('value="30/02/2026"').and.to.contain('Lâm Văn Ngày');
    // Readable dates, empty boxes and operator syntax bring no message.
    for (const path of ['/cases?from=02/03/2026', '/cases?from=&to=', '/cases?from[$gt]=x', '/receptions?from=2026-03-02']) {
      const res = await agent.get(path);
      expect(res.status, path).to.equal(200);
      expect(res.text, path).not.to.contain(notApplied);
    }
  });

  it('is closed to administrators (no case permissions) and to anonymous visitors', async () => {
    const admin = await createTestUser({ role: 'admin' });
    const adminAgent = await signIn(app, admin);
    expect((await adminAgent.get('/receptions/new')).status).to.equal(403);
    expect((await adminAgent.get('/cases')).status).to.equal(403);
  });
});
