// Fields (lĩnh vực) used to classify matters. Records refer to a field by code, so fields are
// deactivated rather than deleted, and a code never changes.
import mongoose, { Schema, type InferSchemaType } from 'mongoose';
import { invalidateOnWrite } from '../platform/cache.js';

const fieldSchema = new Schema(
  {
    code: { type: String, required: true },
    name: { type: String, required: true, trim: true },
    nameEn: { type: String, required: true, trim: true },
    /** Position in lists; ties are broken by code. */
    order: { type: Number, required: true },
    active: { type: Boolean, default: true },
    source: { type: String, enum: ['seed', 'admin'], required: true },
  },
  { collection: 'fields', timestamps: true },
);
fieldSchema.index({ code: 1 }, { unique: true });
fieldSchema.index({ order: 1, code: 1 });
fieldSchema.index({ active: 1, order: 1, code: 1 });

// Lists of fields are cached for the selects (server/platform/cache.ts).
invalidateOnWrite(fieldSchema, 'fields');

export type Field = InferSchemaType<typeof fieldSchema> & { _id: mongoose.Types.ObjectId };
export const FieldModel = mongoose.model('Field', fieldSchema);
