// Logging a letter: the senders are found or created and the letter is linked to a new case or to an
// existing one, in one transaction. The form's submission key makes a
// double submission (two tabs, a retried request, a double click) produce one letter and one case.
import mongoose, { trusted, type ClientSession } from 'mongoose';
import { assertCan, can, type Actor } from '../access/index.js';
import { recordAudit } from '../audit/index.js';
import {
  CaseModel,
  addIntakeToCase,
  findDuplicateCases,
  isConfidentialType,
  maySeeCase,
  onCasesMerged,
  OPENS_A_CASE,
  openCase,
  type Case,
  type CaseParty,
  type CaseType,
  type DuplicateCandidate,
} from '../cases/index.js';
import { onPeopleMerged, resolvePerson, suggestPeople, type Person, type PersonSuggestion } from '../people/index.js';
import type { ServiceContext } from '../platform/context.js';
import { inTransaction } from '../platform/db/transaction.js';
import { NotFoundError, ValidationError, isDuplicateKeyError } from '../platform/errors.js';
import { LetterModel, type Letter } from './letter.model.js';
import { caseTypeOf, letterTokens } from './letters.rules.js';
import type { LetterIntakeInput } from './letters.schemas.js';

export type LogLetterResult =
  | { outcome: 'saved'; letterId: string; caseId: string; caseNumber: string; newCase: boolean; replayed: boolean }
  | { outcome: 'possible-duplicates'; candidates: DuplicateCandidate[]; people: PersonSuggestion[] };

/** How many times a submission is retried when it collided with another one (a new person's ID number). */
const ATTEMPTS = 3;

async function savedBySubmission(submissionKey: string): Promise<LogLetterResult | null> {
  const letter = await LetterModel.findOne({ submissionKey }, { caseIds: 1, caseNumbers: 1 }).lean<Letter>();
  if (!letter) return null;
  return { outcome: 'saved', letterId: String(letter._id), caseId: String(letter.caseIds[0]), caseNumber: letter.caseNumbers[0] ?? '', newCase: false, replayed: true };
}

/**
 * The case the officer picked must exist and be visible to them (the same answer for both, so an id
 * reveals nothing), must not be merged away, and must protect a denouncer if the letter is a
 * denunciation: a denouncer's name never lands on an open case.
 */
async function checkChosenCase(actor: Actor, caseId: string, caseType: CaseType): Promise<void> {
  const kase = await CaseModel.findById(caseId, { status: 1, confidential: 1, assignedTo: 1, followers: 1 }).lean<Case>();
  if (!kase || !maySeeCase(actor, kase)) throw new ValidationError({ caseChoice: 'letters.errors.caseUnknown' });
  if (kase.status === 'merged') throw new ValidationError({ caseChoice: 'letters.errors.caseMerged' });
  if (isConfidentialType(caseType) && !kase.confidential) throw new ValidationError({ caseChoice: 'letters.errors.denunciationIntoOpenCase' });
}

