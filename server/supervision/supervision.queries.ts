// Reads of supervision for the office's screens: the rounds (filters, keyset pages), one round with
// its cases, findings, open forwardings, chase letters and proposals, the pick list of cases worth
// supervising, and the matters proposed for a session.
import mongoose, { trusted } from 'mongoose';
import { can, type Actor } from '../access/index.js';
import { CaseModel, type Case } from '../cases/index.js';
import { afterCondition, keysetScan, takeEach, sortOf, withCondition, type KeysetOrder } from '../exports/index.js';
import { AWAITING_AGENCY_STATUSES, ForwardingModel, daysOverdue, isOverdue, type Forwarding } from '../forwarding/index.js';
import { NotFoundError } from '../platform/errors.js';
import { QuestioningCandidateModel, type QuestioningCandidate } from './candidate.model.js';
import { caseSummaryForSession } from './candidates.service.js';
import { ChaseLetterModel, type ChaseLetter } from './chase-letter.model.js';
import { SupervisionFindingModel, type SupervisionFinding } from './finding.model.js';
import { SupervisionRoundModel, type SupervisionRound } from './round.model.js';
import { assertMayReadSupervision, mayReadRound } from './supervision.access.js';
import type { PickListQuery, RoundListQuery } from './supervision.schemas.js';
import { isChaseable, pickReasons, type PickReason } from './supervision.rules.js';

export const ROUNDS_PAGE_SIZE = 30;
/** The pick list shows this many cases at most; the filters narrow it. */
export const PICK_LIST_LIMIT = 200;

const oid = (id: string) => new mongoose.Types.ObjectId(id);

export interface RoundRow {
  id: string;
  title: string;
  basis: string;
  startsOn: string;
  endsOn: string;
  status: SupervisionRound['status'];
  memberNames: string[];
  caseCount: number;
  agencyCount: number;
}

export interface RoundPage {
  rows: RoundRow[];
  next: string | null;
}

const ROW_FIELDS = { title: 1, basis: 1, startsOn: 1, endsOn: 1, status: 1, 'members.name': 1, 'cases.caseId': 1, 'agencies.agencyId': 1, createdAt: 1 } as const;
/** Newest first; the list's pages and the export read by this key (index { createdAt: -1, _id: -1 }). */
const ROUND_ORDER: KeysetOrder = { path: 'createdAt', dir: -1 };

/** The list's filter for this user: a delegate's own rounds only, then status, agency and "mine". */
function roundFilter(actor: Actor, query: Omit<RoundListQuery, 'after'>): Record<string, unknown> {
  assertMayReadSupervision(actor);
  const and: Record<string, unknown>[] = [];
  // A delegate sees the rounds they are a member of; "mine" narrows anyone's list the same way.
  if (!can(actor, 'cases:read-all') || query.mine) and.push({ memberUserIds: oid(actor.id) });
  if (query.status) and.push({ status: query.status });
  if (query.agency) and.push({ 'agencies.agencyId': oid(query.agency) });
  return and.length === 0 ? {} : and.length === 1 ? and[0]! : { $and: and };
}

function toRoundRow(r: SupervisionRound): RoundRow {
  return {
    id: String(r._id),
    title: r.title,
    basis: r.basis,
    startsOn: r.startsOn,
    endsOn: r.endsOn,
    status: r.status,
    memberNames: r.members.map((m) => m.name),
    caseCount: r.cases.length,
    agencyCount: r.agencies.length,
  };
}

export async function listRounds(actor: Actor, query: RoundListQuery): Promise<RoundPage> {
  let filter = roundFilter(actor, query);
  if (query.after) {
    const [ms, id] = query.after.split('_') as [string, string];
    filter = withCondition(filter, afterCondition(ROUND_ORDER, new Date(Number(ms)), oid(id)));
  }
  const docs = await SupervisionRoundModel.find(filter, ROW_FIELDS).sort(sortOf(ROUND_ORDER)).limit(ROUNDS_PAGE_SIZE + 1).lean<SupervisionRound[]>();
  const page = docs.slice(0, ROUNDS_PAGE_SIZE);
  const last = page.at(-1);
  return {
    rows: page.map(toRoundRow),
    next: docs.length > ROUNDS_PAGE_SIZE && last ? `${last.createdAt.getTime()}_${String(last._id)}` : null,
  };
}

