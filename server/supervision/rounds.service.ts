// Use cases of a supervision round: plan it (title, basis, dates, members, scope), start it, add
// cases and agencies to its scope, record findings and conclusions per case, and conclude it. Every
// change to a case's part in the round is an event on that case's timeline, in the same transaction.
import mongoose, { trusted, type ClientSession } from 'mongoose';
import { assertCan, type Actor } from '../access/index.js';
import { getAgencies } from '../agencies/index.js';
import { vietnamDateOf } from '../calendar/index.js';
import { CaseModel, findCaseIdByNumber, type Case } from '../cases/index.js';
import type { ServiceContext } from '../platform/context.js';
import { inTransaction } from '../platform/db/transaction.js';
import { ConflictError, NotFoundError, ValidationError, isDuplicateKeyError } from '../platform/errors.js';
import { DelegateModel, type Delegate } from '../reference/index.js';
import { getActiveStaff } from '../users/index.js';
import { SupervisionFindingModel } from './finding.model.js';
import { SupervisionRoundModel, type RoundMember, type SupervisionRound } from './round.model.js';
import type { ConcludeInput, FindingInput, RoundInput } from './supervision.schemas.js';
import { findingDateProblem, mayChangeScope, mayMoveRound, mayRecordFindings } from './supervision.rules.js';
import { by, recordSupervisionEvent } from './timeline.js';

const oid = (id: string) => new mongoose.Types.ObjectId(id);

async function membersOf(staffIds: readonly string[], delegateIds: readonly string[]): Promise<RoundMember[]> {
  const members: RoundMember[] = [];
  for (const id of staffIds) {
    const staff = await getActiveStaff(id);
    if (!staff || staff.role === 'admin') throw new ValidationError({ members: 'supervision.errors.memberUnknown' });
    members.push({ kind: 'staff', refId: staff.id, name: staff.name, userId: oid(staff.id) });
  }
  if (delegateIds.length > 0) {
    const delegates = await DelegateModel.find({ _id: trusted({ $in: delegateIds.map(oid) }), active: true }, { name: 1, userId: 1 }).lean<Pick<Delegate, '_id' | 'name' | 'userId'>[]>();
    if (delegates.length !== delegateIds.length) throw new ValidationError({ members: 'supervision.errors.memberUnknown' });
    for (const d of delegates) members.push({ kind: 'delegate', refId: String(d._id), name: d.name, userId: d.userId ?? null });
  }
  return members;
}

/** The agencies, all active; `field` names the form field a refusal points at (the plan's checkboxes, the round page's select). */
async function activeAgencies(ids: readonly string[], field: 'agencyIds' | 'agencyId') {
  if (ids.length === 0) return [];
  const found = await getAgencies([...ids]);
  return ids.map((id) => {
    const agency = found.get(id);
    if (!agency?.active) throw new ValidationError({ [field]: 'supervision.errors.agencyUnknown' });
    return { agencyId: oid(agency.id), name: agency.name };
  });
}

/** Plans a round. A repeated submission of the same form returns the first round. */
export async function createRound(actor: Actor, input: RoundInput, ctx: ServiceContext): Promise<{ id: string; created: boolean }> {
  assertCan(actor, 'cases:write');
  const existing = await SupervisionRoundModel.findOne({ submissionKey: input.submissionKey }, { _id: 1 }).lean<Pick<SupervisionRound, '_id'>>();
  if (existing) return { id: String(existing._id), created: false };
  const members = await membersOf(input.staffIds, input.delegateIds);
  const agencies = await activeAgencies(input.agencyIds, 'agencyIds');
  try {
    const [doc] = await SupervisionRoundModel.create([
      {
        title: input.title,
        basis: input.basis,
        startsOn: input.startsOn,
        endsOn: input.endsOn,
        status: 'planned',
        members,
        memberUserIds: [...new Set(members.flatMap((m) => (m.userId ? [String(m.userId)] : [])))].map(oid),
        agencies,
        cases: [],
        createdBy: by(actor),
        submissionKey: input.submissionKey,
        // The service's clock, not the machine's: the list is ordered by it and it is printed.
        createdAt: ctx.clock.now(),
      },
    ]);
    return { id: String(doc!._id), created: true };
  } catch (err) {
    if (!isDuplicateKeyError(err)) throw err;
    const first = await SupervisionRoundModel.findOne({ submissionKey: input.submissionKey }, { _id: 1 }).lean<Pick<SupervisionRound, '_id'>>();
    if (!first) throw err;
    return { id: String(first._id), created: false };
  }
}

async function loadRound(id: string, session: ClientSession | null): Promise<SupervisionRound> {
  const round = mongoose.isValidObjectId(id) ? await SupervisionRoundModel.findById(id).session(session).lean<SupervisionRound>() : null;
  if (!round) throw new NotFoundError('supervision.errors.notFound');
  return round;
}

/** The members start the work: planned → in progress. */
export async function startRound(actor: Actor, id: string, ctx: ServiceContext): Promise<void> {
  assertCan(actor, 'cases:write');
  const round = await loadRound(id, null);
  if (!mayMoveRound(round.status, 'in-progress')) throw new ConflictError('supervision.errors.notPlanned');
  const result = await SupervisionRoundModel.updateOne({ _id: round._id, status: 'planned' }, { $set: { status: 'in-progress', startedAt: ctx.clock.now() } });
  if (result.modifiedCount !== 1) throw new ConflictError('supervision.errors.notPlanned');
}