export async function logLetter(actor: Actor, input: LetterIntakeInput, ctx: ServiceContext): Promise<LogLetterResult> {
  assertCan(actor, 'cases:write');
  if (input.receivedAt.getTime() > ctx.clock.now().getTime()) throw new ValidationError({ date: 'letters.errors.future' });

  const already = await savedBySubmission(input.submissionKey);
  if (already) return already;

  const caseType = caseTypeOf(input.type, input.mainType);
  // Without a CCCD, a namesake in the same commune may be the sender: the officer decides.
  const people =
    input.personChoice === 'auto' && !input.anonymous && input.name && !input.citizenId && input.unitCode
      ? (await suggestPeople(actor, { name: input.name, unitCode: input.unitCode })).filter((p) => p.matchedBy === 'name-and-commune')
      : [];
  if (people.length) return { outcome: 'possible-duplicates', candidates: [], people };
  if (input.caseChoice === 'auto') {
    const candidates = await findDuplicateCases(actor, {
      citizenIds: [input.citizenId, input.cosigner1CitizenId, input.cosigner2CitizenId].filter((x): x is string => !!x),
      unitCode: input.unitCode,
      fieldCode: input.fieldCode,
      text: input.summary,
    });
    // A denunciation may only join a case that protects its filer; offering others would only lead to a refusal.
    const offered = isConfidentialType(caseType) ? candidates.filter((c) => isConfidentialType(c.type as CaseType)) : candidates;
    if (offered.length) return { outcome: 'possible-duplicates', candidates: offered, people: [] };
  } else if (input.caseChoice !== 'new') {
    await checkChosenCase(actor, input.caseChoice, caseType);
  }

  for (let attempt = 1; ; attempt++) {
    try {
      return await inTransaction((session) => saveLetter(actor, input, caseType, ctx, session), input.caseChoice === 'new' || input.caseChoice === 'auto' ? OPENS_A_CASE : {});
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      // The same form submitted twice at once: the loser finds the winner's letter. Otherwise another
      // submission created the same new person first: the next attempt finds that person.
      const winner = await savedBySubmission(input.submissionKey);
      if (winner) return winner;
      if (attempt >= ATTEMPTS) throw err;
    }
  }
}

async function saveLetter(actor: Actor, input: LetterIntakeInput, caseType: CaseType, ctx: ServiceContext, session: ClientSession): Promise<LogLetterResult> {
  const senders: Person[] = [];
  if (!input.anonymous && input.name) {
    const chosen = /^[a-f0-9]{24}$/.test(input.personChoice) ? input.personChoice : undefined;
    senders.push(await resolvePerson({ name: input.name, citizenId: input.citizenId, phone: input.phone, email: input.email, unitCode: input.unitCode, street: input.street }, session, chosen));
    for (const cosigner of [
      { name: input.cosigner1Name, citizenId: input.cosigner1CitizenId },
      { name: input.cosigner2Name, citizenId: input.cosigner2CitizenId },
    ]) {
      if (cosigner.name) senders.push(await resolvePerson({ name: cosigner.name, citizenId: cosigner.citizenId, unitCode: input.unitCode }, session));
    }
  }
  const distinct = senders.filter((p, i) => senders.findIndex((q) => String(q._id) === String(p._id)) === i);
  // The answer about email notices is the first sender's: the form has one email, theirs.
  const parties: CaseParty[] = distinct.map((person, i) => ({ person, role: 'filer', emailNotices: i === 0 ? input.emailNotices : null }));
  const letterId = new mongoose.Types.ObjectId();
  const newCase = input.caseChoice === 'new' || input.caseChoice === 'auto';
  const kase = newCase
    ? await openCase(
        actor,
        {
          type: caseType,
          fieldCode: input.fieldCode,
          unitCode: input.unitCode,
          summary: input.summary,
          receivedAt: input.receivedAt,
          parties,
          source: 'letter',
          submissionKey: `letter:${input.submissionKey}`,
        },
        ctx,
        session,
      )
    : await addIntakeToCase(actor, input.caseChoice, { kind: 'letter', id: letterId, parties }, ctx, session);

  const confidential = kase.confidential;
  const senderRows = distinct.map((p) => ({ personId: p._id, name: p.name, citizenId: p.citizenId ?? null }));
  await LetterModel.create(
    [
      {
        _id: letterId,
        receivedAt: input.receivedAt,
        channel: input.channel,
        forwardedBy: input.forwardedBy,
        receivedBy: new mongoose.Types.ObjectId(actor.id),
        senders: senderRows,
        anonymous: input.anonymous,
        type: input.type,
        fieldCode: input.fieldCode,
        unitCode: input.unitCode,
        summary: input.summary,
        fullText: input.fullText,
        caseIds: [kase._id],
        caseNumbers: [kase.number],
        confidential,
        ...letterTokens({ summary: input.summary, forwardedBy: input.forwardedBy, caseNumbers: [kase.number], confidential, senders: senderRows }),
        submissionKey: input.submissionKey,
        handlingDeadline: kase.handlingDeadline ?? null,
      },
    ],
    { session },
  );
  return { outcome: 'saved', letterId: String(letterId), caseId: String(kase._id), caseNumber: kase.number, newCase, replayed: false };
}

