// A supervision round (đợt giám sát): decided by a body under a legal basis, carried out by members
// over dates, on a set of agencies and cases; concluded by a leader with the round's conclusion.
import mongoose, { Schema } from 'mongoose';
import { MEMBER_KINDS, ROUND_STATUSES, type MemberKind, type RoundStatus } from './supervision.rules.js';

export interface RoundMember {
  kind: MemberKind;
  /** The user's id (staff) or the delegate's record id (delegate). */
  refId: string;
  name: string;
  /** The account that may read the round: the staff user, or the delegate's linked account (if any). */
  userId: mongoose.Types.ObjectId | null;
}

export interface RoundCase {
  caseId: mongoose.Types.ObjectId;
  number: string;
  addedAt: Date;
  addedBy: { id: string; name: string };
}

export interface RoundAgency {
  agencyId: mongoose.Types.ObjectId;
  name: string;
}

export interface RoundConclusion {
  text: string;
  on: string;
  at: Date;
  by: { id: string; name: string };
}

export interface SupervisionRound {
  _id: mongoose.Types.ObjectId;
  title: string;
  /** Căn cứ: the decision or plan the round is carried out under, e.g. "Quyết định số 15/QĐ-HĐND". */
  basis: string;
  startsOn: string;
  endsOn: string;
  status: RoundStatus;
  members: RoundMember[];
  /** Accounts of the members, for "rounds I am a member of" and a delegate's right to read. */
  memberUserIds: mongoose.Types.ObjectId[];
  agencies: RoundAgency[];
  cases: RoundCase[];
  conclusion: RoundConclusion | null;
  startedAt: Date | null;
  createdBy: { id: string; name: string };
  submissionKey: string;
  createdAt: Date;
  updatedAt: Date;
}

const by = { type: { id: String, name: String }, _id: false, required: true };

const roundSchema = new Schema<SupervisionRound>(
  {
    title: { type: String, required: true },
    basis: { type: String, required: true },
    startsOn: { type: String, required: true },
    endsOn: { type: String, required: true },
    status: { type: String, enum: ROUND_STATUSES, required: true },
    members: {
      type: [new Schema<RoundMember>({ kind: { type: String, enum: MEMBER_KINDS, required: true }, refId: { type: String, required: true }, name: { type: String, required: true }, userId: { type: Schema.Types.ObjectId, default: null } }, { _id: false })],
      default: [],
    },
    memberUserIds: { type: [Schema.Types.ObjectId], default: [] },
    agencies: { type: [new Schema<RoundAgency>({ agencyId: { type: Schema.Types.ObjectId, required: true }, name: { type: String, required: true } }, { _id: false })], default: [] },
    cases: {
      type: [new Schema<RoundCase>({ caseId: { type: Schema.Types.ObjectId, required: true }, number: { type: String, required: true }, addedAt: { type: Date, required: true }, addedBy: by }, { _id: false })],
      default: [],
    },
    conclusion: {
      type: new Schema<RoundConclusion>({ text: { type: String, required: true }, on: { type: String, required: true }, at: { type: Date, required: true }, by }, { _id: false }),
      default: null,
    },
    startedAt: { type: Date, default: null },
    createdBy: by,
    submissionKey: { type: String, required: true },
  },
  { collection: 'supervision_rounds', timestamps: true, optimisticConcurrency: true },
);
// A double-clicked or retried "new round" form creates one round.
roundSchema.index({ submissionKey: 1 }, { unique: true });
// The list: newest first, by status, by member (a delegate's own rounds), by agency in scope.
roundSchema.index({ createdAt: -1, _id: -1 });
roundSchema.index({ status: 1, createdAt: -1, _id: -1 });
roundSchema.index({ memberUserIds: 1, createdAt: -1, _id: -1 });
roundSchema.index({ 'agencies.agencyId': 1, createdAt: -1, _id: -1 });
// "Which rounds is this case in?"
roundSchema.index({ 'cases.caseId': 1 });

export const SupervisionRoundModel = mongoose.model<SupervisionRound>('SupervisionRound', roundSchema);
