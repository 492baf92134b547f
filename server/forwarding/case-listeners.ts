// Other modules that must act when a case's forwarding is sent or answered (the citizen's notices, in
// server/reminders) register here at start-up, so forwarding never imports them — they import it.
import type { ClientSession } from 'mongoose';
import type { AnswerFact, ForwardingFact } from './forwardable.js';

export interface CaseForwardingListener {
  onSent?(caseIds: readonly string[], fact: ForwardingFact, session: ClientSession): Promise<unknown>;
  onAnswered?(caseIds: readonly string[], fact: AnswerFact, session: ClientSession): Promise<unknown>;
}

const listeners: CaseForwardingListener[] = [];

export function listenToCaseForwardings(listener: CaseForwardingListener): void {
  if (!listeners.includes(listener)) listeners.push(listener);
}

export async function tellCaseListeners<K extends keyof CaseForwardingListener>(
  event: K,
  caseIds: readonly string[],
  fact: Parameters<NonNullable<CaseForwardingListener[K]>>[1],
  session: ClientSession,
): Promise<void> {
  for (const listener of listeners) {
    const handler = listener[event] as ((ids: readonly string[], f: typeof fact, s: ClientSession) => Promise<unknown>) | undefined;
    if (handler) await handler.call(listener, caseIds, fact, session);
  }
}
