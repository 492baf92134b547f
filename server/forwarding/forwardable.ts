// What can be forwarded to an agency: a case of the case file, or a voter petition. The forwarding
// module knows cases itself; other kinds (voter petitions) register a provider at start-up, so that
// forwarding never imports the modules that use it.
import type { ClientSession } from 'mongoose';
import type { Actor } from '../access/index.js';

export const FORWARDABLE_KINDS = ['case', 'petition'] as const;
export type ForwardableKind = (typeof FORWARDABLE_KINDS)[number];

export interface ForwardableRef {
  kind: ForwardableKind;
  id: string;
}

/** A matter as the agency may see it: never a denouncer's identity, never internal notes. */
export interface ForwardableMatter {
  kind: ForwardableKind;
  id: string;
  /** Shown in lists and on the slip, e.g. the case number '2026/000123' or 'KN-15-0042'. */
  label: string;
  /** What the agency is asked to resolve (already redacted by the provider). */
  summary: string;
  fieldCode: string | null;
  unitCodes: string[];
  /** The case whose timeline records the forwarding's events (null for petitions). */
  caseId: string | null;
  /** Whether the matter may be forwarded now; a message key when not (closed, merged, …). */
  problem: string | null;
}

export type EvaluationVerdict = 'satisfied' | 'unsatisfied';

/** Facts handed to the provider when the state of a forwarded matter changes. */
export interface ForwardingFact {
  /** Who caused the change, as the timeline names them: a user, or the agency through its link. */
  by: { id: string; name: string };
  forwardingId: string;
  agencyId: string;
  agencyName: string;
  at: Date;
}

export interface AnswerFact extends ForwardingFact {
  outcome: string;
  documentNumber: string;
  documentDate: Date;
  text: string;
}

export interface EvaluationFact extends ForwardingFact {
  verdict: EvaluationVerdict;
  reason: string | null;
}

export interface ForwardableProvider {
  kind: ForwardableKind;
  /** Loads the matters (in the given order; unknown ids are left out). */
  load(actor: Actor, ids: readonly string[], session: ClientSession | null): Promise<ForwardableMatter[]>;
  /** Called inside the forwarding's transaction once it has been sent to the agency. */
  onForwarded(ids: readonly string[], fact: ForwardingFact, session: ClientSession): Promise<void>;
  onAnswered(ids: readonly string[], fact: AnswerFact, session: ClientSession): Promise<void>;
  onEvaluated(ids: readonly string[], fact: EvaluationFact, session: ClientSession): Promise<void>;
}

const providers = new Map<ForwardableKind, ForwardableProvider>();

export function registerForwardableProvider(provider: ForwardableProvider): void {
  providers.set(provider.kind, provider);
}

export function forwardableProvider(kind: ForwardableKind): ForwardableProvider {
  const provider = providers.get(kind);
  if (!provider) throw new Error(`no forwardable provider registered for ${kind}`);
  return provider;
}
