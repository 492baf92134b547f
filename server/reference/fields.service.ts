// Use cases of fields (lĩnh vực): create, edit, deactivate and reactivate, each audited with the change.
import { assertCan, type Actor } from '../access/index.js';
import { recordAudit } from '../audit/index.js';
import type { ServiceContext } from '../platform/context.js';
import { inTransaction } from '../platform/db/transaction.js';
import { NotFoundError, ValidationError, isDuplicateKeyError } from '../platform/errors.js';
import { FieldModel, type Field } from './field.model.js';
import type { CreateFieldInput, UpdateFieldInput } from './reference.schemas.js';

function auditBase(actor: Actor, ctx: ServiceContext) {
  return { at: ctx.clock.now(), actor, ip: ctx.ip, requestId: ctx.requestId };
}

async function findFieldOrThrow(code: string): Promise<Field> {
  const field = await FieldModel.findOne({ code }).lean<Field>();
  if (!field) throw new NotFoundError('reference.errors.fieldNotFound');
  return field;
}

export async function createField(actor: Actor, input: CreateFieldInput, ctx: ServiceContext): Promise<void> {
  assertCan(actor, 'reference:manage');
  const values = { code: input.code, name: input.name, nameEn: input.nameEn, order: input.order };
  try {
    await inTransaction(async (session) => {
      await FieldModel.create([{ ...values, active: true, source: 'admin' }], { session });
      await recordAudit({ action: 'reference.field-created', ...auditBase(actor, ctx), target: { type: 'field', id: input.code }, details: values }, session);
    });
  } catch (err) {
    if (isDuplicateKeyError(err)) throw new ValidationError({ code: 'reference.errors.codeTaken' });
    throw err;
  }
}

export async function updateField(actor: Actor, code: string, input: UpdateFieldInput, ctx: ServiceContext): Promise<void> {
  assertCan(actor, 'reference:manage');
  const field = await findFieldOrThrow(code);
  const changes = { name: input.name, nameEn: input.nameEn, order: input.order };
  await inTransaction(async (session) => {
    await FieldModel.updateOne({ _id: field._id }, { $set: { ...changes, source: 'admin' } }, { session });
    await recordAudit(
      { action: 'reference.field-updated', ...auditBase(actor, ctx), target: { type: 'field', id: code }, details: { before: { name: field.name, nameEn: field.nameEn, order: field.order }, after: changes } },
      session,
    );
  });
}

/** Deactivated fields stay on the records that use them but are no longer offered for new ones. */
export async function setFieldActive(actor: Actor, code: string, active: boolean, ctx: ServiceContext): Promise<void> {
  assertCan(actor, 'reference:manage');
  const field = await findFieldOrThrow(code);
  if (field.active === active) return; // a repeated click changes nothing and is not audited twice
  await inTransaction(async (session) => {
    await FieldModel.updateOne({ _id: field._id }, { $set: { active } }, { session });
    await recordAudit({ action: active ? 'reference.field-activated' : 'reference.field-deactivated', ...auditBase(actor, ctx), target: { type: 'field', id: code } }, session);
  });
}
