// Finding and recording people at intake. A person with an ID number is one record whatever the
// spelling of their name; without one, matches by name and commune are only suggestions.
import mongoose, { type ClientSession } from 'mongoose';
import { assertCan, type Actor } from '../access/index.js';
import { recordAudit } from '../audit/index.js';
import type { ServiceContext } from '../platform/context.js';
import { inTransaction } from '../platform/db/transaction.js';
import { ConflictError, NotFoundError } from '../platform/errors.js';
import { foldVietnamese } from '../platform/text.js';
import { PersonModel, type Person } from './person.model.js';

export interface PersonInput {
  name: string;
  citizenId?: string | null;
  phone?: string | null;
  email?: string | null;
  unitCode?: string | null;
  street?: string | null;
}

/**
 * The person for this input: the existing record with the same ID number (missing details filled in,
 * never overwritten), or a new record. Runs inside the caller's transaction.
 */
export async function resolvePerson(input: PersonInput, session: ClientSession, chosenId?: string): Promise<Person> {
  // The officer said which existing record this is (a namesake in the same commune, without a CCCD).
  const chosen = chosenId && mongoose.isValidObjectId(chosenId) ? await PersonModel.findOne({ _id: new mongoose.Types.ObjectId(chosenId), mergedInto: null }).session(session).lean<Person>() : null;
  if (chosenId && !chosen) throw new NotFoundError('people.errors.notFound');
  if (input.citizenId || chosen) {
    const existing = chosen ?? (await PersonModel.findOne({ citizenId: input.citizenId }).session(session).lean<Person>());
    if (existing) {
      const fill: Record<string, string> = {};
      for (const key of ['phone', 'email', 'unitCode', 'street'] as const) {
        const value = input[key];
        if (value && !existing[key]) fill[key] = value;
      }
      if (Object.keys(fill).length) await PersonModel.updateOne({ _id: existing._id }, { $set: fill }, { session });
      return { ...existing, ...fill };
    }
  }
  const [created] = await PersonModel.create(
    [
      {
        name: input.name,
        nameFolded: foldVietnamese(input.name),
        citizenId: input.citizenId ?? null,
        phone: input.phone ?? null,
        email: input.email ?? null,
        unitCode: input.unitCode ?? null,
        street: input.street ?? null,
      },
    ],
    { session },
  );
  return created!.toObject<Person>();
}

/** Contact details of one person (for papers given to that person). */
export async function getPerson(id: string): Promise<Person | null> {
  if (!mongoose.isValidObjectId(id)) return null;
  return PersonModel.findById(id, { name: 1, citizenId: 1, phone: 1, email: 1, unitCode: 1, street: 1 }).lean<Person>();
}

export interface PersonSuggestion {
  id: string;
  name: string;
  citizenId: string | null;
  unitCode: string | null;
  street: string | null;
  matchedBy: 'citizen-id' | 'name-and-commune';
}

const SUGGESTION_FIELDS = { name: 1, citizenId: 1, unitCode: 1, street: 1 } as const;

/** People who may be the one being entered: same ID number, or same folded name in the same commune. */
export async function suggestPeople(actor: Actor, input: { name?: string; citizenId?: string | null; unitCode?: string | null }): Promise<PersonSuggestion[]> {
  assertCan(actor, 'cases:write');
  const found: PersonSuggestion[] = [];
  if (input.citizenId) {
    const byId = await PersonModel.findOne({ citizenId: input.citizenId, mergedInto: null }, SUGGESTION_FIELDS).lean<Person>();
    if (byId) found.push({ ...suggestion(byId), matchedBy: 'citizen-id' });
  }
  if (input.name && input.unitCode) {
    const byName = await PersonModel.find({ nameFolded: foldVietnamese(input.name), unitCode: input.unitCode, mergedInto: null }, SUGGESTION_FIELDS)
      .limit(10)
      .lean<Person[]>();
    for (const p of byName) if (!found.some((f) => f.id === String(p._id))) found.push({ ...suggestion(p), matchedBy: 'name-and-commune' });
  }
  return found;
}

function suggestion(p: Person): Omit<PersonSuggestion, 'matchedBy'> {
  return { id: String(p._id), name: p.name, citizenId: p.citizenId ?? null, unitCode: p.unitCode ?? null, street: p.street ?? null };
}

/** Listeners that move references from a merged-away person to the kept one (cases, letters, visits). */
type PersonMergeListener = (from: mongoose.Types.ObjectId, into: Person, session: ClientSession) => Promise<void>;
const mergeListeners: PersonMergeListener[] = [];
export function onPeopleMerged(listener: PersonMergeListener): void {
  mergeListeners.push(listener);
}

/** Two records of the same person become one: `fromId` is merged into `intoId`, keeping every link. */
export async function mergePeople(actor: Actor, fromId: string, intoId: string, ctx: ServiceContext): Promise<void> {
  assertCan(actor, 'cases:write');
  if (fromId === intoId) throw new ConflictError('people.errors.mergeSame');
  if (!mongoose.isValidObjectId(fromId) || !mongoose.isValidObjectId(intoId)) throw new NotFoundError('people.errors.notFound');
  await inTransaction(async (session) => {
    const [from, into] = await Promise.all([
      PersonModel.findById(fromId).session(session).lean<Person>(),
      PersonModel.findById(intoId).session(session).lean<Person>(),
    ]);
    if (!from || !into || from.mergedInto || into.mergedInto) throw new NotFoundError('people.errors.notFound');
    if (from.citizenId && into.citizenId && from.citizenId !== into.citizenId) throw new ConflictError('people.errors.mergeDifferentIds');
    await PersonModel.updateOne({ _id: from._id }, { $set: { mergedInto: into._id, citizenId: null, formerCitizenId: from.citizenId } }, { session });
    const fill: Record<string, string> = {};
    for (const key of ['citizenId', 'phone', 'email', 'unitCode', 'street'] as const) {
      const value = from[key];
      if (value && !into[key]) fill[key] = value;
    }
    if (Object.keys(fill).length) await PersonModel.updateOne({ _id: into._id }, { $set: fill }, { session });
    for (const listener of mergeListeners) await listener(from._id, { ...into, ...fill }, session);
    await recordAudit(
      { action: 'person.merged', at: ctx.clock.now(), actor, target: { type: 'person', id: intoId }, ip: ctx.ip, requestId: ctx.requestId, details: { from: fromId } },
      session,
    );
  });
}
