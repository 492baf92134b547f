// The forwardings of a seeded case: when the case's path reaches 'forwarded', the office sends it to one
// agency (sometimes two), numbered in the year's series, with the agency-answer deadline and a secure
// link; at 'answered' the agency answers (sometimes late, sometimes never), and when the case then
// closes or goes to supervision the office's evaluation closes the forwarding — the documents
// sendWithin, submitAnswer and evaluateForwarding would have written, and their timeline events.
import crypto from 'node:crypto';
import mongoose from 'mongoose';
import type { AgencySummary } from '../../server/agencies/index.js';
import { formatDocumentNumber, hashLinkToken, linkExpiry } from '../../server/forwarding/index.js';
import type { CaseBundle, CaseStep } from './cases.js';
import { laterInstant } from './cases.js';
import type { SeedContext, StaffMember } from './context.js';
import { caseEventDoc, type RawDoc } from './documents.js';
import { hexKey } from './ids.js';
import { answerText, REQUESTS } from './vietnamese.js';

const DAY = 86_400_000;
/** The office's defaults (FORWARDING_NUMBER_SUFFIX, AGENCY_LINK_DAYS_AFTER_DEADLINE in .env.example). */
const NUMBER_SUFFIX = 'PC-VP';
const LINK_DAYS_AFTER_DEADLINE = 60;

/** Document numbers per year, continued by the app's counters after the load. */
export class ForwardingSeries {
  private readonly yearSeq = new Map<number, number>();

  next(year: number): number {
    const seq = (this.yearSeq.get(year) ?? 0) + 1;
    this.yearSeq.set(year, seq);
    return seq;
  }

  counters(): Map<number, number> {
    return new Map(this.yearSeq);
  }
}

function vietnamYear(at: Date): number {
  return Number(new Date(at.getTime() + 7 * 3_600_000).toISOString().slice(0, 4));
}

function vietnamDay(at: Date): string {
  return new Date(at.getTime() + 7 * 3_600_000).toISOString().slice(0, 10);
}

const by = (m: StaffMember) => ({ id: String(m.id), name: m.name });

/** Agencies that deal with the case's field, or any agency when none is listed for it. */
function agenciesFor(ctx: SeedContext, fieldCode: string, count: number): AgencySummary[] {
  const competent = ctx.agencies.filter((a) => a.fieldCodes.includes(fieldCode));
  const pool = competent.length >= count ? competent : ctx.agencies;
  const chosen: AgencySummary[] = [];
  while (chosen.length < Math.min(count, pool.length)) {
    const a = ctx.rng.pick(pool);
    if (!chosen.includes(a)) chosen.push(a);
  }
  return chosen;
}

interface Outcome {
  answeredAt: Date | null;
  acknowledgedAt: Date | null;
  /** The evaluation that closes the forwarding, if the case went on to one. */
  evaluation: { at: Date; verdict: 'satisfied' | 'unsatisfied'; closure: 'satisfied' | 'supervision' } | null;
}

/** What happened to a forwarding sent at `sentAt`, read off the case's later steps. */
function outcomeOf(ctx: SeedContext, sentAt: Date, steps: CaseStep[], first: boolean): Outcome {
  const answered = steps.find((s) => s.to === 'answered');
  // A second agency often answers later than the first, or not at all.
  const answeredAt = answered ? (first ? answered.at : ctx.rng.chance(0.7) ? laterInstant(ctx, answered.at, ctx.rng.int(0, 20)) : null) : null;
  const ackAt = laterInstant(ctx, sentAt, ctx.rng.int(1, 6));
  const acknowledgedAt = answeredAt && ackAt && ackAt > answeredAt ? answeredAt : ctx.rng.chance(0.7) ? ackAt : answeredAt;
  const after = answered ? steps.slice(steps.indexOf(answered) + 1)[0] : undefined;
  let evaluation: Outcome['evaluation'] = null;
  if (answeredAt && after && after.at >= answeredAt) {
    evaluation = after.to === 'supervising' ? { at: after.at, verdict: 'unsatisfied', closure: 'supervision' } : after.to === 'closed' ? { at: after.at, verdict: 'satisfied', closure: 'satisfied' } : null;
  }
  return { answeredAt, acknowledgedAt, evaluation };
}

