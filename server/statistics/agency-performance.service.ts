// How each agency answered the forwardings sent to it in a period, for the agency performance page and
// its export. Figures only: no matter or citizen is named.
import { z } from 'zod';
import { assertCan, type Actor } from '../access/index.js';
import { vietnamDateOf } from '../calendar/index.js';
import type { ServiceContext } from '../platform/context.js';
import { AGENCY_SORT_KEYS, defaultDirection, performanceRow, sortAgencyRows, totalRow, type AgencyPerformanceRow, type AgencySortKey, type SortDirection } from './agency-performance.rules.js';
import type { Period } from './period.rules.js';
import type { PeriodRequest } from './statistics.schemas.js';
import { periodTallies } from './period-figures.js';
import { resolvePeriod } from './statistics.service.js';

/** The order of the table, from the query string; anything else falls back to the default order. */
export const agencySortSchema = z.object({
  sort: z.enum(AGENCY_SORT_KEYS).optional().catch(undefined),
  dir: z.enum(['asc', 'desc']).optional().catch(undefined),
});

export interface AgencySort {
  key: AgencySortKey;
  dir: SortDirection;
}

/** Most forwardings first, unless the query asks for another column or direction. */
export function parseAgencySort(query: unknown): AgencySort {
  const parsed = agencySortSchema.parse(typeof query === 'object' && query !== null ? query : {});
  const key = parsed.sort ?? 'forwarded';
  return { key, dir: parsed.dir ?? defaultDirection(key) };
}

export interface AgencyPerformance {
  period: Period;
  rows: AgencyPerformanceRow[];
  total: AgencyPerformanceRow;
  sort: AgencySort;
  at: Date;
}

export async function computeAgencyPerformance(actor: Actor, request: PeriodRequest, sort: AgencySort, totalLabel: string, ctx: ServiceContext): Promise<AgencyPerformance> {
  assertCan(actor, 'reports:read');
  const now = ctx.clock.now();
  const period = await resolvePeriod(request, vietnamDateOf(now));
  const { tallies, at } = await periodTallies(period, now);
  return { period, rows: sortAgencyRows(tallies.map(performanceRow), sort.key, sort.dir), total: totalRow(tallies, totalLabel), sort, at };
}
