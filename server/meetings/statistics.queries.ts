// What the statistics module reads from voter meetings: the petitions raised in a period, and the last
// session that has closed (for the period "since the last session").
//
// Petitions are counted by the day of the meeting where voters raised them, so the first stage is a
// range on the meetings' indexed `startsAt` ({ startsAt: -1, _id: -1 }), then the meetings' petitions
// by the indexed `meetingId`, then the consolidated petition each original was merged into (by _id).
// Two ways of counting, as in the session report (report.rules.ts):
//  - the list after merging: each petition that stands for the period's originals once — a
//    consolidated petition, or an original standing alone — in its current state, with the voters of
//    the period's originals behind it (totals, by field, by agency);
//  - what voters raised: each original, in the state of the petition that stands for it (by delegate
//    group — the constituencies of the delegates present, each group of a shared meeting counted — and
//    by commune).
import type mongoose from 'mongoose';
import { trusted } from 'mongoose';
import { assertCan, type Actor } from '../access/index.js';
import { MeetingModel } from './meeting.model.js';
import { reportStateOf, type AssemblyBody, type PetitionStatus, type Verdict } from './meetings.rules.js';
import { addMany, emptyCounts, type Counts } from './report.rules.js';
import { AssemblySessionModel, type AssemblySession } from './session.model.js';

export interface PetitionFigureRow {
  /** A field or commune code, an agency id, a constituency; null when not recorded. */
  key: string | null;
  counts: Counts;
}

export interface PetitionPeriodFigures {
  /** Meetings held in the period (with petitions or not) and the voters present at them. */
  meetings: number;
  votersPresent: number;
  /** Originals raised at those meetings, the voters who raised them, and how many were merged. */
  raised: number;
  raisedVoters: number;
  merged: number;
  /** The list after merging (its `petitions` is the number of petitions after merging). */
  listed: Counts;
  byField: PetitionFigureRow[];
  /** Keyed by agency id; `names` has the agency's name as the petition recorded it. */
  byAgency: PetitionFigureRow[];
  agencyNames: Record<string, string>;
  byGroup: PetitionFigureRow[];
  byUnit: PetitionFigureRow[];
}

type Doc = Record<string, unknown>;
const num = (v: unknown): number => (typeof v === 'number' ? v : 0);
const sumOf = (field: string) => ({ $sum: field });

function keyOf(v: unknown): string | null {
  if (v === null || v === undefined || v === '') return null;
  if (typeof v === 'string') return v;
  const hex = (v as { toHexString?: () => string }).toHexString;
  return typeof hex === 'function' ? hex.call(v) : JSON.stringify(v);
}

/** One document per standing petition: its classification and state, and its voters in the period. */
const STANDING: mongoose.PipelineStage.FacetPipelineStage[] = [
  {
    $group: {
      _id: '$standingId',
      fieldCode: { $first: '$fieldCode' },
      agencyId: { $first: '$agencyId' },
      agencyName: { $first: '$agencyName' },
      status: { $first: '$status' },
      verdict: { $first: '$verdict' },
      voters: sumOf('$voters'),
    },
  },
];

/** Groups by a key and by state (status and verdict); the state is read with reportStateOf in code. */
const byState = (key: string | null, voters: string, extra: Doc = {}) => ({
  $group: { _id: { k: key, s: '$status', v: '$verdict' }, n: { $sum: 1 }, voters: sumOf(voters), ...extra },
});

/** Folds rows of (key, status, verdict, n, voters) into counts per key. */
function fold(rows: unknown): PetitionFigureRow[] {
  const byKey = new Map<string | null, Counts>();
  for (const r of (rows as Doc[] | undefined) ?? []) {
    const id = (r._id ?? {}) as Doc;
    const key = keyOf(id.k);
    const counts = byKey.get(key) ?? emptyCounts();
    const state = reportStateOf({ status: (typeof id.s === 'string' ? id.s : 'recorded') as PetitionStatus, verdict: (typeof id.v === 'string' ? id.v : null) as Verdict | null });
    addMany(counts, state, num(r.n), num(r.voters));
    byKey.set(key, counts);
  }
  return [...byKey.entries()]
    .map(([key, counts]) => ({ key, counts }))
    // Largest first; among equals, what was not recorded last, then by key, so tables read the same every time.
    .sort((a, b) => b.counts.petitions - a.counts.petitions || Number(a.key === null) - Number(b.key === null) || String(a.key).localeCompare(String(b.key)));
}

