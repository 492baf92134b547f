// The report on a session's petitions and their answers: the figures (report.rules.ts) and the lists
// behind them — the list that was sent with each answer (for the next session), and for one delegate
// group or one commune what its voters raised and what came back (for the report to voters).
import mongoose from 'mongoose';
import { z } from 'zod';
import { can, type Actor } from '../access/index.js';
import { ForbiddenError, NotFoundError } from '../platform/errors.js';
import { getFields, getUnits } from '../reference/index.js';
import { MeetingModel, type Meeting } from './meeting.model.js';
import { dayOf } from './meetings.rules.js';
import { consolidatedOf, isLive, MAX_SESSION_PETITIONS, ROW_FIELDS, standingFor, toRow, type PetitionRow } from './petitions.queries.js';
import { PetitionModel, type Petition } from './petition.model.js';
import { sessionFigures, type MeetingGroups, type SessionFigures } from './report.rules.js';
import { getSession, type SessionDetail } from './sessions.queries.js';

/** The delegate group of a delegate recorded without a constituency. */
export const NO_GROUP = '—';

export const reportQuerySchema = z.object({
  group: z.string().max(300).optional().catch(undefined),
  commune: z.string().max(50).regex(/^[\w-]+$/).optional().catch(undefined),
});
export type ReportQuery = z.infer<typeof reportQuerySchema>;

export interface SessionReport {
  session: SessionDetail;
  figures: SessionFigures;
  /** The list as sent, with the answers (for the session). */
  listed: PetitionRow[];
  /** With ?group= or ?commune=: the originals raised there, each with its answers (for voters). */
  focus: { kind: 'group' | 'commune'; key: string; rows: PetitionRow[] } | null;
  fieldNames: Record<string, string>;
  unitNames: Record<string, string>;
}

function assertMayReadReport(actor: Actor): void {
  // Officers compile the report for the session; leaders and delegates read it.
  if (!can(actor, 'reports:read') && !can(actor, 'cases:read-all')) throw new ForbiddenError();
}

function groupsOf(m: Pick<Meeting, 'delegates'>): string[] {
  return [...new Set(m.delegates.map((d) => d.constituency || NO_GROUP))];
}

export async function sessionReport(actor: Actor, sessionId: string, query: ReportQuery, now: Date): Promise<SessionReport> {
  assertMayReadReport(actor);
  // The report is the office's, read in full by whoever may read reports: it is what goes to the session.
  const session = await getSession(actor, sessionId, dayOf(now));
  if (!session) throw new NotFoundError('meetings.errors.sessionNotFound');
  const id = new mongoose.Types.ObjectId(sessionId);
  const [petitions, meetings] = await Promise.all([
    PetitionModel.find({ sessionId: id }, ROW_FIELDS).sort({ _id: 1 }).limit(MAX_SESSION_PETITIONS).lean<Petition[]>(),
    MeetingModel.find({ sessionId: id }, { delegates: 1 }).lean<Meeting[]>(),
  ]);
  const byId = new Map(petitions.map((p) => [String(p._id), p]));
  const consolidated = await consolidatedOf(petitions.filter((p) => p.mergedInto && !byId.has(String(p.mergedInto))));
  for (const [key, p] of byId) if (p.kind === 'consolidated') consolidated.set(key, p);
  const listed = petitions.filter(isLive).sort((a, b) => a.code.localeCompare(b.code));
  const originals = petitions.filter((p) => p.kind === 'original');
  const listedRows = listed.map((p) => toRow(p, consolidated));
  const originalRows = new Map(originals.map((p) => [String(p._id), toRow(p, consolidated)]));
  const meetingGroups = new Map<string, MeetingGroups>(meetings.map((m) => [String(m._id), { groups: groupsOf(m) }]));

  const figures = sessionFigures(
    listedRows.map((r, i) => ({ id: r.id, kind: r.kind, fieldCode: r.fieldCode, agencyName: r.agencyName, voterCount: listed[i]!.voterCount, state: r.state })),
    originals.map((o) => ({ id: String(o._id), meetingId: String(o.meetingId), unitCode: o.unitCode ?? null, voterCount: o.voterCount, state: originalRows.get(String(o._id))!.state, merged: standingFor(o, consolidated) !== o })),
    meetingGroups,
  );

  let focus: SessionReport['focus'] = null;
  if (query.group) {
    const rows = originals.filter((o) => meetingGroups.get(String(o.meetingId))?.groups.includes(query.group!)).map((o) => originalRows.get(String(o._id))!);
    focus = { kind: 'group', key: query.group, rows };
  } else if (query.commune) {
    focus = { kind: 'commune', key: query.commune, rows: originals.filter((o) => (o.unitCode ?? '') === query.commune).map((o) => originalRows.get(String(o._id))!) };
  }

  const [fields, units] = await Promise.all([getFields(petitions.map((p) => p.fieldCode ?? '')), getUnits(petitions.flatMap((p) => [p.unitCode ?? '', ...p.unitCodes]))]);
  return {
    session,
    figures,
    listed: listedRows,
    focus,
    fieldNames: Object.fromEntries([...fields.values()].map((f) => [f.code, f.name])),
    unitNames: Object.fromEntries([...units.values()].map((u) => [u.code, u.name])),
  };
}
