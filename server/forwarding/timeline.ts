// Every step of a forwarding is an event on the timeline of each case it carries (DOMAIN.md: every
// change is an event, kept forever). Petitions keep their own history through their provider.
import type { ClientSession } from 'mongoose';
import type mongoose from 'mongoose';
import { recordCaseEvent } from '../cases/index.js';

export interface EventSource {
  _id: mongoose.Types.ObjectId;
  caseIds: mongoose.Types.ObjectId[];
  agencyName?: string;
  documentNumber?: string | null;
}

export async function recordForwardingEvent(
  forwarding: EventSource,
  by: { id: string; name: string },
  type: string,
  data: Record<string, unknown>,
  at: Date,
  session: ClientSession,
): Promise<void> {
  for (const caseId of forwarding.caseIds) {
    await recordCaseEvent(
      caseId,
      by,
      type,
      { forwardingId: String(forwarding._id), agency: forwarding.agencyName ?? '', documentNumber: forwarding.documentNumber ?? '', ...data },
      at,
      session,
    );
  }
}
