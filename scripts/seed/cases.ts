// One case and everything intake leaves behind for it: its people, its visits (about four per case on
// average), its letters with their assessment, and its timeline — the same documents logWalkIn,
// logLetter, assessLetter and changeCaseStatus would have written, generated without the database.
import type mongoose from 'mongoose';
import { formatCaseNumber, tokensFor } from '../../server/cases/cases.service.js';
import { isConfidentialType, searchWords, type CaseStatus, type CaseType } from '../../server/cases/index.js';
import { RECEPTION_KINDS, RECEPTION_OUTCOMES, GROUP_VISIT_MIN_PEOPLE } from '../../server/receptions/index.js';
import { foldVietnamese } from '../../server/platform/text.js';
import type { SeedContext, StaffMember } from './context.js';
import { caseDoc, caseEventDoc, personDoc, receptionDoc, type PartyDoc, type RawDoc } from './documents.js';
import { hexKey } from './ids.js';
import { seedLetters } from './letters.js';
import { CLOSING_REASONS, inventAddress, inventCitizenId, inventMatter, inventPerson, inventPhone } from './vietnamese.js';

const DAY = 86_400_000;

/** A status move of the case, kept on the bundle for generators that add what happened at each step. */
export interface CaseStep {
  from: CaseStatus;
  to: CaseStatus;
  at: Date;
  by: StaffMember;
  reason: string | null;
}

/** The documents of one case, by collection, plus what later generators need to know. */
export interface CaseBundle {
  kase: RawDoc;
  caseId: mongoose.Types.ObjectId;
  number: string;
  type: CaseType;
  confidential: boolean;
  receivedAt: Date;
  officer: StaffMember;
  steps: CaseStep[];
  docs: Map<string, RawDoc[]>;
  /** Timeline events, written to case_events; generators append theirs here. */
  events: RawDoc[];
}

interface KnownPerson {
  party: PartyDoc;
  unitCode: string;
}

/** State kept between cases: case numbers per year and recent filers who come back with a new matter. */
export class CaseSeries {
  private readonly yearSeq = new Map<number, number>();
  private readonly recent: KnownPerson[] = [];
  private replaced = 0;

  nextNumber(year: number): string {
    const seq = (this.yearSeq.get(year) ?? 0) + 1;
    this.yearSeq.set(year, seq);
    return formatCaseNumber(year, seq);
  }

  /** The last sequence number used per year (the app's counters continue from there). */
  counters(): Map<number, number> {
    return new Map(this.yearSeq);
  }

  remember(person: KnownPerson): void {
    if (this.recent.length < 3000) this.recent.push(person);
    else this.recent[this.replaced++ % 3000] = person;
  }

  repeatFiler(ctx: SeedContext): KnownPerson | null {
    return this.recent.length > 50 && ctx.rng.chance(0.1) ? ctx.rng.pick(this.recent) : null;
  }
}

const TYPE_WEIGHTS: [CaseType, number][] = [
  ['complaint', 0.36],
  ['petition', 0.3],
  ['feedback', 0.24],
  ['denunciation', 0.1],
];

function pickType(ctx: SeedContext): CaseType {
  let r = ctx.rng.next();
  for (const [type, w] of TYPE_WEIGHTS) if ((r -= w) < 0) return type;
  return 'complaint';
}

/** A working-hours instant on the index-th share of the span's working days. */
export function receiptInstant(ctx: SeedContext, index: number): Date {
  const days = ctx.workingDays;
  const day = days[Math.min(days.length - 1, Math.floor((index * days.length) / ctx.options.cases))]!;
  return new Date(day.getTime() + (7 * 60 + ctx.rng.int(0, 599)) * 60_000);
}

/** A later working-hours instant `days` calendar days on (weekends move to Monday), or null past the end. */
export function laterInstant(ctx: SeedContext, from: Date, days: number): Date | null {
  let at = new Date(from.getTime() + days * DAY);
  const weekday = new Date(at.getTime() + 7 * 3_600_000).getUTCDay();
  if (weekday === 6) at = new Date(at.getTime() + 2 * DAY);
  else if (weekday === 0) at = new Date(at.getTime() + DAY);
  return at <= ctx.end ? at : null;
}

