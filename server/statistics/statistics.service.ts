// The statistics of a period, for the page and the periodic report. Only figures leave here: no
// citizen is named, so a denunciation's filer cannot be exposed by a report.
import mongoose, { trusted } from 'mongoose';
import { assertCan, type Actor } from '../access/index.js';
import { vietnamDateOf } from '../calendar/index.js';
import { ReferenceNames } from '../exports/index.js';
import type { ServiceContext } from '../platform/context.js';
import { ValidationError } from '../platform/errors.js';
import { UserModel } from '../users/index.js';
import { caseFigures, letterFigures, receptionFigures, type Figures } from './figures.queries.js';
import { agencyTallies } from './agency-performance.queries.js';
import { performanceRow, sortAgencyRows, totalRow, type AgencyPerformanceRow } from './agency-performance.rules.js';
import { bucketKeys, sinceSessionPeriod, type Period } from './period.rules.js';
import type { PeriodRequest } from './statistics.schemas.js';

/**
 * HOOK for "since the last session": the voter-meeting/session module registers a function giving the
 * closing day ('YYYY-MM-DD', Vietnam) of the last session that closed on or before `today`. Until then
 * the period is refused with a clear message.
 */
export type LastSessionClosingDay = (today: string) => Promise<string | null>;
let lastSessionClosingDay: LastSessionClosingDay | null = null;

export function provideLastSessionClosingDay(provider: LastSessionClosingDay | null): void {
  lastSessionClosingDay = provider;
}

export async function resolvePeriod(request: PeriodRequest, today: string): Promise<Period> {
  if (request.kind === 'fixed') return request.period;
  const closed = lastSessionClosingDay ? await lastSessionClosingDay(today) : null;
  if (!closed) throw new ValidationError({ period: 'statistics.errors.noSession' });
  return sinceSessionPeriod(closed, today);
}

export interface Statistics {
  period: Period;
  figures: Figures;
  /** Display names for the codes and ids in the breakdowns. */
  names: { field(code: string | null): string; unit(code: string | null): string; host(id: string | null): string | null };
  /** When the figures were computed. */
  at: Date;
  /** Forwardings sent in the period and how the agencies answered them ("overdue" judged at `at`). */
  forwardings: { total: AgencyPerformanceRow; byAgency: AgencyPerformanceRow[] };
}

async function staffNames(ids: readonly (string | null)[]): Promise<Map<string, string>> {
  const wanted = ids.filter((id): id is string => !!id && mongoose.isValidObjectId(id));
  if (wanted.length === 0) return new Map();
  const users = await UserModel.find({ _id: trusted({ $in: wanted.map((id) => new mongoose.Types.ObjectId(id)) }) }, { name: 1 }).lean<{ _id: mongoose.Types.ObjectId; name: string }[]>();
  return new Map(users.map((u) => [String(u._id), u.name]));
}

export async function computeStatistics(actor: Actor, request: PeriodRequest, lang: 'vi' | 'en', ctx: ServiceContext): Promise<Statistics> {
  assertCan(actor, 'reports:read');
  const now = ctx.clock.now();
  const period = await resolvePeriod(request, vietnamDateOf(now));
  const [reception, letters, cases, tallies] = await Promise.all([receptionFigures(period), letterFigures(period), caseFigures(period), agencyTallies(period, now)]);
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
    [...b.byField, ...figures.letters.byField, ...figures.cases.byField].map((r) => r.key),
    [...b.byUnit, ...figures.cases.byUnit].map((r) => r.key),
  );
  const hosts = await staffNames(b.byHost.map((r) => r.key));
  return {
    period,
    figures,
    names: { field: (code) => refs.field(code), unit: (code) => refs.unit(code), host: (id) => (id ? (hosts.get(id) ?? null) : null) },
    at: now,
    forwardings: { total: totalRow(tallies, ''), byAgency: sortAgencyRows(tallies.map(performanceRow), 'forwarded', 'desc') },
  };
}