/** How many rounds the list's filters select (for the page and the export's progress). */
export async function countRounds(actor: Actor, query: RoundListQuery): Promise<number> {
  return SupervisionRoundModel.countDocuments(roundFilter(actor, query));
}

export interface RoundExportRow extends RoundRow {
  agencyNames: string[];
  caseNumbers: string[];
  createdBy: string;
  createdAt: Date;
  conclusionOn: string | null;
}

/** Every round the list's filters select, newest first, read by key in chunks (for the export). */
export async function* exportRoundRows(actor: Actor, query: RoundListQuery): AsyncGenerator<RoundExportRow> {
  const filter = roundFilter(actor, query);
  const fields = { ...ROW_FIELDS, 'agencies.name': 1, 'cases.number': 1, createdBy: 1, 'conclusion.on': 1 };
  const chunks = keysetScan<SupervisionRound>((after, limit) => SupervisionRoundModel.find(withCondition(filter, after), fields).sort(sortOf(ROUND_ORDER)).limit(limit).lean<SupervisionRound[]>(), ROUND_ORDER);
  for await (const chunk of chunks) {
    for (const r of takeEach(chunk)) {
      yield { ...toRoundRow(r), agencyNames: r.agencies.map((a) => a.name), caseNumbers: r.cases.map((c) => c.number), createdBy: r.createdBy.name, createdAt: r.createdAt, conclusionOn: r.conclusion?.on ?? null };
    }
  }
}

/** A round the actor may read, or 404 (unknown, or a delegate who is not a member). */
export async function readableRound(actor: Actor, id: string): Promise<SupervisionRound> {
  assertMayReadSupervision(actor);
  const round = mongoose.isValidObjectId(id) ? await SupervisionRoundModel.findById(id).lean<SupervisionRound>() : null;
  if (!round || !mayReadRound(actor, round)) throw new NotFoundError('supervision.errors.notFound');
  return round;
}

export interface OpenForwarding {
  id: string;
  agencyName: string;
  documentNumber: string | null;
  status: Forwarding['status'];
  dueDate: string | null;
  overdue: boolean;
  daysOverdue: number;
  chaseCount: number;
}

export interface RoundCaseView {
  id: string;
  number: string;
  type: string;
  status: string;
  summary: string;
  findings: SupervisionFinding[];
  forwardings: OpenForwarding[];
  candidates: Pick<QuestioningCandidate, '_id' | 'kind' | 'sessionLabel' | 'agencyName' | 'reason'>[];
}

export interface RoundDetail {
  round: SupervisionRound;
  cases: RoundCaseView[];
  letters: Pick<ChaseLetter, '_id' | 'number' | 'date' | 'agencyName' | 'slipNumber' | 'daysLate' | 'by'>[];
}

