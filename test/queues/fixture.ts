// A hand-built office in which every work queue and every agency figure has a known value, made
// through the real services, each step at its own fixed time: cases opened by an officer, forwardings
// drafted by officers and approved by the leader, receipt, extension requests and answers (with a
// generated PDF) by the agencies through their link, the office's evaluations and chasing.
//
// "Now" is Thursday 22/04/2027, 10:00 in Vietnam. The agency-answer rule is 15 working days, so a
// forwarding sent on Monday 01/03/2027 is due on Monday 22/03 (23:59:59.999), one sent on Wednesday
// 03/03 on Wednesday 24/03. Days are counted from the sending instant.
//
//  forwarding agency case  drafted by   sent    what the agency did               office             state at now
//  F1         A      K1    officer      01/03   answered +5 d (on time)           unsatisfied, chase evaluated, overdue, chased
//  F1b        A      K1b   officer      01/03   answered +2 d (on time)           —                  answered
//  F2         A      K2    officer      01/03   answered +30 d (late)             satisfied          closed
//  F3         A      K3    officer      01/03   nothing                           chased once        sent, overdue 31 d, chased
//  F4         B      K4    officer      01/03   answered +10 d (on time)          —                  answered
//  F5         B      K5    officer      03/03   confirmed, asked 10 more days     —                  acknowledged, overdue 29 d
//  F6         C      K6    officer      T−14wd  nothing                           —                  sent, due in 1 working day
//  F7         C      K7    officer2     19/04   nothing                           —                  sent, not yet due
//  F8         C      K8    officer      —       —                                 not approved       awaiting approval
//
//  K9: received 01/03, handling due 15/03 → overdue 38 days. K10 (assigned to officer2): received so
//  that its handling deadline is one working day after today → due soon. K2 is closed (its only
//  forwarding closed satisfied). K3 is in another field, K5 in another commune. The delegate follows K3
//  and K4 only.
//
// Agency figures for 2027: A 4 forwarded, 2 on time, 1 late, 1 overdue, durations 2, 5, 30 days (mean
// 12.3, median 5.0), 2 matters evaluated of which 1 unsatisfactory (50.0 %); B 2 forwarded, 1 on time,
// 1 overdue, 10 days (10.0 / 10.0), nothing evaluated; C 2 forwarded, both not yet due. All together:
// 8 forwarded, 3 on time, 1 late, 2 overdue, 2 not yet due, mean 11.8 (47/4 = 11.75), median 7.5,
// 50.0 % unsatisfactory. In March 2027 only: A and B (6 forwarded).
import crypto from 'node:crypto';
import { Readable } from 'node:stream';
import { expect } from 'chai';
import type { Actor } from '../../server/access/index.js';
import { AgencyModel } from '../../server/agencies/index.js';
import { storeUpload } from '../../server/attachments/index.js';
import { addWorkingDays, loadWorkingCalendar, vietnamDateOf } from '../../server/calendar/index.js';
import { CaseModel, openCase, type Case } from '../../server/cases/index.js';
import {
  approveForwarding,
  chaseForwarding,
  configureForwarding,
  confirmReceipt,
  draftForwardings,
  evaluateForwarding,
  ForwardingLinkModel,
  ForwardingModel,
  requestExtension,
  submitAnswer,
  type Forwarding,
} from '../../server/forwarding/index.js';
import { fixedClock } from '../../server/platform/clock.js';
import { inTransaction } from '../../server/platform/db/transaction.js';
import { officialLetterLayout, renderPdf } from '../../server/platform/pdf/index.js';
import { foldVietnamese } from '../../server/platform/text.js';
import { listActiveCommunes, listActiveFields } from '../../server/reference/index.js';
import { seedBaseData } from '../../server/seed.js';
import { loadActor } from '../../server/users/index.js';
import { testConfig } from '../support/app.js';
import { createTestUser, type TestUser } from '../support/factories.js';

