// A hand-built year of voter meetings in which every petition figure differs, made through the real
// services: sessions, meetings, petitions entered, merged, classified, withdrawn, compiled, forwarded in
// bulk (approved by a leader), answered by the agencies through their link, evaluated by the office.
// "Now" is 20/07/2026. Worked out by hand:
//
//  session  S1 National Assembly XVI/2, 20/05–15/06/2026;  S2 People's Council IX/5, 01/07–03/07/2026
//
//  meeting  day    delegates (group)        communes  voters present  petitions raised (field, commune, voters)
//  M0       20/04  A (Đơn vị 1)             X         50              P0 (F2, X, 7)
//  M1       05/05  A (Đơn vị 1)             X         120             P1 road (F1, X, 3), P2 clinic (F2, X, 2), P3 power (—, —, 1)
//  M2       08/05  B (Đơn vị 2), online     X, Y      80              P4 road (F1, Y, 5), P5 school (F2, Y, 4), P7 fees (F1, Y, 6)
//  M3       10/05  A + B                    Y         60              P6 road (F1, Y, 2)
//  M5       12/05  B (Đơn vị 2)             Y         30              —
//  M8       25/06  A (after S1)             X         40              P8 (F1, X, 9)
//  M9       10/07  council delegate (Đơn vị 5), after S2  Y   25      P9 (F2, Y, 4)
//
//  P1, P4, P6 merged into C (F1, central, agency A). P0, P2, P5 classified F2, province, agency B. P3
//  withdrawn. P7, P8, P9 never classified (pending). S1 compiled and forwarded on 25/06: A gets C, B
//  gets P0, P2, P5; the leader approves on 26/06. A answers C on 06/07, judged satisfactory; B answers
//  P2 only on 08/07, judged not satisfactory. So: C satisfied, P2 unsatisfied, P0 and P5 forwarded.
//
//  May 2026 (M1, M2, M3, M5): 4 meetings, 290 voters present; 7 petitions raised (P1–P7) by 23 voters,
//  3 merged; after merging 5 (C 10 voters, P2 2, P3 1, P5 4, P7 6 = 23): 3 forwarded (C, P2, P5),
//  2 answered, 1 satisfactory (C), 1 not (P2), 1 pending (P7), 1 withdrawn (P3).
import crypto from 'node:crypto';
import { Readable } from 'node:stream';
import { expect } from 'chai';
import mongoose from 'mongoose';
import type { Actor } from '../../server/access/index.js';
import { AgencyModel } from '../../server/agencies/index.js';
import { storeUpload } from '../../server/attachments/index.js';
import { approveForwarding, configureForwarding, evaluateForwarding, ForwardingLinkModel, ForwardingModel, submitAnswer, type Forwarding } from '../../server/forwarding/index.js';
import { classifyPetition, compileSession, createMeeting, createSession, forwardCompiledPetitions, meetingSchema, mergePetitions, PetitionModel, recordPetitions, sessionSchema, type Petition } from '../../server/meetings/index.js';
import { withdrawPetition } from '../../server/meetings/petitions.service.js';
import { fixedClock } from '../../server/platform/clock.js';
import type { ServiceContext } from '../../server/platform/context.js';
import { DelegateModel } from '../../server/reference/index.js';
import { seedBaseData } from '../../server/seed.js';
import { loadActor } from '../../server/users/index.js';
import { samplePdf } from '../attachments/samples.js';
import { testConfig } from '../support/app.js';
import { createTestUser, type TestUser } from '../support/factories.js';
import { seedIntakeReference } from '../support/intake.js';

/** 20/07/2026, 10:00 in Vietnam. */
export const PETITIONS_NOW = new Date('2026-07-20T03:00:00Z');

export interface PetitionsFixture {
  ref: { commune: string; otherCommune: string; field: string; otherField: string };
  officer: TestUser;
  leader: TestUser;
  delegate: TestUser;
  admin: TestUser;
  agencies: { A: { id: string; name: string }; B: { id: string; name: string } };
  sessions: { S1: string; S2: string };
}

const key = () => crypto.randomBytes(16).toString('hex');
const at = (iso: string): ServiceContext => ({ clock: fixedClock(new Date(iso)) });
const SETUP = at('2026-04-01T03:00:00Z');

async function actorOf(user: TestUser): Promise<Actor> {
  const actor = await loadActor(user.id);
  if (!actor) throw new Error(`no actor for ${user.email}`);
  return actor;
}

async function agency(name: string, level: string): Promise<{ id: string; name: string }> {
  const a = await AgencyModel.create({ name, nameFolded: name.toLowerCase(), level, fieldCodes: [], unitCodes: [], contacts: [{ email: `vt-${key().slice(0, 6)}@co-quan.test.gov.vn`, name: '', role: 'to' }], source: 'admin' });
  return { id: String(a._id), name: a.name };
}

