// Work queues as data: which queues exist, what each lists (forwardings or cases), in which order,
// who may see it, and which of them each kind of user finds on their home page. Pure: no database,
// no clock (the "due soon" horizon is computed from a calendar passed in).
import { can, type Actor, type Permission } from '../access/index.js';
import { addWorkingDays, endOfVietnamDay, vietnamDateOf, type WorkingCalendar } from '../calendar/index.js';

/** "Due soon" means within this many working days (today counts as day 0). */
export const DUE_SOON_WORKING_DAYS = 3;

export const QUEUE_IDS = [
  'my-cases', // open cases assigned to me
  'my-forwardings', // forwardings I drafted that are not finished
  'due-soon', // forwardings waiting for the agency, due within DUE_SOON_WORKING_DAYS
  'cases-due-soon', // cases whose handling deadline falls within DUE_SOON_WORKING_DAYS
  'overdue', // forwardings waiting for the agency past their deadline, most overdue first
  'cases-overdue', // cases past their handling deadline, most overdue first
  'answered', // answered by the agency, waiting for the office's evaluation
  'awaiting-approval', // drafts waiting for a leader
  'extensions', // an agency's request for more time waiting for a decision
  'reminded', // overdue although the agency has been chased at least once
] as const;
export type QueueId = (typeof QUEUE_IDS)[number];

export type QueueSubject = 'forwarding' | 'case';

export interface QueueDefinition {
  id: QueueId;
  subject: QueueSubject;
  /** The sort key (with _id as tie-breaker, in the same direction). */
  order: { path: string; dir: 1 | -1 };
  /** Any one of these lets a user see the queue (the rows are then limited to what they may see). */
  needs: readonly Permission[];
}

const READERS: readonly Permission[] = ['cases:read-all', 'cases:read-own'];
const byDeadline = { path: 'deadline.dueAt', dir: 1 } as const;
const byCaseDeadline = { path: 'handlingDeadline.dueAt', dir: 1 } as const;

export const QUEUES: Readonly<Record<QueueId, QueueDefinition>> = {
  'my-cases': { id: 'my-cases', subject: 'case', order: { path: 'receivedAt', dir: -1 }, needs: ['cases:write'] },
  'my-forwardings': { id: 'my-forwardings', subject: 'forwarding', order: { path: 'createdAt', dir: -1 }, needs: ['cases:write'] },
  'due-soon': { id: 'due-soon', subject: 'forwarding', order: byDeadline, needs: READERS },
  'cases-due-soon': { id: 'cases-due-soon', subject: 'case', order: byCaseDeadline, needs: READERS },
  overdue: { id: 'overdue', subject: 'forwarding', order: byDeadline, needs: READERS },
  'cases-overdue': { id: 'cases-overdue', subject: 'case', order: byCaseDeadline, needs: READERS },
  // Oldest answer first: the one that has waited longest for the office.
  answered: { id: 'answered', subject: 'forwarding', order: { path: 'lastAnsweredAt', dir: 1 }, needs: READERS },
  'awaiting-approval': { id: 'awaiting-approval', subject: 'forwarding', order: { path: 'createdAt', dir: 1 }, needs: ['forwardings:approve'] },
  extensions: { id: 'extensions', subject: 'forwarding', order: byDeadline, needs: ['cases:write'] },
  reminded: { id: 'reminded', subject: 'forwarding', order: byDeadline, needs: READERS },
};

export function isQueueId(value: unknown): value is QueueId {
  return typeof value === 'string' && (QUEUE_IDS as readonly string[]).includes(value);
}

export function maySeeQueue(actor: Actor, id: QueueId): boolean {
  return QUEUES[id].needs.some((p) => can(actor, p));
}

/** Every queue the user may open, in the order of QUEUE_IDS (empty for an administrator). */
export function queuesFor(actor: Actor): QueueId[] {
  return QUEUE_IDS.filter((id) => maySeeQueue(actor, id));
}

/**
 * The queues on the home page, by what the user does (decided by permissions, never by role names):
 * the approver's, the case handler's, the follower's; nothing for a user without case permissions.
 */
export function homeQueuesFor(actor: Actor): QueueId[] {
  if (can(actor, 'forwardings:approve')) return ['awaiting-approval', 'overdue', 'answered'];
  if (can(actor, 'cases:write')) return ['my-cases', 'my-forwardings', 'due-soon', 'cases-due-soon', 'overdue', 'answered'];
  if (can(actor, 'cases:read-own')) return ['overdue', 'answered'];
  return [];
}

/**
 * The end of the "due soon" window: the end (23:59:59.999, Vietnam) of the DUE_SOON_WORKING_DAYS-th
 * working day after today. A deadline between now and then is due soon.
 */
export function dueSoonHorizon(now: Date, cal: WorkingCalendar, workingDays = DUE_SOON_WORKING_DAYS): Date {
  return endOfVietnamDay(addWorkingDays(vietnamDateOf(now), workingDays, cal));
}

/** Whole days past a deadline (0 when not past), counted like forwardings' daysOverdue. */
export function daysPast(dueAt: Date | null, now: Date): number {
  if (!dueAt || dueAt.getTime() >= now.getTime()) return 0;
  return Math.ceil((now.getTime() - dueAt.getTime()) / 86_400_000);
}
