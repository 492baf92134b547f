// The forwardings sent in a period, tallied per agency by one aggregation whose first stage is a range
// on `sentAt` (indexed { sentAt: 1, agencyId: 1 }), so only the period's forwardings are read. Drafts
// never sent and cancelled ones have no sentAt and are not counted. The arithmetic on the tallies
// (on time, not yet due, mean, median, shares) is in agency-performance.rules.ts.
import mongoose, { trusted } from 'mongoose';
import { AgencyModel } from '../agencies/index.js';
import { ForwardingModel } from '../forwarding/index.js';
import type { AgencyTally } from './agency-performance.rules.js';
import type { Period } from './period.rules.js';

type Doc = Record<string, unknown>;

const num = (v: unknown): number => (typeof v === 'number' ? v : 0);
const isTrue = (expr: unknown) => ({ $cond: [expr, 1, 0] });

/** What each forwarding contributes to a tally; `extra` adds the fields a grouping needs. */
export function tallyProjection(extra: Doc = {}): Doc {
  return {
    agencyId: 1,
    agencyName: 1,
    sentAt: 1,
    // Missing and null are the same here (an old document may lack a field that has a default now).
    answeredAt: { $ifNull: ['$firstAnsweredAt', null] },
    dueAt: { $ifNull: ['$deadline.dueAt', null] },
    // A suspended deadline's clock is stopped: not overdue until the suspension ends.
    suspended: { $ne: [{ $ifNull: ['$suspension', null] }, null] },
    evaluatedItems: { $size: { $filter: { input: '$items', as: 'item', cond: { $ne: [{ $ifNull: ['$$item.verdict', null] }, null] } } } },
    unsatisfiedItems: { $size: { $filter: { input: '$items', as: 'item', cond: { $eq: ['$$item.verdict', 'unsatisfied'] } } } },
    ...extra,
  };
}

/** The accumulators of a tally, for a $group over projected forwardings; "overdue" is judged at `now`. */
export function tallyAccumulators(now: Date): Doc {
  const answered = { $ne: ['$answeredAt', null] };
  return {
    forwarded: { $sum: 1 },
    answered: { $sum: isTrue(answered) },
    // Null sorts before every date in comparisons, so a missing deadline must be ruled out first.
    late: { $sum: isTrue({ $and: [answered, { $ne: ['$dueAt', null] }, { $gt: ['$answeredAt', '$dueAt'] }] }) },
    overdue: { $sum: isTrue({ $and: [{ $eq: ['$answeredAt', null] }, { $eq: ['$suspended', false] }, { $ne: ['$dueAt', null] }, { $lt: ['$dueAt', now] }] }) },
    durations: { $push: { $cond: [answered, { $subtract: ['$answeredAt', '$sentAt'] }, null] } },
    evaluatedItems: { $sum: '$evaluatedItems' },
    unsatisfiedItems: { $sum: '$unsatisfiedItems' },
  };
}

/** A grouped row as a tally, under the given id and name. */
export function toTally(r: Doc, agencyId: string, agencyName: string): AgencyTally {
  return {
    agencyId,
    agencyName,
    forwarded: num(r.forwarded),
    answered: num(r.answered),
    late: num(r.late),
    overdue: num(r.overdue),
    durations: ((r.durations as unknown[] | undefined) ?? []).filter((d): d is number => typeof d === 'number'),
    evaluatedItems: num(r.evaluatedItems),
    unsatisfiedItems: num(r.unsatisfiedItems),
  };
}

/** Tallies of the forwardings sent in `period`, per agency; "overdue" is judged at `now`. */
export async function agencyTallies(period: Pick<Period, 'start' | 'end'>, now: Date): Promise<AgencyTally[]> {
  const rows = await ForwardingModel.aggregate<Doc>([
    { $match: { sentAt: { $gte: period.start, $lt: period.end } } },
    { $project: tallyProjection() },
    { $group: { _id: '$agencyId', agencyName: { $last: '$agencyName' }, ...tallyAccumulators(now) } },
  ]);
  const ids = rows.map((r) => String(r._id)).filter((id) => /^[a-f0-9]{24}$/i.test(id)).map((id) => new mongoose.Types.ObjectId(id));
  // The agency's current name (it may have been renamed since); the name on the forwarding otherwise.
  const agencies = ids.length ? await AgencyModel.find({ _id: trusted({ $in: ids }) }, { name: 1 }).lean<{ _id: mongoose.Types.ObjectId; name: string }[]>() : [];
  const names = new Map(agencies.map((a) => [String(a._id), a.name]));
  return rows.map((r) => toTally(r, String(r._id), names.get(String(r._id)) ?? (typeof r.agencyName === 'string' ? r.agencyName : '')));
}