/** The path a case takes through the state machine, by the outcome it is heading for. */
const PATHS: [CaseStatus[], number][] = [
  [['in-progress', 'forwarded', 'answered', 'closed'], 0.38],
  [['filed'], 0.12],
  [['returned'], 0.14],
  [['in-progress', 'forwarded', 'answered', 'supervising'], 0.04],
  [['in-progress', 'forwarded', 'answered', 'supervising', 'closed'], 0.05],
  [['in-progress', 'closed'], 0.07],
  [['closed'], 0.05],
  [['in-progress', 'forwarded'], 0.1],
  [['in-progress'], 0.05],
];

function pickPath(ctx: SeedContext): CaseStatus[] {
  let r = ctx.rng.next();
  for (const [path, w] of PATHS) if ((r -= w) < 0) return path;
  return [];
}

function newPerson(ctx: SeedContext, unitCode: string, at: Date, out: RawDoc[]): PartyDoc {
  const rng = ctx.rng;
  const invented = inventPerson(rng, ctx.endYear);
  const citizenId = rng.chance(0.78) ? inventCitizenId(rng, invented, ctx.citizenIds) : null;
  const _id = ctx.ids.next(at);
  out.push(personDoc({ _id, name: invented.name, nameFolded: foldVietnamese(invented.name), citizenId, phone: rng.chance(0.7) ? inventPhone(rng) : null, unitCode, street: inventAddress(rng), at }));
  return { personId: _id, role: 'filer', name: invented.name, citizenId, emailNotices: null };
}

/** How many visits a case gets: walk-in cases about 5.5 on average, cases opened by a letter fewer. */
function visitCount(ctx: SeedContext, byVisit: boolean): number {
  let n = byVisit ? 1 : 0;
  const p = byVisit ? 0.82 : 0.64;
  while (ctx.rng.chance(p) && n < 30) n++;
  return n;
}

