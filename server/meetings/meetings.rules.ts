// Pure rules of voter meetings and their petitions: the compile windows around a session, the press
// notice before a meeting, and the life of a petition from the meeting to the agency's answer. No
// database, no clock: the calendar and "today" are passed in, so each rule has a table of cases.
import { addCalendarDays, vietnamDateOf, type IsoDate, type WorkingCalendar } from '../calendar/index.js';
import { deadlineFromRule, type RuleForCompute, type StoredDeadline } from '../deadlines/index.js';

export const ASSEMBLY_BODIES = ['quoc-hoi', 'hdnd-tinh'] as const;
export type AssemblyBody = (typeof ASSEMBLY_BODIES)[number];

/** A meeting is held before a session, after it, or on a theme of its own (chuyên đề). */
export const MEETING_TIMINGS = ['before', 'after', 'thematic'] as const;
export type MeetingTiming = (typeof MEETING_TIMINGS)[number];

export const MEETING_FORMATS = ['in-person', 'online'] as const;
export type MeetingFormat = (typeof MEETING_FORMATS)[number];

/** Who is competent to resolve a petition: a central body, the province or a commune. */
export const COMPETENCES = ['central', 'province', 'commune'] as const;
export type Competence = (typeof COMPETENCES)[number];

export const PETITION_STATUSES = ['recorded', 'classified', 'compiled', 'forwarded', 'answered', 'evaluated', 'merged', 'withdrawn'] as const;
export type PetitionStatus = (typeof PETITION_STATUSES)[number];

/** Statuses in which the office still shapes the petition: it may be classified, merged, withdrawn. */
export const EDITABLE_STATUSES: readonly PetitionStatus[] = ['recorded', 'classified', 'compiled'];

export const VERDICTS = ['satisfied', 'unsatisfied'] as const;
export type Verdict = (typeof VERDICTS)[number];

// ─── Sessions and their compile windows ─────────────────────────────────────────────────────────

/** Sessions open in the morning; the instant only fixes the Vietnam calendar day the rules count from. */
export function sessionDayInstant(date: IsoDate): Date {
  return new Date(`${date}T08:00:00+07:00`);
}

export interface CompileWindows {
  /** Petitions of the meetings before the session are compiled and sent by this deadline. */
  before: StoredDeadline;
  /** Petitions of the meetings after the session are compiled by this deadline. */
  after: StoredDeadline;
}

/**
 * The two compile deadlines of a session (DOMAIN.md: "voter petitions, compile", −15 / +15 days,
 * NQLT 72/2025), from the rules as the administrator set them. A "before" deadline that falls on a
 * day off moves to the working day before it, an "after" one to the working day after.
 */
export function compileWindows(session: { opensOn: IsoDate; closesOn: IsoDate }, rules: { before: RuleForCompute; after: RuleForCompute }, cal: WorkingCalendar): CompileWindows {
  return {
    before: deadlineFromRule(rules.before, { startAt: sessionDayInstant(session.opensOn) }, cal),
    after: deadlineFromRule(rules.after, { startAt: sessionDayInstant(session.closesOn) }, cal),
  };
}

export type SessionPhase = 'collecting' | 'compile-overdue' | 'in-session' | 'after-compiling' | 'closed';

/**
 * Where a session stands on a given day: petitions are collected until the "before" deadline, the
 * session sits from its opening to its closing day, and petitions of the meetings after it are
 * compiled until the "after" deadline.
 */
export function sessionPhase(session: { opensOn: IsoDate; closesOn: IsoDate; compileBeforeDue: IsoDate; compileAfterDue: IsoDate }, today: IsoDate): SessionPhase {
  if (today <= session.compileBeforeDue) return 'collecting';
  if (today < session.opensOn) return 'compile-overdue';
  if (today <= session.closesOn) return 'in-session';
  if (today <= session.compileAfterDue) return 'after-compiling';
  return 'closed';
}

/** The compile deadline a meeting's petitions fall under; a thematic meeting has none of its own. */
export function compileDueFor(timing: MeetingTiming, session: { compileBeforeDue: IsoDate; compileAfterDue: IsoDate } | null): IsoDate | null {
  if (!session || timing === 'thematic') return null;
  return timing === 'before' ? session.compileBeforeDue : session.compileAfterDue;
}

/** Problems of a session's dates, as field → message key. */
export function sessionDateProblems(opensOn: IsoDate, closesOn: IsoDate): Record<string, string> {
  if (closesOn < opensOn) return { closesOn: 'meetings.errors.closesBeforeOpens' };
  // The longest regular session of the National Assembly lasts about six weeks; a year is a typing slip.
  if (closesOn > addCalendarDays(opensOn, 120)) return { closesOn: 'meetings.errors.sessionTooLong' };
  return {};
}

