// The office's figures for a period, each computed by one aggregation whose first stage is a range on
// `receivedAt` (indexed on receptions, letters and cases: { receivedAt: -1, _id: -1 }), so only the
// period's documents are read. What is counted, exactly:
//  - visits (lượt tiếp): reception documents; person-visits (lượt người): the sum of people present;
//  - people (số người): distinct named people, plus the unnamed members of groups (who cannot be told
//    apart, so each counts once per visit);
//  - group visits (đoàn đông người): visits of 5 or more people; cases: distinct cases visited — a merged
//    case's visits have moved to the case it joined, so a matter is counted once;
//  - letters: letter documents — a mixed letter split into several cases is still one letter; by
//    commune, the commune recorded on the letter itself (as its field is);
//  - new cases: cases received in the period, except those merged into another (counted in the other).
import type { PipelineStage } from 'mongoose';
import { CaseModel } from '../cases/index.js';
import { LetterModel } from '../letters/index.js';
import { ReceptionModel } from '../receptions/index.js';
import { OFFICE_UTC_OFFSET } from '../platform/dates.js';
import type { Period } from './period.rules.js';

export interface ReceptionTotals {
  visits: number;
  personVisits: number;
  people: number;
  groupVisits: number;
  groupPeople: number;
  cases: number;
  groupCases: number;
}

export interface ReceptionBreakdownRow {
  key: string | null;
  visits: number;
  personVisits: number;
  groupVisits: number;
  cases: number;
}

export interface LetterTotals {
  received: number;
  eligible: number;
  ineligible: number;
  pending: number;
  forwarded: number;
  filed: number;
  returned: number;
  proposed: number;
  anonymous: number;
  split: number;
}

export interface LetterBreakdownRow {
  key: string | null;
  received: number;
  eligible: number;
  forwarded: number;
  filed: number;
  returned: number;
}

export interface CaseBreakdownRow {
  key: string | null;
  cases: number;
}

export interface Figures {
  reception: {
    totals: ReceptionTotals;
    byType: ReceptionBreakdownRow[];
    byField: ReceptionBreakdownRow[];
    byUnit: ReceptionBreakdownRow[];
    byHost: ReceptionBreakdownRow[];
    byKind: ReceptionBreakdownRow[];
    byOutcome: ReceptionBreakdownRow[];
  };
  letters: { totals: LetterTotals; byChannel: LetterBreakdownRow[]; byType: LetterBreakdownRow[]; byField: LetterBreakdownRow[]; byUnit: LetterBreakdownRow[] };
  cases: { opened: number; mergedAway: number; byType: CaseBreakdownRow[]; byField: CaseBreakdownRow[]; byUnit: CaseBreakdownRow[]; byStatus: CaseBreakdownRow[] };
  /** Per bucket of the period (day or month): visits, letters and new cases. */
  series: { key: string; visits: number; letters: number; cases: number }[];
}

type Doc = Record<string, unknown>;

const inPeriod = (p: Period): Doc => ({ receivedAt: { $gte: p.start, $lt: p.end } });
const isTrue = (expr: unknown) => ({ $cond: [expr, 1, 0] });
const bucketOf = (p: Period) => ({ $dateToString: { format: p.bucket === 'day' ? '%Y-%m-%d' : '%Y-%m', date: '$receivedAt', timezone: OFFICE_UTC_OFFSET } });

const num = (v: unknown): number => (typeof v === 'number' ? v : 0);
/** A group's key: a code, or an ObjectId (the host) as hex. */
function keyOf(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number') return String(v);
  const hex = (v as { toHexString?: () => string }).toHexString;
  return typeof hex === 'function' ? hex.call(v) : JSON.stringify(v);
}
const firstCount = (rows: unknown): number => num((rows as Doc[] | undefined)?.[0]?.n);

/** Largest first, then by key, so tables and charts read the same every time. */
function sorted<T extends { key: string | null }>(rows: T[], size: (r: T) => number): T[] {
  return rows.sort((a, b) => size(b) - size(a) || String(a.key ?? '').localeCompare(String(b.key ?? '')));
}

