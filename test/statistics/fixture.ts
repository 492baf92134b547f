// A hand-built month of intake, entered through the real forms, in which every figure differs:
// 5 visits (17 person-visits, 16 distinct people, 1 group visit of 12) about 3 cases — one case was
// entered twice and merged —, 4 letters (one mixed letter split into two cases), 7 new cases, and one
// visit and one letter in February that March must not count. Worked out by hand:
//
//  visit  date   who (named)                       people  case       notes
//  V1     02/03  An                                1       K1 compl.  field F1, commune C1
//  V2     05/03  An + Bích                         2       K1         repeat visit, same case
//  V3     06/03  Cường + Dũng (representative)     12      K2 petit.  group visit, hosted by a delegate, F2, C2
//  V4     09/03  Em                                1       K3 denunc. confidential
//  V5     10/03  Phúc                              1       K4 feedb.  K4 then merged into K1 → counts under K1
//  V0     16/02  Giàu                              1       K0         outside March
//  people: 6 named (An, Bích, Cường, Dũng, Em, Phúc) + 10 unnamed in the group = 16
//
//  letter date   sender      type          case(s)   assessment
//  L1     03/03  Bình        complaint     K5        eligible, forward
//  L2     04/03  Giang       mixed         K6 + K7   split in two; not assessed; the other commune
//  L3     11/03  anonymous   denunciation  K8        not eligible, file
//  L4     12/03  An          complaint     K1        eligible, return with guidance
//  L0     20/02  Hạnh        petition      K9        outside March
import crypto from 'node:crypto';
import { expect } from 'chai';
import type { Express } from 'express';
import mongoose from 'mongoose';
import { createTestUser, type TestUser } from '../support/factories.js';
import { signIn, submitForm, type Agent } from '../support/http.js';
import { postWalkIn, seedIntakeReference, walkInFields } from '../support/intake.js';
import { letterFields, postLetter, idFrom } from '../letters/support.js';

export const FIXTURE_NOW = '2026-03-20T03:00:00.000Z';

export interface Fixture {
  ref: Awaited<ReturnType<typeof seedIntakeReference>>;
  officer: TestUser;
  delegate: TestUser;
  agent: Agent;
  cases: Record<'K1' | 'K2' | 'K3' | 'K4', string>;
}

async function walkIn(agent: Agent, fields: Record<string, string>): Promise<string> {
  const res = await postWalkIn(agent, walkInFields(fields));
  expect(res.status, res.text.slice(0, 400)).to.equal(303);
  return idFrom(res.headers.location);
}

async function letter(agent: Agent, fields: Record<string, string>): Promise<string> {
  const res = await postLetter(agent, letterFields(fields));
  expect(res.status, res.text.slice(0, 400)).to.equal(303);
  return idFrom(res.headers.location);
}

async function assess(agent: Agent, letterId: string, fields: Record<string, string>): Promise<void> {
  const url = `/letters/${letterId}`;
  const res = await submitForm(agent, url, `${url}/assessment`, fields);
  expect(res.status, res.text.slice(0, 400)).to.equal(303);
}

export async function buildFixture(app: Express): Promise<Fixture> {
  const ref = await seedIntakeReference();
  const officer = await createTestUser({ role: 'officer', name: 'Lê Thị Tiếp' });
  const delegate = await createTestUser({ role: 'delegate', name: 'Đại biểu Ngô Văn Hùng' });
  const agent = await signIn(app, officer);
  const place = { unitCode: ref.commune, fieldCode: ref.field };

  const K1 = await walkIn(agent, { ...place, date: '02/03/2026', name: 'Nguyễn Văn An', citizenId: '045090012345', caseChoice: 'new', type: 'complaint' });
  await walkIn(agent, { ...place, date: '05/03/2026', name: 'Nguyễn Văn An', citizenId: '045090012345', caseChoice: K1, type: 'complaint', extra1Name: 'Trần Thị Bích', peopleCount: '2' });
  const K2 = await walkIn(agent, {
    unitCode: ref.otherCommune,
    fieldCode: ref.otherField,
    date: '06/03/2026',
    host: delegate.id,
    kind: 'scheduled',
    name: 'Lê Văn Cường',
    citizenId: '045088022222',
    extra1Name: 'Phạm Văn Dũng',
    extra1Role: 'representative',
    peopleCount: '12',
    caseChoice: 'new',
    type: 'petition',
    content: 'Kiến nghị về việc bồi thường giải phóng mặt bằng dự án đường ven biển',
  });
  const K3 = await walkIn(agent, { ...place, date: '09/03/2026', name: 'Hoàng Thị Em', citizenId: '045185033333', caseChoice: 'new', type: 'denunciation', content: 'Tố cáo cán bộ địa chính xã nhận tiền' });
  const K4 = await walkIn(agent, { ...place, date: '10/03/2026', name: 'Võ Văn Phúc', citizenId: '', caseChoice: 'new', type: 'feedback', content: 'Phản ánh việc thu hồi đất không đúng diện tích' });
  await walkIn(agent, { ...place, date: '16/02/2026', name: 'Đặng Văn Giàu', citizenId: '045070044444', caseChoice: 'new', type: 'complaint', content: 'Khiếu nại tháng hai' });

  // K4 is the same matter as K1, entered twice: merged, its visit now belongs to K1.
  const k1 = await mongoose.connection.collection('cases').findOne({ _id: new mongoose.Types.ObjectId(K1) });
  const merge = await submitForm(agent, `/cases/${K4}/merge`, `/cases/${K4}/merge`, { intoNumber: String(k1?.number), reason: 'Cùng nội dung với vụ việc đã có' });
  expect(merge.status, merge.text.slice(0, 400)).to.equal(303);

  const L1 = await letter(agent, { ...place, date: '03/03/2026', caseChoice: 'new' });
  await assess(agent, L1, { eligible: 'yes', handling: 'forward' });
  const L2 = await letter(agent, { ...place, unitCode: ref.otherCommune, date: '04/03/2026', name: 'Đỗ Thị Giang', citizenId: '045190055555', type: 'mixed', mainType: 'complaint', caseChoice: 'new', summary: 'Khiếu nại và kiến nghị về đất đai' });
  const split = await submitForm(agent, `/letters/${L2}/split`, `/letters/${L2}/split`, {
    part1Type: 'complaint',
    part1Summary: 'Khiếu nại quyết định thu hồi đất',
    part2Type: 'petition',
    part2Summary: 'Kiến nghị làm đường vào khu tái định cư',
  });
  expect(split.status, split.text.slice(0, 400)).to.equal(303);
  const L3 = await letter(agent, { ...place, date: '11/03/2026', anonymous: '1', name: '', citizenId: '', phone: '', street: '', type: 'denunciation', caseChoice: 'new', summary: 'Tố cáo nặc danh về việc san lấp đất nông nghiệp' });
  await assess(agent, L3, { eligible: 'no', reasons: 'anonymous-no-evidence', handling: 'file' });
  const L4 = await letter(agent, { ...place, date: '12/03/2026', name: 'Nguyễn Văn An', citizenId: '045090012345', caseChoice: K1, summary: 'Đơn bổ sung về việc thu hồi đất' });
  await assess(agent, L4, { eligible: 'yes', handling: 'return-with-guidance' });
  await letter(agent, { date: '20/02/2026', name: 'Mai Thị Hạnh', citizenId: '045192066666', type: 'petition', caseChoice: 'new', summary: 'Kiến nghị tháng hai' });

  return { ref, officer, delegate, agent, cases: { K1, K2, K3, K4 } };
}

export const randomKey = () => crypto.randomBytes(16).toString('hex');