export async function buildPetitionsFixture(): Promise<PetitionsFixture> {
  // The forwarding settings are process-wide: this fixture needs a leader's approval, as by default.
  configureForwarding(testConfig());
  await seedBaseData(SETUP.clock);
  const ref = await seedIntakeReference();
  const { commune: X, otherCommune: Y, field: F1, otherField: F2 } = ref;
  const officer = await createTestUser({ role: 'officer', name: 'Lê Thị Tổng Hợp' });
  const leader = await createTestUser({ role: 'leader', name: 'Phạm Văn Duyệt' });
  const delegate = await createTestUser({ role: 'delegate', name: 'Đại biểu Phạm Quốc Đại' });
  const admin = await createTestUser({ role: 'admin', name: 'Quản Trị Viên' });
  const [me, boss] = await Promise.all([actorOf(officer), actorOf(leader)]);
  const [dA, dB, dC] = await DelegateModel.create([
    { userId: new mongoose.Types.ObjectId(delegate.id), name: 'Phạm Quốc Đại', nameFolded: 'pham quoc dai', body: 'quoc-hoi', constituency: 'Đơn vị 1', term: 'XVI' },
    { name: 'Trần Thị Bảy', nameFolded: 'tran thi bay', body: 'quoc-hoi', constituency: 'Đơn vị 2', term: 'XVI' },
    { name: 'Hồ Văn Tám', nameFolded: 'ho van tam', body: 'hdnd-tinh', constituency: 'Đơn vị 5', term: 'IX' },
  ]);
  const [A, B] = [await agency('Bộ Giao thông vận tải (thử)', 'central'), await agency('Sở Y tế (thử)', 'province')];

  const session = async (fields: Record<string, string>) => (await createSession(me, sessionSchema.parse({ submissionKey: key(), ...fields }), SETUP)).id;
  const S1 = await session({ body: 'quoc-hoi', term: 'XVI', number: '2', opensOn: '20/05/2026', closesOn: '15/06/2026' });
  const S2 = await session({ body: 'hdnd-tinh', term: 'IX', number: '5', opensOn: '01/07/2026', closesOn: '03/07/2026' });

  const meeting = async (fields: Record<string, string | string[]>) =>
    (await createMeeting(me, meetingSchema.parse({ submissionKey: key(), level: 'quoc-hoi', timing: 'before', sessionId: S1, time: '08:00', format: 'in-person', place: 'Hội trường UBND xã', ...fields }), SETUP)).id;
  const raise = async (meetingId: string, rows: { content: string; fieldCode?: string; unitCode?: string; voterCount: number }[]) =>
    recordPetitions(me, meetingId, { submissionKey: key(), rows: rows.map((r, i) => ({ row: i + 1, fieldCode: null, unitCode: null, competence: null, ...r })) }, SETUP);

  const M0 = await meeting({ date: '20/04/2026', unitCodes: [X], delegateIds: [String(dA!._id)], voterCount: '50' });
  await raise(M0, [{ content: 'P0 Đề nghị sửa chữa trạm bơm thủy lợi', fieldCode: F2, unitCode: X, voterCount: 7 }]);
  const M1 = await meeting({ date: '05/05/2026', unitCodes: [X], delegateIds: [String(dA!._id)], voterCount: '120' });
  await raise(M1, [
    { content: 'P1 Đề nghị sửa chữa đường liên xã bị sạt lở', fieldCode: F1, unitCode: X, voterCount: 3 },
    { content: 'P2 Trạm y tế xã thiếu thuốc', fieldCode: F2, unitCode: X, voterCount: 2 },
    { content: 'P3 Hỏi về lịch cắt điện', voterCount: 1 },
  ]);
  const M2 = await meeting({ date: '08/05/2026', format: 'online', unitCodes: [X, Y], delegateIds: [String(dB!._id)], voterCount: '80' });
  await raise(M2, [
    { content: 'P4 Đường liên xã sạt lở cần sửa gấp', fieldCode: F1, unitCode: Y, voterCount: 5 },
    { content: 'P5 Trường tiểu học xuống cấp', fieldCode: F2, unitCode: Y, voterCount: 4 },
    { content: 'P7 Đề nghị giảm phí qua trạm thu phí', fieldCode: F1, unitCode: Y, voterCount: 6 },
  ]);
  const M3 = await meeting({ date: '10/05/2026', unitCodes: [Y], delegateIds: [String(dA!._id), String(dB!._id)], voterCount: '60' });
  await raise(M3, [{ content: 'P6 Sửa đường liên xã bị sạt lở', fieldCode: F1, unitCode: Y, voterCount: 2 }]);
  await meeting({ date: '12/05/2026', unitCodes: [Y], delegateIds: [String(dB!._id)], voterCount: '30' });
  const M8 = await meeting({ date: '25/06/2026', timing: 'after', unitCodes: [X], delegateIds: [String(dA!._id)], voterCount: '40' });
  await raise(M8, [{ content: 'P8 Đề nghị lắp đèn chiếu sáng đường thôn', fieldCode: F1, unitCode: X, voterCount: 9 }]);
  const M9 = await meeting({ date: '10/07/2026', level: 'hdnd-tinh', timing: 'after', sessionId: S2, unitCodes: [Y], delegateIds: [String(dC!._id)], voterCount: '25' });
  await raise(M9, [{ content: 'P9 Đề nghị nạo vét kênh mương nội đồng', fieldCode: F2, unitCode: Y, voterCount: 4 }]);

  const id = async (prefix: string) => String((await PetitionModel.findOne({ content: new RegExp(`^${prefix} `) }, { _id: 1 }).lean<Petition>())!._id);
  const C = (await mergePetitions(me, { submissionKey: key(), ids: [await id('P1'), await id('P4'), await id('P6')], wordingFrom: null, content: 'C Sửa chữa đường liên xã bị sạt lở' }, SETUP)).id;
  await classifyPetition(me, C, { content: 'C Sửa chữa đường liên xã bị sạt lở', fieldCode: F1, unitCode: null, competence: 'central', agencyId: A.id }, SETUP);
  for (const [p, unit] of [['P0', X], ['P2', X], ['P5', Y]] as const) {
    const pid = await id(p);
    const content = (await PetitionModel.findById(pid, { content: 1 }).lean<Petition>())!.content;
    await classifyPetition(me, pid, { content, fieldCode: F2, unitCode: unit, competence: 'province', agencyId: B.id }, SETUP);
  }
  await withdrawPetition(me, await id('P3'), { reason: 'Đã giải đáp tại buổi tiếp xúc' }, SETUP);
  await compileSession(me, S1, SETUP);

  const bulk = await forwardCompiledPetitions(me, S1, { submissionKey: key() }, at('2026-06-25T03:00:00Z'));
  expect(bulk, 'two forwardings waiting for approval').to.deep.include({ forwardings: 2, petitions: 4, sent: false });
  const sent = await ForwardingModel.find({ 'items.kind': 'petition' }).lean<Forwarding[]>();
  const toA = sent.find((f) => String(f.agencyId) === A.id)!;
  const toB = sent.find((f) => String(f.agencyId) === B.id)!;
  for (const f of [toA, toB]) await approveForwarding(boss, String(f._id), { note: '' }, at('2026-06-26T03:00:00Z'));

  const answer = async (f: Forwarding, refId: string, day: string) => {
    const link = await ForwardingLinkModel.findOne({ forwardingId: f._id }, { _id: 1 }).lean<{ _id: mongoose.Types.ObjectId }>();
    const upload = await storeUpload({ uploader: { kind: 'agency', id: String(f._id) }, originalName: 'tra-loi.pdf', content: Readable.from(samplePdf()) });
    await submitAnswer(
      { forwardingId: String(f._id), linkId: String(link!._id) },
      { submissionKey: key(), responderName: 'Nguyễn Văn Đáp', responderPosition: 'Chánh Văn phòng', documentNumber: `${day.slice(8)}/TL`, documentDate: day, outcome: 'resolved', expectedDate: null, competentAgency: null, text: 'Cơ quan đã xem xét và trả lời kiến nghị.', matters: [f.items.findIndex((i) => i.refId === refId) + 1] },
      [upload.id],
      { at: new Date(`${day}T10:00:00+07:00`), ip: '127.0.0.1', userAgent: 'test' },
    );
  };
  const P2 = await id('P2');
  await answer(toA, C, '2026-07-06');
  await evaluateForwarding(me, String(toA._id), { verdicts: [{ refId: C, verdict: 'satisfied', reason: null }], nextStep: null }, at('2026-07-07T03:00:00Z'));
  await answer(toB, P2, '2026-07-08');
  await evaluateForwarding(me, String(toB._id), { verdicts: [{ refId: P2, verdict: 'unsatisfied', reason: 'Chưa nêu thời gian bổ sung thuốc' }], nextStep: 'chase' }, at('2026-07-09T03:00:00Z'));

  // The states the figures rest on, checked once here so a changed service shows up as a fixture error.
  const states = Object.fromEntries((await PetitionModel.find({}, { content: 1, status: 1, verdict: 1 }).lean<Petition[]>()).map((p): [string, string] => [p.content.split(' ')[0] ?? '', `${p.status}${p.verdict ? `/${p.verdict}` : ''}`]));
  expect(states).to.deep.equal({
    P0: 'forwarded',
    P1: 'merged',
    P2: 'evaluated/unsatisfied',
    P3: 'withdrawn',
    P4: 'merged',
    P5: 'forwarded',
    P6: 'merged',
    P7: 'recorded',
    P8: 'recorded',
    P9: 'recorded',
    C: 'evaluated/satisfied',
  });
  return { ref, officer, leader, delegate, admin, agencies: { A, B }, sessions: { S1, S2 } };
}