/** Adds cases (ticked in the pick list, or one typed by its number) to the round's scope. */
export async function addCasesToRound(actor: Actor, id: string, input: { caseIds: string[]; caseNumber: string }, ctx: ServiceContext): Promise<number> {
  assertCan(actor, 'cases:write');
  const ids = [...input.caseIds];
  if (input.caseNumber) {
    const found = await findCaseIdByNumber(input.caseNumber);
    if (!found) throw new ValidationError({ caseNumber: 'supervision.errors.caseNumberUnknown' });
    ids.push(found);
  }
  if (ids.length === 0) throw new ValidationError({ caseIds: 'supervision.errors.noCaseChosen' });
  const now = ctx.clock.now();
  return inTransaction(async (session) => {
    const round = await loadRound(id, session);
    if (!mayChangeScope(round.status)) throw new ConflictError('supervision.errors.concluded');
    const already = new Set(round.cases.map((c) => String(c.caseId)));
    const wanted = [...new Set(ids)].filter((c) => !already.has(c));
    const cases = await CaseModel.find({ _id: trusted({ $in: wanted.map(oid) }) }, { number: 1, status: 1 }).session(session).lean<Pick<Case, '_id' | 'number' | 'status'>[]>();
    if (cases.length !== wanted.length || cases.some((c) => c.status === 'merged')) throw new ValidationError({ caseIds: 'supervision.errors.caseUnknown' });
    if (cases.length === 0) return 0;
    const entries = cases.map((c) => ({ caseId: c._id, number: c.number, addedAt: now, addedBy: by(actor) }));
    const result = await SupervisionRoundModel.updateOne(
      { _id: round._id, status: round.status, 'cases.caseId': trusted({ $nin: cases.map((c) => c._id) }) },
      { $push: { cases: { $each: entries } } },
      { session },
    );
    if (result.modifiedCount !== 1) throw new ConflictError('supervision.errors.changedMeanwhile');
    await recordSupervisionEvent(cases.map((c) => c._id), by(actor), 'supervision.case-added', { round: round.title, roundId: String(round._id) }, now, session);
    return cases.length;
  });
}

export async function addAgencyToRound(actor: Actor, id: string, input: { agencyId: string }, _ctx: ServiceContext): Promise<void> {
  assertCan(actor, 'cases:write');
  const round = await loadRound(id, null);
  if (!mayChangeScope(round.status)) throw new ConflictError('supervision.errors.concluded');
  if (round.agencies.some((a) => String(a.agencyId) === input.agencyId)) return;
  const [agency] = await activeAgencies([input.agencyId], 'agencyId');
  await SupervisionRoundModel.updateOne({ _id: round._id, 'agencies.agencyId': trusted({ $ne: agency!.agencyId }) }, { $push: { agencies: agency } });
}

/** A finding or a conclusion about one case of the round; the same form sent twice records it once. */
export async function recordFinding(actor: Actor, id: string, input: FindingInput, ctx: ServiceContext): Promise<void> {
  assertCan(actor, 'cases:write');
  const now = ctx.clock.now();
  const round = await loadRound(id, null);
  if (!mayRecordFindings(round.status)) throw new ConflictError(round.status === 'planned' ? 'supervision.errors.notStarted' : 'supervision.errors.concluded');
  if (!round.cases.some((c) => String(c.caseId) === input.caseId)) throw new ValidationError({ caseId: 'supervision.errors.caseNotInRound' });
  const problem = findingDateProblem(input.on, round, vietnamDateOf(now));
  if (problem) throw new ValidationError({ on: problem });
  if (await SupervisionFindingModel.exists({ submissionKey: input.submissionKey })) return;
  try {
    await inTransaction(async (session) => {
      const caseId = oid(input.caseId);
      await SupervisionFindingModel.create([{ roundId: round._id, caseId, kind: input.kind, text: input.text, on: input.on, at: now, by: by(actor), submissionKey: input.submissionKey }], { session });
      await recordSupervisionEvent([caseId], by(actor), `supervision.${input.kind}`, { round: round.title, roundId: String(round._id), text: input.text }, now, session);
    });
  } catch (err) {
    if (!isDuplicateKeyError(err)) throw err;
  }
}

/** A leader concludes the round; its conclusion goes on the timeline of every case in it. */
export async function concludeRound(actor: Actor, id: string, input: ConcludeInput, ctx: ServiceContext): Promise<void> {
  assertCan(actor, 'supervision:conclude');
  const now = ctx.clock.now();
  await inTransaction(async (session) => {
    const round = await loadRound(id, session);
    if (!mayMoveRound(round.status, 'concluded')) throw new ConflictError(round.status === 'planned' ? 'supervision.errors.notStarted' : 'supervision.errors.concluded');
    const problem = findingDateProblem(input.on, round, vietnamDateOf(now));
    if (problem) throw new ValidationError({ conclusionOn: problem });
    const result = await SupervisionRoundModel.updateOne(
      { _id: round._id, status: 'in-progress' },
      { $set: { status: 'concluded', conclusion: { text: input.text, on: input.on, at: now, by: by(actor) } } },
      { session },
    );
    if (result.modifiedCount !== 1) throw new ConflictError('supervision.errors.concluded');
    await recordSupervisionEvent(round.cases.map((c) => c.caseId), by(actor), 'supervision.round-concluded', { round: round.title, roundId: String(round._id), text: input.text }, now, session);
  });
}
