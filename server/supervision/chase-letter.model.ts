// A formal chase letter (công văn đôn đốc): its content is frozen when it is issued, so the PDF in
// the email, the officer's download and any later copy are the same paper. Built only from the
// forwarding as sent (matters' summaries already redacted), never from the case's parties.
import mongoose, { Schema } from 'mongoose';

export interface ChaseLetter {
  _id: mongoose.Types.ObjectId;
  number: string;
  seq: number;
  year: number;
  date: Date;
  roundId: mongoose.Types.ObjectId | null;
  roundBasis: string | null;
  forwardingId: mongoose.Types.ObjectId;
  caseIds: mongoose.Types.ObjectId[];
  agencyId: mongoose.Types.ObjectId;
  agencyName: string;
  slipNumber: string;
  slipDate: Date;
  /** The answer's due date (YYYY-MM-DD) at the time of the letter, or null when there was none. */
  dueDate: string | null;
  daysLate: number;
  forwardingStatus: string;
  items: { label: string; summary: string; kind: string }[];
  confidential: boolean;
  message: string;
  chaseNumber: number;
  signer: { position: string; name: string };
  by: { id: string; name: string };
  submissionKey: string;
}

const letterSchema = new Schema<ChaseLetter>(
  {
    number: { type: String, required: true },
    seq: { type: Number, required: true },
    year: { type: Number, required: true },
    date: { type: Date, required: true },
    roundId: { type: Schema.Types.ObjectId, default: null },
    roundBasis: { type: String, default: null },
    forwardingId: { type: Schema.Types.ObjectId, required: true },
    caseIds: { type: [Schema.Types.ObjectId], default: [] },
    agencyId: { type: Schema.Types.ObjectId, required: true },
    agencyName: { type: String, required: true },
    slipNumber: { type: String, required: true },
    slipDate: { type: Date, required: true },
    dueDate: { type: String, default: null },
    daysLate: { type: Number, required: true },
    forwardingStatus: { type: String, required: true },
    items: { type: [new Schema({ label: String, summary: String, kind: String }, { _id: false })], default: [] },
    confidential: { type: Boolean, required: true },
    message: { type: String, default: '' },
    chaseNumber: { type: Number, required: true },
    signer: { type: { position: String, name: String }, _id: false, required: true },
    by: { type: { id: String, name: String }, _id: false, required: true },
    submissionKey: { type: String, required: true },
  },
  { collection: 'supervision_chase_letters' },
);
letterSchema.index({ submissionKey: 1 }, { unique: true });
letterSchema.index({ year: 1, seq: 1 }, { unique: true });
letterSchema.index({ roundId: 1, date: -1 });
letterSchema.index({ forwardingId: 1, date: -1 });

export const ChaseLetterModel = mongoose.model<ChaseLetter>('SupervisionChaseLetter', letterSchema);
