// The reception register as a list: newest first, filtered, paginated by key. Visitors of a
// denunciation are shown as "[bảo mật]" to users who may not see denouncers.
import mongoose, { trusted } from 'mongoose';
import { z } from 'zod';
import { can, type Actor } from '../access/index.js';
import { dateParam, queryWords, scopeFilter, visibleText } from '../cases/index.js';
import { cleanText } from '../platform/text.js';
import { protectedVisitorIdentities, type VisitorIdentities } from './protected-visitors.js';
import { RECEPTION_KINDS, RECEPTION_OUTCOMES, ReceptionModel, type Reception } from './reception.model.js';

export const RECEPTIONS_PAGE_SIZE = 25;


export const receptionListQuerySchema = z.object({
  q: z.string().max(200).transform(cleanText).optional().catch(undefined),
  kind: z.enum(RECEPTION_KINDS).optional().catch(undefined),
  outcome: z.enum(RECEPTION_OUTCOMES).optional().catch(undefined),
  group: z.literal('1').optional().catch(undefined),
  from: dateParam,
  to: dateParam,
  after: z.string().regex(/^[a-f0-9]{24}$/).optional().catch(undefined),
});
export type ReceptionListQuery = z.infer<typeof receptionListQuerySchema>;

export interface ReceptionRow {
  id: string;
  receivedAt: Date;
  kind: string;
  people: (string | null)[];
  peopleCount: number;
  isGroup: boolean;
  content: string;
  outcome: string;
  caseId: string;
  caseNumber: string;
  confidential: boolean;
}

const ROW_FIELDS = { receivedAt: 1, kind: 1, participants: 1, peopleCount: 1, isGroup: 1, content: 1, outcome: 1, caseId: 1, caseNumber: 1, confidential: 1 } as const;

function toRow(r: Reception, maySeeIdentity: boolean, identities: VisitorIdentities): ReceptionRow {
  return {
    id: String(r._id),
    receivedAt: r.receivedAt,
    kind: r.kind,
    people: r.participants.map((p) => (r.confidential && !maySeeIdentity ? null : p.name)),
    peopleCount: r.peopleCount,
    isGroup: r.isGroup,
    content: visibleText(r.content, identities(r), r.confidential, maySeeIdentity),
    outcome: r.outcome,
    caseId: String(r.caseId),
    caseNumber: r.caseNumber,
    confidential: r.confidential,
  };
}

/** Visits the actor may see: all of them with cases:read-all, else visits they hosted or of cases they follow. */
async function receptionScope(actor: Actor): Promise<Record<string, unknown>> {
  if (can(actor, 'cases:read-all')) return {};
  const caseIds = await mongoose.connection
    .collection('cases')
    .find(scopeFilter(actor), { projection: { _id: 1 } })
    .map((c) => c._id)
    .toArray();
  return { $or: [{ host: new mongoose.Types.ObjectId(actor.id) }, { caseId: trusted({ $in: caseIds }) }] };
}

export async function listReceptions(actor: Actor, query: ReceptionListQuery): Promise<{ rows: ReceptionRow[]; next: string | null; total: number }> {
  const and: Record<string, unknown>[] = [await receptionScope(actor)];
  if (query.kind) and.push({ kind: query.kind });
  if (query.outcome) and.push({ outcome: query.outcome });
  if (query.group) and.push({ isGroup: true });
  if (query.from) and.push({ receivedAt: trusted({ $gte: new Date(`${query.from}T00:00:00+07:00`) }) });
  if (query.to) and.push({ receivedAt: trusted({ $lt: new Date(new Date(`${query.to}T00:00:00+07:00`).getTime() + 86_400_000) }) });
  if (query.q) {
    const words = queryWords(query.q);
    if (words.length) and.push({ searchTokens: trusted({ $all: words }) });
  }
  const parts = and.filter((c) => Object.keys(c).length);
  const filter = parts.length ? { $and: parts } : {};
  const total = await ReceptionModel.countDocuments(filter);
  let pageFilter: Record<string, unknown> = filter;
  if (query.after) {
    const cursor = await ReceptionModel.findById(query.after, { receivedAt: 1 }).lean<Reception>();
    if (cursor) {
      pageFilter = { $and: [...parts, { $or: [{ receivedAt: trusted({ $lt: cursor.receivedAt }) }, { receivedAt: cursor.receivedAt, _id: trusted({ $lt: cursor._id }) }] }] };
    }
  }
  const docs = await ReceptionModel.find(pageFilter, ROW_FIELDS).sort({ receivedAt: -1, _id: -1 }).limit(RECEPTIONS_PAGE_SIZE + 1).lean<Reception[]>();
  const maySeeIdentity = can(actor, 'view-denouncer-identity');
  const shown = docs.slice(0, RECEPTIONS_PAGE_SIZE);
  const identities = await protectedVisitorIdentities(shown, maySeeIdentity);
  const rows = shown.map((r) => toRow(r, maySeeIdentity, identities));
  return { rows, next: docs.length > RECEPTIONS_PAGE_SIZE ? rows[rows.length - 1]!.id : null, total };
}

/** The visits of one case, oldest first (for the case file). */
export async function receptionsOfCase(actor: Actor, caseId: mongoose.Types.ObjectId): Promise<ReceptionRow[]> {
  const docs = await ReceptionModel.find({ caseId }, ROW_FIELDS).sort({ receivedAt: 1 }).lean<Reception[]>();
  const maySeeIdentity = can(actor, 'view-denouncer-identity');
  const identities = await protectedVisitorIdentities(docs, maySeeIdentity);
  return docs.map((r) => toRow(r, maySeeIdentity, identities));
}
