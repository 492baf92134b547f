// Reads of the letter register: the list (newest first, filtered, paginated by key), one letter, the
// letters of a case and the export. The senders, full text and scans of a protected letter are
// removed here for users who may not see denouncers.
import { keysetScan, takeEach, sortOf, withCondition, type KeysetOrder } from '../exports/index.js';
import mongoose, { trusted } from 'mongoose';
import { z } from 'zod';
import { can, type Actor } from '../access/index.js';
import { listAttachments, type AttachmentInfo } from '../attachments/index.js';
import { CaseModel, dateParam, queryWords, scopeFilter, visibleText, type Case } from '../cases/index.js';
import { PersonModel, type Person } from '../people/index.js';
import { cleanText } from '../platform/text.js';
import { LETTER_CHANNELS, LETTER_HANDLINGS, LETTER_TYPES, type EligibilityReason, type LetterType } from './letter-kinds.js';
import { LetterModel, type Letter } from './letter.model.js';
import { maySeeLetter } from './letters.service.js';

export const LETTERS_PAGE_SIZE = 25;
/** An export is a working list, not a backup: beyond this the officer narrows the filters. */

/** List filters from the query string; anything malformed is ignored rather than refused. */
export const letterListQuerySchema = z.object({
  q: z.string().max(200).transform(cleanText).optional().catch(undefined),
  channel: z.enum(LETTER_CHANNELS).optional().catch(undefined),
  type: z.enum(LETTER_TYPES).optional().catch(undefined),
  eligible: z.enum(['yes', 'no', 'pending']).optional().catch(undefined),
  handling: z.enum([...LETTER_HANDLINGS, 'none']).optional().catch(undefined),
  from: dateParam,
  to: dateParam,
  after: z
    .string()
    .regex(/^[a-f0-9]{24}$/)
    .optional()
    .catch(undefined),
});
export type LetterListQuery = z.infer<typeof letterListQuerySchema>;

export interface LetterRow {
  id: string;
  receivedAt: Date;
  channel: string;
  forwardedBy: string | null;
  type: LetterType;
  anonymous: boolean;
  /** Sender names; null where the name is withheld from this user ("[bảo mật]"). */
  senders: (string | null)[];
  summary: string;
  eligible: boolean | null;
  handling: string | null;
  cases: { id: string; number: string }[];
  confidential: boolean;
  /** True when this row shows a protected letter's senders (the view must be recorded). */
  identityShown: boolean;
}

const ROW_FIELDS = {
  receivedAt: 1,
  channel: 1,
  forwardedBy: 1,
  type: 1,
  anonymous: 1,
  senders: 1,
  summary: 1,
  'eligibility.eligible': 1,
  handling: 1,
  caseIds: 1,
  caseNumbers: 1,
  confidential: 1,
} as const;

function toRow(l: Letter, maySeeIdentity: boolean): LetterRow {
  const hidden = l.confidential && !maySeeIdentity;
  return {
    id: String(l._id),
    receivedAt: l.receivedAt,
    channel: l.channel,
    forwardedBy: l.forwardedBy ?? null,
    type: l.type,
    anonymous: l.anonymous,
    senders: l.senders.map((s) => (hidden ? null : s.name)),
    summary: visibleText(l.summary, l.senders, l.confidential, maySeeIdentity),
    eligible: l.eligibility?.eligible ?? null,
    handling: l.handling ?? null,
    cases: l.caseIds.map((id, i) => ({ id: String(id), number: l.caseNumbers[i] ?? '' })),
    confidential: l.confidential,
    identityShown: l.confidential && !hidden && l.senders.length > 0,
  };
}

/** The start of a Vietnam calendar day, as an instant (Vietnam is UTC+7 all year). */
function vietnamDayStart(date: string): Date {
  return new Date(`${date}T00:00:00+07:00`);
}

/** Letters the actor may see: all with cases:read-all, else the letters of the cases they follow. */
async function letterScope(actor: Actor): Promise<Record<string, unknown>> {
  if (can(actor, 'cases:read-all')) return {};
  const caseIds = await CaseModel.find(scopeFilter(actor), { _id: 1 })
    .lean<Case[]>()
    .then((cases) => cases.map((c) => c._id));
  return { caseIds: trusted({ $in: caseIds }) };
}

