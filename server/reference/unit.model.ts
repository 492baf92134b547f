// Administrative units (province, communes and wards, and former districts and communes kept for old
// records). Records elsewhere refer to a unit by its code, so a code never changes and a unit is never
// deleted: a unit that ceases gets validTo and the codes that replaced it.
import { invalidateOnWrite } from '../platform/cache.js';
import mongoose, { Schema, type InferSchemaType } from 'mongoose';
import { UNIT_KINDS, UNIT_LEVELS } from './units.rules.js';

const unitSchema = new Schema(
  {
    code: { type: String, required: true },
    name: { type: String, required: true, trim: true },
    nameFolded: { type: String, required: true },
    kind: { type: String, required: true, enum: UNIT_KINDS },
    level: { type: String, required: true, enum: UNIT_LEVELS },
    parentCode: { type: String, default: null },
    /** Calendar dates 'YYYY-MM-DD'; null = since before any record / still in force. */
    validFrom: { type: String, default: null },
    validTo: { type: String, default: null },
    replacedBy: { type: [String], default: [] },
    /** Where the current values came from: the shipped seed, an import, or the admin form. */
    source: { type: String, enum: ['seed', 'import', 'admin'], required: true },
  },
  { collection: 'admin_units', timestamps: true },
);
unitSchema.index({ code: 1 }, { unique: true });
// The admin list: by level, optionally only units in force (validTo null), sorted by folded name with
// the code as tie-breaker for keyset pagination.
unitSchema.index({ level: 1, nameFolded: 1, code: 1 });
unitSchema.index({ level: 1, validTo: 1, nameFolded: 1, code: 1 });
unitSchema.index({ parentCode: 1, code: 1 });
// Lists of communes are cached for the selects (server/platform/cache.ts).
invalidateOnWrite(unitSchema, 'admin_units');

export type Unit = InferSchemaType<typeof unitSchema> & { _id: mongoose.Types.ObjectId };
export const UnitModel = mongoose.model('AdminUnit', unitSchema);
