// Reads of delegates: the admin list (lean, projected, indexed filters, keyset pagination by folded
// name then id), the accounts a delegate may be linked to, and the active delegates for other modules.
import mongoose, { trusted } from 'mongoose';
import { assertCan, type Actor } from '../access/index.js';
import { escapeRegExp, foldVietnamese } from '../platform/text.js';
import { UserModel } from '../users/index.js';
import { DelegateModel, type Delegate, type DelegateBody } from './delegate.model.js';
import type { DelegateListQuery } from './reference.schemas.js';

export const DELEGATES_PAGE_SIZE = 25;

export type DelegateRow = Pick<Delegate, '_id' | 'userId' | 'name' | 'nameFolded' | 'body' | 'constituency' | 'term' | 'active'>;
const ROW_FIELDS = { userId: 1, name: 1, nameFolded: 1, body: 1, constituency: 1, term: 1, active: 1 } as const;

export interface DelegatePage {
  rows: DelegateRow[];
  /** Linked accounts' emails, by user id. */
  accounts: Record<string, string>;
  next: string | null;
  total: number;
}

export async function listDelegates(actor: Actor, query: DelegateListQuery): Promise<DelegatePage> {
  assertCan(actor, 'reference:manage');
  const filter: Record<string, unknown> = {};
  if (query.body) filter.body = query.body;
  if (query.status) filter.active = query.status === 'active';
  if (query.q) filter.nameFolded = trusted({ $regex: escapeRegExp(foldVietnamese(query.q)) });
  const total = await DelegateModel.countDocuments(filter);
  const pageFilter = { ...filter };
  if (query.after) {
    const cursor = await DelegateModel.findById(query.after, { nameFolded: 1 }).lean<Pick<Delegate, '_id' | 'nameFolded'>>();
    if (cursor) {
      pageFilter.$and = [{ $or: [{ nameFolded: trusted({ $gt: cursor.nameFolded }) }, { nameFolded: cursor.nameFolded, _id: trusted({ $gt: cursor._id }) }] }];
    }
  }
  const found = await DelegateModel.find(pageFilter, ROW_FIELDS).sort({ nameFolded: 1, _id: 1 }).limit(DELEGATES_PAGE_SIZE + 1).lean<DelegateRow[]>();
  const rows = found.slice(0, DELEGATES_PAGE_SIZE);
  const userIds = rows.map((r) => r.userId).filter((id): id is mongoose.Types.ObjectId => !!id);
  const users = userIds.length ? await UserModel.find({ _id: trusted({ $in: userIds }) }, { email: 1 }).lean<{ _id: mongoose.Types.ObjectId; email: string }[]>() : [];
  const accounts = Object.fromEntries(users.map((u) => [String(u._id), u.email]));
  return { rows, accounts, next: found.length > DELEGATES_PAGE_SIZE ? String(rows[rows.length - 1]!._id) : null, total };
}

export async function getDelegateForEdit(actor: Actor, id: string): Promise<DelegateRow | null> {
  assertCan(actor, 'reference:manage');
  if (!mongoose.isValidObjectId(id)) return null;
  return DelegateModel.findById(id, ROW_FIELDS).lean<DelegateRow>();
}

export interface DelegateAccount {
  id: string;
  name: string;
  email: string;
}

/** Enabled accounts with the delegate role, to link a delegate to (through the users' role index). */
export async function listDelegateAccounts(actor: Actor): Promise<DelegateAccount[]> {
  assertCan(actor, 'reference:manage');
  const users = await UserModel.find({ role: 'delegate', disabled: false }, { name: 1, email: 1, nameFolded: 1 })
    .sort({ nameFolded: 1, _id: 1 })
    .limit(2000)
    .lean<{ _id: mongoose.Types.ObjectId; name: string; email: string }[]>();
  return users.map((u) => ({ id: String(u._id), name: u.name, email: u.email }));
}

export interface DelegateSummary {
  id: string;
  userId: string | null;
  name: string;
  body: DelegateBody;
  constituency: string;
  term: string;
}

/** Active delegates, of one body or both, by name. */
export async function listActiveDelegates(body?: DelegateBody): Promise<DelegateSummary[]> {
  const filter: Record<string, unknown> = { active: true };
  if (body) filter.body = body;
  const rows = await DelegateModel.find(filter, ROW_FIELDS).sort({ nameFolded: 1, _id: 1 }).limit(2000).lean<DelegateRow[]>();
  return rows.map((r) => ({ id: String(r._id), userId: r.userId ? String(r.userId) : null, name: r.name, body: r.body, constituency: r.constituency, term: r.term }));
}
