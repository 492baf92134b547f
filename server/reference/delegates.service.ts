// Use cases of delegates: create, edit, deactivate and reactivate, each audited with the change. A
// delegate may be linked to a user account with the delegate role.
import mongoose from 'mongoose';
import { assertCan, type Actor } from '../access/index.js';
import { recordAudit } from '../audit/index.js';
import type { ServiceContext } from '../platform/context.js';
import { inTransaction } from '../platform/db/transaction.js';
import { NotFoundError, ValidationError, isDuplicateKeyError } from '../platform/errors.js';
import { foldVietnamese } from '../platform/text.js';
import { UserModel } from '../users/index.js';
import { DelegateModel, type Delegate } from './delegate.model.js';
import type { DelegateInput } from './reference.schemas.js';

function auditBase(actor: Actor, ctx: ServiceContext) {
  return { at: ctx.clock.now(), actor, ip: ctx.ip, requestId: ctx.requestId };
}

async function findDelegateOrThrow(id: string): Promise<Delegate> {
  const delegate = mongoose.isValidObjectId(id) ? await DelegateModel.findById(id).lean<Delegate>() : null;
  if (!delegate) throw new NotFoundError('reference.errors.delegateNotFound');
  return delegate;
}

/**
 * The linked account must be an enabled user with the delegate role; a link that already exists is
 * kept even if that account has since been disabled, so the record can still be edited.
 */
async function assertLinkable(userId: string | null, currentUserId: string | null): Promise<void> {
  if (!userId || userId === currentUserId) return;
  const user = await UserModel.findById(userId, { role: 1, disabled: 1 }).lean<{ role: string; disabled: boolean }>();
  if (!user || user.role !== 'delegate' || user.disabled) throw new ValidationError({ userId: 'reference.errors.delegateUser' });
}

function valuesOf(input: DelegateInput) {
  return {
    name: input.name,
    nameFolded: foldVietnamese(input.name),
    body: input.body,
    constituency: input.constituency,
    term: input.term,
    ...(input.userId ? { userId: new mongoose.Types.ObjectId(input.userId) } : {}),
  };
}

function rethrowDuplicate(err: unknown): never {
  if (isDuplicateKeyError(err)) throw new ValidationError({ userId: 'reference.errors.delegateUserTaken' });
  throw err;
}

export async function createDelegate(actor: Actor, input: DelegateInput, ctx: ServiceContext): Promise<string> {
  assertCan(actor, 'reference:manage');
  await assertLinkable(input.userId, null);
  const values = valuesOf(input);
  try {
    return await inTransaction(async (session) => {
      const [delegate] = await DelegateModel.create([{ ...values, active: true }], { session });
      const id = String(delegate!._id);
      await recordAudit({ action: 'reference.delegate-created', ...auditBase(actor, ctx), target: { type: 'delegate', id }, details: { ...input } }, session);
      return id;
    });
  } catch (err) {
    return rethrowDuplicate(err);
  }
}

export async function updateDelegate(actor: Actor, id: string, input: DelegateInput, ctx: ServiceContext): Promise<void> {
  assertCan(actor, 'reference:manage');
  const delegate = await findDelegateOrThrow(id);
  await assertLinkable(input.userId, delegate.userId ? String(delegate.userId) : null);
  const values = valuesOf(input);
  try {
    await inTransaction(async (session) => {
      // Unlinking removes the field rather than setting null (see the unique index in the model).
      const update = input.userId ? { $set: values } : { $set: values, $unset: { userId: 1 } };
      await DelegateModel.updateOne({ _id: delegate._id }, update, { session });
      const before = { name: delegate.name, body: delegate.body, constituency: delegate.constituency, term: delegate.term, userId: delegate.userId ? String(delegate.userId) : null };
      await recordAudit({ action: 'reference.delegate-updated', ...auditBase(actor, ctx), target: { type: 'delegate', id }, details: { before, after: { ...input } } }, session);
    });
  } catch (err) {
    rethrowDuplicate(err);
  }
}

export async function setDelegateActive(actor: Actor, id: string, active: boolean, ctx: ServiceContext): Promise<void> {
  assertCan(actor, 'reference:manage');
  const delegate = await findDelegateOrThrow(id);
  if (delegate.active === active) return;
  await inTransaction(async (session) => {
    await DelegateModel.updateOne({ _id: delegate._id }, { $set: { active } }, { session });
    await recordAudit({ action: active ? 'reference.delegate-activated' : 'reference.delegate-deactivated', ...auditBase(actor, ctx), target: { type: 'delegate', id } }, session);
  });
}
