// The forwardings sent in a period by the type, field and commune of the matter forwarded, tallied as
// agency-performance.queries.ts tallies them per agency (one aggregation, first stage a range on the
// indexed `sentAt`, then the forwarded case by _id). A forwarding carries one case, or a session's voter
// petitions for one agency (many fields and communes at once): those count under their own key
// PETITIONS_KEY in each breakdown, and their fields and communes are in the voter petition figures.
import type { PipelineStage } from 'mongoose';
import { ForwardingModel } from '../forwarding/index.js';
import { tallyAccumulators, tallyProjection, toTally } from './agency-performance.queries.js';
import { performanceRow, PETITIONS_KEY, type AgencyPerformanceRow } from './agency-performance.rules.js';
import type { Period } from './period.rules.js';

type Doc = Record<string, unknown>;

/** A row of figures for one case type, field code or commune code, or PETITIONS_KEY; null: not recorded. */
export type KeyedForwardingRow = AgencyPerformanceRow & { key: string | null };

export interface ForwardingBreakdowns {
  byType: KeyedForwardingRow[];
  byField: KeyedForwardingRow[];
  byUnit: KeyedForwardingRow[];
}

const isPetitions = { $eq: ['$kind', 'petition'] };
const ofCase = (path: string) => ({ $cond: [isPetitions, PETITIONS_KEY, { $ifNull: [path, null] }] });

function rows(grouped: unknown): KeyedForwardingRow[] {
  const tallies = ((grouped as Doc[] | undefined) ?? []).map((r) => ({ ...performanceRow(toTally(r, '', '')), agencyId: null, key: typeof r._id === 'string' ? r._id : null }));
  // Most forwardings first, then by key, so tables read the same every time.
  return tallies.sort((a, b) => b.forwarded - a.forwarded || String(a.key ?? '').localeCompare(String(b.key ?? '')));
}

export async function forwardingBreakdowns(period: Pick<Period, 'start' | 'end'>, now: Date): Promise<ForwardingBreakdowns> {
  const group = (key: string): PipelineStage.FacetPipelineStage[] => [{ $group: { _id: key, ...tallyAccumulators(now) } }];
  const [result] = await ForwardingModel.aggregate<Doc>([
    { $match: { sentAt: { $gte: period.start, $lt: period.end } } },
    { $project: tallyProjection({ kind: { $arrayElemAt: ['$items.kind', 0] }, caseId: { $arrayElemAt: ['$caseIds', 0] } }) },
    { $lookup: { from: 'cases', localField: 'caseId', foreignField: '_id', as: 'kase' } },
    { $unwind: { path: '$kase', preserveNullAndEmptyArrays: true } },
    { $addFields: { type: ofCase('$kase.type'), fieldCode: ofCase('$kase.fieldCode'), unitCode: ofCase('$kase.unitCode') } },
    { $facet: { byType: group('$type'), byField: group('$fieldCode'), byUnit: group('$unitCode') } },
  ]);
  const r = result ?? {};
  return { byType: rows(r.byType), byField: rows(r.byField), byUnit: rows(r.byUnit) };
}
