// The office's handling deadline for a new matter: 10 working days from receipt to classify it and
// decide how to handle it (Thông tư 05/2021/TT-TTCP, as commonly cited — see DOMAIN.md). Computed once
// from the working-day calendar and stored with how it was computed.
import { computeDeadlineFor } from '../calendar/index.js';

export const LETTER_HANDLING_RULE = {
  key: 'letter-handling',
  days: 10,
  dayType: 'working' as const,
  startEvent: 'received',
  basis: 'Thông tư 05/2021/TT-TTCP',
};

export interface StoredDeadline {
  rule: string;
  startEvent: string;
  startDate: string;
  days: number;
  dayType: 'working' | 'calendar';
  dueDate: string;
  dueAt: Date;
  skipped: string[];
  basis: string | null;
}

export async function handlingDeadline(receivedAt: Date): Promise<StoredDeadline> {
  const d = await computeDeadlineFor({ startAt: receivedAt, days: LETTER_HANDLING_RULE.days, dayType: LETTER_HANDLING_RULE.dayType, startEvent: LETTER_HANDLING_RULE.startEvent });
  return {
    rule: LETTER_HANDLING_RULE.key,
    startEvent: d.startEvent,
    startDate: d.startDate,
    days: d.days,
    dayType: d.dayType,
    dueDate: d.dueDate,
    dueAt: d.dueAt,
    skipped: [...d.skipped],
    basis: LETTER_HANDLING_RULE.basis,
  };
}
