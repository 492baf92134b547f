// Use cases of the case file. Cases are opened by the intake modules (receptions, letters) inside
// their own transactions; every change here writes its timeline event in the same transaction.
import mongoose, { type ClientSession } from 'mongoose';
import { assertCan, can, type Actor } from '../access/index.js';
import type { Person } from '../people/index.js';
import { getActiveStaff } from '../users/index.js';
import type { ServiceContext } from '../platform/context.js';
import { nextSequence } from '../platform/db/counters.js';
import { inTransaction, type TransactionOptions } from '../platform/db/transaction.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../platform/errors.js';
import { CaseEventModel } from './case-event.model.js';
import { CaseModel, type Case } from './case.model.js';
import { checkTransition, type CaseStatus } from './case-status.rules.js';
import { isConfidentialType, type CaseType, type PartyRole } from './case-types.js';
import { searchableText, visibleText } from './confidentiality.rules.js';
import { handlingDeadline } from './deadline.js';
import { searchWords } from './search.rules.js';

export function formatCaseNumber(year: number, seq: number): string {
  return `${year}/${String(seq).padStart(6, '0')}`;
}

export interface CaseParty {
  person: Pick<Person, '_id' | 'name' | 'citizenId'>;
  role: PartyRole;
  /** A filer's answer about email notices (notice-consent.rules.ts); null or absent: not asked. */
  emailNotices?: boolean | null;
}

export interface OpenCaseInput {
  type: CaseType;
  fieldCode: string | null;
  unitCode: string | null;
  summary: string;
  receivedAt: Date;
  parties: CaseParty[];
  assignedTo?: string | null;
  followers?: string[];
  source: 'visit' | 'letter';
  submissionKey?: string | null;
  /**
   * Protect the filers even though this case is not a denunciation: a part split from a letter that
   * also denounces someone has the same filer, who must not be named there either.
   */
  protectFilers?: boolean;
  /** False when the filer was already told of this matter (a part split from a letter already receipted). */
  noticeFiler?: boolean;
}

/** Called inside the transaction that opened a case (the citizen's receipt notice, in server/reminders). */
export type CaseOpenedListener = (kase: Case, ctx: ServiceContext, session: ClientSession) => Promise<unknown>;
const caseOpenedListeners: CaseOpenedListener[] = [];

/** Other modules register at start-up, so cases never imports them. */
export function onCaseOpened(listener: CaseOpenedListener): void {
  if (!caseOpenedListeners.includes(listener)) caseOpenedListeners.push(listener);
}

/**
 * A case's search words: the number and the summary for everyone, and the parties' names and ID numbers —
 * for everyone on an open case; on a protected one only as identity words (searched by users who may
 * see the filers), and taken out of the summary's open words as well (searchableText).
 */
export function tokensFor(kase: { number: string; summary: string; confidential: boolean; parties: { name: string; citizenId?: string | null }[] }) {
  const partyWords = searchWords(...kase.parties.flatMap((p) => [p.name, p.citizenId ?? '']));
  return {
    searchTokens: [...new Set([...searchWords(kase.number.replace('/', ' '), kase.number, searchableText(kase.summary, kase.parties, kase.confidential)), ...(kase.confidential ? [] : partyWords)])],
    identityTokens: kase.confidential ? partyWords : [],
  };
}

export async function recordCaseEvent(
  caseId: mongoose.Types.ObjectId,
  actor: Pick<Actor, 'id' | 'name'>,
  type: string,
  data: Record<string, unknown>,
  at: Date,
  session: ClientSession,
): Promise<void> {
  await CaseEventModel.create([{ caseId, at, actorId: actor.id, actorName: actor.name, type, data }], { session });
}

/**
 * For the transactions that open a case: in one process they take their turn, as every one of them
 * writes the year's case counter (see inTransaction).
 */
export const OPENS_A_CASE: TransactionOptions = { oneAtATime: 'case-number' };

