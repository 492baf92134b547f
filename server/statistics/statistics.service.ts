// The statistics of a period, for the page and the periodic report. Only figures leave here: no
// citizen is named, so a denunciation's filer cannot be exposed by a report.
import mongoose, { trusted } from 'mongoose';
import { assertCan, type Actor } from '../access/index.js';
import { vietnamDateOf } from '../calendar/index.js';
import { ReferenceNames } from '../exports/index.js';
import type { ServiceContext } from '../platform/context.js';
import { ValidationError } from '../platform/errors.js';
import { lastClosedSession, type PetitionPeriodFigures } from '../meetings/index.js';
import { UserModel } from '../users/index.js';
import type { Figures } from './figures.queries.js';
import { performanceRow, sortAgencyRows, totalRow, type AgencyPerformanceRow } from './agency-performance.rules.js';
import type { ForwardingBreakdowns } from './forwarding-figures.queries.js';
import { periodFigures, type PeriodFigures } from './period-figures.js';
import { bucketKeys, sinceSessionPeriod, type Period } from './period.rules.js';
import type { PeriodRequest } from './statistics.schemas.js';

/**
 * "Since the last session": from the day after the last session closed (before today) to today. The
 * office serves both the National Assembly delegation and the People's Council, whose sessions fall
 * on different dates and who each receive its reports, so the reader may choose the body; left empty,
 * the session that closed last, of either body, is used. The period's name says which session it was.
 */
export async function resolvePeriod(request: PeriodRequest, today: string): Promise<Period> {
  if (request.kind === 'fixed') return request.period;
  const session = await lastClosedSession(today, request.body);
  if (!session) throw new ValidationError(request.body ? { body: `statistics.errors.noBodySession.${request.body}` } : { period: 'statistics.errors.noSession' });
  return sinceSessionPeriod(session, today);
}

export interface Statistics {
  period: Period;
  figures: Figures;
  /** Display names for the codes and ids in the breakdowns. */
  names: { field(code: string | null): string; unit(code: string | null): string; host(id: string | null): string | null };
  /** When the figures were computed (up to STATISTICS_CACHE_SECONDS before the request). */
  at: Date;
  /**
   * Forwardings sent in the period and how the agencies answered them ("overdue" judged at `at`); by
   * agency, and by the type, field and commune of the matter forwarded.
   */
  forwardings: { total: AgencyPerformanceRow; byAgency: AgencyPerformanceRow[] } & ForwardingBreakdowns;
  /** Voter petitions raised at the meetings held in the period. */
  petitions: PetitionPeriodFigures;
}

async function staffNames(ids: readonly (string | null)[]): Promise<Map<string, string>> {
  const wanted = ids.filter((id): id is string => !!id && mongoose.isValidObjectId(id));
  if (wanted.length === 0) return new Map();
  const users = await UserModel.find({ _id: trusted({ $in: wanted.map((id) => new mongoose.Types.ObjectId(id)) }) }, { name: 1 }).lean<{ _id: mongoose.Types.ObjectId; name: string }[]>();
  return new Map(users.map((u) => [String(u._id), u.name]));
}

/**
 * The statistics assembled from one computation of a period's figures, by language and period: while
 * the figures are shared (STATISTICS_CACHE_SECONDS), so is what is built from them — the names of the
 * fields, communes and hosts and the agencies' rows — instead of three more queries per reader. Keyed
 * by the figures themselves, so a new computation starts afresh.
 */
const assembled = new WeakMap<PeriodFigures, Map<string, Promise<Statistics>>>();

export async function computeStatistics(actor: Actor, request: PeriodRequest, lang: 'vi' | 'en', ctx: ServiceContext): Promise<Statistics> {
  assertCan(actor, 'reports:read');
  const now = ctx.clock.now();
  const period = await resolvePeriod(request, vietnamDateOf(now));
  const raw = await periodFigures(period, now, actor);
  let built = assembled.get(raw);
  if (!built) assembled.set(raw, (built = new Map<string, Promise<Statistics>>()));
  const key = `${lang}|${JSON.stringify(period)}`;
  let statistics = built.get(key);
  if (!statistics) {
    const promise = assemble(period, raw, lang);
    built.set(key, promise);
    promise.catch(() => built.delete(key));
    statistics = promise;
  }
  return statistics;
}

async function assemble(period: Period, raw: PeriodFigures, lang: 'vi' | 'en'): Promise<Statistics> {
  const { reception, letters, cases, tallies, breakdowns, petitions, at } = raw;
  const series = bucketKeys(period).map((key) => ({
    key,
    visits: reception.series.get(key) ?? 0,
    letters: letters.series.get(key) ?? 0,
    cases: cases.series.get(key) ?? 0,
  }));
  const figures: Figures = { reception: { totals: reception.totals, ...reception.breakdowns }, letters: letters.letters, cases: cases.cases, series };

  const refs = new ReferenceNames(lang);
  const b = figures.reception;
  await refs.learn(
    [...b.byField, ...figures.letters.byField, ...figures.cases.byField, ...breakdowns.byField, ...petitions.byField].map((r) => r.key),
    [...b.byUnit, ...figures.letters.byUnit, ...figures.cases.byUnit, ...breakdowns.byUnit, ...petitions.byUnit].map((r) => r.key),
  );
  const hosts = await staffNames(b.byHost.map((r) => r.key));
  return {
    period,
    figures,
    names: { field: (code) => refs.field(code), unit: (code) => refs.unit(code), host: (id) => (id ? (hosts.get(id) ?? null) : null) },
    at,
    forwardings: { total: totalRow(tallies, ''), byAgency: sortAgencyRows(tallies.map(performanceRow), 'forwarded', 'desc'), ...breakdowns },
    petitions,
  };
}
