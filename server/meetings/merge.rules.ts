// Which petitions say the same thing, and what a consolidated petition adds up to. Voters in ten
// communes ask for the same road in ten wordings; the office sends it once, saying how many meetings
// and voters raised it. Pure functions over plain data, tested with tables.
//
// Similarity works on folded syllables (no tone marks, đ → d, lower case): Vietnamese words are one
// or two syllables, and the syllables that carry the subject ("sua chua duong lien xa sat lo") are
// shared by the different wordings, while the framing ("cử tri đề nghị", "kiến nghị các cấp xem
// xét") is not the subject and is left out. The score is Dice's coefficient on the two sets of
// syllables; suggestions are made only within one field, where a shared word means the most.
import { foldVietnamese } from '../platform/text.js';
import { isEditable, type PetitionStatus } from './meetings.rules.js';

/** Framing syllables of petitions, folded: common to every petition, so they say nothing about the subject. */
const FRAMING = new Set(
  (
    'cu tri de nghi kien nghi phan anh xem xet quan tam som co cac cap nganh chinh quyen dia phuong nha nuoc ' +
    'va cua cho voi de duoc bi da dang se la thi ma nhung mot nay do o tai ve tu theo trong tren duoi hien nay ' +
    'viec can phai rat nhieu them lai khong nen con cung nhu vi'
  ).split(' '),
);

/** Below this many subject syllables a text is too short to compare fairly. */
export const MIN_WORDS = 3;
/** Two petitions at or above this score are suggested as saying the same thing. */
export const SIMILARITY_THRESHOLD = 0.5;

/** The subject syllables of a petition's text, folded, each once, in order of first appearance. */
export function petitionWords(text: string): string[] {
  const words = new Set<string>();
  for (const word of foldVietnamese(text).split(/[^a-z0-9]+/)) if (word && !FRAMING.has(word)) words.add(word);
  return [...words];
}

/** Dice's coefficient of two sets of words: 1 for the same words, 0 for none in common. */
export function similarity(a: readonly string[], b: readonly string[]): number {
  if (a.length < MIN_WORDS || b.length < MIN_WORDS) return 0;
  const set = new Set(a);
  const shared = new Set(b.filter((w) => set.has(w))).size;
  return (2 * shared) / (set.size + new Set(b).size);
}

export interface Mergeable {
  id: string;
  fieldCode: string | null;
  words: readonly string[];
  status: PetitionStatus;
}

export interface MergeSuggestion {
  /** The petitions that seem to say the same thing, in the order they were given. */
  ids: string[];
  fieldCode: string;
  /** The weakest link that joined the group (each petition is at least this close to another). */
  score: number;
}

/**
 * Groups of petitions (two or more) that seem to say the same thing: within one field, joined when a
 * pair scores at least `threshold`; a petition close to any member joins the group. Petitions already
 * forwarded, merged away or withdrawn are left out; petitions without a field are never suggested.
 * Largest groups first, then the closest.
 */
export function mergeSuggestions(petitions: readonly Mergeable[], threshold = SIMILARITY_THRESHOLD): MergeSuggestion[] {
  const open = petitions.filter((p) => p.fieldCode && isEditable(p.status) && p.words.length >= MIN_WORDS);
  const parent = open.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  const weakest = new Map<number, number>();
  const links: { a: number; b: number; score: number }[] = [];
  for (let i = 0; i < open.length; i++) {
    for (let j = i + 1; j < open.length; j++) {
      if (open[i]!.fieldCode !== open[j]!.fieldCode) continue;
      const score = similarity(open[i]!.words, open[j]!.words);
      if (score >= threshold) links.push({ a: i, b: j, score });
    }
  }
  // Strongest links first, so the score kept for a group is that of the link that completed it.
  links.sort((x, y) => y.score - x.score);
  for (const link of links) {
    const ra = find(link.a);
    const rb = find(link.b);
    if (ra === rb) continue;
    parent[rb] = ra;
    weakest.set(ra, Math.min(weakest.get(ra) ?? 1, weakest.get(rb) ?? 1, link.score));
  }
  const groups = new Map<number, number[]>();
  open.forEach((_, i) => {
    const root = find(i);
    groups.set(root, [...(groups.get(root) ?? []), i]);
  });
  return [...groups.entries()]
    .filter(([, members]) => members.length > 1)
    .map(([root, members]) => ({ ids: members.map((i) => open[i]!.id), fieldCode: open[root]!.fieldCode!, score: Math.round((weakest.get(root) ?? 1) * 100) / 100 }))
    .sort((x, y) => y.ids.length - x.ids.length || y.score - x.score);
}

export interface MergeCandidate {
  id: string;
  kind: 'original' | 'consolidated';
  level: string;
  sessionId: string | null;
  status: PetitionStatus;
}

/**
 * Why these petitions cannot be merged, as a message key, or null. They must be at least two, all
 * still in the office's hands, of the same assembly and compiled for the same session.
 */
export function mergeProblem(petitions: readonly MergeCandidate[]): string | null {
  if (new Set(petitions.map((p) => p.id)).size < 2) return 'meetings.errors.mergeTooFew';
  if (petitions.some((p) => !isEditable(p.status))) return 'meetings.errors.mergeNotEditable';
  if (new Set(petitions.map((p) => p.level)).size > 1) return 'meetings.errors.mergeLevels';
  if (new Set(petitions.map((p) => p.sessionId ?? '')).size > 1) return 'meetings.errors.mergeSessions';
  return null;
}

/** The petition that absorbs the others: the first consolidated one chosen, or a new one (null). */
export function mergeTarget(petitions: readonly MergeCandidate[]): string | null {
  return petitions.find((p) => p.kind === 'consolidated')?.id ?? null;
}

export interface OriginalFacts {
  meetingId: string;
  voterCount: number;
  unitCode: string | null;
  delegateUserIds: readonly string[];
}

export interface ConsolidatedFacts {
  meetingIds: string[];
  meetingCount: number;
  voterCount: number;
  unitCodes: string[];
  delegateUserIds: string[];
}

/** What a consolidated petition adds up to: distinct meetings and localities, every voter counted. */
export function aggregateOriginals(originals: readonly OriginalFacts[]): ConsolidatedFacts {
  const meetingIds = [...new Set(originals.map((o) => o.meetingId))];
  const unitCodes = [...new Set(originals.map((o) => o.unitCode).filter((c): c is string => !!c))];
  return {
    meetingIds,
    meetingCount: meetingIds.length,
    voterCount: originals.reduce((sum, o) => sum + o.voterCount, 0),
    unitCodes,
    delegateUserIds: [...new Set(originals.flatMap((o) => o.delegateUserIds))],
  };
}