/** Opens a new case (number from the year's counter, handling deadline, first timeline event). */
export async function openCase(actor: Actor, input: OpenCaseInput, ctx: ServiceContext, session: ClientSession): Promise<Case> {
  assertCan(actor, 'cases:write');
  const year = Number(new Intl.DateTimeFormat('en', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric' }).format(input.receivedAt));
  const number = formatCaseNumber(year, await nextSequence(`case:${year}`, session));
  const confidential = isConfidentialType(input.type) || input.protectFilers === true;
  const parties = dedupeParties(input.parties);
  const deadline = await handlingDeadline(input.receivedAt);
  const [created] = await CaseModel.create(
    [
      {
        number,
        year,
        type: input.type,
        confidential,
        fieldCode: input.fieldCode,
        unitCode: input.unitCode,
        summary: input.summary,
        ...tokensFor({ number, summary: input.summary, confidential, parties }),
        parties,
        citizenIds: parties.flatMap((p) => (p.citizenId ? [p.citizenId] : [])),
        status: 'received',
        assignedTo: input.assignedTo ? new mongoose.Types.ObjectId(input.assignedTo) : new mongoose.Types.ObjectId(actor.id),
        followers: (input.followers ?? []).map((id) => new mongoose.Types.ObjectId(id)),
        receivedAt: input.receivedAt,
        visitCount: input.source === 'visit' ? 1 : 0,
        letterCount: input.source === 'letter' ? 1 : 0,
        handlingDeadline: deadline,
        createdBy: new mongoose.Types.ObjectId(actor.id),
        submissionKey: input.submissionKey ?? null,
      },
    ],
    { session },
  );
  const kase = created!.toObject<Case>();
  await recordCaseEvent(kase._id, actor, 'case.opened', { number, type: input.type, source: input.source }, ctx.clock.now(), session);
  if (input.noticeFiler !== false) for (const listener of caseOpenedListeners) await listener(kase, ctx, session);
  return kase;
}

function dedupeParties(parties: CaseParty[]) {
  const seen = new Set<string>();
  const out: { personId: mongoose.Types.ObjectId; role: PartyRole; name: string; citizenId: string | null; emailNotices: boolean | null }[] = [];
  for (const p of parties) {
    const key = String(p.person._id);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ personId: p.person._id, role: p.role, name: p.person.name, citizenId: p.person.citizenId ?? null, emailNotices: p.emailNotices ?? null });
  }
  return out;
}

/** Adds a visit or letter to an existing case: counters, new parties, a timeline event. */
export async function addIntakeToCase(
  actor: Actor,
  caseId: string,
  intake: { kind: 'visit' | 'letter'; id: mongoose.Types.ObjectId; parties: CaseParty[] },
  ctx: ServiceContext,
  session: ClientSession,
): Promise<Case> {
  assertCan(actor, 'cases:write');
  const kase = await loadCase(caseId, session);
  if (kase.status === 'merged') throw new ConflictError('cases.errors.mergedCase', { number: kase.number });
  const known = new Set(kase.parties.map((p) => String(p.personId)));
  const incoming = dedupeParties(intake.parties);
  const newParties = incoming.filter((p) => !known.has(String(p.personId)));
  // A filer who answers the email question again (a repeat visit, a new letter) changes their mind:
  // the latest explicit answer is the one that counts; "not asked" keeps the earlier one.
  const answers = new Map(incoming.filter((p) => p.emailNotices !== null).map((p) => [String(p.personId), p.emailNotices]));
  const parties = [...kase.parties.map((p) => (answers.has(String(p.personId)) ? { ...p, emailNotices: answers.get(String(p.personId)) ?? null } : p)), ...newParties];
  await CaseModel.updateOne(
    { _id: kase._id },
    {
      $inc: intake.kind === 'visit' ? { visitCount: 1 } : { letterCount: 1 },
      $set: {
        parties,
        citizenIds: [...new Set(parties.flatMap((p) => (p.citizenId ? [p.citizenId] : [])))],
        ...tokensFor({ number: kase.number, summary: kase.summary, confidential: kase.confidential, parties }),
      },
    },
    { session },
  );
  await recordCaseEvent(kase._id, actor, intake.kind === 'visit' ? 'case.visit-added' : 'case.letter-added', { id: String(intake.id) }, ctx.clock.now(), session);
  return kase;
}

export async function loadCase(caseId: string, session?: ClientSession): Promise<Case> {
  if (!mongoose.isValidObjectId(caseId)) throw new NotFoundError('cases.errors.notFound');
  const kase = await CaseModel.findById(caseId).session(session ?? null).lean<Case>();
  if (!kase) throw new NotFoundError('cases.errors.notFound');
  return kase;
}

/** Whether the actor may see this case at all (all cases, or the ones they follow). */
export function maySeeCase(actor: Actor, kase: Pick<Case, 'assignedTo' | 'followers'>): boolean {
  if (can(actor, 'cases:read-all')) return true;
  if (!can(actor, 'cases:read-own')) return false;
  return String(kase.assignedTo) === actor.id || kase.followers.some((f) => String(f) === actor.id);
}

export async function changeCaseStatus(actor: Actor, caseId: string, input: { to: CaseStatus; reason: string | null }, ctx: ServiceContext): Promise<void> {
  assertCan(actor, 'cases:write');
  await inTransaction((session) => changeCaseStatusWithin(actor, caseId, input, ctx, session));
}

export async function assignCase(actor: Actor, caseId: string, assigneeId: string, ctx: ServiceContext): Promise<void> {
  assertCan(actor, 'cases:write');
  const assignee = await getActiveStaff(assigneeId);
  if (!assignee || !['officer', 'leader'].includes(assignee.role)) throw new ValidationError({ assignedTo: 'cases.errors.assignee' });
  await inTransaction(async (session) => {
    const kase = await loadCase(caseId, session);
    if (String(kase.assignedTo) === assigneeId) return;
    await CaseModel.updateOne({ _id: kase._id }, { $set: { assignedTo: new mongoose.Types.ObjectId(assignee.id) } }, { session });
    await recordCaseEvent(kase._id, actor, 'case.assigned', { to: assignee.id, toName: assignee.name }, ctx.clock.now(), session);
  });
}

