// The second factor: required for administrators and leaders, optional for others, single-use codes.
import { expect } from 'chai';
import mongoose from 'mongoose';
import { generate } from 'otplib';
import supertest from 'supertest';
import { buildTestApp, fixedClock, useTestDatabase } from '../support/app.js';
import { createTestUser } from '../support/factories.js';
import { csrfFrom, freshTotpCode, pageToken, signIn, submitForm } from '../support/http.js';

async function passwordStep(agent: ReturnType<typeof supertest.agent>, email: string, password: string) {
  const token = await pageToken(agent, '/login');
  return agent.post('/login').type('form').send({ _csrf: token, email, password });
}

describe('two-factor sign-in', () => {
  useTestDatabase();

  it('asks for the code after the password and signs in only when it is right', async () => {
    const { app } = buildTestApp();
    const leader = await createTestUser({ role: 'leader' });
    const agent = supertest.agent(app);
    const first = await passwordStep(agent, leader.email, leader.password);
    expect(first.headers.location).to.equal('/login/two-factor');
    // Not signed in yet.
    expect((await agent.get('/')).headers.location).to.match(/^\/login/);

    const token = await pageToken(agent, '/login/two-factor');
    const wrong = await agent.post('/login/two-factor').type('form').send({ _csrf: token, code: '000000' });
    expect(wrong.status).to.equal(401);
    expect(wrong.text).to.contain('Mã không đúng hoặc đã được dùng');
    const malformed = await agent.post('/login/two-factor').type('form').send({ _csrf: token, code: '12ab' });
    expect(malformed.status).to.equal(422);

    const code = await freshTotpCode(leader);
    const ok = await agent.post('/login/two-factor').type('form').send({ _csrf: token, code: code.replace(/(\d{3})/, '$1 ') });
    expect(ok.status).to.equal(303);
    expect((await agent.get('/')).status).to.equal(200);

    // The same code cannot be used again, even from another browser.
    const other = supertest.agent(app);
    await passwordStep(other, leader.email, leader.password);
    const t2 = await pageToken(other, '/login/two-factor');
    const replay = await other.post('/login/two-factor').type('form').send({ _csrf: t2, code });
    expect(replay.status).to.equal(401);
  });

  it('forgets a password step that waited more than five minutes for its code', async () => {
    const clock = fixedClock(new Date());
    const { app } = buildTestApp({ clock });
    const admin = await createTestUser({ role: 'admin' });
    const agent = supertest.agent(app);
    await passwordStep(agent, admin.email, admin.password);
    const token = await pageToken(agent, '/login/two-factor');
    clock.advance(6 * 60_000);
    const code = await generate({ secret: admin.totpSecret!, epoch: Math.floor(clock.now().getTime() / 1000) });
    const res = await agent.post('/login/two-factor').type('form').send({ _csrf: token, code });
    expect(res.headers.location).to.equal('/login?expired=1');
  });

  it('limits wrong codes per account', async () => {
    const { app } = buildTestApp({ config: { LOGIN_MAX_PER_ACCOUNT: '3' } });
    const admin = await createTestUser({ role: 'admin' });
    const agent = supertest.agent(app);
    await passwordStep(agent, admin.email, admin.password);
    const token = await pageToken(agent, '/login/two-factor');
    for (let i = 0; i < 3; i++) await agent.post('/login/two-factor').type('form').send({ _csrf: token, code: '000000' });
    const blocked = await agent.post('/login/two-factor').type('form').send({ _csrf: token, code: await freshTotpCode(admin) });
    expect(blocked.status).to.equal(429);
  });

  it('makes an administrator without an authenticator set one up before anything else', async () => {
    const { app } = buildTestApp();
    const admin = await createTestUser({ role: 'admin', twoFactor: false });
    const agent = await signIn(app, admin);
    const home = await agent.get('/admin/users');
    expect(home.headers.location).to.equal('/account/two-factor');
    const page = await agent.get('/account/two-factor');
    const secret = /data-testid="totp-secret">([A-Z2-7]+)</.exec(page.text)?.[1];
    expect(secret).to.be.a('string');
    expect(page.text).to.contain('data:image/svg+xml;base64,');
    // Reloading shows the same secret (the app may already have scanned it).
    expect((await agent.get('/account/two-factor')).text).to.contain(secret!);

    const wrong = await agent.post('/account/two-factor').type('form').send({ _csrf: csrfFrom(page.text), code: '123456' });
    expect(wrong.status).to.equal(422);
    expect(wrong.text).to.contain('Mã không đúng');
    const ok = await agent.post('/account/two-factor').type('form').send({ _csrf: csrfFrom(page.text), code: await generate({ secret: secret! }) });
    expect(ok.status).to.equal(303);
    expect((await agent.get('/admin/users')).status).to.equal(200);
    const stored = await mongoose.connection.collection('users').findOne({ email: admin.email });
    expect(stored?.totpSecret).to.equal(secret);
    // The next sign-in asks for a code.
    const next = supertest.agent(app);
    expect((await passwordStep(next, admin.email, admin.password)).headers.location).to.equal('/login/two-factor');
  });

  it('leaves officers free to sign in with a password alone', async () => {
    const { app } = buildTestApp();
    const officer = await createTestUser({ role: 'officer' });
    const agent = await signIn(app, officer);
    expect((await agent.get('/')).status).to.equal(200);
  });

  it('lets an administrator reset a lost authenticator, after which the user enrols again', async () => {
    const { app } = buildTestApp();
    const admin = await createTestUser({ role: 'admin' });
    const leader = await createTestUser({ role: 'leader' });
    const adminAgent = await signIn(app, admin);
    const res = await submitForm(adminAgent, `/admin/users/${leader.id}/reset-two-factor`, `/admin/users/${leader.id}/reset-two-factor`, {});
    expect(res.status).to.equal(303);
    const agent = supertest.agent(app);
    const login = await passwordStep(agent, leader.email, leader.password);
    expect(login.headers.location).to.equal('/');
    expect((await agent.get('/')).headers.location).to.equal('/account/two-factor');
    expect(await mongoose.connection.collection('audit_events').countDocuments({ action: 'user.two-factor-reset', targetId: leader.id })).to.equal(1);
  });
});