/** Whether the actor may see this letter: all letters, or those of a case they follow. */
export async function maySeeLetter(actor: Actor, letter: Pick<Letter, 'caseIds'>, session?: ClientSession): Promise<boolean> {
  if (can(actor, 'cases:read-all')) return true;
  if (!can(actor, 'cases:read-own')) return false;
  const cases = await CaseModel.find({ _id: trusted({ $in: letter.caseIds }) }, { assignedTo: 1, followers: 1 })
    .session(session ?? null)
    .lean<Case[]>();
  return cases.some((c) => maySeeCase(actor, c));
}

/** The letter, if it exists and the actor may see it; otherwise the same 404 either way. */
export async function loadVisibleLetter(actor: Actor, letterId: string, session?: ClientSession): Promise<Letter> {
  if (!mongoose.isValidObjectId(letterId)) throw new NotFoundError('letters.errors.notFound');
  const letter = await LetterModel.findById(letterId)
    .session(session ?? null)
    .lean<Letter>();
  if (!letter || !(await maySeeLetter(actor, letter, session))) throw new NotFoundError('letters.errors.notFound');
  return letter;
}

/**
 * Every display of a denouncer's identity — a protected letter's senders, full text or scan — is
 * recorded (Luật Tố cáo 2018, Điều 9), under the same action as on the case pages.
 */
export async function recordIdentityView(actor: Actor, letterIds: readonly string[], where: string, ctx: ServiceContext, details: Record<string, unknown> = {}): Promise<void> {
  if (letterIds.length === 0) return;
  await recordAudit({
    action: 'case.identity-viewed',
    at: ctx.clock.now(),
    actor,
    target: letterIds.length === 1 ? { type: 'letter', id: letterIds[0]! } : null,
    ip: ctx.ip ?? null,
    requestId: ctx.requestId ?? null,
    details: { where, letterIds, ...details },
  });
}

// Letters follow their case when cases are merged: the kept case replaces the merged one (once), and a
// letter joining a protected case becomes protected.
onCasesMerged(async (from, into, session) => {
  const target = await CaseModel.findById(into, { number: 1, confidential: 1 }).session(session).lean<Case>();
  const letters = await LetterModel.find({ caseIds: from }, { caseIds: 1, caseNumbers: 1, confidential: 1, senders: 1, summary: 1, forwardedBy: 1 })
    .session(session)
    .lean<Letter[]>();
  for (const letter of letters) {
    const links = letter.caseIds.map((id, i) => (String(id) === String(from) ? { id: into, number: target?.number ?? '' } : { id, number: letter.caseNumbers[i] ?? '' }));
    const kept = links.filter((l, i) => links.findIndex((m) => String(m.id) === String(l.id)) === i);
    const confidential = letter.confidential || !!target?.confidential;
    const caseNumbers = kept.map((l) => l.number);
    await LetterModel.updateOne(
      { _id: letter._id },
      { $set: { caseIds: kept.map((l) => l.id), caseNumbers, confidential, ...letterTokens({ ...letter, caseNumbers, confidential }) } },
      { session },
    );
  }
});

// People merged → the senders' copies of name and ID number follow the kept person.
onPeopleMerged(async (from, into, session) => {
  const letters = await LetterModel.find({ 'senders.personId': from }, { senders: 1, caseNumbers: 1, confidential: 1, summary: 1, forwardedBy: 1 })
    .session(session)
    .lean<Letter[]>();
  for (const letter of letters) {
    const senders = letter.senders
      .map((s) => (String(s.personId) === String(from) ? { personId: into._id, name: into.name, citizenId: into.citizenId ?? null } : s))
      .filter((s, i, all) => all.findIndex((t) => String(t.personId) === String(s.personId)) === i);
    await LetterModel.updateOne({ _id: letter._id }, { $set: { senders, ...letterTokens({ ...letter, senders }) } }, { session });
  }
});
