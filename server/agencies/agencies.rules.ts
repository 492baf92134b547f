// What makes an agency record consistent, and which agencies to suggest as competent for a matter —
// pure functions over plain data, shared by the admin form, the CSV import, the seed and the
// forwarding module, and tested with tables of cases.

export const AGENCY_LEVELS = ['central', 'province', 'commune', 'other'] as const;
export type AgencyLevel = (typeof AGENCY_LEVELS)[number];

/** 'to' receives the forwarding, 'cc' a copy, 'head' the head of the agency (chases escalate to them). */
export const CONTACT_ROLES = ['to', 'cc', 'head'] as const;
export type ContactRole = (typeof CONTACT_ROLES)[number];

export const MAX_CONTACTS = 10;

export interface AgencyContact {
  email: string;
  name: string;
  role: ContactRole;
}

// A practical address check (the mail server has the last word): an ASCII local part without
// spaces, brackets or separators and without empty dot-separated pieces, then a dotted domain of
// letters, digits and hyphens. Addresses are compared and stored in lower case.
const EMAIL = /^(?!\.)(?!.*\.\.)[a-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}(?<!\.)@(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** The address in lower case, or null when it is not a plausible email address. */
export function normaliseEmail(text: string): string | null {
  const email = text.trim().toLowerCase();
  return EMAIL.test(email) ? email : null;
}

export type ContactProblem = 'agencies.errors.contactToRequired' | 'agencies.errors.contactRepeated' | 'agencies.errors.contactsTooMany';

/** Problems of a list of (already normalised) contacts: at least one 'to', each address once, at most MAX_CONTACTS. */
export function contactProblems(contacts: readonly AgencyContact[]): { index: number; problem: ContactProblem }[] {
  const problems: { index: number; problem: ContactProblem }[] = [];
  const seen = new Set<string>();
  contacts.forEach((c, index) => {
    if (seen.has(c.email)) problems.push({ index, problem: 'agencies.errors.contactRepeated' });
    seen.add(c.email);
  });
  if (contacts.length > MAX_CONTACTS) problems.push({ index: MAX_CONTACTS, problem: 'agencies.errors.contactsTooMany' });
  if (!contacts.some((c) => c.role === 'to')) problems.push({ index: 0, problem: 'agencies.errors.contactToRequired' });
  return problems;
}

/**
 * True when making `parentId` the parent of `agencyId` would close a loop: walking up from the parent
 * reaches the agency itself. `parentOf` answers for every agency (the stored ones with any pending
 * changes applied); a chain longer than the number of agencies is a loop already there.
 */
export function wouldLoop(agencyId: string, parentId: string | null, parentOf: (id: string) => string | null | undefined, limit = 10_000): boolean {
  let current = parentId;
  for (let steps = 0; current; steps++) {
    if (current === agencyId || steps > limit) return true;
    current = parentOf(current) ?? null;
  }
  return false;
}

// ─── Suggesting the competent agency ────────────────────────────────────────────────────────────
//
// Competence is approximated from two admin-maintained lists on each agency: its fields (empty =
// general competence, like a People's Committee) and its communes (empty = the whole province). An
// agency is a candidate when it is active, covers the commune (or the whole province) and is competent
// in the field (or in general). Candidates rank:
//   1. competent in the field AND covering that commune by name (a commune's People's Committee for
//      a land complaint in that commune);
//   2. competent in the field, province-wide (the provincial department of that field);
//   3. general competence (UBND tỉnh, UBND xã), which can always take the matter on.
// Within a rank, the level the matter's type usually goes to comes first:
//   - complaints (khiếu nại) are resolved first by the body whose decision is contested, usually the
//     commune since the 2025 reform, then the province;
//   - denunciations (tố cáo) go to the body that manages the official denounced: for a commune named
//     in the matter, its People's Committee manages the commune's officials, then the province; the
//     courts, prosecutors and police only after;
//   - petitions and feedback are mostly about provincial policy, then commune services;
//   - voter petitions are classified central or local by the office, and go to that level first.
// Then agencies with fewer fields (the more specialised) and finally the name. At most five.

export const SUGGESTION_CASE_TYPES = ['complaint', 'denunciation', 'petition', 'feedback', 'voter-petition-local', 'voter-petition-central'] as const;
export type SuggestionCaseType = (typeof SUGGESTION_CASE_TYPES)[number];

const LEVEL_PREFERENCE: Readonly<Record<SuggestionCaseType | 'none', readonly AgencyLevel[]>> = {
  complaint: ['commune', 'province', 'other', 'central'],
  denunciation: ['commune', 'province', 'other', 'central'],
  petition: ['province', 'commune', 'central', 'other'],
  feedback: ['province', 'commune', 'central', 'other'],
  'voter-petition-local': ['province', 'commune', 'other', 'central'],
  'voter-petition-central': ['central', 'province', 'other', 'commune'],
  none: ['province', 'commune', 'other', 'central'],
};

export const MAX_SUGGESTIONS = 5;

export interface AgencyCandidate {
  id: string;
  name: string;
  nameFolded: string;
  shortName: string;
  level: AgencyLevel;
  fieldCodes: readonly string[];
  unitCodes: readonly string[];
  active: boolean;
}

export interface SuggestionInput {
  fieldCode?: string | null;
  unitCode?: string | null;
  caseType?: SuggestionCaseType | null;
}

export type SuggestionMatch = 'field-commune' | 'field-province' | 'general';

export interface AgencySuggestion<A extends AgencyCandidate = AgencyCandidate> {
  agency: A;
  match: SuggestionMatch;
}

const MATCH_RANK: Readonly<Record<SuggestionMatch, number>> = { 'field-commune': 0, 'field-province': 1, general: 2 };

/** How an agency matches the matter, or null when it is not a candidate. */
export function matchOf(agency: AgencyCandidate, input: SuggestionInput): SuggestionMatch | null {
  if (!agency.active) return null;
  const coversCommune = agency.unitCodes.length > 0;
  if (coversCommune && (!input.unitCode || !agency.unitCodes.includes(input.unitCode))) return null;
  if (agency.fieldCodes.length === 0) return 'general';
  if (!input.fieldCode || !agency.fieldCodes.includes(input.fieldCode)) return null;
  return coversCommune ? 'field-commune' : 'field-province';
}

/** The agencies to suggest for a matter, best first (see the ranking above). */
export function suggestAgencies<A extends AgencyCandidate>(agencies: readonly A[], input: SuggestionInput, limit = MAX_SUGGESTIONS): AgencySuggestion<A>[] {
  const preference = LEVEL_PREFERENCE[input.caseType ?? 'none'] ?? LEVEL_PREFERENCE.none;
  const levelRank = (level: AgencyLevel) => {
    const i = preference.indexOf(level);
    return i < 0 ? preference.length : i;
  };
  const seen = new Set<string>();
  const ranked: (AgencySuggestion<A> & { key: (number | string)[] })[] = [];
  for (const agency of agencies) {
    if (seen.has(agency.id)) continue;
    seen.add(agency.id);
    const match = matchOf(agency, input);
    if (!match) continue;
    // Within general competence, a body named for the commune comes before a province-wide one of the same level.
    const areaRank = agency.unitCodes.length > 0 ? 0 : 1;
    ranked.push({ agency, match, key: [MATCH_RANK[match], levelRank(agency.level), areaRank, agency.fieldCodes.length || Number.MAX_SAFE_INTEGER, agency.nameFolded] });
  }
  ranked.sort((a, b) => {
    for (let i = 0; i < a.key.length; i++) {
      const x = a.key[i]!;
      const y = b.key[i]!;
      if (x < y) return -1;
      if (x > y) return 1;
    }
    return 0;
  });
  return ranked.slice(0, Math.max(0, limit)).map(({ agency, match }) => ({ agency, match }));
}
