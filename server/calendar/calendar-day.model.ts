// The working-day calendar: one document per special day. Weekends need no document; a weekend day
// is a working day only when it is recorded as a make-up working day.
import mongoose, { Schema, type InferSchemaType } from 'mongoose';

export const SPECIAL_DAY_KINDS = ['holiday', 'day-off', 'makeup-workday'] as const;

const calendarDaySchema = new Schema(
  {
    /** The Vietnam calendar date, 'YYYY-MM-DD' (a label, not an instant). */
    date: { type: String, required: true, match: /^\d{4}-\d{2}-\d{2}$/ },
    kind: { type: String, required: true, enum: SPECIAL_DAY_KINDS },
    name: { type: String, required: true, trim: true },
    /** The legal basis or decision (e.g. "Thông báo 6150/TB-BNV"), optional. */
    basis: { type: String, default: '' },
    /** Who put it there: the start-up seed or an administrator. */
    source: { type: String, enum: ['seed', 'admin'], required: true },
  },
  { collection: 'calendar_days', timestamps: true },
);
// One entry per date; the year page and loadWorkingCalendar read date ranges in date order from it.
calendarDaySchema.index({ date: 1 }, { unique: true });

export type CalendarDay = InferSchemaType<typeof calendarDaySchema> & { _id: mongoose.Types.ObjectId };
export const CalendarDayModel = mongoose.model('CalendarDay', calendarDaySchema);

// Years already seeded. A year is seeded once: an administrator who deletes a seeded holiday (because
// the Government moved it) must not see it come back at the next start-up.
const calendarSeedSchema = new Schema(
  {
    _id: { type: Number, required: true },
    seededAt: { type: Date, required: true },
    inserted: { type: Number, required: true },
  },
  { collection: 'calendar_seeds', versionKey: false },
);

export const CalendarSeedModel = mongoose.model('CalendarSeed', calendarSeedSchema);
