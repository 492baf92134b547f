// Two app instances on one database, as behind a load balancer: a browser's requests may reach either,
// so the session, its CSRF token and the signed-in user must come from the database on every request,
// never from one instance's memory. Signing out, or being disabled, through one instance ends the
// session on the other at its next request; a role changed through one applies on the other at once.
import { expect } from 'chai';
import supertest from 'supertest';
import { buildTestApp, useTestDatabase } from '../support/app.js';
import { createTestUser } from '../support/factories.js';
import { csrfFrom, pageToken, sessionCookie, signIn, submitForm, expectSentToSignIn } from '../support/http.js';

describe('sign-in across two app instances', () => {
  useTestDatabase();

  async function signInOn(app: ReturnType<typeof buildTestApp>['app'], user: { email: string; password: string }): Promise<string> {
    const agent = supertest.agent(app);
    const token = await pageToken(agent, '/login');
    const res = await agent.post('/login').type('form').send({ _csrf: token, email: user.email, password: user.password });
    expect(res.status).to.equal(303);
    return sessionCookie(res)!;
  }

  it('serves a session signed in on one instance from the other, and accepts the CSRF token either one gave', async () => {
    const a = buildTestApp().app;
    const b = buildTestApp().app;
    const user = await createTestUser({ name: 'Lê Văn Hai Máy' });
    const cookie = await signInOn(a, user);
    const home = await supertest(b).get('/').set('Cookie', cookie);
    expect(home.status).to.equal(200);
    expect(home.text).to.contain('Lê Văn Hai Máy');
    // A page fetched from A, its form posted to B: signing out through B.
    const pageOnA = await supertest(a).get('/').set('Cookie', cookie);
    const out = await supertest(b).post('/logout').set('Cookie', cookie).type('form').send({ _csrf: csrfFrom(pageOnA.text) });
    expect(out.status).to.equal(303);
    expect(out.headers.location).to.equal('/login');
    const stale = await supertest(a).get('/').set('Cookie', cookie);
    expectSentToSignIn(stale);
  });

  it('refuses a form whose token belongs to another session, whichever instance gave it', async () => {
    const a = buildTestApp().app;
    const b = buildTestApp().app;
    const first = await signInOn(a, await createTestUser());
    const second = await signInOn(b, await createTestUser());
    const pageForFirst = await supertest(a).get('/').set('Cookie', first);
    const res = await supertest(b).post('/logout').set('Cookie', second).type('form').send({ _csrf: csrfFrom(pageForFirst.text) });
    expect(res.status).to.equal(403);
    expect((await supertest(a).get('/').set('Cookie', second)).status).to.equal(200);
  });

  it('ends the session on one instance the moment an administrator on the other disables the user', async () => {
    const a = buildTestApp().app;
    const b = buildTestApp().app;
    const victim = await createTestUser();
    const cookie = await signInOn(a, victim);
    expect((await supertest(a).get('/').set('Cookie', cookie)).status).to.equal(200);
    const admin = await signIn(b, await createTestUser({ role: 'admin' }));
    const token = await pageToken(admin, `/admin/users/${victim.id}/disable`);
    expect((await admin.post(`/admin/users/${victim.id}/disable`).type('form').send({ _csrf: token })).status).to.equal(303);
    const after = await supertest(a).get('/').set('Cookie', cookie);
    expectSentToSignIn(after);
  });

  it('applies a role changed through the other instance at the next request', async () => {
    const a = buildTestApp().app;
    const b = buildTestApp().app;
    const user = await createTestUser({ role: 'officer', name: 'Cán Bộ Đổi Vai' });
    const cookie = await signInOn(a, user);
    expect((await supertest(a).get('/statistics').set('Cookie', cookie)).status).to.equal(403);
    const admin = await signIn(b, await createTestUser({ role: 'admin' }));
    const res = await submitForm(admin, `/admin/users/${user.id}`, `/admin/users/${user.id}`, { name: 'Cán Bộ Đổi Vai', role: 'delegate' });
    expect(res.status).to.equal(303);
    expect((await supertest(a).get('/statistics').set('Cookie', cookie)).status).to.equal(200);
  });
});
