// The letters of one case: the one that opened it (or one a walk-in citizen sent as well), follow-up
// letters, and the assessment of the first letter, which makes the case's first move as assessLetter
// does (filed, returned, or in progress).
import { letterTokens } from '../../server/letters/letters.rules.js';
import { applicableReasons } from '../../server/letters/eligibility.rules.js';
import { LETTER_CHANNELS, type LetterHandling, type LetterType } from '../../server/letters/index.js';
import type { CaseBundle } from './cases.js';
import type { SeedContext, StaffMember } from './context.js';
import { letterDoc, type PartyDoc, type RawDoc } from './documents.js';
import { hexKey } from './ids.js';
import { FORWARDING_BODIES } from './vietnamese.js';

const DAY = 86_400_000;

export interface LetterInput {
  parties: PartyDoc[];
  anonymous: boolean;
  byVisit: boolean;
  summary: string;
  unitCode: string;
  fieldCode: string;
  openedAt: Date;
  event: (at: Date, actor: StaffMember, type: string, data: Record<string, unknown>) => void;
}

function handlingFor(ctx: SeedContext, to: string): LetterHandling | null {
  if (to === 'filed') return 'file';
  if (to === 'returned') return 'return-with-guidance';
  if (to === 'in-progress') return ctx.rng.chance(0.75) ? 'forward' : 'propose-acceptance';
  return null;
}

export function seedLetters(ctx: SeedContext, bundle: CaseBundle, input: LetterInput): { docs: RawDoc[]; firstKey: string } {
  const rng = ctx.rng;
  const count = input.byVisit ? (rng.chance(0.25) ? 1 : 0) : rng.chance(0.3) ? 2 : 1;
  const docs: RawDoc[] = [];
  let firstKey = '';
  const senders = input.anonymous ? [] : input.parties.map((p) => ({ personId: p.personId, name: p.name, citizenId: p.citizenId }));
  const firstStep = bundle.steps[0];
  const assessAs = firstStep ? handlingFor(ctx, firstStep.to) : null;
  let assessed = false;
  for (let i = 0; i < count; i++) {
    const opening = i === 0 && !input.byVisit;
    const receivedAt = opening ? bundle.receivedAt : new Date(bundle.receivedAt.getTime() + rng.int(5, 200) * DAY);
    if (receivedAt > ctx.end) continue;
    const createdAt = opening ? input.openedAt : new Date(receivedAt.getTime() + rng.int(30, 240) * 60_000);
    const officer = opening ? bundle.officer : rng.pick(ctx.officers);
    const channel = opening && input.anonymous ? rng.pick(['post', 'post', 'email', 'other'] as const) : rng.pick(LETTER_CHANNELS);
    const forwardedBy = channel === 'forwarded-by-body' ? rng.pick(FORWARDING_BODIES) : null;
    const type: LetterType = rng.chance(0.03) ? 'mixed' : bundle.type;
    const _id = ctx.ids.next(createdAt);
    const submissionKey = hexKey(() => rng.next());
    if (i === 0) firstKey = submissionKey;
    // The first move of the case comes from assessing a letter it already had.
    let eligibility: { eligible: boolean | null; reasons: string[]; hasEvidence: boolean; note: string | null; assessedAt: Date | null; assessedBy: RawDoc['_id'] | null } = { eligible: null, reasons: [], hasEvidence: false, note: null, assessedAt: null, assessedBy: null };
    let handling: LetterHandling | null = null;
    if (!assessed && firstStep && firstStep.from === 'received' && assessAs && receivedAt < firstStep.at) {
      assessed = true;
      handling = assessAs;
      const eligible = handling === 'forward' || handling === 'propose-acceptance';
      const hasEvidence = input.anonymous && eligible;
      const facts = { type, anonymous: input.anonymous, hasEvidence };
      const reasons = eligible ? [] : [input.anonymous ? 'anonymous-no-evidence' : rng.pick(applicableReasons(facts).filter((r) => r !== 'anonymous-no-evidence'))];
      eligibility = { eligible, reasons, hasEvidence, note: null, assessedAt: firstStep.at, assessedBy: firstStep.by.id };
      input.event(firstStep.at, firstStep.by, 'case.letter-assessed', { letterId: String(_id), eligible, reasons, handling, context: handling, reason: null });
    }
    if (!opening) input.event(createdAt, officer, 'case.letter-added', { id: String(_id) });
    docs.push(
      letterDoc({
        _id,
        receivedAt,
        channel,
        forwardedBy,
        receivedBy: officer.id,
        senders,
        anonymous: input.anonymous,
        type,
        fieldCode: input.fieldCode,
        unitCode: input.unitCode,
        summary: input.summary,
        fullText: `${input.summary}. Kính đề nghị Đoàn ĐBQH và HĐND tỉnh xem xét, chuyển cơ quan có thẩm quyền giải quyết.`,
        eligibility,
        handling,
        caseIds: [bundle.caseId],
        caseNumbers: [bundle.number],
        confidential: bundle.confidential,
        ...letterTokens({ summary: input.summary, forwardedBy, caseNumbers: [bundle.number], confidential: bundle.confidential, senders }),
        submissionKey,
        handlingDeadline: ctx.handlingDeadline(bundle.receivedAt),
        createdAt,
        updatedAt: eligibility.assessedAt ?? createdAt,
      }),
    );
  }
  return { docs, firstKey };
}
