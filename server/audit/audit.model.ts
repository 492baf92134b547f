// The audit trail: sign-ins, failures, permission denials and administrative changes. Append-only;
// nothing in the app updates or deletes these documents.
import mongoose, { Schema, type InferSchemaType } from 'mongoose';

const auditSchema = new Schema(
  {
    at: { type: Date, required: true },
    action: { type: String, required: true },
    actorId: { type: String, default: null },
    actorEmail: { type: String, default: null },
    targetType: { type: String, default: null },
    targetId: { type: String, default: null },
    ip: { type: String, default: null },
    requestId: { type: String, default: null },
    details: { type: Schema.Types.Mixed, default: {} },
  },
  { collection: 'audit_events', versionKey: false },
);
// Newest first, with _id as the tie-breaker for keyset pagination; per action and per actor for the filters.
auditSchema.index({ at: -1, _id: -1 });
auditSchema.index({ action: 1, at: -1, _id: -1 });
auditSchema.index({ actorId: 1, at: -1, _id: -1 });

export type AuditEvent = InferSchemaType<typeof auditSchema> & { _id: mongoose.Types.ObjectId };
export const AuditEventModel = mongoose.model('AuditEvent', auditSchema);