function receptionGroup(key: string): PipelineStage.FacetPipelineStage[] {
  return [
    { $group: { _id: key, visits: { $sum: 1 }, personVisits: { $sum: '$peopleCount' }, groupVisits: { $sum: isTrue('$isGroup') }, caseIds: { $addToSet: '$caseId' } } },
    { $project: { visits: 1, personVisits: 1, groupVisits: 1, cases: { $size: '$caseIds' } } },
  ];
}

function toReceptionRows(rows: unknown): ReceptionBreakdownRow[] {
  const list = ((rows as Doc[] | undefined) ?? []).map((r) => ({ key: keyOf(r._id), visits: num(r.visits), personVisits: num(r.personVisits), groupVisits: num(r.groupVisits), cases: num(r.cases) }));
  return sorted(list, (r) => r.visits);
}

export async function receptionFigures(p: Period): Promise<{ totals: ReceptionTotals; breakdowns: Omit<Figures['reception'], 'totals'>; series: Map<string, number> }> {
  const [result] = await ReceptionModel.aggregate<Doc>([
    { $match: inPeriod(p) },
    // One join, to the visited case's classification (type, field, commune), read as kase.* by the
    // groupings (no $project first: the embedded database would build a copy of every visit for it).
    { $lookup: { from: 'cases', localField: 'caseId', foreignField: '_id', as: 'kase' } },
    { $unwind: { path: '$kase', preserveNullAndEmptyArrays: true } },
    {
      $facet: {
        totals: [
          {
            $group: {
              _id: null,
              visits: { $sum: 1 },
              personVisits: { $sum: '$peopleCount' },
              groupVisits: { $sum: isTrue('$isGroup') },
              groupPeople: { $sum: { $cond: ['$isGroup', '$peopleCount', 0] } },
              unnamed: { $sum: { $max: [0, { $subtract: ['$peopleCount', { $size: '$participants' }] }] } },
            },
          },
        ],
        cases: [{ $group: { _id: '$caseId' } }, { $count: 'n' }],
        groupCases: [{ $match: { isGroup: true } }, { $group: { _id: '$caseId' } }, { $count: 'n' }],
        named: [{ $unwind: '$participants' }, { $group: { _id: '$participants.personId' } }, { $match: { _id: { $ne: null } } }, { $count: 'n' }],
        byType: receptionGroup('$kase.type'),
        byField: receptionGroup('$kase.fieldCode'),
        byUnit: receptionGroup('$kase.unitCode'),
        byHost: receptionGroup('$host'),
        byKind: receptionGroup('$kind'),
        byOutcome: receptionGroup('$outcome'),
        series: [{ $group: { _id: bucketOf(p), n: { $sum: 1 } } }],
      },
    },
  ]);
  const r = result ?? {};
  const t = ((r.totals as Doc[] | undefined) ?? [])[0] ?? {};
  return {
    totals: {
      visits: num(t.visits),
      personVisits: num(t.personVisits),
      people: firstCount(r.named) + num(t.unnamed),
      groupVisits: num(t.groupVisits),
      groupPeople: num(t.groupPeople),
      cases: firstCount(r.cases),
      groupCases: firstCount(r.groupCases),
    },
    breakdowns: {
      byType: toReceptionRows(r.byType),
      byField: toReceptionRows(r.byField),
      byUnit: toReceptionRows(r.byUnit),
      byHost: toReceptionRows(r.byHost),
      byKind: toReceptionRows(r.byKind),
      byOutcome: toReceptionRows(r.byOutcome),
    },
    series: new Map(((r.series as Doc[] | undefined) ?? []).map((s) => [String(s._id), num(s.n)])),
  };
}

function letterGroup(key: string): PipelineStage.FacetPipelineStage[] {
  return [
    {
      $group: {
        _id: key,
        received: { $sum: 1 },
        eligible: { $sum: isTrue({ $eq: ['$eligibility.eligible', true] }) },
        forwarded: { $sum: isTrue({ $eq: ['$handling', 'forward'] }) },
        filed: { $sum: isTrue({ $eq: ['$handling', 'file'] }) },
        returned: { $sum: isTrue({ $eq: ['$handling', 'return-with-guidance'] }) },
      },
    },
  ];
}