export function seedForwardings(ctx: SeedContext, bundle: CaseBundle, series: ForwardingSeries): void {
  const step = bundle.steps.find((s) => s.to === 'forwarded');
  if (!step) return;
  const rng = ctx.rng;
  const kase = bundle.kase;
  const forwardings: RawDoc[] = [];
  const answers: RawDoc[] = [];
  const links: RawDoc[] = [];
  const event = (at: Date, actor: { id: string; name: string }, type: string, f: RawDoc, data: Record<string, unknown>) =>
    bundle.events.push(caseEventDoc({ _id: ctx.ids.next(at), caseId: bundle.caseId, at, actor, type, data: { forwardingId: String(f._id), agency: f.agencyName, documentNumber: f.documentNumber ?? '', ...data } }));

  const targets = agenciesFor(ctx, kase.fieldCode as string, rng.chance(0.12) ? 2 : 1);
  for (const [index, agency] of targets.entries()) {
    const draftedAt = new Date(step.at.getTime() - rng.int(1, 3) * DAY);
    const sentAt = step.at;
    const leader = rng.pick(ctx.leaders);
    const deadline = ctx.answerDeadline(sentAt);
    const seq = series.next(vietnamYear(sentAt));
    const documentNumber = formatDocumentNumber(seq, NUMBER_SUFFIX);
    const outcome = outcomeOf(ctx, sentAt, bundle.steps, index === 0);
    const refId = String(bundle.caseId);
    const status = outcome.evaluation ? 'closed' : outcome.answeredAt ? 'answered' : outcome.acknowledgedAt ? 'acknowledged' : 'sent';
    const id = ctx.ids.next(draftedAt);
    const agencyActor = { id: `agency:${agency.id}`, name: agency.name };
    const f: RawDoc = {
      _id: id,
      status,
      agencyId: new mongoose.Types.ObjectId(agency.id),
      agencyName: agency.name,
      contacts: agency.contacts.map((c) => ({ email: c.email, name: c.name, role: c.role })),
      items: [
        {
          kind: 'case',
          refId,
          label: bundle.number,
          summary: kase.summary,
          caseId: bundle.caseId,
          answered: outcome.answeredAt !== null,
          verdict: outcome.evaluation?.verdict ?? null,
          verdictReason: outcome.evaluation?.verdict === 'unsatisfied' ? 'Trả lời chưa đầy đủ, chưa nêu thời hạn khắc phục.' : null,
          evaluatedAt: outcome.evaluation?.at ?? null,
        },
      ],
      caseIds: [bundle.caseId],
      confidential: bundle.confidential,
      request: rng.pick(REQUESTS),
      internalNote: '',
      sharedAttachmentIds: [],
      ruleKey: 'agency-answer',
      deadline,
      deadlineHistory: [],
      suspension: null,
      deadlineChangeKeys: [],
      documentNumber,
      documentYear: vietnamYear(sentAt),
      documentSeq: seq,
      documentDate: sentAt,
      draftedBy: by(bundle.officer),
      approvedBy: by(leader),
      approvalNote: null,
      sentAt,
      acknowledgedAt: outcome.acknowledgedAt,
      acknowledgedBy: outcome.acknowledgedAt ? 'Văn thư' : null,
      firstAnsweredAt: outcome.answeredAt,
      lastAnsweredAt: outcome.answeredAt,
      answerCount: outcome.answeredAt ? 1 : 0,
      extensionRequests: [],
      chaseCount: 0,
      lastChasedAt: null,
      closedAt: outcome.evaluation?.at ?? null,
      closure: outcome.evaluation?.closure ?? null,
      submissionKey: `${hexKey(() => rng.next())}:${index}`,
      createdAt: draftedAt,
      updatedAt: outcome.evaluation?.at ?? outcome.answeredAt ?? outcome.acknowledgedAt ?? sentAt,
      __v: 0,
    };
    forwardings.push(f);
    // The token itself is never stored; this one is derived so a data set is the same on every run.
    const token = crypto.createHash('sha256').update(`${ctx.options.seed}:${String(id)}`).digest('base64url');
    links.push({
      _id: ctx.ids.next(sentAt),
      forwardingId: id,
      tokenHashes: [hashLinkToken(token)],
      createdAt: sentAt,
      createdBy: String(leader.id),
      expiresAt: linkExpiry(deadline.dueAt, sentAt, LINK_DAYS_AFTER_DEADLINE),
      revokedAt: outcome.evaluation?.at ?? null,
      revokedBy: outcome.evaluation ? String(bundle.officer.id) : null,
      revokedReason: outcome.evaluation ? 'closed' : null,
      __v: 0,
    });
    event(draftedAt, by(bundle.officer), 'forwarding.drafted', f, {});
    event(sentAt, by(leader), 'forwarding.sent', f, { due: deadline.dueDate });
    if (outcome.acknowledgedAt && outcome.acknowledgedAt !== outcome.answeredAt) event(outcome.acknowledgedAt, agencyActor, 'forwarding.acknowledged', f, { confirmerName: 'Văn thư' });
    if (outcome.answeredAt) {
      const answerId = ctx.ids.next(outcome.answeredAt);
      const answer = answerText(rng);
      answers.push({
        _id: answerId,
        forwardingId: id,
        itemRefIds: [refId],
        responderName: 'Văn phòng ' + agency.name,
        responderPosition: 'Chánh Văn phòng',
        documentNumber: `${rng.int(1, 900)}/${agency.shortName || 'CV'}`,
        documentDate: new Date(`${vietnamDay(outcome.answeredAt)}T00:00:00+07:00`),
        outcome: answer.outcome,
        expectedDate: answer.outcome === 'in-progress' ? new Date(`${vietnamDay(new Date(outcome.answeredAt.getTime() + 45 * DAY))}T00:00:00+07:00`) : null,
        competentAgency: null,
        text: answer.text,
        attachmentIds: [],
        submittedAt: outcome.answeredAt,
        linkId: links.at(-1)!._id,
        ip: null,
        submissionKey: hexKey(() => rng.next()),
        __v: 0,
      });
      event(outcome.answeredAt, agencyActor, 'forwarding.answered', f, { answerId: String(answerId), outcome: answer.outcome, answerDocumentNumber: answers.at(-1)!.documentNumber, answerDocumentDate: vietnamDay(outcome.answeredAt), responderName: answers.at(-1)!.responderName, matters: [refId] });
    }
    if (outcome.evaluation) {
      const e = outcome.evaluation;
      event(e.at, by(bundle.officer), 'forwarding.evaluated', f, { verdict: e.verdict, nextStep: e.verdict === 'unsatisfied' ? 'supervision' : null, reason: e.verdict === 'unsatisfied' ? 'Trả lời chưa đầy đủ, chưa nêu thời hạn khắc phục.' : '' });
    }
  }
  bundle.docs.set('forwardings', forwardings);
  bundle.docs.set('forwarding_answers', answers);
  bundle.docs.set('forwarding_links', links);
}