export async function getRoundDetail(actor: Actor, id: string, now: Date): Promise<RoundDetail> {
  const round = await readableRound(actor, id);
  const caseIds = round.cases.map((c) => c.caseId);
  const [cases, findings, forwardings, letters, candidates] = await Promise.all([
    CaseModel.find({ _id: trusted({ $in: caseIds }) }, { number: 1, type: 1, status: 1, summary: 1, confidential: 1, parties: 1 }).lean<Case[]>(),
    SupervisionFindingModel.find({ roundId: round._id }).sort({ roundId: 1, at: 1, _id: 1 }).limit(5000).lean<SupervisionFinding[]>(),
    ForwardingModel.find({ caseIds: trusted({ $in: caseIds }) }, { agencyName: 1, documentNumber: 1, status: 1, deadline: 1, suspension: 1, chaseCount: 1, caseIds: 1 }).limit(2000).lean<Forwarding[]>(),
    ChaseLetterModel.find({ roundId: round._id }, { number: 1, date: 1, agencyName: 1, slipNumber: 1, daysLate: 1, by: 1 }).sort({ roundId: 1, date: -1 }).limit(1000).lean<RoundDetail['letters']>(),
    QuestioningCandidateModel.find({ caseId: trusted({ $in: caseIds }), status: 'proposed' }, { caseId: 1, kind: 1, sessionLabel: 1, agencyName: 1, reason: 1 }).limit(2000).lean<QuestioningCandidate[]>(),
  ]);
  const byId = new Map(cases.map((c) => [String(c._id), c]));
  const views = round.cases.map((entry): RoundCaseView => {
    const key = String(entry.caseId);
    const kase = byId.get(key);
    return {
      id: key,
      number: entry.number,
      type: kase?.type ?? '',
      status: kase?.status ?? '',
      summary: kase ? caseSummaryForSession(kase) : '',
      findings: findings.filter((f) => String(f.caseId) === key),
      forwardings: forwardings
        .filter((f) => isChaseable(f.status) && f.caseIds.some((c) => String(c) === key))
        .map((f) => ({
          id: String(f._id),
          agencyName: f.agencyName,
          documentNumber: f.documentNumber,
          status: f.status,
          dueDate: f.deadline?.dueDate ?? null,
          overdue: isOverdue(f, now),
          daysOverdue: daysOverdue(f, now),
          chaseCount: f.chaseCount,
        })),
      candidates: candidates.filter((c) => String(c.caseId) === key),
    };
  });
  return { round, cases: views, letters };
}

export interface PickRow {
  id: string;
  number: string;
  type: string;
  summary: string;
  reasons: PickReason[];
  agencies: string[];
}

/** Cases worth supervising — under supervision, or with a forwarding overdue or answered unsatisfactorily — not yet in the round. */
export async function pickList(round: SupervisionRound, query: PickListQuery, now: Date): Promise<PickRow[]> {
  const [supervising, flagged] = await Promise.all([
    CaseModel.find({ status: 'supervising' }, { _id: 1 }).sort({ status: 1, receivedAt: -1, _id: -1 }).limit(1000).lean<{ _id: mongoose.Types.ObjectId }[]>(),
    ForwardingModel.find(
      { $or: [{ status: trusted({ $in: AWAITING_AGENCY_STATUSES }), 'deadline.dueAt': trusted({ $lt: now }), suspension: null }, { status: 'evaluated' }] },
      { caseIds: 1 },
    )
      .limit(2000)
      .lean<Pick<Forwarding, 'caseIds'>[]>(),
  ]);
  const inRound = new Set(round.cases.map((c) => String(c.caseId)));
  const ids = [...new Set([...supervising.map((c) => String(c._id)), ...flagged.flatMap((f) => f.caseIds.map(String))])].filter((id) => !inRound.has(id));
  if (ids.length === 0) return [];
  const [cases, forwardings] = await Promise.all([
    CaseModel.find({ _id: trusted({ $in: ids.map(oid) }) }, { number: 1, type: 1, status: 1, summary: 1, confidential: 1, parties: 1, receivedAt: 1 }).sort({ receivedAt: -1, _id: -1 }).lean<Case[]>(),
    ForwardingModel.find({ caseIds: trusted({ $in: ids.map(oid) }), status: trusted({ $nin: ['awaiting-approval', 'returned', 'cancelled'] }) }, { caseIds: 1, agencyId: 1, agencyName: 1, status: 1, 'deadline.dueAt': 1, suspension: 1, 'items.verdict': 1, 'items.caseId': 1 }).lean<Forwarding[]>(),
  ]);
  const rows: PickRow[] = [];
  for (const kase of cases) {
    const own = forwardings.filter((f) => f.caseIds.some((c) => c.equals(kase._id)));
    const reasons = pickReasons(
      kase,
      // A suspended deadline's clock is stopped: no due date to be late against.
      own.map((f) => ({ status: f.status, dueAt: f.suspension ? null : (f.deadline?.dueAt ?? null), unsatisfied: f.items.some((i) => i.verdict === 'unsatisfied' && (!i.caseId || i.caseId.equals(kase._id))) })),
      now,
    );
    if (reasons.length === 0 || (query.reason && !reasons.includes(query.reason))) continue;
    if (query.agency && !own.some((f) => String(f.agencyId) === query.agency)) continue;
    rows.push({ id: String(kase._id), number: kase.number, type: kase.type, summary: caseSummaryForSession(kase), reasons, agencies: [...new Set(own.map((f) => f.agencyName))] });
    if (rows.length >= PICK_LIST_LIMIT) break;
  }
  return rows;
}

