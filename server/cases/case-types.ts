// Kinds of matter (DOMAIN.md, Classification). A letter may be "mixed" and split into cases of single
// types; a case itself always has one type.
export const CASE_TYPES = ['complaint', 'denunciation', 'petition', 'feedback'] as const;
export type CaseType = (typeof CASE_TYPES)[number];

export const PARTY_ROLES = ['filer', 'representative', 'accompanying'] as const;
export type PartyRole = (typeof PARTY_ROLES)[number];

export function isCaseType(value: unknown): value is CaseType {
  return typeof value === 'string' && (CASE_TYPES as readonly string[]).includes(value);
}

/** A denunciation's filers are protected (Luật Tố cáo 2018, Điều 9 and 56). */
export function isConfidentialType(type: CaseType): boolean {
  return type === 'denunciation';
}
