// The calendar page for administrators, through the real sign-in and forms with CSRF on.
import { expect } from 'chai';
import mongoose from 'mongoose';
import { seedCalendar } from '../../server/calendar/index.js';
import { buildTestApp, fixedClock, useTestDatabase } from '../support/app.js';
import { createTestUser } from '../support/factories.js';
import { csrfFrom, pageToken, signIn, submitForm } from '../support/http.js';

const days = () => mongoose.connection.collection('calendar_days');

describe('calendar pages', () => {
  useTestDatabase();

  async function adminAgent() {
    // The app's clock only decides the default year; sign-in uses real time for the second factor.
    const { app } = buildTestApp();
    const admin = await createTestUser({ role: 'admin' });
    return { app, agent: await signIn(app, admin) };
  }

  it('lists a year of special days, and only for administrators', async () => {
    await seedCalendar(fixedClock('2026-03-10T03:00:00Z'));
    const { app, agent } = await adminAgent();
    const page = await agent.get('/admin/calendar?year=2026');
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('Lịch làm việc năm 2026');
    expect(page.text).to.contain('17/02/2026');
    expect(page.text).to.contain('Tết Nguyên đán (mùng 1)');
    expect(page.text).to.contain('Nghỉ bù Giỗ Tổ Hùng Vương');
    expect(page.text).to.not.contain('06/02/2027');
    expect(page.text).to.contain('href="/admin/units"'); // the reference sub-navigation

    const officer = await signIn(app, await createTestUser({ role: 'officer' }));
    expect((await officer.get('/admin/calendar')).status).to.equal(403);
    const token = csrfFrom((await officer.get('/')).text);
    const post = await officer.post('/admin/calendar').type('form').send({ _csrf: token, date: '10/01/2026', kind: 'makeup-workday', name: 'x' });
    expect(post.status).to.equal(403);
    expect(await days().countDocuments({ date: '2026-01-10' })).to.equal(0);
  });

  it('adds a make-up Saturday, with an audit entry', async () => {
    const { agent } = await adminAgent();
    const res = await submitForm(agent, '/admin/calendar/new?year=2026', '/admin/calendar?year=2026', {
      date: '10/01/2026',
      kind: 'makeup-workday',
      name: 'Làm bù cho thứ Sáu 02/01/2026',
      basis: 'Thông báo của Bộ Nội vụ',
    });
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal('/admin/calendar?year=2026');
    const list = await agent.get(res.headers.location!);
    expect(list.text).to.contain('Đã thêm ngày 10/01/2026 vào lịch.');
    expect(list.text).to.contain('Làm bù cho thứ Sáu 02/01/2026');
    const stored = await days().findOne({ date: '2026-01-10' });
    expect(stored).to.include({ kind: 'makeup-workday', source: 'admin', basis: 'Thông báo của Bộ Nội vụ' });
    expect(await mongoose.connection.collection('audit_events').countDocuments({ action: 'calendar.day-created', targetId: '2026-01-10' })).to.equal(1);
  });

  it('keeps what was typed and explains each problem when the form is wrong', async () => {
    const { agent } = await adminAgent();
    const bad = await submitForm(agent, '/admin/calendar/new', '/admin/calendar', { date: '31/02/2026', kind: 'weekly', name: '<script>alert(1)</script>', basis: 'x'.repeat(301) });
    expect(bad.status).to.equal(422);
    expect(bad.text).to.contain('Có lỗi cần sửa');
    expect(bad.text).to.contain('Nhập ngày đúng dạng ngày/tháng/năm');
    expect(bad.text).to.contain('Chọn loại ngày');
    expect(bad.text).to.contain('Nội dung quá dài');
    expect(bad.text).to.contain('value="31/02/2026"');
    expect(bad.text).to.contain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(bad.text).to.not.contain('<script>alert(1)</script>');

    const weekday = await submitForm(agent, '/admin/calendar/new', '/admin/calendar', { date: '11/03/2026', kind: 'makeup-workday', name: 'Thứ Tư' });
    expect(weekday.status).to.equal(422);
    expect(weekday.text).to.contain('Ngày làm bù phải là Thứ Bảy hoặc Chủ nhật');
    expect(weekday.text).to.contain('value="11/03/2026"');

    const operators = await submitForm(agent, '/admin/calendar/new', '/admin/calendar', { 'date[$gt]': '', kind: 'holiday', name: 'x' });
    expect(operators.status).to.equal(422);
    expect(await days().countDocuments()).to.equal(0);

    expect((await agent.get('/admin/calendar?year[$gt]=1&year=abc')).status).to.equal(200);
    expect((await agent.get('/admin/calendar/2026-02-30')).status).to.equal(404);
    expect((await agent.get('/admin/calendar/not-a-date/delete')).status).to.equal(404);
  });

  it('refuses a second entry for the same date', async () => {
    await seedCalendar(fixedClock('2026-03-10T03:00:00Z'));
    const { agent } = await adminAgent();
    const dup = await submitForm(agent, '/admin/calendar/new', '/admin/calendar', { date: '2026-02-17', kind: 'day-off', name: 'Trùng' });
    expect(dup.status).to.equal(422);
    expect(dup.text).to.contain('Ngày này đã có trong lịch');
  });

  it('edits a day and deletes one only after asking', async () => {
    await seedCalendar(fixedClock('2026-03-10T03:00:00Z'));
    const { agent } = await adminAgent();
    const form = await agent.get('/admin/calendar/2026-09-01');
    expect(form.status).to.equal(200);
    expect(form.text).to.contain('value="01/09/2026"');
    const edit = await agent.post('/admin/calendar/2026-09-01').type('form').send({ _csrf: csrfFrom(form.text), date: '03/09/2026', kind: 'holiday', name: 'Quốc khánh (ngày liền kề)', basis: 'Thông báo năm 2026' });
    expect(edit.status).to.equal(303);
    expect(await days().countDocuments({ date: '2026-09-01' })).to.equal(0);
    expect(await days().countDocuments({ date: '2026-09-03', source: 'admin' })).to.equal(1);

    const question = await agent.get('/admin/calendar/2026-04-27/delete');
    expect(question.status).to.equal(200);
    expect(question.text).to.contain('Xoá ngày 27/04/2026');
    expect(await days().countDocuments({ date: '2026-04-27' }), 'GET changes nothing').to.equal(1);
    const noToken = await agent.post('/admin/calendar/2026-04-27/delete').type('form').send({});
    expect(noToken.status).to.equal(403);
    const del = await agent.post('/admin/calendar/2026-04-27/delete').type('form').send({ _csrf: csrfFrom(question.text) });
    expect(del.status).to.equal(303);
    expect(await days().countDocuments({ date: '2026-04-27' })).to.equal(0);
    expect(await mongoose.connection.collection('audit_events').countDocuments({ action: 'calendar.day-deleted', targetId: '2026-04-27' })).to.equal(1);
    const again = await agent.post('/admin/calendar/2026-04-27/delete').type('form').send({ _csrf: await pageToken(agent, '/admin/calendar') });
    expect(again.status).to.equal(404);
  });

  it('shows the page in English', async () => {
    const { agent } = await adminAgent();
    const token = await pageToken(agent, '/admin/calendar');
    await agent.post('/language').type('form').send({ _csrf: token, lang: 'en', returnTo: '/admin/calendar' });
    const page = await agent.get('/admin/calendar?year=2027');
    expect(page.text).to.contain('Working-day calendar 2027');
  });
});