async function buildLetterFilter(actor: Actor, query: LetterListQuery): Promise<Record<string, unknown>> {
  const and: Record<string, unknown>[] = [await letterScope(actor)];
  if (query.channel) and.push({ channel: query.channel });
  if (query.type) and.push({ type: query.type });
  if (query.eligible) and.push({ 'eligibility.eligible': query.eligible === 'pending' ? null : query.eligible === 'yes' });
  if (query.handling) and.push({ handling: query.handling === 'none' ? null : query.handling });
  if (query.from) and.push({ receivedAt: trusted({ $gte: vietnamDayStart(query.from) }) });
  if (query.to) and.push({ receivedAt: trusted({ $lt: new Date(vietnamDayStart(query.to).getTime() + 86_400_000) }) });
  if (query.q) {
    const words = queryWords(query.q);
    if (words.length) {
      // A protected letter is found by its senders only by users who may see them.
      const clauses: Record<string, unknown>[] = [{ searchTokens: trusted({ $all: words }) }];
      if (can(actor, 'view-denouncer-identity')) clauses.push({ identityTokens: trusted({ $all: words }) });
      and.push(clauses.length === 1 ? clauses[0]! : { $or: clauses });
    }
  }
  const parts = and.filter((c) => Object.keys(c).length > 0);
  return parts.length === 0 ? {} : parts.length === 1 ? parts[0]! : { $and: parts };
}

export async function listLetters(actor: Actor, query: LetterListQuery): Promise<{ rows: LetterRow[]; next: string | null; total: number }> {
  const filter = await buildLetterFilter(actor, query);
  const total = await LetterModel.countDocuments(filter);
  let pageFilter = filter;
  if (query.after) {
    const cursor = await LetterModel.findById(query.after, { receivedAt: 1 }).lean<Letter>();
    if (cursor) {
      const keyset = { $or: [{ receivedAt: trusted({ $lt: cursor.receivedAt }) }, { receivedAt: cursor.receivedAt, _id: trusted({ $lt: cursor._id }) }] };
      pageFilter = Object.keys(filter).length ? { $and: [filter, keyset] } : keyset;
    }
  }
  const docs = await LetterModel.find(pageFilter, ROW_FIELDS)
    .sort({ receivedAt: -1, _id: -1 })
    .limit(LETTERS_PAGE_SIZE + 1)
    .lean<Letter[]>();
  const maySeeIdentity = can(actor, 'view-denouncer-identity');
  const rows = docs.slice(0, LETTERS_PAGE_SIZE).map((l) => toRow(l, maySeeIdentity));
  return { rows, next: docs.length > LETTERS_PAGE_SIZE ? rows[rows.length - 1]!.id : null, total };
}

const EXPORT_ORDER: KeysetOrder = { path: 'receivedAt', dir: -1 };

/** Every row of an export, newest first, read in chunks by key (memory holds one chunk, whatever the total). */
export async function* exportLetterRows(actor: Actor, query: LetterListQuery): AsyncGenerator<LetterRow> {
  const filter = await buildLetterFilter(actor, { ...query, after: undefined });
  const maySeeIdentity = can(actor, 'view-denouncer-identity');
  const chunks = keysetScan<Letter>((after, limit) => LetterModel.find(withCondition(filter, after), ROW_FIELDS).sort(sortOf(EXPORT_ORDER)).limit(limit).lean<Letter[]>(), EXPORT_ORDER);
  for await (const chunk of chunks) for (const doc of takeEach(chunk)) yield toRow(doc, maySeeIdentity);
}

/** The letters of one case, oldest first (for the case page). */
export async function lettersOfCase(actor: Actor, caseId: string | mongoose.Types.ObjectId): Promise<LetterRow[]> {
  if (!mongoose.isValidObjectId(caseId)) return [];
  const docs = await LetterModel.find({ caseIds: new mongoose.Types.ObjectId(String(caseId)) }, ROW_FIELDS)
    .sort({ receivedAt: 1, _id: 1 })
    .lean<Letter[]>();
  const maySeeIdentity = can(actor, 'view-denouncer-identity');
  return docs.map((l) => toRow(l, maySeeIdentity));
}

