// Competent agencies (cơ quan có thẩm quyền) that the office forwards matters to. Forwardings refer
// to an agency by id, so agencies are deactivated, never deleted.
import mongoose, { Schema } from 'mongoose';
import { AGENCY_LEVELS, CONTACT_ROLES, type AgencyContact, type AgencyLevel } from './agencies.rules.js';
import { invalidateOnWrite } from '../platform/cache.js';

/** An agency as stored (declared by hand so that lean reads and updates see plain arrays). */
export interface Agency {
  _id: mongoose.Types.ObjectId;
  name: string;
  /** Folded name (no diacritics, lower case): search, sort and the one-agency-per-name rule. */
  nameFolded: string;
  shortName: string;
  level: AgencyLevel;
  parentId: mongoose.Types.ObjectId | null;
  /** Codes of the fields (lĩnh vực) it is competent in; empty = general competence. */
  fieldCodes: string[];
  /** Codes of the communes it covers; empty = the whole province. */
  unitCodes: string[];
  contacts: AgencyContact[];
  active: boolean;
  /** Where the current values came from: the shipped sample, a CSV import, or the admin form. */
  source: 'seed' | 'import' | 'admin';
  createdAt?: Date;
  updatedAt?: Date;
}

const contactSchema = new Schema<AgencyContact>(
  {
    email: { type: String, required: true, lowercase: true, trim: true },
    name: { type: String, default: '' },
    role: { type: String, required: true, enum: CONTACT_ROLES },
  },
  { _id: false },
);

const agencySchema = new Schema<Agency>(
  {
    name: { type: String, required: true, trim: true },
    nameFolded: { type: String, required: true },
    shortName: { type: String, default: '' },
    level: { type: String, required: true, enum: AGENCY_LEVELS },
    parentId: { type: Schema.Types.ObjectId, default: null },
    fieldCodes: { type: [String], default: [] },
    unitCodes: { type: [String], default: [] },
    contacts: {
      type: [contactSchema],
      validate: { validator: (v: AgencyContact[]) => v.some((c) => c.role === 'to'), message: 'an agency needs a "to" contact' },
    },
    active: { type: Boolean, default: true },
    source: { type: String, enum: ['seed', 'import', 'admin'], required: true },
  },
  { collection: 'agencies', timestamps: true },
);
// One agency per name (folded, so "Sở Y tế" and "SỞ Y TẾ" are one); the import upserts by it. Being
// unique, it is also the whole keyset of the admin list.
agencySchema.index({ nameFolded: 1 }, { unique: true });
// The admin list's filters, each sorted by name.
agencySchema.index({ level: 1, nameFolded: 1 });
agencySchema.index({ active: 1, nameFolded: 1 });
agencySchema.index({ fieldCodes: 1, nameFolded: 1 });
// The suggestion lookup: active agencies by field (general ones have fieldCodes []), and by commune.
agencySchema.index({ active: 1, fieldCodes: 1 });
agencySchema.index({ active: 1, unitCodes: 1 });
// Children of an agency (the parent chain check, the admin page).
agencySchema.index({ parentId: 1 });

// The period statistics read this collection (server/statistics/period-figures.ts keeps them briefly).
invalidateOnWrite(agencySchema, 'agencies');
export const AgencyModel = mongoose.model<Agency>('Agency', agencySchema);
