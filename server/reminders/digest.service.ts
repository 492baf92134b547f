// The daily digest: on each working day, at or after the policy's time, every officer and delegate
// concerned gets one email listing what is due soon, what is overdue and what was newly answered —
// for the forwardings they drafted, and those carrying cases assigned to them or that they follow.
// Nothing to tell, no email; keyed 'digest:<user>:<date>', so a day has at most one per person.
import mongoose, { trusted } from 'mongoose';
import { permissionsOf, type Role } from '../access/index.js';
import { CaseModel } from '../cases/index.js';
import { endOfVietnamDay, loadWorkingCalendar, vietnamDateOf, type IsoDate } from '../calendar/index.js';
import { AWAITING_AGENCY_STATUSES, ForwardingModel, daysOverdue, type Forwarding } from '../forwarding/index.js';
import { enqueueEmail } from '../notifications/index.js';
import type { Logger } from '../platform/logger.js';
import { UserModel } from '../users/index.js';
import { getReminderPolicy } from './policy.service.js';
import { digestSlot, reminderHorizon, type ReminderPolicy } from './reminders.rules.js';

export const DIGEST_TEMPLATE = 'daily-digest';

type Row = Pick<Forwarding, '_id' | 'status' | 'agencyName' | 'documentNumber' | 'caseIds' | 'items' | 'draftedBy' | 'deadline' | 'lastAnsweredAt'>;
const ROW_FIELDS = { status: 1, agencyName: 1, documentNumber: 1, caseIds: 1, 'items.label': 1, draftedBy: 1, deadline: 1, lastAnsweredAt: 1 } as const;

export interface DigestLine {
  matters: string;
  agencyName: string;
  documentNumber: string | null;
  dueDate: IsoDate | null;
  daysOverdue: number;
  path: string;
}

export interface DigestContent {
  dueSoon: DigestLine[];
  overdue: DigestLine[];
  answered: DigestLine[];
}

export interface DigestRunSummary {
  date: IsoDate | null;
  recipients: number;
  queued: number;
}

type CaseLink = { _id: mongoose.Types.ObjectId; assignedTo: mongoose.Types.ObjectId | null; followers: mongoose.Types.ObjectId[] };
type Recipient = { _id: mongoose.Types.ObjectId; email: string; name: string; locale: 'vi' | 'en'; role: Role; grantedPermissions: string[] };

/** Who hears about a forwarding: its drafter, and the assignee and followers of each case it carries. */
function concerned(row: Row, cases: Map<string, CaseLink>): Set<string> {
  const ids = new Set<string>([row.draftedBy.id]);
  for (const caseId of row.caseIds) {
    const kase = cases.get(String(caseId));
    if (!kase) continue;
    if (kase.assignedTo) ids.add(String(kase.assignedTo));
    for (const f of kase.followers) ids.add(String(f));
  }
  return ids;
}

function lineOf(row: Row, now: Date, toForwardingPage: boolean): DigestLine {
  const firstCase = row.caseIds[0];
  return {
    matters: row.items.map((i) => i.label).join(', '),
    agencyName: row.agencyName,
    documentNumber: row.documentNumber,
    dueDate: row.deadline?.dueDate ?? null,
    daysOverdue: daysOverdue(row, now),
    // Officers act on the forwarding; a delegate follows the case (and may not open forwardings).
    path: toForwardingPage || !firstCase ? `/forwardings/${String(row._id)}` : `/cases/${String(firstCase)}`,
  };
}

