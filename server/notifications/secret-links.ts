// Links that must never be stored in readable form (an agency's secure link). A template prints a
// marker — secretLinkMarker('agency-link', linkId) — instead of the link; the sender asks the module
// that owns the kind for the real path just before handing the email to the SMTP server, so the
// stored message (the email log) only ever holds the marker, shown to readers as a placeholder.
import { absoluteUrlFor, mailRenderer } from './render.js';

const KIND = /^[a-z][a-z0-9-]{0,39}$/;
const MARKER = /\[\[secret-link:([a-z][a-z0-9-]{0,39}):([A-Za-z0-9_-]{1,64})\]\]/g;

/** Returns the path on this site (e.g. '/a/<token>') to put in the email for this delivery attempt. */
export type SecretLinkResolver = (id: string) => Promise<string>;

const resolvers = new Map<string, SecretLinkResolver>();

export function registerSecretLink(kind: string, resolve: SecretLinkResolver): void {
  if (!KIND.test(kind)) throw new Error(`invalid secret link kind '${kind}'`);
  resolvers.set(kind, resolve);
}

export function secretLinkMarker(kind: string, id: string): string {
  return `[[secret-link:${kind}:${id}]]`;
}

export function hasSecretLinks(text: string): boolean {
  return new RegExp(MARKER.source).test(text);
}

/** The text with every marker replaced by its resolved address (each marker resolved once per text set). */
export async function resolveSecretLinks(parts: { html: string; text: string }): Promise<{ html: string; text: string }> {
  const found = new Map<string, string>();
  for (const part of [parts.html, parts.text]) {
    for (const m of part.matchAll(MARKER)) {
      if (found.has(m[0])) continue;
      const resolve = resolvers.get(m[1]!);
      if (!resolve) throw new Error(`no resolver registered for secret links of kind '${m[1]!}'`);
      found.set(m[0], absoluteUrlFor(mailRenderer().settings.BASE_URL, await resolve(m[2]!)));
    }
  }
  if (found.size === 0) return parts;
  const swap = (s: string) => s.replace(MARKER, (m) => found.get(m) ?? m);
  return { html: swap(parts.html), text: swap(parts.text) };
}

/** The stored text as the email log shows it: markers replaced by a readable placeholder. */
export function maskSecretLinks(text: string, placeholder: string): string {
  return text.replace(MARKER, placeholder);
}
