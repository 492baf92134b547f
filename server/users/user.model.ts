// Staff accounts. Agencies have no accounts (they answer through links), citizens neither.
import { invalidateOnWrite } from '../platform/cache.js';
import mongoose, { Schema, type InferSchemaType } from 'mongoose';
import { ROLES } from '../access/index.js';

const userSchema = new Schema(
  {
    email: { type: String, required: true, lowercase: true, trim: true },
    name: { type: String, required: true, trim: true },
    nameFolded: { type: String, required: true },
    role: { type: String, required: true, enum: ROLES },
    grantedPermissions: { type: [String], default: [] },
    passwordHash: { type: String, required: true },
    mustChangePassword: { type: Boolean, default: false },
    passwordChangedAt: { type: Date, default: null },
    disabled: { type: Boolean, default: false },
    disabledAt: { type: Date, default: null },
    locale: { type: String, enum: ['vi', 'en'], default: 'vi' },
    lastSignInAt: { type: Date, default: null },
    // Second factor (TOTP, RFC 6238). lastStep is the last time step accepted, so a code is never
    // accepted twice (replay protection).
    totpSecret: { type: String, default: null },
    totpEnabledAt: { type: Date, default: null },
    totpLastStep: { type: Number, default: null },
  },
  { collection: 'users', timestamps: true, optimisticConcurrency: true },
);
userSchema.index({ email: 1 }, { unique: true });
// The admin list sorts by folded name with _id as tie-breaker (keyset pagination) and filters by role/status.
userSchema.index({ nameFolded: 1, _id: 1 });
userSchema.index({ role: 1, nameFolded: 1, _id: 1 });
// Lists of active staff are cached for the selects (server/platform/cache.ts).
invalidateOnWrite(userSchema, 'users');
userSchema.index({ disabled: 1, nameFolded: 1, _id: 1 });

export type User = InferSchemaType<typeof userSchema> & { _id: mongoose.Types.ObjectId };
export const UserModel = mongoose.model('User', userSchema);