/** Queues today's digests when they are due at `now`; does nothing otherwise (any number of runs a day). */
export async function sendDigests(now: Date, options: { logger?: Logger; policy?: ReminderPolicy } = {}): Promise<DigestRunSummary> {
  const policy = options.policy ?? (await getReminderPolicy());
  const year = Number(vietnamDateOf(now).slice(0, 4));
  const calendar = await loadWorkingCalendar(year - 1, year + 1);
  const slot = digestSlot(now, policy, calendar);
  if (!slot) return { date: null, recipients: 0, queued: 0 };
  const horizonAt = endOfVietnamDay(reminderHorizon(policy, slot.date, calendar));
  const dueSoonUntil = endOfVietnamDay(policy.daysBefore > 0 ? reminderHorizon(policy, slot.date, calendar) : slot.date);

  const [waiting, answered] = await Promise.all([
    // A suspended deadline is neither due soon nor overdue until the suspension ends.
    ForwardingModel.find({ status: trusted({ $in: AWAITING_AGENCY_STATUSES }), 'deadline.dueAt': trusted({ $lte: horizonAt }), suspension: null }, ROW_FIELDS).lean<Row[]>(),
    // Answers waiting for the office's evaluation that arrived since the previous digest.
    ForwardingModel.find({ status: 'answered', lastAnsweredAt: trusted({ $gte: slot.since }) }, ROW_FIELDS).lean<Row[]>(),
  ]);
  const caseIds = [...new Set([...waiting, ...answered].flatMap((r) => r.caseIds.map(String)))].map((id) => new mongoose.Types.ObjectId(id));
  const cases = new Map(
    (caseIds.length ? await CaseModel.find({ _id: trusted({ $in: caseIds }) }, { assignedTo: 1, followers: 1 }).lean<CaseLink[]>() : []).map((c) => [String(c._id), c]),
  );

  const perUser = new Map<string, { waiting: Row[]; answered: Row[] }>();
  const add = (row: Row, list: 'waiting' | 'answered') => {
    for (const id of concerned(row, cases)) {
      if (!mongoose.isValidObjectId(id)) continue;
      const entry = perUser.get(id) ?? { waiting: [], answered: [] };
      entry[list].push(row);
      perUser.set(id, entry);
    }
  };
  waiting.forEach((r) => add(r, 'waiting'));
  answered.forEach((r) => add(r, 'answered'));
  if (perUser.size === 0) return { date: slot.date, recipients: 0, queued: 0 };

  const users = await UserModel.find(
    { _id: trusted({ $in: [...perUser.keys()].map((id) => new mongoose.Types.ObjectId(id)) }), disabled: false },
    { email: 1, name: 1, locale: 1, role: 1, grantedPermissions: 1 },
  ).lean<Recipient[]>();
  let queued = 0;
  let recipients = 0;
  for (const user of users) {
    const rows = perUser.get(String(user._id))!;
    const officer = permissionsOf(user.role, user.grantedPermissions).includes('cases:write');
    const byDue = (a: Row, b: Row) => (a.deadline?.dueAt.getTime() ?? 0) - (b.deadline?.dueAt.getTime() ?? 0);
    const content: DigestContent = {
      overdue: rows.waiting.filter((r) => r.deadline!.dueAt.getTime() < now.getTime()).sort(byDue).map((r) => lineOf(r, now, officer)),
      dueSoon: rows.waiting.filter((r) => r.deadline!.dueAt.getTime() >= now.getTime() && r.deadline!.dueAt.getTime() <= dueSoonUntil.getTime()).sort(byDue).map((r) => lineOf(r, now, officer)),
      answered: rows.answered.map((r) => lineOf(r, now, officer)),
    };
    if (content.overdue.length + content.dueSoon.length + content.answered.length === 0) continue;
    recipients++;
    const result = await enqueueEmail(
      {
        key: `digest:${String(user._id)}:${slot.date}`,
        template: DIGEST_TEMPLATE,
        locale: user.locale === 'en' ? 'en' : 'vi',
        to: [{ email: user.email, name: user.name }],
        data: { date: slot.date, ...content },
        createdBy: 'system',
      },
      null,
      { clock: { now: () => now } },
    );
    if (result.created) queued++;
  }
  if (queued > 0) options.logger?.info({ date: slot.date, queued }, 'daily digests queued');
  return { date: slot.date, recipients, queued };
}
