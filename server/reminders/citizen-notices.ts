// Notices to the citizen who filed a matter, when their email is known: the matter was received, it
// was forwarded to an agency (which, and by when it should answer), and the agency answered (the
// outcome). Called inside the transaction of the change they report, so a notice exists exactly when
// the change was committed; keyed 'citizen:<case>:<kind>:<forwarding>' so a retried change sends one.
//
// What a notice never does:
//  - go out for a confidential case (a denunciation, or filers protected at intake): the filer's
//    identity is a state secret (Luật Tố cáo 2018, Điều 9 and 56), the intake asks no "notify me"
//    consent question, and an email to a personal mailbox about a denunciation would itself reveal
//    who denounced. Without that consent there is no notice, whatever the policy says;
//  - name anyone but the recipient: no other party, no officer, no responder — only the office, the
//    agency (a public body) and the case number;
//  - carry the agency's answer text: it may name officials and other people, it is addressed to the
//    office, and the office evaluates it before the matter is settled. The citizen learns the outcome
//    and the answer's reference, and may ask the office for the rest.
import mongoose, { type ClientSession } from 'mongoose';
import { CaseModel, type Case } from '../cases/index.js';
import type { AnswerFact, ForwardingFact } from '../forwarding/index.js';
import { ForwardingModel } from '../forwarding/index.js';
import { enqueueEmail } from '../notifications/index.js';
import { systemClock, type Clock } from '../platform/clock.js';
import { PersonModel } from '../people/index.js';
import { getReminderPolicy } from './policy.service.js';

export const CITIZEN_TEMPLATE = 'citizen-notice';
export const CITIZEN_NOTICE_KINDS = ['received', 'forwarded', 'answered'] as const;
export type CitizenNoticeKind = (typeof CITIZEN_NOTICE_KINDS)[number];

type CaseForNotice = Pick<Case, '_id' | 'number' | 'type' | 'confidential' | 'parties' | 'receivedAt'>;

/** The first filer with an email on record (one recipient: filers never see each other's addresses). */
async function filerAddress(kase: CaseForNotice, session: ClientSession | null): Promise<{ email: string; name: string } | null> {
  for (const party of kase.parties.filter((p) => p.role === 'filer')) {
    const person = await PersonModel.findById(party.personId, { email: 1, name: 1 }).session(session).lean<{ email: string | null; name: string }>();
    if (person?.email) return { email: person.email, name: person.name };
  }
  return null;
}

/** The case when a notice may go for it: not confidential, and the policy allows citizen notices. */
async function noticeableCase(caseId: mongoose.Types.ObjectId | string, session: ClientSession | null): Promise<CaseForNotice | null> {
  if (!mongoose.isValidObjectId(caseId)) return null;
  const kase = await CaseModel.findById(caseId, { number: 1, type: 1, confidential: 1, parties: 1, receivedAt: 1 }).session(session).lean<CaseForNotice>();
  if (!kase || kase.confidential || kase.type === 'denunciation') return null;
  if (!(await getReminderPolicy(session)).citizenNotices) return null;
  return kase;
}

async function notify(
  kase: CaseForNotice,
  kind: CitizenNoticeKind,
  forwardingId: string,
  data: Record<string, unknown>,
  createdBy: string,
  now: Date,
  session: ClientSession | null,
): Promise<boolean> {
  const to = await filerAddress(kase, session);
  if (!to) return false;
  const queued = await enqueueEmail(
    {
      key: `citizen:${String(kase._id)}:${kind}:${forwardingId}`,
      template: CITIZEN_TEMPLATE,
      locale: 'vi',
      to: [to],
      data: { kind, caseNumber: kase.number, ...data },
      caseId: kase._id,
      createdBy,
    },
    session,
    { clock: { now: () => now } },
  );
  return queued.created;
}

/** The receipt: call in the intake's transaction right after a new case is opened. */
export async function noticeCaseReceived(caseId: mongoose.Types.ObjectId | string, session: ClientSession | null, clock: Clock = systemClock): Promise<boolean> {
  const kase = await noticeableCase(caseId, session);
  if (!kase) return false;
  return notify(kase, 'received', '', { receivedAt: kase.receivedAt.toISOString() }, 'system', clock.now(), session);
}

/** The forwarding was sent: call from the forwarding's onForwarded hook with the cases it carries. */
export async function noticeForwardingSent(caseIds: readonly (mongoose.Types.ObjectId | string)[], fact: ForwardingFact, session: ClientSession | null): Promise<number> {
  const forwarding = mongoose.isValidObjectId(fact.forwardingId)
    ? await ForwardingModel.findById(fact.forwardingId, { 'deadline.dueDate': 1 }).session(session).lean<{ deadline: { dueDate: string } | null }>()
    : null;
  let sent = 0;
  for (const caseId of caseIds) {
    const kase = await noticeableCase(caseId, session);
    if (kase && (await notify(kase, 'forwarded', fact.forwardingId, { agencyName: fact.agencyName, dueDate: forwarding?.deadline?.dueDate ?? null }, fact.by.id, fact.at, session))) sent++;
  }
  return sent;
}

/** An answer arrived: call from the onAnswered hook. The outcome and the answer's reference only. */
export async function noticeAnswerReceived(caseIds: readonly (mongoose.Types.ObjectId | string)[], fact: AnswerFact, session: ClientSession | null): Promise<number> {
  let sent = 0;
  for (const caseId of caseIds) {
    const kase = await noticeableCase(caseId, session);
    const data = { agencyName: fact.agencyName, outcome: fact.outcome, answerNumber: fact.documentNumber, answerDate: fact.documentDate.toISOString() };
    // An agency answering twice (an update) is a new notice: the key holds the answer's document number.
    if (kase && (await notify(kase, 'answered', `${fact.forwardingId}-${answerKeyPart(fact.documentNumber)}`, data, fact.by.id, fact.at, session))) sent++;
  }
  return sent;
}

/** The part of an answer's document number that can go in a key ('12/UBND-TNMT' → '12_UBND-TNMT'). */
function answerKeyPart(documentNumber: string): string {
  return documentNumber.replace(/[^\w.-]+/g, '_').slice(0, 60) || 'answer';
}