export interface SenderView {
  name: string | null;
  citizenId: string | null;
  phone: string | null;
  email: string | null;
  street: string | null;
  unitCode: string | null;
  /** Withheld from this user: shown as "[bảo mật]". */
  hidden: boolean;
}

export interface LetterDetail extends LetterRow {
  fieldCode: string | null;
  unitCode: string | null;
  fullText: string | null;
  /** The full text exists but is withheld from this user (it names the denouncer). */
  fullTextHidden: boolean;
  senderDetails: SenderView[];
  eligibility: { eligible: boolean | null; reasons: EligibilityReason[]; hasEvidence: boolean; note: string | null; assessedAt: Date | null };
  handlingDeadline: Letter['handlingDeadline'];
  caseDetails: { id: string; number: string; type: string; status: string }[];
  attachments: AttachmentInfo[];
  /** Scans withheld from this user (a protected letter's scans show who wrote it). */
  attachmentsHidden: boolean;
}

/** One letter as this actor may see it, or null when it does not exist or is out of their scope. */
export async function getLetterDetail(actor: Actor, letterId: string): Promise<LetterDetail | null> {
  if (!mongoose.isValidObjectId(letterId)) return null;
  const letter = await LetterModel.findById(letterId).lean<Letter>();
  if (!letter || !(await maySeeLetter(actor, letter))) return null;
  const maySeeIdentity = can(actor, 'view-denouncer-identity');
  const hidden = letter.confidential && !maySeeIdentity;
  const [people, cases, attachments] = await Promise.all([
    hidden
      ? Promise.resolve([] as Person[])
      : PersonModel.find({ _id: trusted({ $in: letter.senders.map((s) => s.personId) }) }, { phone: 1, email: 1, street: 1, unitCode: 1 }).lean<Person[]>(),
    CaseModel.find({ _id: trusted({ $in: letter.caseIds }) }, { number: 1, type: 1, status: 1 }).lean<Case[]>(),
    hidden ? Promise.resolve([] as AttachmentInfo[]) : listAttachments({ type: 'letter', id: String(letter._id) }, actor),
  ]);
  const personById = new Map(people.map((p) => [String(p._id), p]));
  const caseById = new Map(cases.map((c) => [String(c._id), c]));
  const row = toRow(letter, maySeeIdentity);
  return {
    ...row,
    identityShown: row.identityShown || (letter.confidential && !hidden && (!!letter.fullText || attachments.length > 0)),
    fieldCode: letter.fieldCode ?? null,
    unitCode: letter.unitCode ?? null,
    fullText: hidden ? null : (letter.fullText ?? null),
    fullTextHidden: hidden && !!letter.fullText,
    senderDetails: letter.senders.map((s) => {
      if (hidden) return { name: null, citizenId: null, phone: null, email: null, street: null, unitCode: null, hidden: true };
      const p = personById.get(String(s.personId));
      return { name: s.name, citizenId: s.citizenId ?? null, phone: p?.phone ?? null, email: p?.email ?? null, street: p?.street ?? null, unitCode: p?.unitCode ?? null, hidden: false };
    }),
    eligibility: {
      eligible: letter.eligibility?.eligible ?? null,
      reasons: (letter.eligibility?.reasons ?? []),
      hasEvidence: letter.eligibility?.hasEvidence ?? false,
      note: letter.eligibility?.note ?? null,
      assessedAt: letter.eligibility?.assessedAt ?? null,
    },
    handlingDeadline: letter.handlingDeadline,
    caseDetails: letter.caseIds.flatMap((id) => {
      const c = caseById.get(String(id));
      return c ? [{ id: String(c._id), number: c.number, type: c.type, status: c.status }] : [];
    }),
    attachments,
    attachmentsHidden: hidden && letter.attachmentIds.length > 0,
  };
}
