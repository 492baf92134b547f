// The HTTP shell every page shares: headers, error pages, health probes, language switching.
import { expect } from 'chai';
import mongoose from 'mongoose';
import supertest from 'supertest';
import { buildTestApp, useTestDatabase } from '../support/app.js';
import { createTestUser } from '../support/factories.js';
import { pageToken, signIn } from '../support/http.js';

describe('HTTP shell', () => {
  useTestDatabase();

  it('sends a nonce-based CSP and the other security headers', async () => {
    const { app } = buildTestApp();
    const res = await supertest(app).get('/login');
    const csp = String(res.headers['content-security-policy']);
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce, csp).to.be.a('string');
    expect(res.text).to.contain(`nonce="${nonce}"`);
    expect(csp).to.contain("frame-ancestors 'none'");
    expect(csp).to.contain("object-src 'none'");
    expect(csp).to.not.contain('unsafe-inline');
    expect(res.headers['x-content-type-options']).to.equal('nosniff');
    expect(res.headers['x-frame-options']).to.equal('DENY');
    expect(res.headers['x-powered-by']).to.equal(undefined);
    expect(res.headers['x-request-id']).to.match(/^[0-9a-f-]{36}$/);
    // A second request gets a different nonce.
    const again = await supertest(app).get('/login');
    expect(String(again.headers['content-security-policy'])).to.not.contain(nonce!);
  });

  it('has no inline script without the nonce and no inline event handlers', async () => {
    const { app } = buildTestApp();
    const res = await supertest(app).get('/login');
    for (const tag of res.text.match(/<script[^>]*>/g) ?? []) expect(tag).to.match(/nonce="|src="/);
    expect(res.text).to.not.match(/\son[a-z]+="/i);
  });

  it('sets the session cookie HttpOnly and SameSite', async () => {
    const { app } = buildTestApp();
    const res = await supertest(app).get('/login');
    const cookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []).join(';');
    expect(cookie).to.match(/HttpOnly/i);
    expect(cookie).to.match(/SameSite=Lax/i);
  });

  it('answers unknown pages with a 404 page in Vietnamese', async () => {
    const { app } = buildTestApp();
    const user = await createTestUser();
    const agent = await signIn(app, user);
    const res = await agent.get('/khong-co-trang-nay');
    expect(res.status).to.equal(404);
    expect(res.text).to.contain('Không tìm thấy trang');
  });

  it('reports liveness and readiness', async () => {
    const { app } = buildTestApp();
    expect((await supertest(app).get('/healthz')).body).to.deep.equal({ status: 'ok' });
    const ready = await supertest(app).get('/readyz');
    expect(ready.status).to.equal(200);
    expect(ready.body).to.deep.equal({ status: 'ready' });
  });

  it('does not create sessions for health probes', async () => {
    const { app } = buildTestApp();
    const res = await supertest(app).get('/healthz');
    expect(res.headers['set-cookie']).to.equal(undefined);
  });

  it('switches to English and remembers the choice for the user across sessions', async () => {
    const { app } = buildTestApp();
    const user = await createTestUser();
    const agent = await signIn(app, user);
    const token = await pageToken(agent, '/');
    const res = await agent.post('/language').type('form').send({ _csrf: token, lang: 'en', returnTo: '/' });
    expect(res.status).to.equal(303);
    expect((await agent.get('/')).text).to.contain('Hello,');
    const stored = await mongoose.connection.collection('users').findOne({ email: user.email });
    expect(stored?.locale).to.equal('en');
    const fresh = await signIn(app, user);
    const page = await fresh.get('/');
    expect(page.text).to.contain('Sign out');
    expect(page.text).to.contain('<html lang="en"');
  });

  it('ignores an unknown language and an off-site return address', async () => {
    const { app } = buildTestApp();
    const agent = supertest.agent(app);
    const token = await pageToken(agent, '/login');
    const res = await agent.post('/language').type('form').send({ _csrf: token, lang: 'fr', returnTo: '//evil.example' });
    expect(res.headers.location).to.equal('/');
    expect((await agent.get('/login')).text).to.contain('<html lang="vi"');
  });

  it('answers an oversized form with 413, not 500', async () => {
    const { app } = buildTestApp();
    const agent = supertest.agent(app);
    const token = await pageToken(agent, '/login');
    const res = await agent.post('/login').type('form').send({ _csrf: token, email: 'a'.repeat(300_000), password: 'x' });
    expect(res.status).to.equal(413);
  });
});
