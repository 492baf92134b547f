// Use cases of staff accounts. Every function takes the acting user and plain input, checks
// permission itself, and writes the change and its audit event in one transaction.
import mongoose, { trusted } from 'mongoose';
import { assertCan, permissionsOf, type Actor, type Role } from '../access/index.js';
import { recordAudit } from '../audit/index.js';
import type { ServiceContext } from '../platform/context.js';
import { inTransaction } from '../platform/db/transaction.js';
import { ConflictError, NotFoundError, ValidationError, isDuplicateKeyError } from '../platform/errors.js';
import { endSessionsOfUser } from '../platform/http/session.js';
import { foldVietnamese } from '../platform/text.js';
import type { Language } from '../platform/i18n.js';
import { isCommonPassword } from './common-passwords.js';
import { passwordProblem } from './password-policy.rules.js';
import { decoyPasswordHash, generatePassword, hashPassword, verifyPassword } from './passwords.js';
import { UserModel, type User } from './user.model.js';
import type { ChangePasswordInput, CreateUserInput, UpdateUserInput } from './users.schemas.js';

const IDENTITY_PERMISSION = 'view-denouncer-identity';

export function toActor(user: Pick<User, '_id' | 'email' | 'name' | 'role' | 'grantedPermissions' | 'locale' | 'mustChangePassword' | 'totpEnabledAt'>): Actor {
  return {
    id: String(user._id),
    email: user.email,
    name: user.name,
    role: user.role,
    permissions: permissionsOf(user.role, user.grantedPermissions),
    locale: user.locale === 'en' ? 'en' : 'vi',
    mustChangePassword: user.mustChangePassword,
    twoFactorEnabled: !!user.totpEnabledAt,
  };
}

export const ACTOR_FIELDS = { email: 1, name: 1, role: 1, grantedPermissions: 1, locale: 1, mustChangePassword: 1, disabled: 1, totpEnabledAt: 1 } as const;

/** The actor for a signed-in session, or null when the user no longer exists or is disabled. */
export async function loadActor(userId: string): Promise<Actor | null> {
  if (!mongoose.isValidObjectId(userId)) return null;
  const user = await UserModel.findById(userId, ACTOR_FIELDS).lean<User>();
  if (!user || user.disabled) return null;
  return toActor(user);
}

function grantedFor(role: Role, wantsIdentity: boolean): string[] {
  // Only grant individually what the role does not already carry.
  return wantsIdentity && !permissionsOf(role).includes(IDENTITY_PERMISSION) ? [IDENTITY_PERMISSION] : [];
}

function assertPasswordAcceptable(password: string, context: { email?: string; name?: string }, field: string): void {
  const problem = passwordProblem(password, isCommonPassword, context);
  if (problem) throw new ValidationError({ [field]: problem });
}

export async function createUser(
  actor: Actor,
  input: CreateUserInput,
  ctx: ServiceContext,
): Promise<{ userId: string; temporaryPassword: string }> {
  assertCan(actor, 'users:manage');
  const temporaryPassword = generatePassword();
  const passwordHash = await hashPassword(temporaryPassword);
  try {
    const userId = await inTransaction(async (session) => {
      const [user] = await UserModel.create(
        [
          {
            email: input.email,
            name: input.name,
            nameFolded: foldVietnamese(input.name),
            role: input.role,
            grantedPermissions: grantedFor(input.role, input.canViewDenouncerIdentity),
            passwordHash,
            mustChangePassword: true,
          },
        ],
        { session },
      );
      const id = String(user!._id);
      await recordAudit(
        { action: 'user.created', at: ctx.clock.now(), actor, target: { type: 'user', id }, ip: ctx.ip, requestId: ctx.requestId, details: { email: input.email, role: input.role } },
        session,
      );
      return id;
    });
    return { userId, temporaryPassword };
  } catch (err) {
    if (isDuplicateKeyError(err)) throw new ValidationError({ email: 'users.errors.emailTaken' });
    throw err;
  }
}

async function activeAdminCount(excludingId: string): Promise<number> {
  return UserModel.countDocuments({ role: 'admin', disabled: false, _id: trusted({ $ne: new mongoose.Types.ObjectId(excludingId) }) });
}

async function findUserOrThrow(userId: string): Promise<User> {
  if (!mongoose.isValidObjectId(userId)) throw new NotFoundError('users.errors.notFound');
  const user = await UserModel.findById(userId).lean<User>();
  if (!user) throw new NotFoundError('users.errors.notFound');
  return user;
}

