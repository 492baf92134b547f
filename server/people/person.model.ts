// A person the office deals with: a citizen who comes in or writes, a representative of a group.
// Found again at intake by ID number or by folded name in the same commune, so nobody is entered twice.
import mongoose, { Schema, type InferSchemaType } from 'mongoose';

const personSchema = new Schema(
  {
    name: { type: String, required: true },
    nameFolded: { type: String, required: true },
    citizenId: { type: String, default: null },
    phone: { type: String, default: null },
    email: { type: String, default: null },
    unitCode: { type: String, default: null }, // commune (or a legacy unit for old records)
    street: { type: String, default: null },
    /** When two records turned out to be the same person, the one merged away points here. */
    mergedInto: { type: Schema.Types.ObjectId, default: null },
    formerCitizenId: { type: String, default: null },
  },
  { collection: 'people', timestamps: true },
);
// One record per ID number. A record merged away gives its number up (kept in formerCitizenId).
personSchema.index({ citizenId: 1 }, { unique: true, partialFilterExpression: { citizenId: { $type: 'string' } } });
personSchema.index({ nameFolded: 1, unitCode: 1 });

export type Person = InferSchemaType<typeof personSchema> & { _id: mongoose.Types.ObjectId };
export const PersonModel = mongoose.model('Person', personSchema);
