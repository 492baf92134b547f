// How a computed deadline is stored inside the record it belongs to (a case, a forwarding…): the
// result together with how it was computed, so it can still be shown and explained after the calendar
// or the rule changes. Embed it as `deadline: new Schema(deadlineSchemaDefinition, { _id: false })`.
export const deadlineSchemaDefinition = {
  startDate: { type: String, required: true },
  days: { type: Number, required: true },
  dayType: { type: String, enum: ['working', 'calendar'], required: true },
  startEvent: { type: String, required: true },
  dueDate: { type: String, required: true },
  dueAt: { type: Date, required: true },
  skipped: { type: [String], default: [] },
  movedFrom: { type: String, default: null },
} as const;
