// Helpers for the meetings tests: reference data (communes, fields, delegates in two constituencies,
// agencies), and sessions, meetings and petitions made through the module's own services.
import crypto from 'node:crypto';
import mongoose from 'mongoose';
import type { Actor } from '../../server/access/index.js';
import { AgencyModel } from '../../server/agencies/index.js';
import { classifyPetition, compileSession, createMeeting, createSession, meetingSchema, mergePetitions, PetitionModel, recordPetitions, sessionSchema, type Petition } from '../../server/meetings/index.js';
import type { PetitionRowInput } from '../../server/meetings/meetings.schemas.js';
import { fixedClock } from '../../server/platform/clock.js';
import type { ServiceContext } from '../../server/platform/context.js';
import { DelegateModel } from '../../server/reference/index.js';
import { loadActor } from '../../server/users/index.js';
import { createTestUser, type TestUser } from '../support/factories.js';
import { csrfFrom, type Agent } from '../support/http.js';
import { seedIntakeReference } from '../support/intake.js';

export const key = () => crypto.randomBytes(16).toString('hex');

/** 1 April 2026, 10:00 in Vietnam: sessions below open in May. */
export function testContext(at = '2026-04-01T03:00:00Z'): ServiceContext {
  return { clock: fixedClock(at) };
}

export async function actorOf(user: TestUser): Promise<Actor> {
  const actor = await loadActor(user.id);
  if (!actor) throw new Error('no actor');
  return actor;
}

export interface MeetingsWorld {
  officer: TestUser;
  officerActor: Actor;
  delegateUser: TestUser;
  commune: string;
  otherCommune: string;
  field: string;
  otherField: string;
  /** Two National Assembly delegates: one in constituency "Đơn vị 1" (with an account), one in "Đơn vị 2". */
  delegateA: string;
  delegateB: string;
  /** A People's Council delegate. */
  delegateCouncil: string;
  agencyA: { id: string; name: string };
  agencyB: { id: string; name: string };
}

export async function seedMeetingsWorld(): Promise<MeetingsWorld> {
  const ref = await seedIntakeReference();
  const officer = await createTestUser({ role: 'officer', name: 'Lê Thị Tổng Hợp' });
  const delegateUser = await createTestUser({ role: 'delegate', name: 'Phạm Quốc Đại' });
  const [a, b, c] = await DelegateModel.create([
    { userId: new mongoose.Types.ObjectId(delegateUser.id), name: 'Phạm Quốc Đại', nameFolded: 'pham quoc dai', body: 'quoc-hoi', constituency: 'Đơn vị 1', term: 'XVI' },
    { name: 'Trần Thị Bảy', nameFolded: 'tran thi bay', body: 'quoc-hoi', constituency: 'Đơn vị 2', term: 'XVI' },
    { name: 'Hồ Văn Tám', nameFolded: 'ho van tam', body: 'hdnd-tinh', constituency: 'Đơn vị 5', term: 'IX' },
  ]);
  const [agencyA, agencyB] = await AgencyModel.create([
    { name: 'Bộ Giao thông vận tải', nameFolded: 'bo giao thong van tai', level: 'central', fieldCodes: [], unitCodes: [], contacts: [{ email: 'bgtvt@example.gov.vn', name: '', role: 'to' }], source: 'admin' },
    { name: 'Sở Y tế', nameFolded: 'so y te', level: 'province', fieldCodes: [], unitCodes: [], contacts: [{ email: 'syt@example.gov.vn', name: '', role: 'to' }], source: 'admin' },
  ]);
  return {
    officer,
    officerActor: await actorOf(officer),
    delegateUser,
    ...ref,
    delegateA: String(a!._id),
    delegateB: String(b!._id),
    delegateCouncil: String(c!._id),
    agencyA: { id: String(agencyA!._id), name: agencyA!.name },
    agencyB: { id: String(agencyB!._id), name: agencyB!.name },
  };
}

export async function makeSession(actor: Actor, overrides: Record<string, string> = {}): Promise<string> {
  const input = sessionSchema.parse({ submissionKey: key(), body: 'quoc-hoi', term: 'XVI', number: '2', opensOn: '20/05/2026', closesOn: '15/06/2026', ...overrides });
  return (await createSession(actor, input, testContext())).id;
}

export async function makeMeeting(actor: Actor, fields: Record<string, string | string[]>): Promise<string> {
  const input = meetingSchema.parse({ submissionKey: key(), level: 'quoc-hoi', timing: 'before', date: '08/05/2026', time: '08:00', format: 'in-person', place: 'Hội trường UBND xã', ...fields });
  return (await createMeeting(actor, input, testContext())).id;
}

