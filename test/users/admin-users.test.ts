// Administrators manage staff accounts; nobody else can.
import { expect } from 'chai';
import mongoose from 'mongoose';
import supertest from 'supertest';
import { buildTestApp, useTestDatabase } from '../support/app.js';
import { createTestUser } from '../support/factories.js';
import { csrfFrom, pageToken, signIn, submitForm } from '../support/http.js';

function temporaryPasswordIn(html: string): string {
  const match = /(?:Mật khẩu tạm thời|Temporary password): ([A-Za-z0-9-]+)/.exec(html);
  if (!match?.[1]) throw new Error('no temporary password on the page');
  return match[1];
}

describe('user administration', () => {
  useTestDatabase();

  async function adminAgent() {
    const { app } = buildTestApp();
    const admin = await createTestUser({ role: 'admin', name: 'Quản Trị Viên' });
    return { app, admin, agent: await signIn(app, admin) };
  }

  it('creates a user who must change the temporary password at first sign-in', async () => {
    const { app, agent } = await adminAgent();
    const res = await submitForm(agent, '/admin/users/new', '/admin/users', { email: 'Hoa.Le@HDND.gov.vn', name: 'Lê Thị Hoa', role: 'officer' });
    expect(res.status).to.equal(303);
    const page = await agent.get(res.headers.location!);
    expect(page.text).to.contain('Lê Thị Hoa');
    const temporary = temporaryPasswordIn(page.text);
    // Shown once only.
    expect((await agent.get(res.headers.location!)).text).to.not.contain(temporary);

    const newcomer = supertest.agent(app);
    const token = await pageToken(newcomer, '/login');
    const login = await newcomer.post('/login').type('form').send({ _csrf: token, email: 'hoa.le@hdnd.gov.vn', password: temporary });
    expect(login.headers.location).to.equal('/account/password');
    const change = await submitForm(newcomer, '/account/password', '/account/password', {
      currentPassword: temporary,
      newPassword: 'hoa sen nở giữa đầm 2026',
      confirmPassword: 'hoa sen nở giữa đầm 2026',
    });
    expect(change.status).to.equal(303);
    expect((await newcomer.get('/')).status).to.equal(200);
  });

  it('keeps what was typed and explains each problem when the form is wrong', async () => {
    const { agent, admin } = await adminAgent();
    const res = await submitForm(agent, '/admin/users/new', '/admin/users', { email: 'không-phải-email', name: '<script>alert(1)</script>', role: 'king' });
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('Nhập địa chỉ email đúng định dạng');
    expect(res.text).to.contain('Chọn vai trò');
    expect(res.text).to.contain('value="không-phải-email"');
    expect(res.text).to.contain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(res.text).to.not.contain('<script>alert(1)</script>');
    const dup = await submitForm(agent, '/admin/users/new', '/admin/users', { email: admin.email, name: 'Trùng Email', role: 'officer' });
    expect(dup.status).to.equal(422);
    expect(dup.text).to.contain('Email này đã được dùng');
    expect(await mongoose.connection.collection('users').countDocuments()).to.equal(1);
  });

  it('creates one account when the same form is submitted twice at once', async () => {
    const { agent } = await adminAgent();
    const token = await pageToken(agent, '/admin/users/new');
    const fields = { _csrf: token, email: 'song.song@hdnd.gov.vn', name: 'Song Song', role: 'delegate' };
    const [a, b] = await Promise.all([agent.post('/admin/users').type('form').send(fields), agent.post('/admin/users').type('form').send(fields)]);
    expect([a.status, b.status].sort()).to.deep.equal([303, 422]);
    expect(await mongoose.connection.collection('users').countDocuments({ email: 'song.song@hdnd.gov.vn' })).to.equal(1);
  });

  it('finds users ignoring diacritics and lists them by name', async () => {
    const { agent } = await adminAgent();
    await createTestUser({ name: 'Đặng Văn Đức' });
    await createTestUser({ name: 'Phạm Thị Mai' });
    const res = await agent.get('/admin/users?q=dang van duc');
    expect(res.text).to.contain('Đặng Văn Đức');
    expect(res.text).to.not.contain('Phạm Thị Mai');
    const none = await agent.get('/admin/users?q=zzz');
    expect(none.text).to.contain('Không có người dùng nào phù hợp.');
    const injected = await agent.get('/admin/users?q[$ne]=x&role[$gt]=&after=../../etc');
    expect(injected.status).to.equal(200);
  });

  it('pages through users by key', async () => {
    const { agent } = await adminAgent();
    for (let i = 0; i < 27; i++) await createTestUser({ name: `Người Dùng ${String(i).padStart(2, '0')}` });
    const first = await agent.get('/admin/users');
    expect(first.text).to.contain('28 người dùng');
    const next = /href="([^"]*after=[a-f0-9]{24})"/.exec(first.text)?.[1]?.replace(/&amp;/g, '&');
    expect(next).to.be.a('string');
    const second = await agent.get(next!);
    const names = (s: string) => [...s.matchAll(/>(Người Dùng \d\d)</g)].map((m) => m[1]);
    const all = [...names(first.text), ...names(second.text)];
    expect(all).to.have.length(27);
    expect(new Set(all).size).to.equal(27);
  });

  it('edits role and the denouncer-identity permission, with an audit entry', async () => {
    const { agent } = await adminAgent();
    const officer = await createTestUser({ name: 'Cán Bộ A' });
    const res = await submitForm(agent, `/admin/users/${officer.id}`, `/admin/users/${officer.id}`, { name: 'Cán Bộ A', role: 'officer', canViewDenouncerIdentity: 'on' });
    expect(res.status).to.equal(303);
    const stored = await mongoose.connection.collection('users').findOne({ email: officer.email });
    expect(stored?.grantedPermissions).to.deep.equal(['view-denouncer-identity']);
    expect(await mongoose.connection.collection('audit_events').countDocuments({ action: 'user.updated', targetId: officer.id })).to.equal(1);
  });

  it('asks before disabling, and cannot disable the last administrator or oneself', async () => {
    const { agent, admin } = await adminAgent();
    const question = await agent.get(`/admin/users/${admin.id}/disable`);
    expect(question.status).to.equal(200);
    expect(question.text).to.contain('Khoá tài khoản của Quản Trị Viên?');
    const res = await agent.post(`/admin/users/${admin.id}/disable`).type('form').send({ _csrf: csrfFrom(question.text) });
    expect(res.status).to.equal(409);
    const stored = await mongoose.connection.collection('users').findOne({ email: admin.email });
    expect(stored?.disabled).to.equal(false);
  });

  it('resets a password: the old one stops working, the user must choose a new one', async () => {
    const { app, agent } = await adminAgent();
    const officer = await createTestUser();
    const token = await pageToken(agent, `/admin/users/${officer.id}/reset-password`);
    const res = await agent.post(`/admin/users/${officer.id}/reset-password`).type('form').send({ _csrf: token });
    const temporary = temporaryPasswordIn((await agent.get(res.headers.location!)).text);
    const old = supertest.agent(app);
    const t1 = await pageToken(old, '/login');
    expect((await old.post('/login').type('form').send({ _csrf: t1, email: officer.email, password: officer.password })).status).to.equal(401);
    const fresh = supertest.agent(app);
    const t2 = await pageToken(fresh, '/login');
    const ok = await fresh.post('/login').type('form').send({ _csrf: t2, email: officer.email, password: temporary });
    expect(ok.headers.location).to.equal('/account/password');
  });

  it('refuses every admin page to other roles with a 403, and audits the refusal', async () => {
    const { app } = buildTestApp();
    const officer = await createTestUser({ role: 'officer' });
    const agent = await signIn(app, officer);
    for (const path of ['/admin/users', '/admin/users/new', `/admin/users/${officer.id}`, '/admin/audit']) {
      const res = await agent.get(path);
      expect(res.status, path).to.equal(403);
      expect(res.text).to.contain('Không có quyền truy cập');
    }
    const token = await pageToken(agent, '/');
    const post = await agent.post('/admin/users').type('form').send({ _csrf: token, email: 'x@y.vn', name: 'X', role: 'admin' });
    expect(post.status).to.equal(403);
    expect(await mongoose.connection.collection('users').countDocuments({ email: 'x@y.vn' })).to.equal(0);
    await new Promise((r) => setTimeout(r, 50)); // the denial is audited after the response
    expect(await mongoose.connection.collection('audit_events').countDocuments({ action: 'auth.permission-denied' })).to.be.at.least(5);
  });

  it('answers a user id that does not exist or is malformed with 404', async () => {
    const { agent } = await adminAgent();
    expect((await agent.get('/admin/users/64b7f0000000000000000000')).status).to.equal(404);
    expect((await agent.get('/admin/users/not-an-id')).status).to.equal(404);
  });
});

