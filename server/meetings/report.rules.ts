// The report on a session's petitions (báo cáo kết quả giải quyết kiến nghị cử tri), as figures over
// plain data. Two ways of counting, both needed:
//  - the list that was sent: each consolidated or standalone petition once (byField, byAgency, totals);
//  - what voters raised: each original at its meeting, in the state of the petition that stands for it
//    (byGroup, per delegate group — the constituency of the delegates present — and byCommune), which
//    is what delegates report back to the voters who raised it.
import { isAnswered, isForwarded, type ReportState } from './meetings.rules.js';

export interface Counts {
  petitions: number;
  voters: number;
  forwarded: number;
  answered: number;
  satisfied: number;
  unsatisfied: number;
  pending: number;
  withdrawn: number;
}

export function emptyCounts(): Counts {
  return { petitions: 0, voters: 0, forwarded: 0, answered: 0, satisfied: 0, unsatisfied: 0, pending: 0, withdrawn: 0 };
}

export function addTo(counts: Counts, state: ReportState, voters: number): void {
  addMany(counts, state, 1, voters);
}

/** Adds `petitions` petitions in one state, raised by `voters` voters in all (an aggregation's group). */
export function addMany(counts: Counts, state: ReportState, petitions: number, voters: number): void {
  counts.petitions += petitions;
  counts.voters += voters;
  if (isForwarded(state)) counts.forwarded += petitions;
  if (isAnswered(state)) counts.answered += petitions;
  if (state === 'satisfied') counts.satisfied += petitions;
  if (state === 'unsatisfied') counts.unsatisfied += petitions;
  if (state === 'pending') counts.pending += petitions;
  if (state === 'withdrawn') counts.withdrawn += petitions;
}

export interface ListedPetition {
  id: string;
  kind: 'original' | 'consolidated';
  fieldCode: string | null;
  agencyName: string | null;
  voterCount: number;
  state: ReportState;
}

export interface RaisedPetition {
  id: string;
  meetingId: string;
  unitCode: string | null;
  voterCount: number;
  /** The state of the petition that stands for it (its consolidated petition's, once merged). */
  state: ReportState;
  merged: boolean;
}

export interface MeetingGroups {
  /** The delegate groups (constituencies) of the delegates present at the meeting. */
  groups: string[];
}

export interface SessionFigures {
  /** Originals raised at the session's meetings, and the voters who raised them. */
  raised: number;
  raisedVoters: number;
  /** Originals merged into a consolidated petition. */
  merged: number;
  /** Consolidated petitions on the list. */
  consolidated: number;
  /** The list as sent: consolidated petitions and originals standing alone. */
  listed: Counts;
  byField: { fieldCode: string | null; counts: Counts }[];
  byAgency: { agencyName: string | null; counts: Counts }[];
  byGroup: { group: string; counts: Counts }[];
  byCommune: { unitCode: string | null; counts: Counts }[];
}

function tally<K>(map: Map<K, Counts>, key: K, state: ReportState, voters: number): void {
  const counts = map.get(key) ?? emptyCounts();
  addTo(counts, state, voters);
  map.set(key, counts);
}

const byKey = <K>(map: Map<K, Counts>, name: (k: K) => string) =>
  [...map.entries()].sort(([a], [b]) => name(a).localeCompare(name(b), 'vi'));

export function sessionFigures(listed: readonly ListedPetition[], raised: readonly RaisedPetition[], meetings: ReadonlyMap<string, MeetingGroups>): SessionFigures {
  const totals = emptyCounts();
  const fields = new Map<string | null, Counts>();
  const agencies = new Map<string | null, Counts>();
  for (const p of listed) {
    addTo(totals, p.state, p.voterCount);
    tally(fields, p.fieldCode, p.state, p.voterCount);
    tally(agencies, p.agencyName, p.state, p.voterCount);
  }
  const groups = new Map<string, Counts>();
  const communes = new Map<string | null, Counts>();
  for (const o of raised) {
    for (const group of new Set(meetings.get(o.meetingId)?.groups ?? [])) tally(groups, group, o.state, o.voterCount);
    tally(communes, o.unitCode, o.state, o.voterCount);
  }
  return {
    raised: raised.length,
    raisedVoters: raised.reduce((sum, o) => sum + o.voterCount, 0),
    merged: raised.filter((o) => o.merged).length,
    consolidated: listed.filter((p) => p.kind === 'consolidated').length,
    listed: totals,
    byField: byKey(fields, (k) => k ?? '').map(([fieldCode, counts]) => ({ fieldCode, counts })),
    byAgency: byKey(agencies, (k) => k ?? '').map(([agencyName, counts]) => ({ agencyName, counts })),
    byGroup: byKey(groups, (k) => k).map(([group, counts]) => ({ group, counts })),
    byCommune: byKey(communes, (k) => k ?? '').map(([unitCode, counts]) => ({ unitCode, counts })),
  };
}
