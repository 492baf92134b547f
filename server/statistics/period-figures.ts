// A period's figures, computed once and shared for STATISTICS_CACHE_SECONDS (server/platform/cache.ts):
// every reader of the same period — ten leaders opening this month's statistics, the page then its
// report and PDF — gets the one computation, started by the first of them, and the pages say when it
// was made. Writing a visit, letter, case, forwarding, meeting, petition or agency through this process
// drops them at once (the models' invalidateOnWrite); another instance's writes show within the time.
// What is cached is figures only, the same for every reader allowed to see them: the services check
// the permission before asking.
import type { Actor } from '../access/index.js';
import { petitionFiguresOf, type PetitionPeriodFigures } from '../meetings/index.js';
import { referenceCache } from '../platform/cache.js';
import type { AgencyTally } from './agency-performance.rules.js';
import { agencyTallies } from './agency-performance.queries.js';
import { caseFigures, letterFigures, receptionFigures } from './figures.queries.js';
import { forwardingBreakdowns, type ForwardingBreakdowns } from './forwarding-figures.queries.js';
import type { Period } from './period.rules.js';

const READS = ['receptions', 'letters', 'cases', 'forwardings', 'voter_meetings', 'voter_petitions', 'agencies'] as const;

export interface PeriodFigures {
  reception: Awaited<ReturnType<typeof receptionFigures>>;
  letters: Awaited<ReturnType<typeof letterFigures>>;
  cases: Awaited<ReturnType<typeof caseFigures>>;
  tallies: AgencyTally[];
  breakdowns: ForwardingBreakdowns;
  petitions: PetitionPeriodFigures;
  /** The instant the figures were computed at ("overdue" is judged then). */
  at: Date;
}

/** The same period is the same range and the same buckets, whatever it is called. */
const periodKey = (period: Period): string => `${period.start.toISOString()}|${period.end.toISOString()}|${period.bucket}`;

const SHARED = { key: periodKey, kind: 'figures', asOf: (_period: Period, now: Date) => now } as const;

/** The per-agency tallies, shared by the agency performance page and the statistics page. */
const tallies = referenceCache(READS, async (period: Period, now: Date): Promise<{ tallies: AgencyTally[]; at: Date }> => ({ tallies: await agencyTallies(period, now), at: now }), SHARED);

const figures = referenceCache(
  READS,
  async (period: Period, now: Date, reader: Actor): Promise<PeriodFigures> => {
    const [reception, letters, cases, agencies, breakdowns, petitions] = await Promise.all([
      receptionFigures(period),
      letterFigures(period),
      caseFigures(period),
      tallies.get(period, now),
      forwardingBreakdowns(period, now),
      petitionFiguresOf(reader, period),
    ]);
    // The tallies may have been computed a little earlier (for the agency page): the figures are as
    // of the earlier instant.
    return { reception, letters, cases, tallies: agencies.tallies, breakdowns, petitions, at: agencies.at < now ? agencies.at : now };
  },
  SHARED,
);

/** Everything the statistics page and the report show for a period; `reader` must hold reports:read. */
export function periodFigures(period: Period, now: Date, reader: Actor): Promise<PeriodFigures> {
  return figures.get(period, now, reader);
}

/** The per-agency tallies of the agency performance page. */
export function periodTallies(period: Period, now: Date): Promise<{ tallies: AgencyTally[]; at: Date }> {
  return tallies.get(period, now);
}
