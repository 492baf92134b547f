// Everything the generators share: the random stream, ids, reference lists, the staff who do the work,
// the working calendar and the handling-deadline rule — loaded once, so generating a case touches no
// database.
import crypto from 'node:crypto';
import type mongoose from 'mongoose';
import { isWorkingDay, loadWorkingCalendar, seedCalendar, vietnamDateOf, type WorkingCalendar } from '../../server/calendar/index.js';
import { LETTER_HANDLING_RULE } from '../../server/cases/index.js';
import { deadlineFromRule, getDeadlineRule, shippedDeadlineRules, type RuleForCompute, type StoredDeadline } from '../../server/deadlines/index.js';
import { foldVietnamese } from '../../server/platform/text.js';
import { listActiveCommunes, listActiveFields } from '../../server/reference/index.js';
import { listActiveAgencies, type AgencySummary } from '../../server/agencies/index.js';
import { UserModel, hashPassword } from '../../server/users/index.js';
import type { Role } from '../../server/access/index.js';
import { SeededRandom } from '../demo/random.js';
import { IdFactory } from './ids.js';
import type { SeedOptions } from './options.js';

export interface StaffMember {
  id: mongoose.Types.ObjectId;
  name: string;
  role: Role;
}

export interface SeedContext {
  options: SeedOptions;
  rng: SeededRandom;
  ids: IdFactory;
  communes: string[];
  fields: string[];
  officers: StaffMember[];
  hosts: StaffMember[];
  /** Working days of the whole span, in order, as the start instants of their Vietnam days. */
  workingDays: Date[];
  /** The end of the data set: nothing happens after it. */
  end: Date;
  endYear: number;
  /** The office's handling deadline for a matter received at `at`, as openCase stores it. */
  handlingDeadline(at: Date): StoredDeadline;
  /** The agency's answer deadline for a forwarding sent at `at`, as sending a forwarding stores it. */
  answerDeadline(at: Date): StoredDeadline;
  /** The active agencies matters are forwarded to. */
  agencies: AgencySummary[];
  /** The leaders who approve forwardings. */
  leaders: StaffMember[];
  /** CCCD numbers already given out in this data set. */
  citizenIds: Set<string>;
}

/** Staff of the invented office: officers do the intake, leaders and delegates host receptions. */
const STAFF: { name: string; role: Role }[] = [
  ...['Nguyễn Thị Hồng Nhung', 'Trần Văn Khánh', 'Lê Thị Thanh Hương', 'Phạm Đức Thịnh', 'Hoàng Minh Tuấn', 'Võ Thị Kim Oanh', 'Đặng Quốc Bảo', 'Bùi Thị Ngọc Lan', 'Hồ Văn Lợi', 'Ngô Thị Phương Thảo', 'Dương Công Hậu', 'Mai Xuân Trường'].map((name) => ({ name, role: 'officer' as const })),
  { name: 'Lê Quang Vinh', role: 'leader' },
  { name: 'Nguyễn Thị Minh Hà', role: 'leader' },
  { name: 'Trương Văn Sáu', role: 'delegate' },
  { name: 'Phan Thị Diệu Linh', role: 'delegate' },
  { name: 'Đinh Công Lực', role: 'delegate' },
];

/** The office's own clock for answers to the matters it forwards (see server/forwarding). */
const AGENCY_ANSWER_RULE = 'agency-answer';

export const SEED_STAFF_DOMAIN = 'seed.dannguyen.local';

/**
 * The staff accounts, created once per database with deterministic ids. Nobody can sign in as them:
 * their shared password is random and thrown away, and they would have to change it anyway.
 */
