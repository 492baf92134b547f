// Notices to the citizen who filed a matter, when their email is known: the matter was received, it
// was forwarded to an agency (which, and by when it should answer), and the agency answered (the
// outcome). Called inside the transaction of the change they report, so a notice exists exactly when
// the change was committed; keyed 'citizen:<case>:<kind>:<forwarding>' so a retried change sends one.
//
// Who gets them: the first filer with an email on record who may be emailed about the case
// (mayEmailFiler, server/cases/notice-consent.rules.ts): a filer who declined at intake never; the
// filer of a confidential case (a denunciation, or filers protected at intake) only after agreeing
// explicitly — the intake asks, and refuses to save a denunciation with an email until it has.
//
// What a notice never does:
//  - name anyone but the recipient: no other party, no officer, no responder — only the office, the
//    agency (a public body) and the case number. For a confidential case it says even less (see
//    protectedData): the case number, the step and its date, and the office's contact at the foot;
//    not the agency, the answer's reference or outcome, not even the recipient's own name, because
//    the stored copy is read by staff who may not see who denounced, and the agency or the answer's
//    number can point to the matter and the people in it;
//  - carry the agency's answer text: it may name officials and other people, it is addressed to the
//    office, and the office evaluates it before the matter is settled. The citizen learns the outcome
//    and the answer's reference, and may ask the office for the rest.
import mongoose, { type ClientSession } from 'mongoose';
import { CaseModel, mayEmailFiler, type Case } from '../cases/index.js';
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

/** The first filer with an email on record who may be emailed (one recipient: filers never see each other's addresses). */
async function filerAddress(kase: CaseForNotice, session: ClientSession | null): Promise<{ email: string; name: string } | null> {
  for (const party of kase.parties.filter((p) => p.role === 'filer' && mayEmailFiler(p, kase.confidential))) {
    const person = await PersonModel.findById(party.personId, { email: 1, name: 1 }).session(session).lean<{ email: string | null; name: string }>();
    if (person?.email) return { email: person.email, name: person.name };
  }
  return null;
}

/** The case when the policy allows citizen notices (whether its filer may get one is filerAddress's question). */
async function noticeableCase(caseId: mongoose.Types.ObjectId | string, session: ClientSession | null): Promise<CaseForNotice | null> {
  if (!mongoose.isValidObjectId(caseId)) return null;
  const kase = await CaseModel.findById(caseId, { number: 1, type: 1, confidential: 1, parties: 1, receivedAt: 1 }).session(session).lean<CaseForNotice>();
  if (!kase) return null;
  if (!(await getReminderPolicy(session)).citizenNotices) return null;
  return kase;
}

/**
 * What the notice of a confidential case may say: the step, its date and the case number. Built here
 * rather than filtered in the template, so the stored copy of the data holds nothing more either.
 */
function protectedData(stepAt: Date): Record<string, unknown> {
  return { protected: true, stepDate: stepAt.toISOString() };
}

async function notify(
  kase: CaseForNotice,
  kind: CitizenNoticeKind,
  forwardingId: string,
  facts: { data: Record<string, unknown>; stepAt: Date },
  createdBy: string,
  now: Date,
  session: ClientSession | null,
): Promise<boolean> {
  const to = await filerAddress(kase, session);
  if (!to) return false;
  const confidential = kase.confidential;
  const queued = await enqueueEmail(
    {
      key: `citizen:${String(kase._id)}:${kind}:${forwardingId}`,
      template: CITIZEN_TEMPLATE,
      locale: 'vi',
      // A denouncer is not greeted by name: the stored copy of the email is read by staff.
      to: [confidential ? { email: to.email } : to],
      data: { kind, caseNumber: kase.number, ...(confidential ? protectedData(facts.stepAt) : facts.data) },
      caseId: kase._id,
      confidentialRecipients: confidential,
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
  return notify(kase, 'received', '', { data: { receivedAt: kase.receivedAt.toISOString() }, stepAt: kase.receivedAt }, 'system', clock.now(), session);
}

/** The forwarding was sent: call from the forwarding's onForwarded hook with the cases it carries. */
export async function noticeForwardingSent(caseIds: readonly (mongoose.Types.ObjectId | string)[], fact: ForwardingFact, session: ClientSession | null): Promise<number> {
  const forwarding = mongoose.isValidObjectId(fact.forwardingId)
    ? await ForwardingModel.findById(fact.forwardingId, { 'deadline.dueDate': 1 }).session(session).lean<{ deadline: { dueDate: string } | null }>()
    : null;
  let sent = 0;
  for (const caseId of caseIds) {
    const kase = await noticeableCase(caseId, session);
    const data = { agencyName: fact.agencyName, dueDate: forwarding?.deadline?.dueDate ?? null };
    if (kase && (await notify(kase, 'forwarded', fact.forwardingId, { data, stepAt: fact.at }, fact.by.id, fact.at, session))) sent++;
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
    if (kase && (await notify(kase, 'answered', `${fact.forwardingId}-${answerKeyPart(fact.documentNumber)}`, { data, stepAt: fact.at }, fact.by.id, fact.at, session))) sent++;
  }
  return sent;
}

/** The part of an answer's document number that can go in a key ('12/UBND-TNMT' → '12_UBND-TNMT'). */
function answerKeyPart(documentNumber: string): string {
  return documentNumber.replace(/[^\w.-]+/g, '_').slice(0, 60) || 'answer';
}
