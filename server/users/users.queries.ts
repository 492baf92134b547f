// Reads for the users screens: lean, projected, filtered on indexed fields and paginated by key
// (folded name, then id), never by skipping.
import mongoose, { trusted } from 'mongoose';
import { assertCan, type Actor, type Role } from '../access/index.js';
import { referenceCache } from '../platform/cache.js';
import { escapeRegExp, foldVietnamese } from '../platform/text.js';
import { UserModel, type User } from './user.model.js';
import type { UserListQuery } from './users.schemas.js';

export const USERS_PAGE_SIZE = 25;

export type UserRow = Pick<User, '_id' | 'email' | 'name' | 'role' | 'disabled' | 'lastSignInAt' | 'mustChangePassword' | 'grantedPermissions' | 'nameFolded' | 'totpEnabledAt'>;

export interface UserPage {
  rows: UserRow[];
  next: string | null;
  total: number;
}

const ROW_FIELDS = { email: 1, name: 1, role: 1, disabled: 1, lastSignInAt: 1, mustChangePassword: 1, grantedPermissions: 1, nameFolded: 1, totpEnabledAt: 1 } as const;

export async function listUsers(actor: Actor, query: UserListQuery): Promise<UserPage> {
  assertCan(actor, 'users:manage');
  const filter: Record<string, unknown> = {};
  if (query.role) filter.role = query.role;
  if (query.status) filter.disabled = query.status === 'disabled';
  if (query.q) {
    const folded = escapeRegExp(foldVietnamese(query.q));
    // Operators we build ourselves are marked trusted; sanitizeFilter still neutralises any that might
    // arrive inside user-supplied values.
    filter.$or = [{ nameFolded: trusted({ $regex: folded }) }, { email: trusted({ $regex: escapeRegExp(query.q.toLowerCase()) }) }];
  }
  const total = await UserModel.countDocuments(filter);
  const pageFilter = { ...filter };
  if (query.after) {
    const cursor = await UserModel.findById(query.after, { nameFolded: 1 }).lean<UserRow>();
    if (cursor) {
      pageFilter.$and = [
        {
          $or: [
            { nameFolded: trusted({ $gt: cursor.nameFolded }) },
            { nameFolded: cursor.nameFolded, _id: trusted({ $gt: cursor._id }) },
          ],
        },
      ];
    }
  }
  const rows = await UserModel.find(pageFilter, ROW_FIELDS)
    .sort({ nameFolded: 1, _id: 1 })
    .limit(USERS_PAGE_SIZE + 1)
    .lean<UserRow[]>();
  const hasMore = rows.length > USERS_PAGE_SIZE;
  const page = rows.slice(0, USERS_PAGE_SIZE);
  return { rows: page, next: hasMore ? String(page[page.length - 1]!._id) : null, total };
}

export async function getUserForEdit(actor: Actor, userId: string): Promise<UserRow | null> {
  assertCan(actor, 'users:manage');
  if (!mongoose.isValidObjectId(userId)) return null;
  return UserModel.findById(userId, ROW_FIELDS).lean<UserRow>();
}

export interface StaffMember {
  id: string;
  name: string;
  role: Role;
}

/** Active users with one of these roles, by name: for pickers (assign an officer, the host of a reception). */
const activeStaff = referenceCache(['users'], async (roles: readonly Role[]): Promise<StaffMember[]> => {
  const users = await UserModel.find({ role: trusted({ $in: roles }), disabled: false }, { name: 1, role: 1 }).sort({ nameFolded: 1 }).lean<User[]>();
  return users.map((u) => ({ id: String(u._id), name: u.name, role: u.role }));
});

export async function listActiveStaff(roles: readonly Role[]): Promise<StaffMember[]> {
  // A copy: callers may sort or filter the list they get.
  return (await activeStaff.get([...roles].sort())).slice();
}

/** One active user, or null (unknown, malformed id or disabled). */
export async function getActiveStaff(userId: string): Promise<StaffMember | null> {
  if (!mongoose.isValidObjectId(userId)) return null;
  const user = await UserModel.findOne({ _id: new mongoose.Types.ObjectId(userId), disabled: false }, { name: 1, role: 1 }).lean<User>();
  return user ? { id: String(user._id), name: user.name, role: user.role } : null;
}
