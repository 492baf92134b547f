// The life of a case as a state machine. Pure data and functions: the service refuses any transition
// not listed here, with a message that names both states.

export const CASE_STATUSES = [
  'received', // mới tiếp nhận: logged, not yet classified
  'in-progress', // đang xử lý: classified, handling being decided or prepared
  'forwarded', // đã chuyển: sent to one or more competent agencies
  'answered', // đã có trả lời: an agency answered; awaiting the office's evaluation
  'supervising', // đang giám sát: answer judged unsatisfactory, followed up by supervision
  'closed', // đã kết thúc
  'filed', // lưu đơn: kept without action (anonymous without evidence, already guided, …)
  'returned', // trả đơn và hướng dẫn: the filer was told where to go
  'merged', // gộp vào vụ việc khác (terminal)
] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

const TRANSITIONS: Readonly<Record<CaseStatus, readonly CaseStatus[]>> = {
  received: ['in-progress', 'forwarded', 'filed', 'returned', 'closed', 'merged'],
  'in-progress': ['forwarded', 'filed', 'returned', 'closed', 'merged'],
  forwarded: ['answered', 'in-progress', 'supervising', 'closed'],
  answered: ['closed', 'forwarded', 'supervising'],
  supervising: ['forwarded', 'answered', 'closed'],
  closed: ['in-progress'],
  filed: ['in-progress', 'merged'],
  returned: ['in-progress', 'merged'],
  merged: [],
};

/** Moves that need a written reason on the timeline (reopening, closing without an answer, …). */
const NEEDS_REASON: ReadonlySet<string> = new Set(['closed->in-progress', 'filed->in-progress', 'returned->in-progress', 'forwarded->in-progress', 'received->closed', 'in-progress->closed']);

/** States in which the case is still the office's work (for "open cases" filters and counts). */
export const OPEN_STATUSES: readonly CaseStatus[] = ['received', 'in-progress', 'forwarded', 'answered', 'supervising'];

export function isCaseStatus(value: unknown): value is CaseStatus {
  return typeof value === 'string' && (CASE_STATUSES as readonly string[]).includes(value);
}

export function allowedTransitions(from: CaseStatus): readonly CaseStatus[] {
  return TRANSITIONS[from];
}

export type TransitionCheck = { ok: true } | { ok: false; problem: 'not-allowed' | 'same-state' | 'reason-required' };

export function checkTransition(from: CaseStatus, to: CaseStatus, reason: string | null | undefined): TransitionCheck {
  if (from === to) return { ok: false, problem: 'same-state' };
  if (!TRANSITIONS[from].includes(to)) return { ok: false, problem: 'not-allowed' };
  if (NEEDS_REASON.has(`${from}->${to}`) && !reason?.trim()) return { ok: false, problem: 'reason-required' };
  return { ok: true };
}