export const DAY = 86_400_000;
/** Thursday 22/04/2027, 10:00 in Vietnam. */
export const NOW = new Date('2027-04-22T03:00:00Z');
/** Monday 01/03/2027 and Wednesday 03/03/2027, 10:00 in Vietnam. */
const MARCH_1 = new Date('2027-03-01T03:00:00Z');
const MARCH_3 = new Date('2027-03-03T03:00:00Z');

export interface QueueFixture {
  officer: TestUser;
  officer2: TestUser;
  leader: TestUser;
  delegate: TestUser;
  admin: TestUser;
  agencies: { A: string; B: string; C: string };
  names: { A: string; B: string; C: string };
  forwardings: Record<'F1' | 'F1b' | 'F2' | 'F3' | 'F4' | 'F5' | 'F6' | 'F7' | 'F8', string>;
  cases: Record<'K1' | 'K1b' | 'K2' | 'K3' | 'K4' | 'K5' | 'K6' | 'K7' | 'K8' | 'K9' | 'K10', string>;
  ref: { field: string; otherField: string; commune: string; otherCommune: string };
}

async function actorOf(user: TestUser): Promise<Actor> {
  const actor = await loadActor(user.id);
  if (!actor) throw new Error(`no actor for ${user.email}`);
  return actor;
}

/** Vietnam 10:00 on a 'YYYY-MM-DD' day. */
function tenOClock(day: string): Date {
  return new Date(`${day}T10:00:00+07:00`);
}

async function makeAgency(name: string): Promise<string> {
  const agency = await AgencyModel.create({ name, nameFolded: foldVietnamese(name), level: 'province', contacts: [{ email: `vanthu-${crypto.randomBytes(3).toString('hex')}@co-quan.test.gov.vn`, name: 'Văn thư', role: 'to' }], source: 'admin' });
  return String(agency._id);
}

