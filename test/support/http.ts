// HTTP helpers for supertest: a cookie-keeping agent that reads the CSRF token from the page it was
// given, exactly as a browser's form would, and signs in through the real forms (password, then the
// authenticator code when the account has one).
import { expect } from 'chai';
import type { Express } from 'express';
import mongoose from 'mongoose';
import { generate } from 'otplib';
import supertest from 'supertest';
import { SESSION_COOKIE } from '../../server/platform/http/session.js';
import type { TestUser } from './factories.js';

export type Agent = ReturnType<typeof supertest.agent>;

export function csrfFrom(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match?.[1]) throw new Error('no CSRF token on the page');
  return match[1];
}

export async function pageToken(agent: Agent, path: string): Promise<string> {
  const res = await agent.get(path);
  expect(res.status, `GET ${path}`).to.be.oneOf([200, 422]);
  return csrfFrom(res.text);
}

/**
 * A valid authenticator code that the server has not accepted yet: codes are single-use per 30-second
 * step, so a second sign-in within the same step uses the next step's code (accepted within the drift
 * window).
 */
export async function freshTotpCode(user: Pick<TestUser, 'email' | 'totpSecret'>, nowMs = Date.now()): Promise<string> {
  if (!user.totpSecret) throw new Error(`${user.email} has no second factor`);
  const stored = await mongoose.connection.collection('users').findOne({ email: user.email }, { projection: { totpLastStep: 1 } });
  const nowStep = Math.floor(nowMs / 30_000);
  const lastStep = typeof stored?.totpLastStep === 'number' ? stored.totpLastStep : -1;
  const step = Math.max(nowStep, lastStep + 1);
  if (step > nowStep + 1) throw new Error('signed in too often within one minute for TOTP codes');
  return generate({ secret: user.totpSecret, epoch: step * 30 });
}

/** `options.nowMs`: the app's time when it runs on a fixed clock (the second factor is checked against it). */
export async function signInAgent(agent: Agent, user: Pick<TestUser, 'email' | 'password' | 'totpSecret'>, options: { nowMs?: number } = {}): Promise<supertest.Response> {
  const token = await pageToken(agent, '/login');
  let res = await agent.post('/login').type('form').send({ _csrf: token, email: user.email, password: user.password });
  expect(res.status, `sign-in as ${user.email}: ${res.text.slice(0, 200)}`).to.equal(303);
  if (res.headers.location === '/login/two-factor') {
    const codeToken = await pageToken(agent, '/login/two-factor');
    res = await agent.post('/login/two-factor').type('form').send({ _csrf: codeToken, code: await freshTotpCode(user, options.nowMs) });
    expect(res.status, `second factor for ${user.email}: ${res.text.slice(0, 200)}`).to.equal(303);
  }
  return res;
}

export async function signIn(app: Express, user: Pick<TestUser, 'email' | 'password' | 'totpSecret'>, options: { nowMs?: number } = {}): Promise<Agent> {
  const agent = supertest.agent(app);
  await signInAgent(agent, user, options);
  return agent;
}

/** Posts a form from a page: fetches the page for its token, then submits the fields. */
export async function submitForm(agent: Agent, pagePath: string, action: string, fields: Record<string, string>) {
  const token = await pageToken(agent, pagePath);
  return agent.post(action).type('form').send({ _csrf: token, ...fields });
}

/** The session cookie (name=value) a response sets, if it sets one. */
export function sessionCookie(res: supertest.Response): string | undefined {
  const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  return cookies.find((c) => c.startsWith(`${SESSION_COOKIE}=`))?.split(';')[0];
}

/** The answer to a request without a valid session: 303 to the sign-in page (with or without returnTo). */
export function expectSentToSignIn(res: supertest.Response): void {
  expect(res.status, res.text.slice(0, 200)).to.equal(303);
  expect(res.headers.location).to.match(/^\/login/);
}