async function ensureStaff(seed: number): Promise<StaffMember[]> {
  const ids = new IdFactory(seed ^ 0x5eed);
  const at = new Date('2016-01-04T01:00:00Z');
  let hash: string | null = null;
  const out: StaffMember[] = [];
  for (const [i, member] of STAFF.entries()) {
    const email = `${member.role}${String(i + 1).padStart(2, '0')}@${SEED_STAFF_DOMAIN}`;
    const existing = await UserModel.findOne({ email }, { _id: 1 }).lean<{ _id: mongoose.Types.ObjectId }>();
    let id = existing?._id;
    if (!id) {
      hash ??= await hashPassword(crypto.randomBytes(24).toString('base64url'));
      id = ids.next(at);
      await UserModel.create({ _id: id, email, name: member.name, nameFolded: foldVietnamese(member.name), role: member.role, passwordHash: hash, mustChangePassword: true });
    }
    out.push({ id, name: member.name, role: member.role });
  }
  return out;
}

async function ruleForCompute(key: string): Promise<RuleForCompute> {
  const rule = (await getDeadlineRule(key)) ?? shippedDeadlineRules().get(key);
  if (!rule) throw new Error(`the deadline rule ${key} is missing`);
  return { key: rule.key, name: rule.name, startEvent: rule.startEvent, days: rule.days, dayType: rule.dayType, variants: rule.variants.map((v) => ({ key: v.key, days: v.days })), basis: rule.basis ?? '' };
}

export async function createSeedContext(options: SeedOptions): Promise<SeedContext> {
  const end = new Date(`${options.until}T16:59:59+07:00`);
  const endYear = Number(options.until.slice(0, 4));
  const startYear = endYear - options.years;
  // Public holidays of every year the data covers, as the app would have seeded them year by year.
  for (let year = startYear; year <= endYear; year++) await seedCalendar({ now: () => new Date(`${year}-07-01T00:00:00+07:00`) });
  const calendar: WorkingCalendar = await loadWorkingCalendar(startYear, endYear + 1);
  const [handlingRule, answerRule] = await Promise.all([ruleForCompute(LETTER_HANDLING_RULE.key), ruleForCompute(AGENCY_ANSWER_RULE)]);
  const [communes, fields, staff, agencies] = await Promise.all([listActiveCommunes(), listActiveFields(), ensureStaff(options.seed), listActiveAgencies()]);
  if (communes.length === 0 || fields.length === 0) throw new Error('no communes or fields: the reference data must be seeded first');
  if (agencies.length === 0) throw new Error('no active agencies: the base data must be seeded first');

  const start = new Date(end.getTime() - options.years * 365.25 * 86_400_000);
  const workingDays: Date[] = [];
  for (let day = new Date(`${vietnamDateOf(start)}T00:00:00+07:00`); day <= end; day = new Date(day.getTime() + 86_400_000)) {
    if (isWorkingDay(vietnamDateOf(day), calendar)) workingDays.push(day);
  }
  // A deadline depends only on the Vietnam date it starts: computed once per rule and day.
  const perDay = (rule: RuleForCompute) => {
    const deadlines = new Map<string, StoredDeadline>();
    return (at: Date): StoredDeadline => {
      // Vietnam has been UTC+7 all year since 1975: plain arithmetic, much cheaper than a zone lookup.
      const date = new Date(at.getTime() + 7 * 3_600_000).toISOString().slice(0, 10);
      let d = deadlines.get(date);
      if (!d) {
        d = deadlineFromRule(rule, { startAt: at, variant: null }, calendar);
        deadlines.set(date, d);
      }
      return d;
    };
  };
  return {
    options,
    rng: new SeededRandom(options.seed),
    ids: new IdFactory(options.seed),
    communes: communes.map((c) => c.code),
    fields: fields.map((f) => f.code),
    officers: staff.filter((s) => s.role === 'officer'),
    hosts: staff.filter((s) => s.role === 'leader' || s.role === 'delegate'),
    workingDays,
    end,
    endYear,
    handlingDeadline: perDay(handlingRule),
    answerDeadline: perDay(answerRule),
    agencies,
    leaders: staff.filter((s) => s.role === 'leader'),
    citizenIds: new Set(),
  };
}
