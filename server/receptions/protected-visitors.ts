// What to blank in a protected visit's words (visibleText): its visitors' names, kept on the visit, and
// their ID numbers, which live only on the people — looked up in one query for the visits that need it
// (protected ones, for a reader who may not see the filers), so other pages pay nothing.
import { trusted } from 'mongoose';
import { PersonModel } from '../people/index.js';
import type { Reception } from './reception.model.js';

export type VisitorIdentities = (r: Pick<Reception, 'participants'>) => { name: string; citizenId: string | null }[];

export async function protectedVisitorIdentities(visits: readonly Pick<Reception, 'participants' | 'confidential'>[], maySeeIdentity: boolean): Promise<VisitorIdentities> {
  const ids = maySeeIdentity ? [] : [...new Set(visits.filter((v) => v.confidential).flatMap((v) => v.participants.map((p) => String(p.personId))))];
  const people = ids.length ? await PersonModel.find({ _id: trusted({ $in: ids }) }, { citizenId: 1 }).lean<{ _id: unknown; citizenId: string | null }[]>() : [];
  const citizenIds = new Map(people.map((p) => [String(p._id), p.citizenId ?? null]));
  return (r) => r.participants.map((p) => ({ name: p.name, citizenId: citizenIds.get(String(p.personId)) ?? null }));
}
