// Reads of fields. The list is short (tens of entries), so the admin page shows it whole, in order,
// through the (order, code) index; other modules get the active ones or look codes up.
import { trusted } from 'mongoose';
import { assertCan, type Actor } from '../access/index.js';
import { referenceCache } from '../platform/cache.js';
import { FieldModel, type Field } from './field.model.js';

/** A safety cap: the admin page shows every field, and there are never anywhere near this many. */
const MAX_FIELDS = 1000;

export type FieldRow = Pick<Field, 'code' | 'name' | 'nameEn' | 'order' | 'active'>;
const ROW_FIELDS = { _id: 0, code: 1, name: 1, nameEn: 1, order: 1, active: 1 } as const;

export async function listFieldsForAdmin(actor: Actor): Promise<FieldRow[]> {
  assertCan(actor, 'reference:manage');
  return FieldModel.find({}, ROW_FIELDS).sort({ order: 1, code: 1 }).limit(MAX_FIELDS).lean<FieldRow[]>();
}

export async function getFieldForEdit(actor: Actor, code: string): Promise<FieldRow | null> {
  assertCan(actor, 'reference:manage');
  return FieldModel.findOne({ code }, ROW_FIELDS).lean<FieldRow>();
}

/** The fields offered for new records, in their display order. */
const activeFields = referenceCache(['fields'], () => FieldModel.find({ active: true }, ROW_FIELDS).sort({ order: 1, code: 1 }).limit(MAX_FIELDS).lean<FieldRow[]>());

export async function listActiveFields(): Promise<FieldRow[]> {
  // A copy: callers may sort or filter the list they get.
  return (await activeFields.get()).slice();
}

/** Fields by code, active or not (records keep naming deactivated fields). Unknown codes are absent. */
export async function getFields(codes: readonly string[]): Promise<Map<string, FieldRow>> {
  const wanted = [...new Set(codes.filter((c) => typeof c === 'string' && c.length > 0))];
  if (wanted.length === 0) return new Map();
  const fields = await FieldModel.find({ code: trusted({ $in: wanted }) }, ROW_FIELDS).lean<FieldRow[]>();
  return new Map(fields.map((f) => [f.code, f]));
}
