// The reminder policy: one settings document, edited by administrators on /admin/reminders. Missing
// until the first save; the defaults of reminders.rules.ts apply until then.
import mongoose, { Schema } from 'mongoose';
import type { ReminderPolicy } from './reminders.rules.js';

export const POLICY_ID = 'reminder-policy';

export interface StoredReminderPolicy extends ReminderPolicy {
  _id: string;
  updatedAt: Date;
  updatedBy: { id: string; name: string };
}

const policySchema = new Schema<StoredReminderPolicy>(
  {
    _id: { type: String, required: true },
    daysBefore: { type: Number, required: true },
    onDueDay: { type: Boolean, required: true },
    everyOverdue: { type: Number, required: true },
    escalateAfter: { type: Number, required: true },
    digestEnabled: { type: Boolean, required: true },
    digestTime: { type: String, required: true },
    citizenNotices: { type: Boolean, required: true },
    // From the service's clock, so tests with a fixed clock read true dates.
    updatedAt: { type: Date, required: true },
    updatedBy: { type: { id: String, name: String }, required: true, _id: false },
  },
  // Looked up by _id only: no other index is needed.
  { collection: 'reminder_policy', versionKey: false },
);

export const ReminderPolicyModel = mongoose.model<StoredReminderPolicy>('ReminderPolicy', policySchema);
