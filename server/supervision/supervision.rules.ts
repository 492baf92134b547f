// Pure rules of supervision (giám sát): the life of a round, what may be done in each state, the chase
// letter's number and what it says about lateness, and the candidates for a session's questioning.
import type { IsoDate } from '../calendar/index.js';

export const ROUND_STATUSES = ['planned', 'in-progress', 'concluded'] as const;
export type RoundStatus = (typeof ROUND_STATUSES)[number];

const NEXT: Readonly<Record<RoundStatus, readonly RoundStatus[]>> = {
  planned: ['in-progress'],
  'in-progress': ['concluded'],
  concluded: [],
};

export function isRoundStatus(value: unknown): value is RoundStatus {
  return typeof value === 'string' && (ROUND_STATUSES as readonly string[]).includes(value);
}

export function mayMoveRound(from: RoundStatus, to: RoundStatus): boolean {
  return NEXT[from].includes(to);
}

/** Cases and agencies may be added until the round is concluded. */
export function mayChangeScope(status: RoundStatus): boolean {
  return status !== 'concluded';
}

/** Findings are written while the round is being carried out (a planned round has not started). */
export function mayRecordFindings(status: RoundStatus): boolean {
  return status === 'in-progress';
}

export const FINDING_KINDS = ['finding', 'conclusion'] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

export const MEMBER_KINDS = ['staff', 'delegate'] as const;
export type MemberKind = (typeof MEMBER_KINDS)[number];

/** Field errors for a round's dates (both already valid calendar days). */
export function roundDateProblems(startsOn: IsoDate, endsOn: IsoDate): Record<string, string> {
  return endsOn < startsOn ? { endsOn: 'supervision.errors.endBeforeStart' } : {};
}

/** A finding's date must fall within the round, and not after today. */
export function findingDateProblem(on: IsoDate, round: { startsOn: IsoDate; endsOn: IsoDate }, today: IsoDate): string | null {
  if (on > today) return 'supervision.errors.dateInFuture';
  if (on < round.startsOn) return 'supervision.errors.findingBeforeRound';
  return null;
}

/** Forwardings with an agency that a formal chase letter can be about. */
export const CHASEABLE_FORWARDING_STATUSES = ['sent', 'acknowledged', 'answered', 'evaluated'] as const;

export function isChaseable(status: string): boolean {
  return (CHASEABLE_FORWARDING_STATUSES as readonly string[]).includes(status);
}

/** The suffix of the office's chase letters: công văn đôn đốc. */
export const CHASE_NUMBER_SUFFIX = 'CV-ĐĐ';

export function formatChaseNumber(seq: number, suffix = CHASE_NUMBER_SUFFIX): string {
  return `${seq}/${suffix}`;
}

/** The calendar year in Vietnam of an instant: the yearly sequences restart on 1 January, Vietnam time. */
export function vietnamYear(at: Date): number {
  return Number(new Intl.DateTimeFormat('en', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric' }).format(at));
}

/** What the letter says of the agency's position: no answer (late or not), or an answer still wanting. */
export type ChaseSituation = 'late' | 'not-answered' | 'answer-wanting';

export function chaseSituation(status: string, daysLate: number): ChaseSituation {
  if (status === 'answered' || status === 'evaluated') return 'answer-wanting';
  return daysLate > 0 ? 'late' : 'not-answered';
}

export const CANDIDATE_KINDS = ['questioning', 'explanation'] as const;
export type CandidateKind = (typeof CANDIDATE_KINDS)[number];

export const CANDIDATE_STATUSES = ['proposed', 'withdrawn'] as const;
export type CandidateStatus = (typeof CANDIDATE_STATUSES)[number];

/**
 * A matter is proposed once per session and kind while the proposal stands; a withdrawn proposal
 * frees the key (null) so the matter can be proposed again with a new reason.
 */
export function candidateActiveKey(c: { sessionId: string; caseId: string; kind: CandidateKind }): string {
  return `${c.sessionId}:${c.caseId}:${c.kind}`;
}

/** Why a case appears in the pick list of a round. */
export const PICK_REASONS = ['supervising', 'overdue', 'unsatisfied'] as const;
export type PickReason = (typeof PICK_REASONS)[number];

/** The reasons of one case, from its status and its forwardings (open ones past their deadline, answers judged wanting). */
export function pickReasons(
  kase: { status: string },
  forwardings: readonly { status: string; dueAt: Date | null; unsatisfied: boolean }[],
  now: Date,
): PickReason[] {
  const reasons: PickReason[] = [];
  if (kase.status === 'supervising') reasons.push('supervising');
  const awaiting = ['sent', 'acknowledged', 'evaluated'];
  if (forwardings.some((f) => awaiting.includes(f.status) && f.dueAt !== null && f.dueAt.getTime() < now.getTime())) reasons.push('overdue');
  if (forwardings.some((f) => f.unsatisfied && f.status !== 'cancelled')) reasons.push('unsatisfied');
  return reasons;
}