/** A meeting before a session is held before it opens; one after it, after it closes. */
export function meetingTimingProblem(timing: MeetingTiming, meetingDay: IsoDate, session: { opensOn: IsoDate; closesOn: IsoDate } | null): string | null {
  if (timing === 'thematic') return null;
  if (!session) return 'meetings.errors.sessionRequired';
  if (timing === 'before' && meetingDay >= session.opensOn) return 'meetings.errors.beforeSessionLate';
  if (timing === 'after' && meetingDay <= session.closesOn) return 'meetings.errors.afterSessionEarly';
  return null;
}

// ─── The press notice ───────────────────────────────────────────────────────────────────────────

export type PressNoticeState = 'published' | 'published-late' | 'pending' | 'due-today' | 'late';

/**
 * The press notice must be published 7 working days before the meeting (NQLT 72/2025, Điều 6).
 * Published on or before the deadline: fine; after it: late. Not yet published: pending, due today,
 * or late once the deadline has passed.
 */
export function pressNoticeState(dueDate: IsoDate, publishedOn: IsoDate | null, today: IsoDate): PressNoticeState {
  if (publishedOn) return publishedOn <= dueDate ? 'published' : 'published-late';
  if (today < dueDate) return 'pending';
  return today === dueDate ? 'due-today' : 'late';
}

export function isPressNoticeWarning(state: PressNoticeState): boolean {
  return state === 'late' || state === 'published-late' || state === 'due-today';
}

// ─── Petition life ──────────────────────────────────────────────────────────────────────────────

export function isEditable(status: PetitionStatus): boolean {
  return EDITABLE_STATUSES.includes(status);
}

/** Merged-away and withdrawn petitions are never forwarded: their consolidated petition is, or nothing. */
export function forwardProblem(status: PetitionStatus): string | null {
  if (status === 'merged') return 'meetings.errors.petitionMerged';
  if (status === 'withdrawn') return 'meetings.errors.petitionWithdrawn';
  return null;
}

/** The status after classification: a recorded petition becomes classified; later ones keep theirs. */
export function statusAfterClassifying(status: PetitionStatus, classified: boolean): PetitionStatus {
  if (status === 'recorded' && classified) return 'classified';
  if (status === 'classified' && !classified) return 'recorded';
  return status;
}

export interface ForwardingState {
  forwardingId: string;
  answeredAt: Date | null;
  evaluatedAt: Date | null;
  verdict: Verdict | null;
}

/**
 * The state of a forwarded petition from its forwardings (one per agency): answered once every agency
 * has answered, evaluated once every answer is evaluated; satisfied only if every evaluation is.
 */
export function stateFromForwardings(forwardings: readonly ForwardingState[]): { status: PetitionStatus; verdict: Verdict | null } | null {
  if (forwardings.length === 0) return null;
  if (!forwardings.every((f) => f.answeredAt)) return { status: 'forwarded', verdict: null };
  if (!forwardings.every((f) => f.evaluatedAt && f.verdict)) return { status: 'answered', verdict: null };
  return { status: 'evaluated', verdict: forwardings.every((f) => f.verdict === 'satisfied') ? 'satisfied' : 'unsatisfied' };
}

/** What a report counts a petition as. A merged original counts as its consolidated petition does. */
export type ReportState = 'pending' | 'forwarded' | 'answered' | 'satisfied' | 'unsatisfied' | 'withdrawn';

export function reportStateOf(p: { status: PetitionStatus; verdict: Verdict | null }): ReportState {
  switch (p.status) {
    case 'forwarded':
      return 'forwarded';
    case 'answered':
      return 'answered';
    case 'evaluated':
      return p.verdict === 'satisfied' ? 'satisfied' : 'unsatisfied';
    case 'withdrawn':
      return 'withdrawn';
    default:
      return 'pending';
  }
}

/** Whether a report state means the agency has sent its answer (evaluated or not). */
export function isAnswered(state: ReportState): boolean {
  return state === 'answered' || state === 'satisfied' || state === 'unsatisfied';
}

export function isForwarded(state: ReportState): boolean {
  return state === 'forwarded' || isAnswered(state);
}

/** The Vietnam calendar day of an instant, for comparisons with stored dates. */
export function dayOf(at: Date): IsoDate {
  return vietnamDateOf(at);
}
