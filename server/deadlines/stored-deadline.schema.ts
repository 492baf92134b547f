// How a deadline computed by computeRuleDeadline is embedded in the record it belongs to (a
// forwarding, a case): `deadline: new Schema(storedDeadlineSchemaDefinition, { _id: false })`, and the
// history as an array of the same plus `replacedBy`. Everything needed to explain it later is stored.
import { Schema } from 'mongoose';

const adjustmentSchema = new Schema(
  {
    kind: { type: String, enum: ['extension', 'suspension'], required: true },
    days: { type: Number, required: true },
    /** Suspensions only: the suspended span, 'YYYY-MM-DD', both days included. */
    from: { type: String, default: null },
    to: { type: String, default: null },
    reason: { type: String, default: '' },
    document: { type: String, default: '' },
    /** The document's number and date ('YYYY-MM-DD') when the change was recorded with them. */
    documentNumber: { type: String, default: null },
    documentDate: { type: String, default: null },
  },
  { _id: false },
);

export const storedDeadlineSchemaDefinition = {
  rule: { type: String, required: true },
  ruleName: { type: String, default: '' },
  startEvent: { type: String, required: true },
  startDate: { type: String, required: true },
  days: { type: Number, required: true },
  dayType: { type: String, enum: ['working', 'calendar'], required: true },
  dueDate: { type: String, required: true },
  dueAt: { type: Date, required: true },
  skipped: { type: [String], default: [] },
  movedFrom: { type: String, default: null },
  basis: { type: String, default: null },
  variant: { type: String, default: null },
  adjustments: { type: [adjustmentSchema], default: [] },
} as const;

/** A deadline in a record's history: the stored deadline and the change that replaced it. */
export const historicDeadlineSchemaDefinition = {
  ...storedDeadlineSchemaDefinition,
  replacedBy: { type: adjustmentSchema, required: true },
} as const;
