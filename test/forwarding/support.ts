// Helpers for the agency-link tests: a forwarding sent the way the office sends one (a walk-in opens
// the case, an officer drafts, a leader approves), the email delivered to a real SMTP peer, and the
// agency's link read from the email that arrived — the only place a token ever exists.
import crypto from 'node:crypto';
import { expect } from 'chai';
import type { Express } from 'express';
import mongoose from 'mongoose';
import supertest from 'supertest';
import type { Actor } from '../../server/access/index.js';
import { AgencyModel } from '../../server/agencies/index.js';
import { approveForwarding, draftForwardings } from '../../server/forwarding/index.js';
import { configureNotifications, createOutboxSender } from '../../server/notifications/index.js';
import type { Clock } from '../../server/platform/clock.js';
import type { Config } from '../../server/platform/config.js';
import { createLogger } from '../../server/platform/logger.js';
import { foldVietnamese } from '../../server/platform/text.js';
import { listActiveCommunes, listActiveFields } from '../../server/reference/index.js';
import { seedBaseData } from '../../server/seed.js';
import { loadActor } from '../../server/users/index.js';
import { testConfig, testTranslator } from '../support/app.js';
import { createTestUser, type TestUser } from '../support/factories.js';
import { csrfFrom, signIn, type Agent } from '../support/http.js';
import { postWalkIn, walkInFields } from '../support/intake.js';
import type { ReceivedMail, SmtpPeer } from '../support/smtp.js';

/** Tuesday 02/03/2027, 10:00 in Vietnam: after today, so rate-limit counters do not expire mid-test. */
export const START = '2027-03-02T03:00:00Z';
export const MAIL_BASE_URL = 'https://dannguyen.test.gov.vn';
export const OFFICE_CONTACT = 'Số 1 Hùng Vương, Đông Hà · ĐT 0233 3852 000';

/** The denouncer: a name and a CCCD that must never reach the agency. */
export const DENOUNCER = { name: 'Trịnh Thị Kín Đáo', citizenId: '045185067890' };
export const INTERNAL_NOTE = 'GHI CHÚ NỘI BỘ: đã trao đổi với lãnh đạo, không gửi cơ quan';

/** The app's own settings for these tests (the app under test is built with them). */
export const APP_CONFIG = { OFFICE_CONTACT, OFFICE_NAME: 'Văn phòng Đoàn ĐBQH và HĐND tỉnh Quảng Trị' };

function mailSettings(peer: SmtpPeer): Config {
  return testConfig({
    ...APP_CONFIG,
    BASE_URL: MAIL_BASE_URL,
    SMTP_URL: peer.url,
    MAIL_FROM: 'Văn phòng <vanphong@dannguyen.test.gov.vn>',
    MAIL_WINDOW: 'always',
  });
}

/** Emails render and leave with the test settings (as main.ts configures the real ones). */
export function useAgencyMail(peer: SmtpPeer): Config {
  const config = mailSettings(peer);
  configureNotifications({ config, translator: testTranslator() });
  return config;
}

async function actorOf(user: TestUser): Promise<Actor> {
  const actor = await loadActor(user.id);
  if (!actor) throw new Error(`no actor for ${user.email}`);
  return actor;
}

export interface SentForwarding {
  id: string;
  caseId: string;
  agencyId: string;
  agencyName: string;
  agencyEmail: string;
  officer: TestUser;
  officerAgent: Agent;
}

export interface SendOptions {
  /** A denunciation by DENOUNCER (confidential), or an ordinary complaint. */
  denunciation?: boolean;
  agencyName?: string;
  /** Reuses what an earlier call created (reference data, users) in the same test. */
  reuse?: { officer: TestUser; officerAgent: Agent; leader: TestUser };
}

let sequence = 0;

