// Voter meetings over the data set's years, made through the meetings module's own services with the
// clock set to each step (the volume is small next to the cases, and the services keep petitions,
// merges, compilation and their forwardings consistent): every year two National Assembly sessions
// (May–June, October–November) and two of the People's Council (July, December), meetings before and
// after each, the petitions raised at them merged; sessions long enough ago are classified, compiled,
// forwarded in bulk, answered by the agencies and evaluated.
import crypto from 'node:crypto';
import { Readable } from 'node:stream';
import { storeUpload } from '../../server/attachments/index.js';
import type { Actor } from '../../server/access/index.js';
import { ForwardingLinkModel, ForwardingModel, approveForwarding, evaluateForwarding, submitAnswer, type Forwarding } from '../../server/forwarding/index.js';
import { forwardCompiledPetitions } from '../../server/meetings/index.js';
import { fixedClock } from '../../server/platform/clock.js';
import { ConflictError } from '../../server/platform/errors.js';
import { officialLetterLayout, renderPdf } from '../../server/platform/pdf/index.js';
import { loadActor } from '../../server/users/index.js';
import { classifyAndCompile, ensureDelegates, holdSession, type SessionPlan } from '../demo/meetings.js';
import type { SeedContext } from './context.js';
import type { DatasetGenerator } from './generators.js';
import { answerText } from './vietnamese.js';

const DAY = 86_400_000;

/** Terms (khoá) of both bodies by the year they began; sessions are numbered within a term. */
const TERMS = [
  { from: 2016, quocHoi: 'XIV', hdnd: 'VII' },
  { from: 2021, quocHoi: 'XV', hdnd: 'VIII' },
  { from: 2026, quocHoi: 'XVI', hdnd: 'IX' },
];

function termOf(year: number): { from: number; quocHoi: string; hdnd: string } {
  return [...TERMS].reverse().find((t) => t.from <= year) ?? { from: year - (year % 5) + 1, quocHoi: `K${year}`, hdnd: `K${year}` };
}

/** 08:00 in Vietnam on a day. */
const vietnamMorning = (year: number, month: number, day: number) => new Date(Date.UTC(year, month - 1, day, 1));

export function sessionPlans(firstYear: number, lastYear: number, delegates: { quocHoi: string[]; hdnd: string[] }): SessionPlan[] {
  const plans: SessionPlan[] = [];
  for (let year = firstYear; year <= lastYear; year++) {
    const term = termOf(year);
    const n = (half: 0 | 1) => String((year - term.from) * 2 + half + 1);
    plans.push(
      { body: 'quoc-hoi', term: term.quocHoi, number: n(0), opens: vietnamMorning(year, 5, 20), closes: vietnamMorning(year, 6, 18), delegates: delegates.quocHoi, before: 5, after: 3 },
      { body: 'hdnd-tinh', term: term.hdnd, number: n(0), opens: vietnamMorning(year, 7, 8), closes: vietnamMorning(year, 7, 10), delegates: delegates.hdnd, before: 6, after: 2 },
      { body: 'quoc-hoi', term: term.quocHoi, number: n(1), opens: vietnamMorning(year, 10, 20), closes: vietnamMorning(year, 11, 28), delegates: delegates.quocHoi, before: 5, after: 3 },
      { body: 'hdnd-tinh', term: term.hdnd, number: n(1), opens: vietnamMorning(year, 12, 8), closes: vietnamMorning(year, 12, 10), delegates: delegates.hdnd, before: 6, after: 2 },
    );
  }
  return plans;
}

/** 10:00 in Vietnam `days` after `from`, moved off weekends. */
function officeDay(from: Date, days: number): Date {
  const at = new Date(Math.floor((from.getTime() + days * DAY) / DAY) * DAY + 3 * 3_600_000);
  const weekday = at.getUTCDay();
  return weekday === 6 ? new Date(at.getTime() + 2 * DAY) : weekday === 0 ? new Date(at.getTime() + DAY) : at;
}

const key = () => crypto.randomBytes(16).toString('hex');

let signedAnswer: Promise<Buffer> | null = null;

/** The signed answer every seeded agency uploads: rendered once, stored once per answer as an agency would. */
function signedAnswerPdf(): Promise<Buffer> {
  signedAnswer ??= renderPdf(
    officialLetterLayout({
      issuer: 'Cơ quan được chuyển kiến nghị',
      number: 'TL-KNCT',
      place: 'Quảng Trị',
      date: new Date('2025-01-01T03:00:00Z'),
      subject: 'Trả lời kiến nghị của cử tri',
      recipients: ['Văn phòng Đoàn ĐBQH và HĐND tỉnh'],
      body: ['Cơ quan đã xem xét và trả lời các kiến nghị của cử tri theo danh sách kèm theo.'],
      signature: { position: 'Thủ trưởng cơ quan', name: 'Nguyễn Văn Hùng' },
    }),
  );
  return signedAnswer;
}

