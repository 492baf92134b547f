// Small pure rules of the letter register: what a letter's case is, and what its search words are.
import { isConfidentialType, searchableText, searchWords, type CaseType } from '../cases/index.js';
import type { LetterType } from './letter-kinds.js';

/** The type of the case a letter opens: its own, or for a mixed letter the main part the officer chose. */
export function caseTypeOf(type: LetterType, mainType: CaseType | null): CaseType {
  if (type !== 'mixed') return type;
  if (!mainType) throw new Error('a mixed letter needs the type of its main part');
  return mainType;
}

/** Whether any of these case types protects the filer (a denunciation among them). */
export function anyConfidential(types: readonly CaseType[]): boolean {
  return types.some(isConfidentialType);
}

export interface TokenSource {
  summary: string;
  forwardedBy?: string | null;
  caseNumbers: readonly string[];
  confidential: boolean;
  senders: readonly { name: string; citizenId?: string | null }[];
}

/**
 * Folded search words. The summary, the forwarding body and the case numbers are open to everyone; the
 * senders' names and ID numbers too, unless the letter is protected — then they go to identityTokens,
 * which only users allowed to see denouncers search, and are left out of the summary's open words. The full text is not indexed: for a denunciation
 * it usually names the filer, and the summary is what officers search by.
 */
export function letterTokens(letter: TokenSource): { searchTokens: string[]; identityTokens: string[] } {
  const open = searchWords(searchableText(letter.summary, letter.senders, letter.confidential), letter.forwardedBy, ...letter.caseNumbers);
  const identity = searchWords(...letter.senders.flatMap((s) => [s.name, s.citizenId ?? '']));
  if (letter.confidential) return { searchTokens: open, identityTokens: identity };
  return { searchTokens: [...new Set([...open, ...identity])], identityTokens: [] };
}
