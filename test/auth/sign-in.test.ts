// Signing in and out through the real form, with CSRF on, against the real database.
import { expect } from 'chai';
import mongoose from 'mongoose';
import supertest from 'supertest';
import { SESSIONS_COLLECTION } from '../../server/platform/http/session.js';
import { buildTestApp, fixedClock, useTestDatabase } from '../support/app.js';
import { createTestUser } from '../support/factories.js';
import { csrfFrom, pageToken, sessionCookie, signIn, expectSentToSignIn } from '../support/http.js';

describe('sign-in', () => {
  useTestDatabase();

  it('signs in with the right password and lands on the home page', async () => {
    const { app } = buildTestApp();
    const user = await createTestUser({ name: 'Trần Thị Bình' });
    const agent = await signIn(app, user);
    const home = await agent.get('/');
    expect(home.status).to.equal(200);
    expect(home.text).to.contain('Xin chào, Trần Thị Bình');
  });

  it('accepts the email in any case and with surrounding spaces', async () => {
    const { app } = buildTestApp();
    const user = await createTestUser();
    await signIn(app, { ...user, email: `  ${user.email.toUpperCase()} ` });
  });

  it('answers a wrong password, an unknown account and a disabled account with the same generic message', async () => {
    const { app } = buildTestApp();
    const user = await createTestUser();
    const disabled = await createTestUser({ disabled: true });
    for (const [email, password] of [
      [user.email, 'not the password'],
      ['nobody@nowhere.vn', 'whatever-password'],
      [disabled.email, disabled.password],
    ] as const) {
      const agent = supertest.agent(app);
      const token = await pageToken(agent, '/login');
      const res = await agent.post('/login').type('form').send({ _csrf: token, email, password });
      expect(res.status).to.equal(401);
      expect(res.text).to.contain('Email hoặc mật khẩu không đúng, hoặc tài khoản đã bị khoá.');
      expect(res.text).to.contain(`value="${email}"`); // what they typed is kept
      expect(res.text).to.not.contain(password);
    }
    const failures = await mongoose.connection.collection('audit_events').countDocuments({ action: 'auth.sign-in-failed' });
    expect(failures).to.equal(3);
  });

  it('re-renders with field errors (422) when fields are missing', async () => {
    const { app } = buildTestApp();
    const agent = supertest.agent(app);
    const token = await pageToken(agent, '/login');
    const res = await agent.post('/login').type('form').send({ _csrf: token, email: 'ai@do.vn', password: '' });
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('Có lỗi cần sửa');
    expect(res.text).to.contain('href="#password"');
    expect(res.text).to.contain('value="ai@do.vn"');
  });

  it('rejects operator-injection bodies as bad input, in JSON and in bracket syntax', async () => {
    const { app } = buildTestApp();
    await createTestUser({ email: 'target@test.vn' });
    const agent = supertest.agent(app);
    const token = await pageToken(agent, '/login');
    const json = await agent.post('/login').set('X-CSRF-Token', token).send({ email: { $gt: '' }, password: { $ne: 'x' } });
    expect(json.status).to.equal(422);
    const brackets = await agent.post('/login').type('form').send(`_csrf=${encodeURIComponent(token)}&email[$ne]=x&password[$ne]=x`);
    expect(brackets.status).to.equal(422);
    const audit = await mongoose.connection.collection('audit_events').countDocuments({ action: 'auth.sign-in' });
    expect(audit).to.equal(0);
  });

  it('refuses a form without a CSRF token (403) and one with a token from another session', async () => {
    const { app } = buildTestApp();
    const user = await createTestUser();
    const res = await supertest(app).post('/login').type('form').send({ email: user.email, password: user.password });
    expect(res.status).to.equal(403);
    expect(res.text).to.contain('Biểu mẫu đã hết hạn');

    const other = supertest.agent(app);
    const foreignToken = await pageToken(other, '/login');
    const agent = supertest.agent(app);
    await agent.get('/login');
    const forged = await agent.post('/login').type('form').send({ _csrf: foreignToken, email: user.email, password: user.password });
    expect(forged.status).to.equal(403);
  });

  it('gives a new session id at sign-in (no session fixation)', async () => {
    const { app } = buildTestApp();
    const user = await createTestUser();
    const agent = supertest.agent(app);
    const page = await agent.get('/login');
    const token = csrfFrom(page.text);
    const before = sessionCookie(page);
    expect(before, 'a session exists before sign-in (it holds the CSRF token)').to.be.a('string');
    const res = await agent.post('/login').type('form').send({ _csrf: token, email: user.email, password: user.password });
    expect(res.status).to.equal(303);
    const after = sessionCookie(res);
    expect(after).to.be.a('string');
    expect(after).to.not.equal(before);
    // The pre-sign-in session id is not signed in.
    const replay = await supertest(app).get('/').set('Cookie', before!);
    expectSentToSignIn(replay);
  });

  it('signs out: the server session is gone, the old cookie no longer works', async () => {
    const { app } = buildTestApp();
    const user = await createTestUser();
    const agent = supertest.agent(app);
    const token = await pageToken(agent, '/login');
    const login = await agent.post('/login').type('form').send({ _csrf: token, email: user.email, password: user.password });
    const cookie = sessionCookie(login)!;
    const home = await agent.get('/');
    const res = await agent.post('/logout').type('form').send({ _csrf: csrfFrom(home.text) });
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal('/login');
    const stale = await supertest(app).get('/').set('Cookie', cookie);
    expectSentToSignIn(stale);
  });

  it('signs out a user the moment they are disabled', async () => {
    const { app } = buildTestApp();
    const admin = await createTestUser({ role: 'admin' });
    const victim = await createTestUser();
    const victimAgent = await signIn(app, victim);
    expect((await victimAgent.get('/')).status).to.equal(200);
    const adminAgent = await signIn(app, admin);
    const token = await pageToken(adminAgent, `/admin/users/${victim.id}/disable`);
    const res = await adminAgent.post(`/admin/users/${victim.id}/disable`).type('form').send({ _csrf: token });
    expect(res.status).to.equal(303);
    const sessions = await mongoose.connection.collection(SESSIONS_COLLECTION).countDocuments({ 'session.passport.user': victim.id });
    expect(sessions).to.equal(0);
    const after = await victimAgent.get('/');
    expectSentToSignIn(after);
  });

  it('ends a session after the absolute timeout even when it is in use', async () => {
    const clock = fixedClock('2026-03-02T01:00:00Z');
    const { app } = buildTestApp({ clock, config: { SESSION_ABSOLUTE_MINUTES: '60', SESSION_IDLE_MINUTES: '600' } });
    const user = await createTestUser();
    const agent = await signIn(app, user);
    clock.advance(59 * 60_000);
    expect((await agent.get('/')).status).to.equal(200);
    clock.advance(2 * 60_000);
    const res = await agent.get('/');
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal('/login?expired=1');
  });

  it('limits failed attempts per account, then refuses even the right password for the window', async () => {
    const { app } = buildTestApp({ config: { LOGIN_MAX_PER_ACCOUNT: '3' } });
    const user = await createTestUser();
    const agent = supertest.agent(app);
    const token = await pageToken(agent, '/login');
    for (let i = 0; i < 3; i++) {
      const res = await agent.post('/login').type('form').send({ _csrf: token, email: user.email, password: `wrong-${i}-password` });
      expect(res.status).to.equal(401);
    }
    const blocked = await agent.post('/login').type('form').send({ _csrf: token, email: user.email, password: user.password });
    expect(blocked.status).to.equal(429);
    expect(blocked.text).to.contain('Bạn đã thử quá nhiều lần');
    // Another account from the same client is not blocked by this account's budget.
    const other = await createTestUser();
    const ok = await agent.post('/login').type('form').send({ _csrf: token, email: other.email, password: other.password });
    expect(ok.status).to.equal(303);
  });

  it('limits failed attempts per client address across accounts', async () => {
    const { app } = buildTestApp({ config: { LOGIN_MAX_PER_IP: '4' } });
    const agent = supertest.agent(app);
    const token = await pageToken(agent, '/login');
    for (let i = 0; i < 4; i++) {
      await agent.post('/login').type('form').send({ _csrf: token, email: `someone${i}@x.vn`, password: 'wrong-password' });
    }
    const res = await agent.post('/login').type('form').send({ _csrf: token, email: 'another@x.vn', password: 'wrong-password' });
    expect(res.status).to.equal(429);
  });

  it('sends a user with a generated password to choose their own before anything else', async () => {
    const { app } = buildTestApp();
    const user = await createTestUser({ mustChangePassword: true });
    const agent = supertest.agent(app);
    const token = await pageToken(agent, '/login');
    const res = await agent.post('/login').type('form').send({ _csrf: token, email: user.email, password: user.password });
    expect(res.headers.location).to.equal('/account/password');
    const home = await agent.get('/');
    expect(home.status).to.equal(303);
    expect(home.headers.location).to.equal('/account/password');
  });

  it('only returns to paths on this site after sign-in', async () => {
    const { app } = buildTestApp();
    const user = await createTestUser({ role: 'officer' });
    for (const [returnTo, expected] of [
      ['/admin/users', '/admin/users'],
      ['//evil.example/x', '/'],
      ['https://evil.example', '/'],
      ['/\\evil.example', '/'],
    ]) {
      const agent = supertest.agent(app);
      const token = await pageToken(agent, '/login');
      const res = await agent.post('/login').type('form').send({ _csrf: token, email: user.email, password: user.password, returnTo });
      expect(res.headers.location, returnTo).to.equal(expected);
    }
  });
});