export async function petitionFiguresOf(actor: Actor, span: { start: Date; end: Date }): Promise<PetitionPeriodFigures> {
  assertCan(actor, 'reports:read');
  const inPeriod = { $match: { startsAt: { $gte: span.start, $lt: span.end } } };
  const [meetingRows, petitionRows] = await Promise.all([
    MeetingModel.aggregate<Doc>([inPeriod, { $group: { _id: null, n: { $sum: 1 }, voters: { $sum: { $ifNull: ['$voterCount', 0] } } } }]),
    MeetingModel.aggregate<Doc>([
      inPeriod,
      // The meeting's delegate groups, each once (a constituency not recorded reads as '').
      { $project: { groups: { $setUnion: [{ $map: { input: '$delegates', as: 'd', in: { $ifNull: ['$$d.constituency', ''] } } }, []] } } },
      { $lookup: { from: 'voter_petitions', localField: '_id', foreignField: 'meetingId', as: 'raised' } },
      { $unwind: '$raised' },
      { $match: { 'raised.kind': 'original' } },
      { $lookup: { from: 'voter_petitions', localField: 'raised.mergedInto', foreignField: '_id', as: 'into' } },
      {
        $project: {
          groups: 1,
          voters: '$raised.voterCount',
          unitCode: { $ifNull: ['$raised.unitCode', null] },
          merged: { $gt: [{ $size: '$into' }, 0] },
          standing: { $ifNull: [{ $arrayElemAt: ['$into', 0] }, '$raised'] },
        },
      },
      {
        $project: {
          groups: 1,
          voters: 1,
          unitCode: 1,
          merged: 1,
          standingId: '$standing._id',
          fieldCode: { $ifNull: ['$standing.fieldCode', null] },
          agencyId: { $ifNull: ['$standing.agencyId', null] },
          agencyName: { $ifNull: ['$standing.agencyName', null] },
          status: '$standing.status',
          verdict: { $ifNull: ['$standing.verdict', null] },
        },
      },
      {
        $facet: {
          raised: [{ $group: { _id: null, n: { $sum: 1 }, voters: sumOf('$voters'), merged: { $sum: { $cond: ['$merged', 1, 0] } } } }],
          listed: [...STANDING, byState(null, '$voters')],
          byField: [...STANDING, byState('$fieldCode', '$voters')],
          byAgency: [...STANDING, byState('$agencyId', '$voters')],
          agencyNames: [...STANDING, { $group: { _id: '$agencyId', name: { $last: '$agencyName' } } }],
          byGroup: [{ $unwind: { path: '$groups', preserveNullAndEmptyArrays: true } }, byState('$groups', '$voters')],
          byUnit: [byState('$unitCode', '$voters')],
        },
      },
    ]),
  ]);
  const m = meetingRows[0] ?? {};
  const r = petitionRows[0] ?? {};
  const raised = ((r.raised as Doc[] | undefined) ?? [])[0] ?? {};
  const agencyNames: Record<string, string> = {};
  for (const a of (r.agencyNames as Doc[] | undefined) ?? []) {
    const key = keyOf(a._id);
    if (key && typeof a.name === 'string') agencyNames[key] = a.name;
  }
  return {
    meetings: num(m.n),
    votersPresent: num(m.voters),
    raised: num(raised.n),
    raisedVoters: num(raised.voters),
    merged: num(raised.merged),
    listed: fold(r.listed)[0]?.counts ?? emptyCounts(),
    byField: fold(r.byField),
    byAgency: fold(r.byAgency),
    agencyNames,
    byGroup: fold(r.byGroup),
    byUnit: fold(r.byUnit),
  };
}

export interface ClosedSession {
  id: string;
  body: AssemblyBody;
  term: string;
  number: number;
  /** 'YYYY-MM-DD', Vietnam. */
  closesOn: string;
}

/**
 * The session that closed last before `today` ('YYYY-MM-DD'), of one body or of either. A session
 * closing today is still sitting. Sessions are few (two or three a year per body), so ordering them
 * by closing day needs no index of its own.
 */
export async function lastClosedSession(today: string, body: AssemblyBody | null): Promise<ClosedSession | null> {
  const [s] = await AssemblySessionModel.find({ closesOn: trusted({ $lt: today }), ...(body ? { body } : {}) }, { body: 1, term: 1, number: 1, closesOn: 1 })
    .sort({ closesOn: -1, _id: -1 })
    .limit(1)
    .lean<AssemblySession[]>();
  return s ? { id: String(s._id), body: s.body, term: s.term, number: s.number, closesOn: s.closesOn } : null;
}
