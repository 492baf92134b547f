// The deadline-rule pages for administrators, through the real sign-in and forms with CSRF on; and the
// promise they make: an edited rule changes new deadlines only.
import { expect } from 'chai';
import mongoose from 'mongoose';
import { seedDeadlineRules } from '../../server/deadlines/index.js';
import { buildTestApp, useTestDatabase } from '../support/app.js';
import { createTestUser } from '../support/factories.js';
import { csrfFrom, signIn, submitForm } from '../support/http.js';
import { postWalkIn, seedIntakeReference, walkInFields } from '../support/intake.js';

const rules = () => mongoose.connection.collection('deadline_rules');
const audits = (action: string) => mongoose.connection.collection('audit_events').countDocuments({ action });
const PAGE = '/admin/deadline-rules/letter-handling';
const valid = { days: '12', dayType: 'working', basis: 'Quy chế làm việc của Văn phòng', notes: '', confidence: 'confirmed' };

describe('deadline rule pages', () => {
  useTestDatabase();

  async function adminAgent() {
    await seedDeadlineRules();
    const { app } = buildTestApp();
    const admin = await createTestUser({ role: 'admin' });
    return { app, agent: await signIn(app, admin) };
  }

  it('is for administrators only', async () => {
    const { app } = await adminAgent();
    for (const role of ['officer', 'leader', 'delegate'] as const) {
      const other = await signIn(app, await createTestUser({ role }));
      expect((await other.get('/admin/deadline-rules')).status, role).to.equal(403);
      expect((await other.get(PAGE)).status, role).to.equal(403);
      const token = csrfFrom((await other.get('/')).text);
      expect((await other.post(PAGE).type('form').send({ _csrf: token, ...valid })).status, role).to.equal(403);
    }
    expect((await rules().findOne({ key: 'letter-handling' }))?.days).to.equal(10);
  });

  it('shows the table in Vietnamese with days, day types, variants, bases and confidence, under the reference navigation', async () => {
    const { agent } = await adminAgent();
    const res = await agent.get('/admin/deadline-rules');
    expect(res.status).to.equal(200);
    for (const text of [
      'Quy tắc thời hạn',
      'Giải quyết khiếu nại lần đầu',
      'Luật Khiếu nại 2011, Điều 28',
      'Vụ việc phức tạp: 45 ngày',
      'Vùng sâu, vùng xa và phức tạp: 60 ngày',
      'Gia hạn lần 1: +30 ngày',
      '7 ngày làm việc trước sự kiện',
      '15 ngày trước sự kiện',
      'Cần đối chiếu',
      'Cần cấu hình',
      'Đã xác nhận',
      'Thời hạn đã tính cho hồ sơ trước đó được giữ nguyên',
      'href="/admin/agencies"',
      'aria-current="page">Quy tắc thời hạn',
    ]) {
      expect(res.text, text).to.contain(text);
    }
    const english = await agent.get('/admin/deadline-rules?lang=en');
    expect(english.status).to.equal(200);
  });

  it('edits a rule, audited, and says that deadlines already computed do not change', async () => {
    const { agent } = await adminAgent();
    const form = await agent.get(PAGE);
    expect(form.status).to.equal(200);
    expect(form.text).to.contain('value="10"');
    expect(form.text).to.contain('Thời hạn đã tính cho hồ sơ trước đó được giữ nguyên');
    const res = await agent.post(PAGE).type('form').send({ _csrf: csrfFrom(form.text), ...valid, variantComplex: '' });
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal('/admin/deadline-rules');
    const page = await agent.get('/admin/deadline-rules');
    expect(page.text).to.contain('Đã lưu quy tắc “Xử lý đơn (phân loại, quyết định cách xử lý)”. Các thời hạn đã tính trước đó không thay đổi.');
    expect(page.text).to.contain('12 ngày làm việc');
    expect(await rules().findOne({ key: 'letter-handling' })).to.deep.include({ days: 12, confidence: 'confirmed', basis: 'Quy chế làm việc của Văn phòng', source: 'admin' });
    expect(await audits('deadline-rule.updated')).to.equal(1);
  });

  it('accepts variants, and a negative number typed with a typographic minus for a "before" rule', async () => {
    const { agent } = await adminAgent();
    const variants = await submitForm(agent, '/admin/deadline-rules/complaint-first-round', '/admin/deadline-rules/complaint-first-round', {
      days: '30',
      dayType: 'calendar',
      variantComplex: '45',
      variantRemote: '',
      variantRemoteComplex: '60',
      basis: 'Luật Khiếu nại 2011, Điều 28',
      confidence: 'confirmed',
    });
    expect(variants.status).to.equal(303);
    expect((await rules().findOne({ key: 'complaint-first-round' }))?.variants).to.deep.equal([
      { key: 'complex', days: 45 },
      { key: 'remote-complex', days: 60 },
    ]);
    const before = await submitForm(agent, '/admin/deadline-rules/voter-meeting-press-notice', '/admin/deadline-rules/voter-meeting-press-notice', {
      days: '−10',
      dayType: 'working',
      basis: 'NQLT 72/2025, Điều 6',
      confidence: 'confirmed',
    });
    expect(before.status).to.equal(303);
    expect((await rules().findOne({ key: 'voter-meeting-press-notice' }))?.days).to.equal(-10);
  });

  it('keeps what was typed and explains each problem; never saves half, never errs with 500', async () => {
    const { agent } = await adminAgent();
    const bad = await submitForm(agent, PAGE, PAGE, { days: 'mười', dayType: 'weeks', variantComplex: 'x', basis: '<script>alert(1)</script>', notes: 'a'.repeat(1200), confidence: '' });
    expect(bad.status).to.equal(422);
    expect(bad.text).to.contain('govuk-error-summary');
    expect(bad.text).to.contain('Nhập số ngày là số nguyên');
    expect(bad.text).to.contain('Chọn loại ngày.');
    expect(bad.text).to.contain('Nhập số ngày là số nguyên dương, hoặc để trống.');
    expect(bad.text).to.contain('Chọn mức tin cậy.');
    expect(bad.text).to.contain('value="mười"');
    expect(bad.text).to.contain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(bad.text).to.not.contain('<script>alert(1)</script>');

    const sign = await submitForm(agent, PAGE, PAGE, { ...valid, days: '-5' });
    expect(sign.status).to.equal(422);
    expect(sign.text).to.contain('Quy tắc này tính từ sự kiện trở đi: nhập số dương.');
    expect(sign.text).to.contain('value="-5"');

    // Bracketed keys stay literal names (no objects from form bodies), so `days` is simply missing.
    const operators = await submitForm(agent, PAGE, PAGE, { dayType: 'working', confidence: 'confirmed', 'days[$gt]': '1' });
    expect(operators.status).to.equal(422);
    expect(operators.text).to.contain('Vui lòng nhập thông tin này');
    const zero = await submitForm(agent, '/admin/deadline-rules/complaint-first-round', '/admin/deadline-rules/complaint-first-round', { ...valid, dayType: 'calendar', days: '30', variantRemote: '0' });
    expect(zero.status).to.equal(422);
    expect(await rules().countDocuments({ source: 'admin' })).to.equal(0);
    expect(await audits('deadline-rule.updated')).to.equal(0);

    expect((await agent.get('/admin/deadline-rules/no-such-rule')).status).to.equal(404);
    expect((await agent.get('/admin/deadline-rules/%24where')).status).to.equal(404);
    const token = csrfFrom((await agent.get(PAGE)).text);
    expect((await agent.post('/admin/deadline-rules/no-such-rule').type('form').send({ _csrf: token, ...valid })).status).to.equal(404);
    expect((await agent.post(PAGE).type('form').send({ ...valid })).status).to.equal(403);
  });

  it('gives new cases the edited rule while earlier cases keep their deadline', async () => {
    const { app, agent } = await adminAgent();
    const ref = await seedIntakeReference();
    const officer = await signIn(app, await createTestUser({ role: 'officer' }));
    expect((await postWalkIn(officer, walkInFields({ unitCode: ref.commune, name: 'Trần Văn Trước' }))).status).to.equal(303);
    expect((await submitForm(agent, PAGE, PAGE, valid)).status).to.equal(303);
    expect((await postWalkIn(officer, walkInFields({ unitCode: ref.commune, name: 'Phạm Thị Sau', citizenId: '045090054321' }))).status).to.equal(303);
    const cases = (await mongoose.connection.collection('cases').find({}, { sort: { number: 1 } }).toArray()) as unknown as { handlingDeadline: { days: number; dueDate: string } }[];
    expect(cases.map((c) => [c.handlingDeadline.days, c.handlingDeadline.dueDate])).to.deep.equal([
      [10, '2026-03-16'],
      [12, '2026-03-18'],
    ]);
  });
});
