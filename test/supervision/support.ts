// Helpers for the supervision tests: a forwarding sent the way the office sends one (through the
// forwarding module's own services, see test/forwarding/support.ts), an app whose clock is weeks
// later (so the forwarding is overdue), signed-in staff and a session to propose matters for.
import crypto from 'node:crypto';
import { expect } from 'chai';
import type superagent from 'superagent';
import type { Actor } from '../../server/access/index.js';
import { createSession, sessionSchema } from '../../server/meetings/index.js';
import { fixedClock } from '../../server/platform/clock.js';
import { loadActor } from '../../server/users/index.js';
import { sendForwarding, APP_CONFIG, START, type SentForwarding } from '../forwarding/support.js';
import { buildTestApp } from '../support/app.js';
import { createTestUser, type TestUser } from '../support/factories.js';
import { csrfFrom, signIn, type Agent } from '../support/http.js';

/** Monday 05/04/2027, 10:00 in Vietnam: the forwarding's deadline (23/03/2027) has passed. */
export const LATER = fixedClock(new Date('2027-04-05T03:00:00Z'));

export const key = () => crypto.randomBytes(16).toString('hex');

export interface SupervisionWorld {
  app: ReturnType<typeof buildTestApp>['app'];
  sent: SentForwarding & { leader: TestUser };
  officer: Agent;
  leader: Agent;
  leaderUser: TestUser;
  officerActor: Actor;
}

export async function supervisionWorld(options: { denunciation?: boolean } = {}): Promise<SupervisionWorld> {
  const app = buildTestApp({ clock: LATER, config: APP_CONFIG }).app;
  const sent = await sendForwarding(app, fixedClock(new Date(START)), { denunciation: options.denunciation ?? true });
  const leader = await signIn(app, sent.leader, { nowMs: LATER.now().getTime() });
  const officerActor = (await loadActor(sent.officer.id))!;
  return { app, sent, officer: sent.officerAgent, leader, leaderUser: sent.leader, officerActor };
}

export async function createUserAgent(app: SupervisionWorld['app'], role: 'officer' | 'delegate' | 'admin' | 'leader', name?: string): Promise<{ user: TestUser; agent: Agent }> {
  const user = await createTestUser({ role, ...(name ? { name } : {}) });
  return { user, agent: await signIn(app, user, { nowMs: LATER.now().getTime() }) };
}

/** Plans a round through the form and returns its id. */
export async function planRound(agent: Agent, fields: Record<string, string | string[]>): Promise<string> {
  const form = await agent.get('/supervision/new');
  expect(form.status, form.text.slice(0, 300)).to.equal(200);
  const submissionKey = /name="submissionKey" value="([a-f0-9]{32})"/.exec(form.text)![1]!;
  const res = await agent.post('/supervision').type('form').send({ _csrf: csrfFrom(form.text), submissionKey, title: 'Giám sát việc giải quyết đơn tố cáo quá hạn', basis: 'Quyết định số 15/QĐ-HĐND', startsOn: '01/04/2027', endsOn: '30/04/2027', ...fields });
  expect(res.status, res.text.slice(0, 600)).to.equal(303);
  return /\/supervision\/([a-f0-9]{24})$/.exec(res.headers.location ?? '')![1]!;
}

export async function post(agent: Agent, pagePath: string, action: string, fields: Record<string, string | string[]>) {
  const page = await agent.get(pagePath);
  expect(page.status, page.text.slice(0, 300)).to.equal(200);
  return agent.post(action).type('form').send({ _csrf: csrfFrom(page.text), ...fields });
}

export async function makeSession(actor: Actor): Promise<string> {
  const input = sessionSchema.parse({ submissionKey: key(), body: 'hdnd-tinh', term: 'IX', number: '4', opensOn: '10/07/2027', closesOn: '15/07/2027' });
  return (await createSession(actor, input, { clock: LATER })).id;
}

/** A supertest parser keeping the body as bytes (PDF, XLSX, CSV with its BOM). */
export function binary(res: superagent.Response, cb: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  const stream = res as unknown as NodeJS.ReadableStream; // at parse time the response is still the stream
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => cb(null, Buffer.concat(chunks)));
}
