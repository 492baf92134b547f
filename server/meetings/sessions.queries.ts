// Reads of sessions: the list (a few per year, so shown whole, newest first), one session, and how
// a session is named on screens and papers.
import mongoose, { trusted } from 'mongoose';
import { can, type Actor } from '../access/index.js';
import { ForbiddenError } from '../platform/errors.js';
import { sessionPhase, type AssemblyBody, type SessionPhase } from './meetings.rules.js';
import { AssemblySessionModel, type AssemblySession } from './session.model.js';

/** Sessions are few (two or three a year per body); this is a safety cap, not a page size. */
const MAX_SESSIONS = 500;

export interface SessionRow {
  id: string;
  body: AssemblyBody;
  term: string;
  number: number;
  opensOn: string;
  closesOn: string;
  compileBeforeDue: string;
  compileAfterDue: string;
  phase: SessionPhase;
}

const ROW_FIELDS = { body: 1, term: 1, number: 1, opensOn: 1, closesOn: 1, 'compileBefore.dueDate': 1, 'compileAfter.dueDate': 1 } as const;

function toRow(s: AssemblySession, today: string): SessionRow {
  const row = {
    id: String(s._id),
    body: s.body,
    term: s.term,
    number: s.number,
    opensOn: s.opensOn,
    closesOn: s.closesOn,
    compileBeforeDue: s.compileBefore.dueDate,
    compileAfterDue: s.compileAfter.dueDate,
  };
  return { ...row, phase: sessionPhase(row, today) };
}

/** Who may read sessions: anyone who works with meetings or reports. */
export function assertMayReadMeetings(actor: Actor): void {
  if (!can(actor, 'cases:read-all') && !can(actor, 'cases:read-own') && !can(actor, 'reports:read')) throw new ForbiddenError();
}

export async function listSessions(actor: Actor, today: string, body?: AssemblyBody): Promise<SessionRow[]> {
  assertMayReadMeetings(actor);
  const rows = await AssemblySessionModel.find(body ? { body } : {}, ROW_FIELDS)
    .sort({ opensOn: -1, _id: -1 })
    .limit(MAX_SESSIONS)
    .lean<AssemblySession[]>();
  return rows.map((s) => toRow(s, today));
}

export type SessionDetail = SessionRow & Pick<AssemblySession, 'compileBefore' | 'compileAfter' | 'submissionKey'>;

export async function getSession(actor: Actor, sessionId: string, today: string): Promise<SessionDetail | null> {
  assertMayReadMeetings(actor);
  if (!mongoose.isValidObjectId(sessionId)) return null;
  const s = await AssemblySessionModel.findById(sessionId).lean<AssemblySession>();
  return s ? { ...toRow(s, today), compileBefore: s.compileBefore, compileAfter: s.compileAfter, submissionKey: s.submissionKey } : null;
}

/** Sessions by id, for labels in lists. */
export async function sessionsById(ids: readonly (string | mongoose.Types.ObjectId | null | undefined)[], today: string): Promise<Map<string, SessionRow>> {
  const wanted = [...new Set(ids.filter((id): id is string | mongoose.Types.ObjectId => !!id).map(String))];
  if (wanted.length === 0) return new Map();
  const rows = await AssemblySessionModel.find({ _id: trusted({ $in: wanted.map((id) => new mongoose.Types.ObjectId(id)) }) }, ROW_FIELDS).lean<AssemblySession[]>();
  return new Map(rows.map((s) => [String(s._id), toRow(s, today)]));
}

const BODY_NAMES: Readonly<Record<AssemblyBody, string>> = { 'quoc-hoi': 'Quốc hội', 'hdnd-tinh': 'Hội đồng nhân dân tỉnh' };

/** "Kỳ họp thứ 10, Quốc hội khóa XV" — the official name, for printed papers (always Vietnamese). */
export function officialSessionName(s: Pick<SessionRow, 'body' | 'term' | 'number'>): string {
  return `Kỳ họp thứ ${s.number}, ${BODY_NAMES[s.body]} khóa ${s.term}`;
}
