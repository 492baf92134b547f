// Delegates of the National Assembly (ĐBQH) and of the provincial People's Council (HĐND tỉnh) whom
// the office supports, optionally linked to the delegate's own user account. Deactivated, not deleted:
// receptions and meetings refer to them.
import mongoose, { Schema, type InferSchemaType } from 'mongoose';

export const DELEGATE_BODIES = ['quoc-hoi', 'hdnd-tinh'] as const;
export type DelegateBody = (typeof DELEGATE_BODIES)[number];

const delegateSchema = new Schema(
  {
    /** Absent (not null) when not linked, so that the unique index below leaves unlinked delegates out. */
    userId: { type: Schema.Types.ObjectId },
    name: { type: String, required: true, trim: true },
    nameFolded: { type: String, required: true },
    body: { type: String, required: true, enum: DELEGATE_BODIES },
    /** Đơn vị bầu cử, as written in the election results. */
    constituency: { type: String, default: '' },
    /** e.g. "Khoá XVI (2026–2031)". */
    term: { type: String, required: true },
    active: { type: Boolean, default: true },
  },
  { collection: 'delegates', timestamps: true },
);
// The admin list: by folded name, filtered by body or status, keyset-paginated with _id.
delegateSchema.index({ nameFolded: 1, _id: 1 });
delegateSchema.index({ body: 1, nameFolded: 1, _id: 1 });
delegateSchema.index({ active: 1, nameFolded: 1, _id: 1 });
// One delegate record per user account and body (a person may sit in both bodies).
delegateSchema.index({ userId: 1, body: 1 }, { unique: true, partialFilterExpression: { userId: { $exists: true } } });

export type Delegate = InferSchemaType<typeof delegateSchema> & { _id: mongoose.Types.ObjectId };
export const DelegateModel = mongoose.model('Delegate', delegateSchema);
