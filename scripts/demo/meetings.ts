// Demo voter meetings: delegates of both bodies (the demo delegate account among them), a past and an
// upcoming National Assembly session and a People's Council session, some thirty meetings before and
// after them, a few hundred petitions in voters' varied wordings, the obvious duplicates merged, the
// past session's petitions classified and compiled — all through the module's own services.
import crypto from 'node:crypto';
import mongoose from 'mongoose';
import type { Actor } from '../../server/access/index.js';
import { listActiveAgencies, type AgencySummary } from '../../server/agencies/index.js';
import {
  AssemblySessionModel,
  classifyPetition,
  compileSession,
  createMeeting,
  createSession,
  meetingSchema,
  mergePetitions,
  PetitionModel,
  recordPetitions,
  sessionSchema,
  type Petition,
} from '../../server/meetings/index.js';
import { mergeSuggestionsOf } from '../../server/meetings/petitions.queries.js';
import type { Clock } from '../../server/platform/clock.js';
import { foldVietnamese } from '../../server/platform/text.js';
import { DelegateModel, listActiveCommunes, listActiveFields } from '../../server/reference/index.js';
import type { SeededRandom } from './random.js';
import { vietnameseName } from './vietnamese.js';

const DAY = 86_400_000;
const key = () => crypto.randomBytes(16).toString('hex');

/** Subjects voters raise, each in several wordings, with the field they belong to. */
export const SUBJECTS: { field: string; competence: 'central' | 'province' | 'commune'; wordings: string[] }[] = [
  { field: 'giao-thong', competence: 'province', wordings: ['Đề nghị sửa chữa tuyến đường liên xã bị sạt lở sau mưa lũ', 'Cử tri đề nghị sớm sửa chữa đường liên xã sạt lở nghiêm trọng', 'Kiến nghị sửa chữa tuyến đường liên xã bị sạt lở, đi lại nguy hiểm'] },
  { field: 'giao-thong', competence: 'central', wordings: ['Đề nghị Bộ Giao thông vận tải sớm nâng cấp quốc lộ 9 đoạn qua địa bàn tỉnh', 'Cử tri kiến nghị nâng cấp quốc lộ 9 đoạn qua tỉnh đã xuống cấp'] },
  { field: 'y-te', competence: 'province', wordings: ['Trạm y tế xã thiếu thuốc, người dân phải mua ngoài', 'Phản ánh trạm y tế xã thiếu thuốc điều trị, người dân phải mua thuốc bên ngoài'] },
  { field: 'y-te', competence: 'central', wordings: ['Đề nghị điều chỉnh mức đóng bảo hiểm y tế hộ gia đình phù hợp thu nhập người dân', 'Kiến nghị giảm mức đóng bảo hiểm y tế theo hộ gia đình cho người có thu nhập thấp'] },
  { field: 'giao-duc', competence: 'province', wordings: ['Đề nghị đầu tư xây dựng phòng học kiên cố cho điểm trường thôn', 'Cử tri đề nghị xây dựng phòng học kiên cố thay phòng học tạm tại điểm trường'] },
  { field: 'dat-dai', competence: 'commune', wordings: ['Đề nghị đẩy nhanh cấp giấy chứng nhận quyền sử dụng đất cho các hộ đã sử dụng ổn định', 'Việc cấp giấy chứng nhận quyền sử dụng đất còn chậm, đề nghị đẩy nhanh tiến độ'] },
  { field: 'nong-nghiep', competence: 'province', wordings: ['Đề nghị hỗ trợ giống cây trồng cho nông dân bị thiệt hại do lũ', 'Kiến nghị hỗ trợ giống cây trồng, vật nuôi cho hộ bị thiệt hại sau lũ'] },
  { field: 'chinh-sach-nguoi-co-cong', competence: 'central', wordings: ['Đề nghị xem xét chế độ cho người tham gia kháng chiến chưa được hưởng', 'Kiến nghị giải quyết chế độ cho người tham gia kháng chiến còn tồn đọng'] },
  { field: 'tai-nguyen-moi-truong', competence: 'province', wordings: ['Phản ánh khai thác cát trái phép gây sạt lở bờ sông', 'Đề nghị xử lý nghiêm tình trạng khai thác cát trái phép làm sạt lở bờ sông'] },
  { field: 'lao-dong-viec-lam-bhxh', competence: 'central', wordings: ['Đề nghị sửa đổi quy định rút bảo hiểm xã hội một lần', 'Kiến nghị xem xét lại quy định hưởng bảo hiểm xã hội một lần của người lao động'] },
];

