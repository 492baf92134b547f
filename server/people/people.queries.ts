// Finding people: by ID number, or by the start of the folded name (an index range scan). The cases a
// person is party to are listed only as far as the user may see them; a denunciation's filer is never
// linked to it for a user without the permission.
import mongoose, { trusted } from 'mongoose';
import { z } from 'zod';
import { assertCan, type Actor } from '../access/index.js';
import { escapeRegExp, foldVietnamese, cleanText } from '../platform/text.js';
import { PersonModel, type Person } from './person.model.js';

export const PEOPLE_PAGE_SIZE = 25;

export const peopleQuerySchema = z.object({
  q: z.string().max(100).transform(cleanText).optional().catch(undefined),
});

export type PersonRow = Pick<Person, '_id' | 'name' | 'citizenId' | 'phone' | 'unitCode' | 'street'>;

const ROW = { name: 1, citizenId: 1, phone: 1, unitCode: 1, street: 1 } as const;

export async function findPeople(actor: Actor, q: string | undefined): Promise<PersonRow[]> {
  assertCan(actor, 'cases:write');
  if (!q) return [];
  const digits = q.replace(/[\s.-]/g, '');
  const filter = /^\d{12}$/.test(digits)
    ? { citizenId: digits }
    : { nameFolded: trusted({ $regex: `^${escapeRegExp(foldVietnamese(q))}` }), mergedInto: null };
  return PersonModel.find(filter, ROW).sort({ nameFolded: 1 }).limit(PEOPLE_PAGE_SIZE).lean<PersonRow[]>();
}

export type PersonDetail = PersonRow & Pick<Person, 'email' | 'mergedInto'>;

export async function getPersonForStaff(actor: Actor, id: string): Promise<PersonDetail | null> {
  assertCan(actor, 'cases:write');
  if (!mongoose.isValidObjectId(id)) return null;
  return PersonModel.findById(id, { ...ROW, email: 1, mergedInto: 1 }).lean<PersonDetail>();
}
