// The deadline rules of DOMAIN.md as admin-editable data, one document per rule key. Deadlines are
// computed from a rule once and stored with how they were computed, so editing a rule changes only
// the deadlines computed afterwards.
import mongoose, { Schema } from 'mongoose';
import type { DayType } from '../calendar/index.js';
import { CONFIDENCE_LEVELS, DAY_TYPES, START_EVENTS, VARIANT_KEYS, type Confidence, type RuleVariant, type StartEvent } from './deadlines.rules.js';

/** A rule as stored (declared by hand so that lean reads and updates see plain arrays). */
export interface DeadlineRule {
  _id: mongoose.Types.ObjectId;
  key: string;
  name: string;
  nameEn: string;
  startEvent: StartEvent;
  days: number;
  dayType: DayType;
  variants: RuleVariant[];
  basis: string;
  confidence: Confidence;
  notes: string;
  active: boolean;
  order: number;
  source: 'seed' | 'admin';
  createdAt?: Date;
  updatedAt?: Date;
}

const variantSchema = new Schema<RuleVariant>(
  {
    key: { type: String, required: true, enum: VARIANT_KEYS },
    days: { type: Number, required: true },
  },
  { _id: false },
);

const deadlineRuleSchema = new Schema<DeadlineRule>(
  {
    key: { type: String, required: true },
    name: { type: String, required: true, trim: true },
    nameEn: { type: String, required: true, trim: true },
    startEvent: { type: String, required: true, enum: START_EVENTS },
    /** Negative for rules that count back from their event ("7 working days before the meeting"). */
    days: { type: Number, required: true },
    dayType: { type: String, required: true, enum: DAY_TYPES },
    variants: { type: [variantSchema], default: [] },
    basis: { type: String, default: '' },
    confidence: { type: String, required: true, enum: CONFIDENCE_LEVELS },
    notes: { type: String, default: '' },
    active: { type: Boolean, default: true },
    /** Position in the admin table (the order of DOMAIN.md). */
    order: { type: Number, required: true },
    /** The shipped seed, or an administrator's edit. */
    source: { type: String, enum: ['seed', 'admin'], required: true },
  },
  { collection: 'deadline_rules', timestamps: true },
);
deadlineRuleSchema.index({ key: 1 }, { unique: true });
// The admin table, in order.
deadlineRuleSchema.index({ order: 1, key: 1 });
// The rules offered to other modules' forms: active ones, in order.
deadlineRuleSchema.index({ active: 1, order: 1, key: 1 });

export const DeadlineRuleModel = mongoose.model<DeadlineRule>('DeadlineRule', deadlineRuleSchema);