export function vietnamDate(at: Date): { date: string; time: string } {
  const local = new Date(at.getTime() + 7 * 3_600_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return { date: `${pad(local.getUTCDate())}/${pad(local.getUTCMonth() + 1)}/${local.getUTCFullYear()}`, time: `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}` };
}

/** The delegates of both bodies (created once, the demo delegate account among them), by body. */
export async function ensureDelegates(delegateUserId: string | null, rng: SeededRandom): Promise<{ quocHoi: string[]; hdnd: string[] }> {
  if ((await DelegateModel.countDocuments()) === 0) {
    const make = (body: 'quoc-hoi' | 'hdnd-tinh', n: number, term: string, units: number) =>
      Array.from({ length: n }, (_, i) => {
        const name = vietnameseName(rng).name;
        return { name, nameFolded: foldVietnamese(name), body, constituency: `Đơn vị bầu cử số ${(i % units) + 1}`, term };
      });
    const quocHoi = make('quoc-hoi', 6, 'Khóa XVI (2026–2031)', 3);
    // The demo delegate account is the first National Assembly delegate.
    if (delegateUserId) Object.assign(quocHoi[0]!, { name: 'Phạm Quốc Đạt', nameFolded: 'pham quoc dat', userId: new mongoose.Types.ObjectId(delegateUserId) });
    await DelegateModel.create([...quocHoi, ...make('hdnd-tinh', 8, 'Khóa IX (2026–2031)', 4)]);
  }
  const all = await DelegateModel.find({ active: true }, { body: 1, constituency: 1 }).sort({ constituency: 1, _id: 1 }).lean<{ _id: mongoose.Types.ObjectId; body: string }[]>();
  return { quocHoi: all.filter((d) => d.body === 'quoc-hoi').map((d) => String(d._id)), hdnd: all.filter((d) => d.body === 'hdnd-tinh').map((d) => String(d._id)) };
}

/** A session to hold meetings around: its dates, its delegates and how many meetings before and after. */
export interface SessionPlan {
  body: 'quoc-hoi' | 'hdnd-tinh';
  term: string;
  number: string;
  opens: Date;
  closes: Date;
  delegates: string[];
  before: number;
  after: number;
}

export interface MeetingEnv {
  rng: SeededRandom;
  /** Meetings after this instant are planned but not yet held (no petitions). */
  now: Date;
  communes: string[];
  fieldCodes: Set<string>;
}

/** `hour`:00 in Vietnam on the day `days` after the Vietnam day of `base`. */
function dayAt(base: Date, days: number, hour: number): Date {
  return new Date((Math.floor(base.getTime() / DAY) + days) * DAY + (hour - 7) * 3_600_000);
}

/**
 * Creates the session, its meetings (online ones with several connected communes), the petitions
 * voters raised at the meetings already held, and merges what the suggestions find (the office would
 * look at each group first).
 */
export async function holdSession(officer: Actor, s: SessionPlan, env: MeetingEnv): Promise<{ sessionId: string; meetings: number; petitions: number; merged: number }> {
  const { rng, now } = env;
  const ctx = { clock: { now: () => now } };
  const { id: sessionId } = await createSession(
    officer,
    sessionSchema.parse({ submissionKey: key(), body: s.body, term: s.term, number: s.number, opensOn: vietnamDate(s.opens).date, closesOn: vietnamDate(s.closes).date }),
    { clock: { now: () => new Date(Math.min(now.getTime(), s.opens.getTime() - 60 * DAY)) } },
  );
  let meetings = 0;
  let petitions = 0;
  let merged = 0;
  const plan = [...Array.from({ length: s.before }, () => 'before' as const), ...Array.from({ length: s.after }, () => 'after' as const)];
  for (const [i, timing] of plan.entries()) {
    const startsAt = timing === 'before' ? dayAt(s.opens, -25 + i * 2, rng.pick([8, 14])) : dayAt(s.closes, 3 + (i - s.before) * 2, rng.pick([8, 14]));
    const online = rng.chance(0.3);
    const sites = online ? Array.from({ length: rng.int(4, 12) }, () => rng.pick(env.communes)) : [rng.pick(env.communes)];
    const attending = [...new Set([rng.pick(s.delegates), rng.pick(s.delegates)])];
    const { date, time } = vietnamDate(startsAt);
    const held = startsAt.getTime() < now.getTime();
    const noticeAt = new Date(startsAt.getTime() - rng.int(9, 14) * DAY);
    const { id: meetingId } = await createMeeting(
      officer,
      meetingSchema.parse({
        submissionKey: key(),
        level: s.body,
        timing,
        sessionId,
        date,
        time,
        format: online ? 'online' : 'in-person',
        place: online ? 'Hội trường UBND tỉnh (điểm cầu chính)' : `Nhà văn hóa thôn ${rng.int(1, 9)}`,
        unitCodes: [...new Set(sites)],
        delegateIds: attending,
        coOrganiser: 'Ủy ban MTTQ Việt Nam',
        voterCount: held ? String(rng.int(60, 400)) : '',
        pressNoticeOn: noticeAt.getTime() < now.getTime() && rng.chance(0.85) ? vietnamDate(noticeAt).date : '',
      }),
      { clock: { now: () => new Date(Math.min(now.getTime(), startsAt.getTime() - 14 * DAY)) } },
    );
    meetings++;
    if (!held) continue;
    const count = rng.int(5, 14);
    const rows = Array.from({ length: count }, (_, r) => {
      const subject = rng.pick(SUBJECTS);
      return {
        row: r + 1,
        content: rng.pick(subject.wordings),
        fieldCode: env.fieldCodes.has(subject.field) ? subject.field : null,
        unitCode: rng.pick(sites),
        voterCount: rng.int(1, 6),
        competence: rng.chance(0.5) ? subject.competence : null,
      };
    });
    const unique = rows.filter((r, i) => rows.findIndex((o) => o.content === r.content) === i).map((r, i) => ({ ...r, row: i + 1 }));
    petitions += (await recordPetitions(officer, meetingId, { submissionKey: key(), rows: unique }, { clock: { now: () => new Date(Math.min(now.getTime(), startsAt.getTime() + 4 * 3_600_000)) } })).count;
  }
  for (const group of await mergeSuggestionsOf(officer, sessionId)) {
    await mergePetitions(officer, { submissionKey: key(), ids: group.ids, wordingFrom: null, content: null }, ctx);
    merged += group.ids.length;
  }
  return { sessionId, meetings, petitions, merged };
}

/** Every petition of the session still only recorded is classified to an agency of its level; then the session is compiled. */
export async function classifyAndCompile(officer: Actor, sessionId: string, agencies: AgencySummary[], clock: Clock): Promise<void> {
  const ctx = { clock };
  const live = await PetitionModel.find({ sessionId: new mongoose.Types.ObjectId(sessionId), status: 'recorded' }, { content: 1, fieldCode: 1, unitCode: 1, competence: 1, kind: 1 }).lean<Petition[]>();
  const byLevel = (level: string) => agencies.filter((a) => a.level === level);
  for (const p of live) {
    const subject = SUBJECTS.find((s) => s.wordings.includes(p.content));
    const competence = p.competence ?? subject?.competence ?? 'province';
    const candidates = byLevel(competence === 'central' ? 'central' : competence === 'commune' ? 'commune' : 'province');
    const agency = candidates.find((a) => p.fieldCode && a.fieldCodes.includes(p.fieldCode)) ?? candidates[0] ?? agencies[0];
    if (!agency) break;
    await classifyPetition(officer, String(p._id), { content: p.content, fieldCode: p.fieldCode ?? null, unitCode: p.kind === 'original' ? (p.unitCode ?? null) : null, competence, agencyId: agency.id }, ctx);
  }
  await compileSession(officer, sessionId, ctx);
}

export async function seedDemoMeetings(options: { officer: Actor; delegateUserId: string | null; rng: SeededRandom; clock: Clock }): Promise<{ sessions: number; meetings: number; petitions: number; merged: number }> {
  const { officer, rng, clock } = options;
  if ((await AssemblySessionModel.estimatedDocumentCount()) > 0) return { sessions: 0, meetings: 0, petitions: 0, merged: 0 };
  const [communes, fields, delegates, agencies] = await Promise.all([listActiveCommunes(), listActiveFields(), ensureDelegates(options.delegateUserId, rng), listActiveAgencies()]);
  const now = clock.now();
  const at = (days: number, hour = 8) => dayAt(now, days, hour);
  const env: MeetingEnv = { rng, now, communes: communes.map((c) => c.code), fieldCodes: new Set(fields.map((f) => f.code)) };

  const sessions: SessionPlan[] = [
    { body: 'quoc-hoi', term: 'XV', number: '10', opens: at(-200), closes: at(-160), delegates: delegates.quocHoi, before: 8, after: 6 },
    { body: 'quoc-hoi', term: 'XVI', number: '2', opens: at(45), closes: at(80), delegates: delegates.quocHoi, before: 6, after: 0 },
    { body: 'hdnd-tinh', term: 'IX', number: '3', opens: at(30), closes: at(33), delegates: delegates.hdnd, before: 10, after: 0 },
  ];
  const totals = { sessions: sessions.length, meetings: 0, petitions: 0, merged: 0 };
  const sessionIds: string[] = [];
  for (const s of sessions) {
    if (s.delegates.length === 0) continue;
    const held = await holdSession(officer, s, env);
    sessionIds.push(held.sessionId);
    totals.meetings += held.meetings;
    totals.petitions += held.petitions;
    totals.merged += held.merged;
  }
  // The past session: every petition classified to an agency of its level, then compiled.
  await classifyAndCompile(officer, sessionIds[0]!, agencies, clock);
  return totals;
}