export function rows(...items: Partial<PetitionRowInput>[]): PetitionRowInput[] {
  return items.map((r, i) => ({ row: i + 1, content: 'Kiến nghị', fieldCode: null, unitCode: null, voterCount: 1, competence: null, ...r }));
}

export async function addPetitions(actor: Actor, meetingId: string, items: Partial<PetitionRowInput>[]): Promise<void> {
  await recordPetitions(actor, meetingId, { submissionKey: key(), rows: rows(...items) }, testContext());
}

export interface CompiledSession {
  sessionId: string;
  /** "Quốc lộ 9" raised at both meetings and merged: 2 meetings, 6 + 5 voters, both communes; for agency A. */
  road: string;
  /** The two originals behind it. */
  roadOriginals: [string, string];
  /** Raised once (3 voters), for agency A. */
  bridge: string;
  /** Raised once (4 voters), for agency B (province). */
  clinic: string;
}

/**
 * A session whose petitions are merged, classified and compiled, ready for the bulk forwarding:
 * agency A gets the bridge and the merged road petition, agency B the clinic.
 */
export async function compiledSession(w: MeetingsWorld): Promise<CompiledSession> {
  const ctx = testContext();
  const sessionId = await makeSession(w.officerActor);
  const m1 = await makeMeeting(w.officerActor, { sessionId, unitCodes: [w.commune], delegateIds: [w.delegateA] });
  const m2 = await makeMeeting(w.officerActor, { sessionId, date: '09/05/2026', unitCodes: [w.otherCommune], delegateIds: [w.delegateB] });
  await addPetitions(w.officerActor, m1, [
    { content: 'Đề nghị nâng cấp quốc lộ 9 đoạn qua thị trấn', fieldCode: w.field, unitCode: w.commune, voterCount: 6 },
    { content: 'Đề nghị sửa cầu vượt lũ trên quốc lộ 15D', fieldCode: w.field, unitCode: w.commune, voterCount: 3 },
    { content: 'Đề nghị bổ sung bác sĩ cho trạm y tế xã', fieldCode: w.otherField, unitCode: w.commune, voterCount: 4 },
  ]);
  await addPetitions(w.officerActor, m2, [{ content: 'Nâng cấp quốc lộ 9 qua thị trấn đã xuống cấp', fieldCode: w.field, unitCode: w.otherCommune, voterCount: 5 }]);
  const [road1, bridge, clinic, road2] = (await PetitionModel.find({}).sort({ code: 1 }).lean<Petition[]>()).map((p) => String(p._id));
  const road = (await mergePetitions(w.officerActor, { submissionKey: key(), ids: [road1!, road2!], wordingFrom: road1!, content: null }, ctx)).id;
  await classifyPetition(w.officerActor, road, { content: 'Đề nghị nâng cấp quốc lộ 9 đoạn qua thị trấn', fieldCode: w.field, unitCode: null, competence: 'central', agencyId: w.agencyA.id }, ctx);
  await classifyPetition(w.officerActor, bridge!, { content: 'Đề nghị sửa cầu vượt lũ trên quốc lộ 15D', fieldCode: w.field, unitCode: w.commune, competence: 'central', agencyId: w.agencyA.id }, ctx);
  await classifyPetition(w.officerActor, clinic!, { content: 'Đề nghị bổ sung bác sĩ cho trạm y tế xã', fieldCode: w.otherField, unitCode: w.commune, competence: 'province', agencyId: w.agencyB.id }, ctx);
  await compileSession(w.officerActor, sessionId, ctx);
  return { sessionId, road, roadOriginals: [road1!, road2!], bridge: bridge!, clinic: clinic! };
}

/** The session page's forward form: its CSRF token and one-time key, as a browser would send them. */
export async function forwardFormOf(agent: Agent, sessionId: string): Promise<{ _csrf: string; submissionKey: string }> {
  const page = await agent.get(`/meetings/sessions/${sessionId}`);
  if (page.status !== 200) throw new Error(`session page: ${page.status}`);
  const match = /action="\/meetings\/sessions\/[a-f0-9]{24}\/forward"[\s\S]*?name="submissionKey" value="([a-f0-9]{32})"/.exec(page.text);
  if (!match) throw new Error('no forward form on the session page');
  return { _csrf: csrfFrom(page.text), submissionKey: match[1]! };
}
