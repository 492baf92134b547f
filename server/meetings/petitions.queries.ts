// Reads of petitions for screens: a meeting's, a session's (what remains after merging), one
// petition with its originals, and the state each one stands in — a merged original standing in its
// consolidated petition's state, with that petition's answers.
import mongoose, { trusted } from 'mongoose';
import type { Actor } from '../access/index.js';
import { keysetScan, takeEach, sortOf, withCondition, type KeysetOrder } from '../exports/index.js';
import { loadVisiblePetition, visibleScope } from './meetings.access.js';
import { MeetingEventModel, type MeetingEvent } from './meeting-event.model.js';
import { reportStateOf, type Competence, type PetitionStatus, type ReportState, type Verdict } from './meetings.rules.js';
import { mergeSuggestions, type MergeSuggestion } from './merge.rules.js';
import { PetitionModel, type Petition } from './petition.model.js';

/** A session's petitions are read whole for merging and compiling; this caps a runaway session. */
export const MAX_SESSION_PETITIONS = 5000;

export interface AnswerView {
  agencyName: string;
  forwardedAt: Date;
  answeredAt: Date | null;
  documentNumber: string | null;
  documentDate: Date | null;
  text: string | null;
  verdict: Verdict | null;
  verdictReason: string | null;
}

export interface PetitionRow {
  id: string;
  code: string;
  kind: 'original' | 'consolidated';
  content: string;
  fieldCode: string | null;
  unitCode: string | null;
  unitCodes: string[];
  meetingId: string | null;
  meetingCount: number;
  voterCount: number;
  competence: Competence | null;
  agencyName: string | null;
  status: PetitionStatus;
  /** The state reports count it in (a merged original: its consolidated petition's). */
  state: ReportState;
  mergedInto: { id: string; code: string } | null;
  answers: AnswerView[];
}

export const ROW_FIELDS = {
  code: 1,
  kind: 1,
  content: 1,
  fieldCode: 1,
  unitCode: 1,
  unitCodes: 1,
  meetingId: 1,
  meetingCount: 1,
  voterCount: 1,
  competence: 1,
  agencyId: 1,
  agencyName: 1,
  status: 1,
  verdict: 1,
  mergedInto: 1,
  forwardings: 1,
  sessionId: 1,
  level: 1,
  words: 1,
  raisedAt: 1,
  delegateUserIds: 1,
  originalIds: 1,
} as const;

function answersOf(p: Petition): AnswerView[] {
  return (p.forwardings ?? []).map((f) => ({
    agencyName: f.agencyName,
    forwardedAt: f.forwardedAt,
    answeredAt: f.answeredAt ?? null,
    documentNumber: f.answerDocumentNumber ?? null,
    documentDate: f.answerDocumentDate ?? null,
    text: f.answerText ?? null,
    verdict: (f.verdict ?? null),
    verdictReason: f.verdictReason ?? null,
  }));
}

/** The consolidated petitions that these originals were merged into, by id. */
export async function consolidatedOf(petitions: readonly Petition[]): Promise<Map<string, Petition>> {
  const ids = [...new Set(petitions.map((p) => p.mergedInto).filter((id): id is mongoose.Types.ObjectId => !!id).map(String))];
  if (ids.length === 0) return new Map();
  const found = await PetitionModel.find({ _id: trusted({ $in: ids.map((id) => new mongoose.Types.ObjectId(id)) }) }, ROW_FIELDS).lean<Petition[]>();
  return new Map(found.map((p) => [String(p._id), p]));
}

/** The petition that stands for this one: itself, or the consolidated petition it was merged into. */
export function standingFor(p: Petition, consolidated: Map<string, Petition>): Petition {
  return p.mergedInto ? (consolidated.get(String(p.mergedInto)) ?? p) : p;
}

export function toRow(p: Petition, consolidated: Map<string, Petition>): PetitionRow {
  const standing = standingFor(p, consolidated);
  return {
    id: String(p._id),
    code: p.code,
    kind: p.kind,
    content: p.content,
    fieldCode: p.fieldCode ?? null,
    unitCode: p.unitCode ?? null,
    unitCodes: [...p.unitCodes],
    meetingId: p.meetingId ? String(p.meetingId) : null,
    meetingCount: p.meetingCount,
    voterCount: p.voterCount,
    competence: (standing.competence ?? null),
    agencyName: standing.agencyName ?? null,
    status: p.status,
    state: reportStateOf({ status: standing.status, verdict: (standing.verdict ?? null) }),
    mergedInto: p.mergedInto ? { id: String(p.mergedInto), code: consolidated.get(String(p.mergedInto))?.code ?? '' } : null,
    answers: answersOf(standing),
  };
}

/** The petitions raised at a meeting, in the order they were entered. */
export async function petitionsOfMeeting(meetingId: mongoose.Types.ObjectId): Promise<PetitionRow[]> {
  const found = await PetitionModel.find({ meetingId }, ROW_FIELDS).sort({ _id: 1 }).limit(MAX_SESSION_PETITIONS).lean<Petition[]>();
  const consolidated = await consolidatedOf(found);
  return found.map((p) => toRow(p, consolidated));
}

/**
 * What a session's list is made of after merging: consolidated petitions and originals standing
 * alone, in code order; merged-away originals and emptied consolidated petitions are left out.
 */