export interface CandidateRow {
  id: string;
  kind: QuestioningCandidate['kind'];
  caseId: string;
  caseNumber: string;
  agencyName: string;
  summary: string;
  reason: string;
  proposedBy: string;
  proposedAt: Date;
  status: QuestioningCandidate['status'];
  withdrawal: QuestioningCandidate['withdrawal'];
  sessionLabel: string;
}

const MAX_CANDIDATES = 2000;

/** The matters proposed for one session, in the order they were proposed (withdrawn ones when asked). */
export async function candidatesOfSession(actor: Actor, sessionId: string, includeWithdrawn: boolean): Promise<CandidateRow[]> {
  assertMayReadSupervision(actor);
  if (!mongoose.isValidObjectId(sessionId)) return [];
  const filter: Record<string, unknown> = { sessionId: oid(sessionId) };
  if (!includeWithdrawn) filter.status = 'proposed';
  const docs = await QuestioningCandidateModel.find(filter).sort({ sessionId: 1, proposedAt: 1, _id: 1 }).limit(MAX_CANDIDATES).lean<QuestioningCandidate[]>();
  return docs.map((c) => ({
    id: String(c._id),
    kind: c.kind,
    caseId: String(c.caseId),
    caseNumber: c.caseNumber,
    agencyName: c.agencyName,
    summary: c.summary,
    reason: c.reason,
    proposedBy: c.proposedBy.name,
    proposedAt: c.proposedAt,
    status: c.status,
    withdrawal: c.withdrawal,
    sessionLabel: c.sessionLabel,
  }));
}

export async function getCandidate(actor: Actor, id: string): Promise<QuestioningCandidate> {
  assertMayReadSupervision(actor);
  const c = mongoose.isValidObjectId(id) ? await QuestioningCandidateModel.findById(id).lean<QuestioningCandidate>() : null;
  if (!c) throw new NotFoundError('supervision.errors.candidateNotFound');
  return c;
}

/** The case and its forwardings (sent ones), for the proposal form. */
export async function caseForProposal(caseId: string): Promise<{ id: string; number: string; summary: string; forwardings: { id: string; label: string; agencyId: string }[] }> {
  const kase = mongoose.isValidObjectId(caseId) ? await CaseModel.findById(caseId, { number: 1, summary: 1, confidential: 1, parties: 1, status: 1 }).lean<Case>() : null;
  if (!kase || kase.status === 'merged') throw new NotFoundError('supervision.errors.caseUnknown');
  const forwardings = await ForwardingModel.find({ caseIds: kase._id, documentNumber: trusted({ $type: 'string' }) }, { agencyId: 1, agencyName: 1, documentNumber: 1 }).sort({ caseIds: 1, createdAt: -1 }).limit(100).lean<Forwarding[]>();
  return {
    id: String(kase._id),
    number: kase.number,
    summary: caseSummaryForSession(kase),
    forwardings: forwardings.map((f) => ({ id: String(f._id), label: `${f.agencyName} — ${f.documentNumber ?? ''}`, agencyId: String(f.agencyId) })),
  };
}
