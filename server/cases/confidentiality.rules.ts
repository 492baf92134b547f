// What of a denunciation's filer a user may see (Luật Tố cáo 2018, Điều 9: the filer's name,
// address, handwriting and other identifying information are kept secret). Pure functions: the
// queries call them on every read that leaves the service layer.
import type { PartyRole } from './case-types.js';
import { noticeState, type NoticeState } from './notice-consent.rules.js';
import { REDACTED, redactIdentities } from './redaction.rules.js';

export interface PartyView {
  personId: string | null;
  role: PartyRole;
  name: string | null;
  citizenId: string | null;
  /** True when the identity is withheld from this user: shown as "[bảo mật]". */
  hidden: boolean;
  /** What the party's answer about email notices means (notice-consent.rules.ts); null when hidden. */
  notices: NoticeState | null;
}

export interface PartyLike {
  personId: unknown;
  role: string;
  name: string;
  citizenId?: string | null;
  emailNotices?: boolean | null;
}

export function visibleParties(parties: readonly PartyLike[], confidential: boolean, maySeeIdentity: boolean): PartyView[] {
  return parties.map((p) =>
    confidential && !maySeeIdentity
      ? { personId: null, role: p.role as PartyRole, name: null, citizenId: null, hidden: true, notices: null }
      : { personId: String(p.personId), role: p.role as PartyRole, name: p.name, citizenId: p.citizenId ?? null, hidden: false, notices: noticeState(p, confidential) },
  );
}

/**
 * Free text of a protected record (a case's summary, a letter's summary, what a visitor said) as this
 * reader may see it. It is typed by an officer and may name the filer; for someone who may not see the
 * filers of a denunciation, every party's name and ID number in it is blanked, as the filers themselves
 * are — on the lists, the case page and in files alike.
 */
export function visibleText(text: string, parties: readonly Pick<PartyLike, 'name' | 'citizenId'>[], confidential: boolean, maySeeIdentity: boolean): string {
  return confidential && !maySeeIdentity ? redactIdentities(text, parties.flatMap((p) => [p.name, p.citizenId])) : text;
}

/**
 * The words of a protected record's free text that everyone may search by: the text without its parties'
 * names and ID numbers. Those go only to the identity words, which only users who may see the filers
 * search — otherwise a search by the filer's name would list the case to everyone, blanked or not.
 */
export function searchableText(text: string, parties: readonly Pick<PartyLike, 'name' | 'citizenId'>[], confidential: boolean): string {
  return confidential ? visibleText(text, parties, true, false).replaceAll(REDACTED, ' ') : text;
}