describe('changing one\'s own password', () => {
  useTestDatabase();

  const cases: [string, Record<string, string>, string][] = [
    ['wrong current password', { currentPassword: 'nope', newPassword: 'trăng rằm tháng tám 2026', confirmPassword: 'trăng rằm tháng tám 2026' }, 'Mật khẩu hiện tại không đúng'],
    ['too short', { currentPassword: '', newPassword: 'abc', confirmPassword: 'abc' }, 'Mật khẩu phải có ít nhất 8 ký tự'],
    ['common', { currentPassword: '', newPassword: 'password123', confirmPassword: 'password123' }, 'Mật khẩu này quá phổ biến'],
    ['mismatch', { currentPassword: '', newPassword: 'trăng rằm tháng tám 2026', confirmPassword: 'trăng rằm tháng chín' }, 'Hai mật khẩu mới không khớp nhau'],
  ];
  for (const [label, fields, message] of cases) {
    it(`refuses a new password: ${label}`, async () => {
      const { app } = buildTestApp();
      const user = await createTestUser();
      const agent = await signIn(app, user);
      const res = await submitForm(agent, '/account/password', '/account/password', { ...fields, currentPassword: fields.currentPassword || user.password });
      expect(res.status).to.equal(422);
      expect(res.text).to.contain(message);
      expect(res.text).to.not.contain(user.password);
    });
  }
});
