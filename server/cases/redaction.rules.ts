// Blanking a denunciation's parties in free text. The filer's identity is a secret (Luật Tố cáo 2018,
// Điều 9), and even a summary typed by an officer could name them: any party's name or ID number found
// in the text is blanked before the text leaves the office (forwarding, chase letters) and wherever a
// reader who may not see the filers reads it (lists, the case page, files; confidentiality.rules.ts).
import { escapeRegExp, foldVietnamese } from '../platform/text.js';

export const REDACTED = '[đã ẩn]';

/**
 * `text` with every occurrence of the given names and ID numbers replaced, ignoring case and
 * diacritics (the summary may spell "Nguyễn Văn An" as "NGUYEN VAN AN").
 */
export function redactIdentities(text: string, identities: readonly (string | null | undefined)[]): string {
  const wanted = identities.map((s) => (s ?? '').trim()).filter((s) => s.length >= 2);
  if (wanted.length === 0) return text;
  // Lists call this for every protected row, and a summary seldom names anyone: first a cheap test that
  // could be passed by every text the full search matches (each word of an identity, folded, somewhere
  // in the folded text), so most texts skip the fold by code point and the patterns (~100 µs a text).
  const folded = foldVietnamese(text);
  if (!wanted.some((w) => foldVietnamese(w).split(' ').every((word) => folded.includes(word)))) return text.normalize('NFC');
  return redactFound(text, wanted);
}

/** The full search, for a text that may name someone (exported for the test that compares it with the above). */
export function redactFound(text: string, wanted: readonly string[]): string {
  const source = text.normalize('NFC');
  // Fold code point by code point, remembering where each folded character came from.
  let folded = '';
  const origin: number[] = [];
  let offset = 0;
  for (const ch of source) {
    const f = ch.trim() === '' ? ' ' : foldVietnamese(ch) || ch;
    for (let i = 0; i < f.length; i++) origin.push(offset);
    folded += f;
    offset += ch.length;
  }
  origin.push(source.length);
  const hits: [number, number][] = [];
  for (const w of wanted) {
    const pattern = new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(foldVietnamese(w)).replace(/\s+/g, '\\s+')}(?![\\p{L}\\p{N}])`, 'gu');
    for (const m of folded.matchAll(pattern)) hits.push([origin[m.index]!, origin[m.index + m[0].length]!]);
  }
  if (hits.length === 0) return source;
  hits.sort((a, b) => a[0] - b[0]);
  let out = '';
  let at = 0;
  for (const [start, end] of hits) {
    if (start < at) continue;
    out += source.slice(at, start) + REDACTED;
    at = end;
  }
  return out + source.slice(at);
}