export async function buildQueueFixture(): Promise<QueueFixture> {
  // The settings are process-wide and an earlier test file may have built an app that sends without
  // approval; this fixture needs the default (a leader approves), so it says so itself.
  configureForwarding(testConfig());
  await seedBaseData(fixedClock(MARCH_1));
  const [communes, fields] = await Promise.all([listActiveCommunes(), listActiveFields()]);
  const ref = { field: fields[0]!.code, otherField: fields[1]!.code, commune: communes[0]!.code, otherCommune: communes[1]!.code };
  const officer = await createTestUser({ role: 'officer', name: 'Lê Văn Chuyên' });
  const officer2 = await createTestUser({ role: 'officer', name: 'Trần Thị Hai' });
  const leader = await createTestUser({ role: 'leader', name: 'Phạm Văn Duyệt' });
  const delegate = await createTestUser({ role: 'delegate', name: 'Đại biểu Ngô Văn Theo' });
  const admin = await createTestUser({ role: 'admin', name: 'Quản Trị Viên' });
  const [officerActor, officer2Actor, leaderActor] = await Promise.all([actorOf(officer), actorOf(officer2), actorOf(leader)]);
  const names = { A: 'Sở Tài nguyên và Môi trường (thử)', B: 'UBND xã Thử Nghiệm', C: 'Sở Xây dựng (thử)' };
  const agencies = { A: await makeAgency(names.A), B: await makeAgency(names.B), C: await makeAgency(names.C) };

  const cal = await loadWorkingCalendar(2027, 2028);
  const today = vietnamDateOf(NOW);

  let seq = 0;
  const open = async (receivedAt: Date, extra: { fieldCode?: string; unitCode?: string; assignedTo?: string; followers?: string[] } = {}): Promise<string> => {
    seq += 1;
    const kase = await inTransaction((session) =>
      openCase(
        officerActor,
        {
          type: 'complaint',
          fieldCode: extra.fieldCode ?? ref.field,
          unitCode: extra.unitCode ?? ref.commune,
          summary: `Khiếu nại số ${seq} về việc thu hồi đất nông nghiệp tại thôn ${seq}`,
          receivedAt,
          parties: [],
          assignedTo: extra.assignedTo ?? null,
          followers: extra.followers ?? [],
          source: 'visit',
          submissionKey: null,
        },
        { clock: fixedClock(receivedAt) },
        session,
      ),
    );
    return String(kase._id);
  };

  const draft = async (by: Actor, caseId: string, agencyId: string, at: Date): Promise<string> => {
    const result = await draftForwardings(
      by,
      {
        items: [{ kind: 'case', id: caseId }],
        agencyIds: [agencyId],
        grouping: 'per-matter',
        request: 'Đề nghị quý cơ quan xem xét, giải quyết theo thẩm quyền.',
        internalNote: '',
        sharedAttachmentIds: [],
        ruleKey: 'agency-answer',
        submissionKey: crypto.randomBytes(16).toString('hex'),
      },
      { clock: fixedClock(at) },
    );
    expect(result.sent, 'forwardings wait for approval in these tests').to.equal(false);
    return result.ids[0]!;
  };
  const send = async (by: Actor, caseId: string, agencyId: string, at: Date): Promise<string> => {
    const id = await draft(by, caseId, agencyId, at);
    await approveForwarding(leaderActor, id, { note: '' }, { clock: fixedClock(at) });
    return id;
  };

  const access = async (id: string) => ({ forwardingId: id, linkId: String((await ForwardingLinkModel.findOne({ forwardingId: id }).lean())!._id) });
  const meta = (at: Date) => ({ at, ip: '203.0.113.7', userAgent: 'test' });
  const answer = async (id: string, at: Date): Promise<void> => {
    const upload = await storeUpload({
      uploader: { kind: 'agency', id },
      originalName: 'tra-loi.pdf',
      content: Readable.from(
        await renderPdf(
          officialLetterLayout({ issuer: 'Cơ quan thử', number: '12/CV', place: 'Quảng Trị', date: at, subject: 'Trả lời đơn', recipients: ['Văn phòng'], body: ['Đã giải quyết.'], signature: { position: 'Giám đốc', name: 'Nguyễn Văn Ký' } }),
        ),
      ),
      clock: fixedClock(at),
    });
    await submitAnswer(
      await access(id),
      {
        submissionKey: crypto.randomBytes(16).toString('hex'),
        responderName: 'Nguyễn Văn Ký',
        responderPosition: 'Giám đốc',
        documentNumber: `${seq}/CV`,
        documentDate: vietnamDateOf(at),
        outcome: 'resolved',
        expectedDate: null,
        competentAgency: null,
        text: 'Cơ quan đã xem xét và giải quyết nội dung đơn.',
        matters: [],
      },
      [String(upload.id)],
      meta(at),
    );
  };

  const K1 = await open(new Date(MARCH_1.getTime() - 3 * DAY));
  const K1b = await open(new Date(MARCH_1.getTime() - 3 * DAY));
  const K2 = await open(new Date(MARCH_1.getTime() - 3 * DAY));
  const K3 = await open(new Date(MARCH_1.getTime() - 3 * DAY), { fieldCode: ref.otherField, followers: [delegate.id] });
  const K4 = await open(new Date(MARCH_1.getTime() - 3 * DAY), { followers: [delegate.id] });
  const K5 = await open(new Date(MARCH_1.getTime() - 3 * DAY), { unitCode: ref.otherCommune });

  const F1 = await send(officerActor, K1, agencies.A, MARCH_1);
  const F1b = await send(officerActor, K1b, agencies.A, MARCH_1);
  const F2 = await send(officerActor, K2, agencies.A, MARCH_1);
  const F3 = await send(officerActor, K3, agencies.A, MARCH_1);
  const F4 = await send(officerActor, K4, agencies.B, MARCH_1);
  const F5 = await send(officerActor, K5, agencies.B, MARCH_3);

  await answer(F1b, new Date(MARCH_1.getTime() + 2 * DAY));
  await answer(F1, new Date(MARCH_1.getTime() + 5 * DAY));
  await answer(F4, new Date(MARCH_1.getTime() + 10 * DAY));
  await answer(F2, new Date(MARCH_1.getTime() + 30 * DAY));
  await evaluateForwarding(officerActor, F1, { verdicts: [{ refId: K1, verdict: 'unsatisfied', reason: 'Chưa nêu thời hạn khắc phục.' }], nextStep: 'chase' }, { clock: fixedClock(new Date(MARCH_1.getTime() + 6 * DAY)) });
  await evaluateForwarding(officerActor, F2, { verdicts: [{ refId: K2, verdict: 'satisfied', reason: null }], nextStep: null }, { clock: fixedClock(new Date(MARCH_1.getTime() + 31 * DAY)) });
  await chaseForwarding(officerActor, F3, { message: 'Đề nghị khẩn trương trả lời.' }, { clock: fixedClock(new Date(MARCH_1.getTime() + 25 * DAY)) });
  await confirmReceipt(await access(F5), { confirmerName: 'Văn thư xã' }, meta(new Date(MARCH_3.getTime() + DAY)));
  await requestExtension(await access(F5), { days: 10, reason: 'Cần thêm thời gian xác minh thực địa.', requesterName: 'Chủ tịch UBND xã' }, meta(new Date(MARCH_3.getTime() + 15 * DAY)));

  // F6 is sent 14 working days before today, so its 15th working day is the next working day.
  const f6Day = addWorkingDays(today, -14, cal);
  const K6 = await open(new Date(tenOClock(f6Day).getTime() - DAY));
  const F6 = await send(officerActor, K6, agencies.C, tenOClock(f6Day));
  const K7 = await open(tenOClock('2027-04-16'));
  const F7 = await send(officer2Actor, K7, agencies.C, tenOClock('2027-04-19'));
  const K8 = await open(new Date(NOW.getTime() - DAY));
  const F8 = await draft(officerActor, K8, agencies.C, new Date(NOW.getTime() - 3_600_000));

  const K9 = await open(MARCH_1);
  // Received 9 working days before today: its 10th working day (the handling deadline) is tomorrow's.
  const K10 = await open(tenOClock(addWorkingDays(today, -9, cal)), { assignedTo: officer2.id });

  const fixture: QueueFixture = {
    officer,
    officer2,
    leader,
    delegate,
    admin,
    agencies,
    names,
    forwardings: { F1, F1b, F2, F3, F4, F5, F6, F7, F8 },
    cases: { K1, K1b, K2, K3, K4, K5, K6, K7, K8, K9, K10 },
    ref,
  };
  await checkFixture(fixture, today, cal);
  return fixture;
}

