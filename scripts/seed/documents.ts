// The raw documents, shaped field for field as the mongoose models write them (defaults included,
// `__v: 0`, timestamps), so that inserting them with the driver gives what the app itself would have
// stored. test/seed checks the shapes against the models.
import type mongoose from 'mongoose';
import type { StoredDeadline } from '../../server/deadlines/index.js';

type Id = mongoose.Types.ObjectId;
export type RawDoc = Record<string, unknown> & { _id: Id };

export interface PartyDoc {
  personId: Id;
  role: 'filer' | 'representative' | 'accompanying';
  name: string;
  citizenId: string | null;
  /** Not asked at intake (the seeded filers are not emailed). */
  emailNotices: null;
}

export function personDoc(p: { _id: Id; name: string; nameFolded: string; citizenId: string | null; phone: string | null; unitCode: string; street: string; at: Date }): RawDoc {
  return {
    _id: p._id,
    name: p.name,
    nameFolded: p.nameFolded,
    citizenId: p.citizenId,
    phone: p.phone,
    email: null,
    unitCode: p.unitCode,
    street: p.street,
    mergedInto: null,
    formerCitizenId: null,
    createdAt: p.at,
    updatedAt: p.at,
    __v: 0,
  };
}

export interface CaseFields {
  _id: Id;
  number: string;
  year: number;
  type: string;
  confidential: boolean;
  fieldCode: string;
  unitCode: string;
  summary: string;
  searchTokens: string[];
  identityTokens: string[];
  parties: PartyDoc[];
  status: string;
  assignedTo: Id;
  followers: Id[];
  receivedAt: Date;
  visitCount: number;
  letterCount: number;
  handlingDeadline: StoredDeadline;
  createdBy: Id;
  submissionKey: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export function caseDoc(c: CaseFields): RawDoc {
  return {
    _id: c._id,
    number: c.number,
    year: c.year,
    type: c.type,
    confidential: c.confidential,
    fieldCode: c.fieldCode,
    unitCode: c.unitCode,
    summary: c.summary,
    searchTokens: c.searchTokens,
    identityTokens: c.identityTokens,
    parties: c.parties,
    citizenIds: [...new Set(c.parties.flatMap((p) => (p.citizenId ? [p.citizenId] : [])))],
    status: c.status,
    assignedTo: c.assignedTo,
    followers: c.followers,
    receivedAt: c.receivedAt,
    visitCount: c.visitCount,
    letterCount: c.letterCount,
    handlingDeadline: c.handlingDeadline,
    deadlineHistory: [],
    mergedInto: null,
    createdBy: c.createdBy,
    submissionKey: c.submissionKey,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    __v: 0,
  };
}

/** The actor is a staff member (an id) or, for what an agency did through its link, `agency:<id>`. */
export function caseEventDoc(e: { _id: Id; caseId: Id; at: Date; actor: { id: Id | string; name: string }; type: string; data: Record<string, unknown> }): RawDoc {
  return { _id: e._id, caseId: e.caseId, at: e.at, actorId: String(e.actor.id), actorName: e.actor.name, type: e.type, data: e.data };
}

export interface ReceptionFields {
  _id: Id;
  receivedAt: Date;
  kind: string;
  receivedBy: Id;
  host: Id | null;
  participants: { personId: Id; role: PartyDoc['role']; name: string }[];
  peopleCount: number;
  isGroup: boolean;
  content: string;
  previouslyHandledBy: string | null;
  outcome: string;
  caseId: Id;
  caseNumber: string;
  confidential: boolean;
  searchTokens: string[];
  submissionKey: string;
  createdAt: Date;
}

export function receptionDoc(r: ReceptionFields): RawDoc {
  return { ...r, notes: null, updatedAt: r.createdAt, __v: 0 };
}

export interface LetterFields {
  _id: Id;
  receivedAt: Date;
  channel: string;
  forwardedBy: string | null;
  receivedBy: Id;
  senders: { personId: Id; name: string; citizenId: string | null }[];
  anonymous: boolean;
  type: string;
  fieldCode: string;
  unitCode: string;
  summary: string;
  fullText: string | null;
  eligibility: { eligible: boolean | null; reasons: string[]; hasEvidence: boolean; note: string | null; assessedAt: Date | null; assessedBy: Id | null };
  handling: string | null;
  caseIds: Id[];
  caseNumbers: string[];
  confidential: boolean;
  searchTokens: string[];
  identityTokens: string[];
  submissionKey: string;
  handlingDeadline: StoredDeadline;
  createdAt: Date;
  updatedAt: Date;
}

export function letterDoc(l: LetterFields): RawDoc {
  return { ...l, attachmentIds: [], __v: 0 };
}