export interface ClassificationInput {
  type: CaseType;
  fieldCode: string | null;
  unitCode: string | null;
  summary: string;
}

export async function reclassifyCase(actor: Actor, caseId: string, input: ClassificationInput, ctx: ServiceContext): Promise<void> {
  assertCan(actor, 'cases:write');
  await inTransaction((session) => reclassifyCaseWithin(actor, caseId, input, ctx, session));
}

/**
 * changeCaseStatus inside the caller's transaction, for a module whose own change moves the case (a
 * letter's handling outcome files it, returns it or puts it in progress). Same rules, same event.
 */
export async function changeCaseStatusWithin(
  actor: Actor,
  caseId: string,
  input: { to: CaseStatus; reason: string | null },
  ctx: ServiceContext,
  session: ClientSession,
): Promise<void> {
  assertCan(actor, 'cases:write');
  const kase = await loadCase(caseId, session);
  const check = checkTransition(kase.status, input.to, input.reason);
  if (!check.ok) {
    if (check.problem === 'reason-required') throw new ValidationError({ reason: 'cases.errors.reasonRequired' });
    throw new ConflictError(check.problem === 'same-state' ? 'cases.errors.sameStatus' : 'cases.errors.illegalTransition', { from: kase.status, to: input.to });
  }
  // The status in the filter makes two concurrent changes conflict instead of both applying.
  const result = await CaseModel.updateOne({ _id: kase._id, status: kase.status }, { $set: { status: input.to } }, { session });
  if (result.modifiedCount !== 1) throw new ConflictError('cases.errors.changedMeanwhile');
  await recordCaseEvent(kase._id, actor, 'case.status-changed', { from: kase.status, to: input.to, reason: input.reason ?? null }, ctx.clock.now(), session);
}

/**
 * reclassifyCase inside the caller's transaction (splitting a mixed letter reclassifies the letter's
 * first case while it opens the others). Returns whether anything changed.
 */
export async function reclassifyCaseWithin(
  actor: Actor,
  caseId: string,
  input: ClassificationInput,
  ctx: ServiceContext,
  session: ClientSession,
  options: { protectFilers?: boolean } = {},
): Promise<boolean> {
  assertCan(actor, 'cases:write');
  const kase = await loadCase(caseId, session);
  if (kase.status === 'merged') throw new ConflictError('cases.errors.mergedCase', { number: kase.number });
  // Protection comes from the type, or was given to the case because its filer denounced in the same
  // letter (that kind stays whatever the case's own type becomes).
  const inherited = kase.confidential && kase.type !== 'denunciation';
  const confidential = isConfidentialType(input.type) || inherited || options.protectFilers === true;
  // Turning a denunciation into another type would show its filer to everyone: only users who may
  // already see denouncers can do that.
  if (kase.confidential && !confidential && !can(actor, 'view-denouncer-identity')) throw new ForbiddenError('cases.errors.declassifyForbidden');
  // A reader who may not see the filers was shown the summary with their names blanked (visibleText):
  // sent back as shown, it means "unchanged" and the stored summary stays — the blanks are not saved.
  if (input.summary === visibleText(kase.summary, kase.parties, kase.confidential, can(actor, 'view-denouncer-identity'))) input = { ...input, summary: kase.summary };
  const before = { type: kase.type, fieldCode: kase.fieldCode, unitCode: kase.unitCode, summary: kase.summary };
  const changed = (Object.keys(before) as (keyof ClassificationInput)[]).filter((k) => before[k] !== input[k]);
  if (changed.length === 0) return false;
  await CaseModel.updateOne(
    { _id: kase._id },
    { $set: { ...input, confidential, ...tokensFor({ number: kase.number, summary: input.summary, confidential, parties: kase.parties }) } },
    { session },
  );
  const pick = (o: Record<string, unknown>) => Object.fromEntries(changed.map((k) => [k, o[k] ?? null]));
  await recordCaseEvent(kase._id, actor, 'case.reclassified', { before: pick(before), after: pick({ ...input }) }, ctx.clock.now(), session);
  return true;
}

/** The id of the case with this number ("2026/123" or "2026/000123"), or null. */
export async function findCaseIdByNumber(number: string): Promise<string | null> {
  const match = /^(\d{4})\/(\d{1,6})$/.exec(number.trim());
  if (!match) return null;
  const found = await CaseModel.findOne({ number: formatCaseNumber(Number(match[1]), Number(match[2])) }, { _id: 1 }).lean<Case>();
  return found ? String(found._id) : null;
}