/** The fixture is what the table above says (so a failing queue test points at the queue, not at the data). */
async function checkFixture(fx: QueueFixture, today: string, cal: Awaited<ReturnType<typeof loadWorkingCalendar>>): Promise<void> {
  const docs = await ForwardingModel.find({}, { status: 1, deadline: 1, chaseCount: 1 }).lean<Forwarding[]>();
  const byId = new Map(docs.map((d) => [String(d._id), d]));
  const f = (key: keyof QueueFixture['forwardings']) => byId.get(fx.forwardings[key])!;
  expect([f('F1').status, f('F1b').status, f('F2').status, f('F3').status, f('F4').status, f('F5').status, f('F6').status, f('F7').status, f('F8').status]).to.deep.equal([
    'evaluated', 'answered', 'closed', 'sent', 'answered', 'acknowledged', 'sent', 'sent', 'awaiting-approval',
  ]);
  expect(f('F3').deadline!.dueDate).to.equal('2027-03-22');
  expect(f('F5').deadline!.dueDate).to.equal('2027-03-24');
  expect(f('F6').deadline!.dueDate).to.equal(addWorkingDays(today, 1, cal));
  expect([f('F1').chaseCount, f('F3').chaseCount]).to.deep.equal([1, 1]);
  const cases = await CaseModel.find({}, { status: 1, 'handlingDeadline.dueDate': 1 }).lean<Pick<Case, '_id' | 'status' | 'handlingDeadline'>[]>();
  const k = (key: keyof QueueFixture['cases']) => cases.find((c) => String(c._id) === fx.cases[key])!;
  expect(k('K2').status).to.equal('closed');
  expect(k('K9').handlingDeadline?.dueDate).to.equal('2027-03-15');
  expect(k('K10').handlingDeadline?.dueDate).to.equal(addWorkingDays(today, 1, cal));
}