/** The agencies answer most of a session's forwardings; the office evaluates most answers. */
async function followUp(ctx: SeedContext, officer: Actor, forwardingIds: string[]): Promise<void> {
  const rng = ctx.rng;
  for (const id of forwardingIds) {
    const f = await ForwardingModel.findById(id, { sentAt: 1, items: 1, agencyName: 1, status: 1 }).lean<Pick<Forwarding, '_id' | 'sentAt' | 'items' | 'agencyName' | 'status'>>();
    if (!f?.sentAt || !rng.chance(0.85)) continue;
    const answeredAt = officeDay(f.sentAt, rng.int(15, 80));
    if (answeredAt > ctx.end) continue;
    const link = await ForwardingLinkModel.findOne({ forwardingId: f._id }, { _id: 1 }).lean<{ _id: unknown }>();
    const answer = answerText(rng);
    const upload = await storeUpload({ uploader: { kind: 'agency', id }, originalName: 'tra-loi-kien-nghi.pdf', content: Readable.from(await signedAnswerPdf()), clock: fixedClock(answeredAt) });
    await submitAnswer(
      { forwardingId: id, linkId: String(link!._id) },
      {
        submissionKey: key(),
        responderName: 'Văn phòng ' + f.agencyName,
        responderPosition: 'Chánh Văn phòng',
        documentNumber: `${rng.int(1, 900)}/TL-KNCT`,
        documentDate: new Date(answeredAt.getTime() + 7 * 3_600_000).toISOString().slice(0, 10),
        outcome: answer.outcome,
        expectedDate: answer.outcome === 'in-progress' ? new Date(answeredAt.getTime() + 7 * 3_600_000 + 45 * DAY).toISOString().slice(0, 10) : null,
        competentAgency: null,
        text: answer.text,
        matters: [],
      },
      [String(upload.id)],
      { at: answeredAt, ip: null, userAgent: 'seed' },
    );
    const evaluatedAt = officeDay(answeredAt, rng.int(2, 10));
    if (evaluatedAt > ctx.end || !rng.chance(0.8)) continue;
    const verdicts = f.items.map((i) => (rng.chance(0.78) ? { refId: i.refId, verdict: 'satisfied' as const, reason: null } : { refId: i.refId, verdict: 'unsatisfied' as const, reason: 'Cử tri chưa đồng tình, đề nghị trả lời cụ thể lộ trình thực hiện.' }));
    await evaluateForwarding(officer, id, { verdicts, nextStep: verdicts.some((v) => v.verdict === 'unsatisfied') ? 'chase' : null }, { clock: fixedClock(evaluatedAt) });
  }
}

export const meetingsGenerator: DatasetGenerator = {
  name: 'voter meetings',
  size: (ctx) => (ctx.options.years + 1) * 4,
  async generate(ctx, tick) {
    const officer = await loadActor(String(ctx.officers[0]!.id));
    const leader = await loadActor(String(ctx.leaders[0]!.id));
    if (!officer || !leader) throw new Error('the seeded staff accounts are missing');
    const delegates = await ensureDelegates(null, ctx.rng);
    const env = { rng: ctx.rng, now: ctx.end, communes: ctx.communes, fieldCodes: new Set(ctx.fields) };
    const start = new Date(ctx.end.getTime() - ctx.options.years * 365.25 * DAY);
    for (const plan of sessionPlans(ctx.endYear - ctx.options.years, ctx.endYear, delegates)) {
      tick();
      // Sessions whose first meetings fall inside the data set, and the next ones already being planned.
      if (plan.opens.getTime() - 30 * DAY < start.getTime() || plan.opens.getTime() > ctx.end.getTime() + 120 * DAY || plan.delegates.length === 0) continue;
      const { sessionId } = await holdSession(officer, plan, env);
      const forwardAt = officeDay(plan.closes, 20);
      if (forwardAt > ctx.end) continue;
      await classifyAndCompile(officer, sessionId, ctx.agencies, fixedClock(officeDay(plan.closes, 12)));
      const sendClock = fixedClock(forwardAt);
      const bulk = await forwardCompiledPetitions(officer, sessionId, { submissionKey: key() }, { clock: sendClock }).catch((err: unknown) => {
        // Nothing compiled to forward (every petition withdrawn or merged away): nothing to follow up.
        if (err instanceof ConflictError) return null;
        throw err;
      });
      if (!bulk) continue;
      const drafts = await ForwardingModel.find({ 'items.kind': 'petition', status: 'awaiting-approval' }, { _id: 1 }).lean<{ _id: unknown }[]>();
      for (const d of drafts) await approveForwarding(leader, String(d._id), { note: '' }, { clock: sendClock });
      const sent = await ForwardingModel.find({ 'items.kind': 'petition', sentAt: forwardAt }, { _id: 1 }).lean<{ _id: unknown }[]>();
      await followUp(ctx, officer, sent.map((s) => String(s._id)));
    }
  },
};