function toLetterRows(rows: unknown): LetterBreakdownRow[] {
  const list = ((rows as Doc[] | undefined) ?? []).map((r) => ({
    key: keyOf(r._id),
    received: num(r.received),
    eligible: num(r.eligible),
    forwarded: num(r.forwarded),
    filed: num(r.filed),
    returned: num(r.returned),
  }));
  return sorted(list, (r) => r.received);
}

export async function letterFigures(p: Period): Promise<{ letters: Figures['letters']; series: Map<string, number> }> {
  const [result] = await LetterModel.aggregate<Doc>([
    { $match: inPeriod(p) },
    {
      $facet: {
        totals: [
          {
            $group: {
              _id: null,
              received: { $sum: 1 },
              eligible: { $sum: isTrue({ $eq: ['$eligibility.eligible', true] }) },
              ineligible: { $sum: isTrue({ $eq: ['$eligibility.eligible', false] }) },
              forwarded: { $sum: isTrue({ $eq: ['$handling', 'forward'] }) },
              filed: { $sum: isTrue({ $eq: ['$handling', 'file'] }) },
              returned: { $sum: isTrue({ $eq: ['$handling', 'return-with-guidance'] }) },
              proposed: { $sum: isTrue({ $eq: ['$handling', 'propose-acceptance'] }) },
              anonymous: { $sum: isTrue({ $eq: ['$anonymous', true] }) },
              split: { $sum: isTrue({ $gt: [{ $size: '$caseIds' }, 1] }) },
            },
          },
        ],
        byChannel: letterGroup('$channel'),
        byType: letterGroup('$type'),
        byField: letterGroup('$fieldCode'),
        byUnit: letterGroup('$unitCode'),
        series: [{ $group: { _id: bucketOf(p), n: { $sum: 1 } } }],
      },
    },
  ]);
  const r = result ?? {};
  const t = ((r.totals as Doc[] | undefined) ?? [])[0] ?? {};
  const received = num(t.received);
  const eligible = num(t.eligible);
  const ineligible = num(t.ineligible);
  return {
    letters: {
      totals: {
        received,
        eligible,
        ineligible,
        pending: received - eligible - ineligible,
        forwarded: num(t.forwarded),
        filed: num(t.filed),
        returned: num(t.returned),
        proposed: num(t.proposed),
        anonymous: num(t.anonymous),
        split: num(t.split),
      },
      byChannel: toLetterRows(r.byChannel),
      byType: toLetterRows(r.byType),
      byField: toLetterRows(r.byField),
      byUnit: toLetterRows(r.byUnit),
    },
    series: new Map(((r.series as Doc[] | undefined) ?? []).map((s) => [String(s._id), num(s.n)])),
  };
}

function caseGroup(key: string): PipelineStage.FacetPipelineStage[] {
  return [{ $match: { status: { $ne: 'merged' } } }, { $group: { _id: key, n: { $sum: 1 } } }];
}

function toCaseRows(rows: unknown): CaseBreakdownRow[] {
  return sorted(((rows as Doc[] | undefined) ?? []).map((r) => ({ key: keyOf(r._id), cases: num(r.n) })), (r) => r.cases);
}

export async function caseFigures(p: Period): Promise<{ cases: Figures['cases']; series: Map<string, number> }> {
  const [result] = await CaseModel.aggregate<Doc>([
    { $match: inPeriod(p) },
    {
      $facet: {
        opened: [{ $match: { status: { $ne: 'merged' } } }, { $count: 'n' }],
        mergedAway: [{ $match: { status: 'merged' } }, { $count: 'n' }],
        byType: caseGroup('$type'),
        byField: caseGroup('$fieldCode'),
        byUnit: caseGroup('$unitCode'),
        byStatus: caseGroup('$status'),
        series: [{ $match: { status: { $ne: 'merged' } } }, { $group: { _id: bucketOf(p), n: { $sum: 1 } } }],
      },
    },
  ]);
  const r = result ?? {};
  return {
    cases: {
      opened: firstCount(r.opened),
      mergedAway: firstCount(r.mergedAway),
      byType: toCaseRows(r.byType),
      byField: toCaseRows(r.byField),
      byUnit: toCaseRows(r.byUnit),
      byStatus: toCaseRows(r.byStatus),
    },
    series: new Map(((r.series as Doc[] | undefined) ?? []).map((s) => [String(s._id), num(s.n)])),
  };
}
