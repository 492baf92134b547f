// Duplicate suggestions at intake: cases that may be the same matter as the one being entered.
import { trusted } from 'mongoose';
import { assertCan, can, type Actor } from '../access/index.js';
import { CaseModel, type Case } from './case.model.js';
import { searchWords } from './search.rules.js';

export interface DuplicateQuery {
  citizenIds: string[];
  unitCode: string | null;
  fieldCode: string | null;
  text: string;
  excludeId?: string;
}

export interface DuplicateCandidate {
  id: string;
  number: string;
  type: string;
  status: string;
  summary: string;
  receivedAt: Date;
  reason: 'citizen-id' | 'similar-text';
  score: number;
}

/**
 * Cases that may be the same matter: the same ID number among the parties, or, in the same commune and
 * field, a summary sharing enough words. A user who may not see denouncers' identity is never told that
 * a given ID number appears on a denunciation.
 */
export async function findDuplicateCases(actor: Actor, query: DuplicateQuery): Promise<DuplicateCandidate[]> {
  assertCan(actor, 'cases:write');
  const maySeeIdentity = can(actor, 'view-denouncer-identity');
  const fields = { number: 1, type: 1, status: 1, summary: 1, receivedAt: 1, searchTokens: 1, confidential: 1 } as const;
  const notMerged = { status: trusted({ $ne: 'merged' }) };
  const found = new Map<string, DuplicateCandidate>();
  if (query.citizenIds.length) {
    const byId = await CaseModel.find({ citizenIds: trusted({ $in: query.citizenIds }), ...notMerged, ...(maySeeIdentity ? {} : { confidential: false }) }, fields)
      .sort({ receivedAt: -1 })
      .limit(10)
      .lean<Case[]>();
    for (const c of byId) found.set(String(c._id), candidate(c, 'citizen-id', 1));
  }
  const words = searchWords(query.text).filter((w) => w.length > 2);
  if (query.unitCode && query.fieldCode && words.length >= 3) {
    const nearby = await CaseModel.find({ unitCode: query.unitCode, fieldCode: query.fieldCode, ...notMerged, searchTokens: trusted({ $in: words }) }, fields)
      .sort({ receivedAt: -1 })
      .limit(200)
      .lean<Case[]>();
    for (const c of nearby) {
      if (found.has(String(c._id))) continue;
      const tokens = new Set(c.searchTokens);
      const shared = words.filter((w) => tokens.has(w)).length;
      const score = shared / words.length;
      if (score >= 0.5) found.set(String(c._id), candidate(c, 'similar-text', score));
    }
  }
  return [...found.values()]
    .filter((c) => c.id !== query.excludeId)
    .sort((a, b) => b.score - a.score || b.receivedAt.getTime() - a.receivedAt.getTime())
    .slice(0, 10);
}

function candidate(c: Case, reason: DuplicateCandidate['reason'], score: number): DuplicateCandidate {
  return { id: String(c._id), number: c.number, type: c.type, status: c.status, summary: c.summary, receivedAt: c.receivedAt, reason, score };
}