export function isLive(p: Pick<Petition, 'status' | 'kind' | 'originalIds'>): boolean {
  if (p.status === 'merged') return false;
  return p.kind === 'original' || p.originalIds.length > 0;
}

export async function livePetitionsOfSession(actor: Actor, sessionId: string): Promise<Petition[]> {
  if (!mongoose.isValidObjectId(sessionId)) return [];
  const found = await PetitionModel.find({ sessionId: new mongoose.Types.ObjectId(sessionId), status: trusted({ $ne: 'merged' }), ...visibleScope(actor) }, ROW_FIELDS)
    .sort({ _id: 1 })
    .limit(MAX_SESSION_PETITIONS)
    .lean<Petition[]>();
  return found.filter(isLive).sort((a, b) => a.code.localeCompare(b.code));
}

export async function sessionPetitionRows(actor: Actor, sessionId: string): Promise<PetitionRow[]> {
  return (await livePetitionsOfSession(actor, sessionId)).map((p) => toRow(p, new Map()));
}

const EXPORT_ORDER: KeysetOrder = { path: 'code', dir: 1 };

/**
 * The filter of a session's list as the actor may see it: computed before an export starts, so a
 * user who may see no petitions is refused (403) while the answer can still be an error page.
 */
export function sessionPetitionsFilter(actor: Actor, sessionId: mongoose.Types.ObjectId): Record<string, unknown> {
  return { sessionId, status: trusted({ $ne: 'merged' }), ...visibleScope(actor) };
}

/** The session's list as the session page shows it (code order, merged-away petitions left out), read in chunks by key. */
export async function* exportSessionPetitionRows(filter: Record<string, unknown>): AsyncGenerator<PetitionRow> {
  const chunks = keysetScan<Petition>((after, limit) => PetitionModel.find(withCondition(filter, after), ROW_FIELDS).sort(sortOf(EXPORT_ORDER)).limit(limit).lean<Petition[]>(), EXPORT_ORDER);
  for await (const chunk of chunks) for (const p of takeEach(chunk)) if (isLive(p)) yield toRow(p, new Map());
}

export interface SuggestionView extends MergeSuggestion {
  petitions: PetitionRow[];
}

/** Groups of a session's petitions that seem to say the same thing (merge.rules.ts). */
export async function mergeSuggestionsOf(actor: Actor, sessionId: string): Promise<SuggestionView[]> {
  const live = await livePetitionsOfSession(actor, sessionId);
  const byId = new Map(live.map((p) => [String(p._id), p]));
  const groups = mergeSuggestions(live.map((p) => ({ id: String(p._id), fieldCode: p.fieldCode ?? null, words: p.words, status: p.status })));
  return groups.map((g) => ({ ...g, petitions: g.ids.map((id) => toRow(byId.get(id)!, new Map())) }));
}

export interface PetitionDetail extends PetitionRow {
  sessionId: string | null;
  raisedAt: Date;
  /** For a consolidated petition: the originals, each in its own words. */
  originals: PetitionRow[];
  events: Pick<MeetingEvent, 'action' | 'at' | 'actorName' | 'details'>[];
  agencyId: string | null;
}

export async function getPetitionDetail(actor: Actor, petitionId: string): Promise<PetitionDetail> {
  const p = await loadVisiblePetition(actor, petitionId);
  const consolidated = await consolidatedOf([p]);
  const originals = p.kind === 'consolidated' ? await PetitionModel.find({ mergedInto: p._id }, ROW_FIELDS).sort({ raisedAt: 1, _id: 1 }).lean<Petition[]>() : [];
  const selfMap = new Map([[String(p._id), p]]);
  const events = await MeetingEventModel.find({ subjectId: p._id }, { action: 1, at: 1, actorName: 1, details: 1 })
    .sort({ at: 1, _id: 1 })
    .limit(500)
    .lean<MeetingEvent[]>();
  return {
    ...toRow(p, consolidated),
    sessionId: p.sessionId ? String(p.sessionId) : null,
    raisedAt: p.raisedAt,
    originals: originals.map((o) => toRow(o, selfMap)),
    events,
    agencyId: p.agencyId ? String(p.agencyId) : null,
  };
}

export interface ForwardableGroup {
  agencyId: string;
  agencyName: string;
  petitionIds: string[];
}

/**
 * A session's compiled petitions, grouped by the agency they were classified to and not yet forwarded
 * to it: what a bulk forwarding sends, one forwarding per agency.
 */
export async function forwardableGroups(actor: Actor, sessionId: string): Promise<ForwardableGroup[]> {
  const live = await livePetitionsOfSession(actor, sessionId);
  const groups = new Map<string, ForwardableGroup>();
  for (const p of live) {
    if (p.status !== 'compiled' || !p.agencyId) continue;
    const agencyId = String(p.agencyId);
    if ((p.forwardings ?? []).some((f) => f.agencyId === agencyId)) continue;
    const group = groups.get(agencyId) ?? { agencyId, agencyName: p.agencyName ?? '', petitionIds: [] };
    group.petitionIds.push(String(p._id));
    groups.set(agencyId, group);
  }
  return [...groups.values()].sort((a, b) => a.agencyName.localeCompare(b.agencyName, 'vi'));
}
