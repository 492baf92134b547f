// A filer's answer about email notices, recorded after intake: a citizen who agreed may later decline
// (consent to processing personal data can be withdrawn at any time: Nghị định 13/2023/NĐ-CP, Điều 12),
// one who was never asked may be asked, one who declined may change their mind. The answer is kept on
// the filer's party, where the notices read it (notice-consent.rules.ts), and the case's timeline
// records the change — by the filer's role, never by name, since every reader of the case sees it.
import { assertCan, can, type Actor } from '../access/index.js';
import type { ServiceContext } from '../platform/context.js';
import { inTransaction } from '../platform/db/transaction.js';
import { ForbiddenError, ValidationError } from '../platform/errors.js';
import { CaseModel } from './case.model.js';
import { loadCase, recordCaseEvent } from './cases.service.js';
import type { NoticeAnswer } from './notice-consent.rules.js';

export interface NoticeAnswerInput {
  personId: string;
  answer: NoticeAnswer;
}

/** Records the answer; returns false when it was already the recorded one (nothing changes then). */
export async function recordNoticeAnswer(actor: Actor, caseId: string, input: NoticeAnswerInput, ctx: ServiceContext): Promise<boolean> {
  assertCan(actor, 'cases:write');
  return inTransaction(async (session) => {
    const kase = await loadCase(caseId, session);
    // Choosing among a denunciation's filers means seeing who they are.
    if (kase.confidential && !can(actor, 'view-denouncer-identity')) throw new ForbiddenError();
    const party = kase.parties.find((p) => p.role === 'filer' && String(p.personId) === input.personId);
    if (!party) throw new ValidationError({ personId: 'cases.errors.noticeParty' });
    const agreed = input.answer === 'yes';
    if (party.emailNotices === agreed) return false;
    const parties = kase.parties.map((p) => (p === party ? { ...p, emailNotices: agreed } : p));
    await CaseModel.updateOne({ _id: kase._id }, { $set: { parties } }, { session });
    // No name: a case reclassified as a denunciation later keeps its timeline.
    const context = kase.confidential ? `${input.answer}-protected` : input.answer;
    await recordCaseEvent(kase._id, actor, 'case.notice-answer', { context }, ctx.clock.now(), session);
    return true;
  });
}