export function generateCase(ctx: SeedContext, series: CaseSeries, index: number): CaseBundle {
  const rng = ctx.rng;
  const receivedAt = receiptInstant(ctx, index);
  const year = Number(new Date(receivedAt.getTime() + 7 * 3_600_000).toISOString().slice(0, 4));
  const number = series.nextNumber(year);
  const type = pickType(ctx);
  const confidential = isConfidentialType(type);
  const byVisit = rng.chance(0.6);
  const officer = rng.pick(ctx.officers);
  const openedAt = new Date(receivedAt.getTime() + rng.int(10, 40) * 60_000);
  const caseId = ctx.ids.next(openedAt);
  const people: RawDoc[] = [];
  const repeat = series.repeatFiler(ctx);
  const unitCode = repeat?.unitCode ?? rng.pick(ctx.communes);
  const fieldCode = rng.pick(ctx.fields);
  const summary = inventMatter(rng, type);
  // An anonymous letter opens a case with nobody named on it.
  const anonymous = !byVisit && type === 'denunciation' && rng.chance(0.35);
  const parties: PartyDoc[] = [];
  if (!anonymous) {
    const filer = repeat ? { ...repeat.party, role: 'filer' as const } : newPerson(ctx, unitCode, openedAt, people);
    if (!repeat) series.remember({ party: filer, unitCode });
    parties.push(filer);
    if (rng.chance(byVisit ? 0.22 : 0.06)) parties.push({ ...newPerson(ctx, unitCode, openedAt, people), role: !byVisit ? 'filer' : rng.chance(0.6) ? 'accompanying' : 'representative' });
  }
  const host = byVisit && rng.chance(0.15) ? rng.pick(ctx.hosts) : null;
  const bundle: CaseBundle = { kase: { _id: caseId }, caseId, number, type, confidential, receivedAt, officer, steps: [], docs: new Map([['people', people]]), events: [] };
  const event = (at: Date, actor: StaffMember, eventType: string, data: Record<string, unknown>) =>
    bundle.events.push(caseEventDoc({ _id: ctx.ids.next(at), caseId, at, actor, type: eventType, data }));
  event(openedAt, officer, 'case.opened', { number, type, source: byVisit ? 'visit' : 'letter' });

  // Visits: the first one opens a walk-in case; later ones come back weeks or months after.
  const receptions: RawDoc[] = [];
  // The same words as searchWords(number, ...names) gives each visit, worked out once per case.
  const numberWords = searchWords(number);
  const filerWords = parties[0] ? searchWords(number, parties[0].name) : numberWords;
  const visits = anonymous ? 0 : visitCount(ctx, byVisit);
  let visitAt: Date | null = byVisit ? receivedAt : laterInstant(ctx, receivedAt, rng.int(3, 40));
  for (let v = 0; v < visits && visitAt; v++) {
    const visitParties = v === 0 ? parties : parties.slice(0, 1);
    const peopleCount = v === 0 && rng.chance(0.06) ? rng.int(GROUP_VISIT_MIN_PEOPLE, 40) : Math.max(visitParties.length, rng.chance(0.15) ? 2 : 1);
    const createdAt = new Date(visitAt.getTime() + rng.int(15, 45) * 60_000);
    const receptionId = ctx.ids.next(createdAt);
    const by = v === 0 ? officer : rng.pick(ctx.officers);
    receptions.push(
      receptionDoc({
        _id: receptionId,
        receivedAt: visitAt,
        kind: host && v === 0 ? 'scheduled' : rng.pick(RECEPTION_KINDS.filter((k) => k !== 'scheduled')),
        receivedBy: by.id,
        host: host && v === 0 ? host.id : null,
        participants: visitParties.map((p) => ({ personId: p.personId, role: p.role, name: p.name })),
        peopleCount,
        isGroup: peopleCount >= GROUP_VISIT_MIN_PEOPLE,
        content: v === 0 ? summary : `${summary} (lần ${v + 1}, đề nghị sớm giải quyết)`,
        previouslyHandledBy: v > 0 || rng.chance(0.2) ? 'UBND xã' : null,
        outcome: rng.pick(RECEPTION_OUTCOMES.filter((o) => o !== 'refused')),
        caseId,
        caseNumber: number,
        confidential,
        searchTokens: confidential ? numberWords : visitParties.length === 1 && visitParties[0] === parties[0] ? filerWords : searchWords(number, ...visitParties.map((p) => p.name)),
        submissionKey: hexKey(() => rng.next()),
        createdAt,
      }),
    );
    if (v > 0 || !byVisit) event(createdAt, by, 'case.visit-added', { id: String(receptionId) });
    visitAt = laterInstant(ctx, visitAt, rng.int(7, 120));
  }
  bundle.docs.set('receptions', receptions);

  // Status moves, spaced out after receipt; a move that would fall after the end does not happen yet.
  let status: CaseStatus = 'received';
  let stepAt: Date | null = receivedAt;
  for (const to of pickPath(ctx)) {
    stepAt = laterInstant(ctx, stepAt, status === 'received' ? rng.int(1, 12) : rng.int(8, 75));
    if (!stepAt) break;
    const reason = (status === 'received' || status === 'in-progress') && to === 'closed' ? rng.pick(CLOSING_REASONS) : null;
    bundle.steps.push({ from: status, to, at: stepAt, by: rng.chance(0.85) ? officer : rng.pick(ctx.officers), reason });
    status = to;
  }
  // Letters, and the assessment that makes the first move when the case began with one.
  const letters = seedLetters(ctx, bundle, { parties, anonymous, byVisit, summary, unitCode, fieldCode, openedAt, event });
  bundle.docs.set('letters', letters.docs);
  for (const step of bundle.steps) event(step.at, step.by, 'case.status-changed', { from: step.from, to: step.to, reason: step.reason });

  const submissionKey = byVisit ? null : `letter:${letters.firstKey}`;
  const lastAt = bundle.events.reduce((max, e) => (e.at as Date) > max ? (e.at as Date) : max, openedAt);
  bundle.kase = caseDoc({
    _id: caseId,
    number,
    year,
    type,
    confidential,
    fieldCode,
    unitCode,
    summary,
    ...tokensFor({ number, summary, confidential, parties }),
    parties,
    status,
    assignedTo: officer.id,
    followers: host ? [host.id] : [],
    receivedAt,
    visitCount: receptions.length,
    letterCount: letters.docs.length,
    handlingDeadline: ctx.handlingDeadline(receivedAt),
    createdBy: officer.id,
    submissionKey,
    createdAt: openedAt,
    updatedAt: lastAt,
  });
  // The timeline is put in time order once the other generators have added their events (run.ts).
  return bundle;
}