export async function updateUser(actor: Actor, userId: string, input: UpdateUserInput, ctx: ServiceContext): Promise<void> {
  assertCan(actor, 'users:manage');
  const user = await findUserOrThrow(userId);
  if (user.role === 'admin' && input.role !== 'admin' && !user.disabled && (await activeAdminCount(userId)) === 0) {
    throw new ValidationError({ role: 'users.errors.lastAdmin' });
  }
  const changes = {
    name: input.name,
    nameFolded: foldVietnamese(input.name),
    role: input.role,
    grantedPermissions: grantedFor(input.role, input.canViewDenouncerIdentity),
  };
  await inTransaction(async (session) => {
    await UserModel.updateOne({ _id: user._id }, { $set: changes }, { session });
    await recordAudit(
      {
        action: 'user.updated',
        at: ctx.clock.now(),
        actor,
        target: { type: 'user', id: userId },
        ip: ctx.ip,
        requestId: ctx.requestId,
        details: { before: { name: user.name, role: user.role, grantedPermissions: user.grantedPermissions }, after: changes },
      },
      session,
    );
  });
}

export async function setUserDisabled(actor: Actor, userId: string, disabled: boolean, ctx: ServiceContext): Promise<void> {
  assertCan(actor, 'users:manage');
  const user = await findUserOrThrow(userId);
  if (disabled && userId === actor.id) throw new ConflictError('users.errors.cannotDisableSelf');
  if (disabled && user.role === 'admin' && (await activeAdminCount(userId)) === 0) {
    throw new ConflictError('users.errors.lastAdmin');
  }
  if (user.disabled === disabled) return; // repeated click: nothing to change, nothing to audit
  await inTransaction(async (session) => {
    await UserModel.updateOne({ _id: user._id }, { $set: { disabled, disabledAt: disabled ? ctx.clock.now() : null } }, { session });
    await recordAudit(
      { action: disabled ? 'user.disabled' : 'user.enabled', at: ctx.clock.now(), actor, target: { type: 'user', id: userId }, ip: ctx.ip, requestId: ctx.requestId },
      session,
    );
  });
  // After the commit: a disabled user's sessions end now, not at their next idle timeout.
  if (disabled) await endSessionsOfUser(mongoose.connection, userId);
}

export async function resetUserPassword(actor: Actor, userId: string, ctx: ServiceContext): Promise<string> {
  assertCan(actor, 'users:manage');
  const user = await findUserOrThrow(userId);
  const temporaryPassword = generatePassword();
  const passwordHash = await hashPassword(temporaryPassword);
  await inTransaction(async (session) => {
    await UserModel.updateOne({ _id: user._id }, { $set: { passwordHash, mustChangePassword: true } }, { session });
    await recordAudit(
      { action: 'user.password-reset', at: ctx.clock.now(), actor, target: { type: 'user', id: userId }, ip: ctx.ip, requestId: ctx.requestId },
      session,
    );
  });
  await endSessionsOfUser(mongoose.connection, userId);
  return temporaryPassword;
}

export async function changeOwnPassword(actor: Actor, input: ChangePasswordInput, ctx: ServiceContext): Promise<void> {
  const user = await findUserOrThrow(actor.id);
  if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
    throw new ValidationError({ currentPassword: 'users.password.currentWrong' });
  }
  if (input.newPassword === input.currentPassword) throw new ValidationError({ newPassword: 'users.password.sameAsCurrent' });
  assertPasswordAcceptable(input.newPassword, { email: user.email, name: user.name }, 'newPassword');
  const passwordHash = await hashPassword(input.newPassword);
  await inTransaction(async (session) => {
    await UserModel.updateOne(
      { _id: user._id },
      { $set: { passwordHash, mustChangePassword: false, passwordChangedAt: ctx.clock.now() } },
      { session },
    );
    await recordAudit(
      { action: 'user.password-changed', at: ctx.clock.now(), actor, target: { type: 'user', id: actor.id }, ip: ctx.ip, requestId: ctx.requestId },
      session,
    );
  });
}

export async function setOwnLanguage(actor: Actor, lang: Language): Promise<void> {
  await UserModel.updateOne({ _id: new mongoose.Types.ObjectId(actor.id) }, { $set: { locale: lang } });
}

/**
 * Checks an email and password. Unknown accounts, wrong passwords and disabled accounts all answer
 * null after the same amount of work, so the response reveals nothing about which it was.
 */
export async function authenticate(email: string, password: string, ctx: ServiceContext): Promise<Actor | null> {
  const user = await UserModel.findOne({ email }, { ...ACTOR_FIELDS, passwordHash: 1 }).lean<User>();
  const ok = await verifyPassword(user?.passwordHash ?? (await decoyPasswordHash()), password);
  const success = !!user && ok && !user.disabled;
  await recordAudit({
    action: success ? 'auth.sign-in' : 'auth.sign-in-failed',
    at: ctx.clock.now(),
    actor: success ? { id: String(user._id), email: user.email } : null,
    actorEmail: email.slice(0, 254),
    ip: ctx.ip,
    requestId: ctx.requestId,
    details: success ? {} : { reason: !user ? 'unknown-account' : user.disabled ? 'disabled' : 'wrong-password' },
  });
  if (!success) return null;
  await UserModel.updateOne({ _id: user._id }, { $set: { lastSignInAt: ctx.clock.now() } });
  return toActor(user);
}
