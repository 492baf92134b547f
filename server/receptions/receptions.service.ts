// Logging a visit: the people present are found or created, the visit is linked to a new case or to
// an existing one, all in one transaction. The form's submission key makes a double submission (or
// two tabs, or a retried request) produce one visit.
import mongoose from 'mongoose';
import { assertCan, type Actor } from '../access/index.js';
import { OPENS_A_CASE, addIntakeToCase, findDuplicateCases, onCasesMerged, openCase, searchWords, type CaseParty, type DuplicateCandidate } from '../cases/index.js';
import { getPerson, onPeopleMerged, resolvePerson, suggestPeople, type PersonSuggestion } from '../people/index.js';
import type { ServiceContext } from '../platform/context.js';
import { inTransaction } from '../platform/db/transaction.js';
import { ValidationError, isDuplicateKeyError } from '../platform/errors.js';
import { GROUP_VISIT_MIN_PEOPLE, ReceptionModel, type Reception } from './reception.model.js';
import type { WalkInInput } from './receptions.schemas.js';

export type WalkInResult =
  | { outcome: 'saved'; receptionId: string; caseId: string; caseNumber: string; newCase: boolean }
  | { outcome: 'possible-duplicates'; candidates: DuplicateCandidate[]; people: PersonSuggestion[] };

/** How far ahead of the server's clock a typed time may be (a desk clock a little fast). */
const FUTURE_TOLERANCE_MS = 10 * 60_000;

export async function logWalkIn(actor: Actor, input: WalkInInput, ctx: ServiceContext): Promise<WalkInResult> {
  assertCan(actor, 'cases:write');
  if (input.receivedAt.getTime() > ctx.clock.now().getTime() + FUTURE_TOLERANCE_MS) throw new ValidationError({ date: 'receptions.errors.future' });
  const named = [input.name, input.extra1Name, input.extra2Name].filter(Boolean).length;
  if (input.peopleCount < named) throw new ValidationError({ peopleCount: 'receptions.errors.peopleCountBelowNamed' });

  const already = await ReceptionModel.findOne({ submissionKey: input.submissionKey }, { caseId: 1, caseNumber: 1 }).lean<Reception>();
  if (already) return { outcome: 'saved', receptionId: String(already._id), caseId: String(already.caseId), caseNumber: already.caseNumber, newCase: false };

  // Without a CCCD, a namesake in the same commune may be the same person: the officer decides.
  const people =
    input.personChoice === 'auto' && !input.citizenId && input.unitCode
      ? (await suggestPeople(actor, { name: input.name, unitCode: input.unitCode })).filter((p) => p.matchedBy === 'name-and-commune')
      : [];
  const chosenPerson = /^[a-f0-9]{24}$/.test(input.personChoice) ? await getPerson(input.personChoice) : null;
  const candidates =
    input.caseChoice === 'auto'
      ? await findDuplicateCases(actor, {
          citizenIds: [input.citizenId, chosenPerson?.citizenId, input.extra1CitizenId, input.extra2CitizenId].filter((x): x is string => !!x),
          unitCode: input.unitCode,
          fieldCode: input.fieldCode,
          text: input.content,
        })
      : [];
  if (candidates.length || people.length) return { outcome: 'possible-duplicates', candidates, people };

  try {
    const newCase = input.caseChoice === 'new' || input.caseChoice === 'auto';
    return await inTransaction(async (session) => {
      const filer = await resolvePerson(
        { name: input.name, citizenId: input.citizenId, phone: input.phone, email: input.email, unitCode: input.unitCode, street: input.street },
        session,
        chosenPerson ? String(chosenPerson._id) : undefined,
      );
      const parties: CaseParty[] = [{ person: filer, role: 'filer', emailNotices: input.emailNotices }];
      for (const extra of [
        { name: input.extra1Name, citizenId: input.extra1CitizenId, role: input.extra1Role },
        { name: input.extra2Name, citizenId: input.extra2CitizenId, role: input.extra2Role },
      ]) {
        if (!extra.name) continue;
        parties.push({ person: await resolvePerson({ name: extra.name, citizenId: extra.citizenId, unitCode: input.unitCode }, session), role: extra.role });
      }
      const receptionId = new mongoose.Types.ObjectId();
      let kase;
      if (newCase) {
        kase = await openCase(
          actor,
          {
            type: input.type,
            fieldCode: input.fieldCode,
            unitCode: input.unitCode,
            summary: input.content.slice(0, 1000),
            receivedAt: input.receivedAt,
            parties,
            followers: input.host ? [input.host] : [],
            source: 'visit',
          },
          ctx,
          session,
        );
      } else {
        kase = await addIntakeToCase(actor, input.caseChoice, { kind: 'visit', id: receptionId, parties }, ctx, session);
      }
      await ReceptionModel.create(
        [
          {
            _id: receptionId,
            receivedAt: input.receivedAt,
            kind: input.kind,
            receivedBy: new mongoose.Types.ObjectId(actor.id),
            host: input.host ? new mongoose.Types.ObjectId(input.host) : null,
            participants: parties.map((p) => ({ personId: p.person._id, role: p.role, name: p.person.name })),
            peopleCount: input.peopleCount,
            isGroup: input.peopleCount >= GROUP_VISIT_MIN_PEOPLE,
            content: input.content,
            previouslyHandledBy: input.previouslyHandledBy,
            outcome: input.outcome,
            notes: input.notes,
            caseId: kase._id,
            caseNumber: kase.number,
            confidential: kase.confidential,
            searchTokens: searchWords(kase.number, ...(kase.confidential ? [] : parties.map((p) => p.person.name))),
            submissionKey: input.submissionKey,
          },
        ],
        { session },
      );
      return { outcome: 'saved' as const, receptionId: String(receptionId), caseId: String(kase._id), caseNumber: kase.number, newCase };
    }, newCase ? OPENS_A_CASE : {});
  } catch (err) {
    // The same form submitted twice at once: the loser finds the winner's visit.
    if (isDuplicateKeyError(err)) {
      const winner = await ReceptionModel.findOne({ submissionKey: input.submissionKey }, { caseId: 1, caseNumber: 1 }).lean<Reception>();
      if (winner) return { outcome: 'saved', receptionId: String(winner._id), caseId: String(winner.caseId), caseNumber: winner.caseNumber, newCase: false };
    }
    throw err;
  }
}

// Visits follow their case when cases are merged, and their people when people are merged.
onCasesMerged(async (from, into, session) => {
  const target = await mongoose.connection.collection('cases').findOne({ _id: into }, { projection: { number: 1, confidential: 1 }, session });
  await ReceptionModel.updateMany({ caseId: from }, { $set: { caseId: into, caseNumber: String(target?.number ?? ''), confidential: !!target?.confidential } }, { session });
});

onPeopleMerged(async (from, into, session) => {
  await ReceptionModel.updateMany(
    { 'participants.personId': from },
    { $set: { 'participants.$[p].personId': into._id, 'participants.$[p].name': into.name } },
    { session, arrayFilters: [{ 'p.personId': from }] },
  );
});
