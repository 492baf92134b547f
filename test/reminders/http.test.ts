// The reminder policy page (/admin/reminders): administrators only, shows the defaults until saved,
// saves a valid policy (audited in the same transaction), and answers bad input with 422, Vietnamese
// messages and the typed values kept, saving nothing.
import { expect } from 'chai';
import mongoose from 'mongoose';
import { getReminderPolicy } from '../../server/reminders/index.js';
import { buildTestApp, useTestDatabase } from '../support/app.js';
import { createTestUser } from '../support/factories.js';
import { csrfFrom, signIn } from '../support/http.js';

const PAGE = '/admin/reminders';
const policies = () => mongoose.connection.collection('reminder_policy');
const audits = () => mongoose.connection.collection('audit_events').find({ action: 'reminders.policy-updated' }).toArray();
const valid = { daysBefore: '2', onDueDay: 'yes', everyOverdue: '3', escalateAfter: '4', digestTime: '8h15', citizenNotices: 'yes' };

describe('reminder policy page', () => {
  useTestDatabase();

  async function adminAgent() {
    const { app } = buildTestApp();
    const admin = await createTestUser({ role: 'admin', name: 'Quản Trị Viên' });
    return { app, agent: await signIn(app, admin), admin };
  }

  it('is for administrators only', async () => {
    const { app } = await adminAgent();
    for (const role of ['officer', 'leader', 'delegate'] as const) {
      const other = await signIn(app, await createTestUser({ role }));
      expect((await other.get(PAGE)).status, role).to.equal(403);
      const token = csrfFrom((await other.get('/')).text);
      expect((await other.post(PAGE).type('form').send({ _csrf: token, ...valid })).status, role).to.equal(403);
    }
    expect(await policies().countDocuments()).to.equal(0);
  });

  it('shows the defaults, then saves a new policy, audited', async () => {
    const { agent, admin } = await adminAgent();
    const form = await agent.get(PAGE);
    expect(form.status).to.equal(200);
    for (const text of ['Nhắc hạn và đôn đốc', 'Đang áp dụng thiết lập mặc định', 'value="07:30"', 'aria-current="page">Nhắc hạn']) {
      expect(form.text, text).to.contain(text);
    }
    expect(form.text).to.match(/name="daysBefore"[^>]*value="3"/);
    expect(form.text).to.match(/name="everyOverdue"[^>]*value="5"/);
    expect(form.text).to.match(/name="digestEnabled" type="checkbox" value="yes" checked/);
    // Saved without the digest box ticked: the digest is switched off.
    const res = await agent.post(PAGE).type('form').send({ _csrf: csrfFrom(form.text), ...valid });
    expect(res.status, res.text.slice(0, 500)).to.equal(303);
    expect(res.headers.location).to.equal(PAGE);
    expect(await getReminderPolicy()).to.deep.equal({ daysBefore: 2, onDueDay: true, everyOverdue: 3, escalateAfter: 4, digestEnabled: false, digestTime: '08:15', citizenNotices: true });
    const page = await agent.get(PAGE);
    expect(page.text).to.contain('Đã lưu thiết lập nhắc hạn.');
    expect(page.text).to.contain('Sửa lần cuối bởi Quản Trị Viên');
    expect(page.text).to.contain('value="08:15"');
    const audit = await audits();
    expect(audit).to.have.length(1);
    expect(audit[0]).to.deep.include({ actorId: admin.id, targetType: 'reminder-policy' });
    expect(audit[0]!.details).to.deep.equal({
      before: { daysBefore: 3, onDueDay: true, everyOverdue: 5, escalateAfter: 2, digestEnabled: true, digestTime: '07:30', citizenNotices: true },
      after: { daysBefore: 2, onDueDay: true, everyOverdue: 3, escalateAfter: 4, digestEnabled: false, digestTime: '08:15', citizenNotices: true },
    });
  });

  it('answers bad input with 422, Vietnamese messages and the typed values, and saves nothing', async () => {
    const { agent } = await adminAgent();
    const form = await agent.get(PAGE);
    const bad = { daysBefore: '31', onDueDay: 'maybe', everyOverdue: '0', escalateAfter: 'hai', digestEnabled: 'yes', digestTime: '25:00' };
    const res = await agent.post(PAGE).type('form').send({ _csrf: csrfFrom(form.text), ...bad });
    expect(res.status).to.equal(422);
    for (const text of [
      'Có lỗi',
      'Nhập số ngày làm việc từ 0 đến 30',
      'Nhập số ngày làm việc từ 1 đến 60',
      'Nhập số lần nhắc từ 1 đến 20',
      'Nhập giờ dạng giờ:phút, ví dụ 07:30',
      'href="#daysBefore"',
      'value="31"',
      'value="hai"',
      'value="25:00"',
    ]) {
      expect(res.text, text).to.contain(text);
    }
    expect(res.text).to.match(/name="digestEnabled" type="checkbox" value="yes" checked/);
    expect(res.text).not.to.match(/name="citizenNotices" type="checkbox" value="yes" checked/);
    expect(await policies().countDocuments()).to.equal(0);
    expect(await audits()).to.have.length(0);
    const empty = await agent.post(PAGE).type('form').send({ _csrf: csrfFrom(form.text) });
    expect(empty.status).to.equal(422);
    expect(empty.text).to.contain('href="#digestTime"');
  });
});