/** Seeds what the office starts with, opens a case by a walk-in, drafts and approves its forwarding. */
export async function sendForwarding(app: Express, clock: Clock, options: SendOptions = {}): Promise<SentForwarding & { leader: TestUser }> {
  if (!options.reuse) await seedBaseData(clock);
  const [communes, fields] = await Promise.all([listActiveCommunes(), listActiveFields()]);
  sequence += 1;
  const agencyName = options.agencyName ?? `Sở Thử Nghiệm số ${sequence}`;
  const agencyEmail = `vanthu${sequence}@so-thu-nghiem.test.gov.vn`;
  const agency = await AgencyModel.create({
    name: agencyName,
    nameFolded: foldVietnamese(agencyName),
    level: 'province',
    contacts: [{ email: agencyEmail, name: 'Văn thư Sở', role: 'to' }],
    source: 'admin',
  });

  const officer = options.reuse?.officer ?? (await createTestUser({ role: 'officer', name: 'Lê Văn Chuyên Viên', grantedPermissions: ['view-denouncer-identity'] }));
  const leader = options.reuse?.leader ?? (await createTestUser({ role: 'leader', name: 'Phạm Văn Lãnh Đạo' }));
  const officerAgent = options.reuse?.officerAgent ?? (await signIn(app, officer));

  const denunciation = options.denunciation ?? true;
  const content = denunciation
    ? `Bà ${DENOUNCER.name} (CCCD ${DENOUNCER.citizenId}) tố cáo cán bộ địa chính xã nhận tiền để hợp thức hoá đất lấn chiếm tại thôn ${sequence}`
    : `Khiếu nại quyết định thu hồi đất nông nghiệp tại thôn ${sequence} không đúng diện tích thực tế`;
  const saved = await postWalkIn(
    officerAgent,
    walkInFields({
      date: '01/03/2027',
      type: denunciation ? 'denunciation' : 'complaint',
      name: denunciation ? DENOUNCER.name : `Nguyễn Văn Khiếu Nại ${sequence}`,
      citizenId: denunciation ? DENOUNCER.citizenId : '',
      unitCode: communes[0]!.code,
      fieldCode: fields[0]!.code,
      content,
      caseChoice: 'new',
      personChoice: 'auto',
    }),
  );
  expect(saved.status, `walk-in: ${saved.text.slice(0, 300)}`).to.equal(303);
  const caseId = /\/cases\/([a-f0-9]{24})/.exec(saved.headers.location ?? '')?.[1];
  if (!caseId) throw new Error(`no case id in ${saved.headers.location}`);

  const ctx = { clock };
  const drafted = await draftForwardings(
    await actorOf(officer),
    {
      items: [{ kind: 'case', id: caseId }],
      agencyIds: [String(agency._id)],
      grouping: 'per-matter',
      request: 'Đề nghị Sở xem xét, giải quyết theo thẩm quyền và thông báo kết quả cho Văn phòng.',
      internalNote: INTERNAL_NOTE,
      sharedAttachmentIds: [],
      ruleKey: 'agency-answer',
      submissionKey: crypto.randomBytes(16).toString('hex'),
    },
    ctx,
  );
  const id = drafted.ids[0]!;
  if (!drafted.sent) await approveForwarding(await actorOf(leader), id, { note: '' }, ctx);
  return { id, caseId, agencyId: String(agency._id), agencyName, agencyEmail, officer, officerAgent, leader };
}

/** Runs the outbox sender once against the SMTP peer: every queued email that is due leaves. */
export async function deliverPendingEmails(peer: SmtpPeer, clock: Clock): Promise<void> {
  const sender = createOutboxSender({ config: mailSettings(peer), clock, logger: createLogger('silent') });
  try {
    await sender.runOnce();
  } finally {
    sender.close();
  }
}

export interface DeliveredLink {
  /** '/a/<token>' */
  path: string;
  token: string;
  mail: ReceivedMail;
}

/**
 * Runs the outbox sender against the SMTP peer and reads the agency's link from the email that went
 * to `agencyEmail` (the newest one when several did).
 */
export async function sendPendingEmailsAndGetLink(peer: SmtpPeer, clock: Clock, agencyEmail: string): Promise<DeliveredLink> {
  await deliverPendingEmails(peer, clock);
  const mail = [...peer.received].reverse().find((m) => m.envelope.to.includes(agencyEmail));
  if (!mail) throw new Error(`no email reached ${agencyEmail} (received: ${peer.received.map((m) => m.envelope.to.join(',')).join(' | ')})`);
  const match = new RegExp(`${MAIL_BASE_URL.replace(/[.]/g, '\\.')}(/a/([A-Za-z0-9_-]{43}))`).exec(mail.parsed.text ?? '');
  if (!match) throw new Error(`no agency link in the email text:\n${mail.parsed.text ?? ''}`);
  return { path: match[1]!, token: match[2]!, mail };
}

/** Opens the link like an agency: the landing page, then Continue; returns the agent with its session. */
export async function openAgencySession(app: Express, path: string, agent: Agent = supertest.agent(app)): Promise<Agent> {
  const landing = await agent.get(path);
  expect(landing.status, landing.text.slice(0, 300)).to.equal(200);
  const res = await agent.post(path).type('form').send({ _csrf: csrfFrom(landing.text) });
  expect(res.status, res.text.slice(0, 300)).to.equal(303);
  expect(res.headers.location).to.equal('/agency');
  return agent;
}

export async function countIn(collection: string): Promise<number> {
  return mongoose.connection.collection(collection).countDocuments({});
}
