// The seeder's command line: `npm run seed -- --cases N --seed S [--until YYYY-MM-DD] [--years Y] [--reset] [--meetings false]`.
// Pure, so it is tested without a database.

export interface SeedOptions {
  cases: number;
  seed: number;
  /** The last day of the data set (Vietnam date); the data set is the same for the same seed, cases and until. */
  until: string;
  years: number;
  reset: boolean;
  /** Documents per insertMany. */
  batchSize: number;
  /** Voter meetings, petitions and their forwardings too (`--meetings false` leaves them out). */
  meetings: boolean;
}

export class SeedArgumentError extends Error {}

function wholeNumber(value: string | undefined, name: string, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value.replace(/_/g, ''));
  if (!Number.isInteger(n) || n < min || n > max) throw new SeedArgumentError(`--${name} must be a whole number from ${min} to ${max}, got '${value}'`);
  return n;
}

function yesNo(value: string | undefined, name: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (value === 'true' || value === 'false') return value === 'true';
  throw new SeedArgumentError(`--${name} must be true or false, got '${value}'`);
}

/** Today's date in Vietnam, 'YYYY-MM-DD'. */
export function vietnamToday(now: Date): string {
  return new Date(now.getTime() + 7 * 3_600_000).toISOString().slice(0, 10);
}

export function parseSeedOptions(args: Record<string, string>, now: Date): SeedOptions {
  const until = args.until ?? vietnamToday(now);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(until) || Number.isNaN(Date.parse(`${until}T00:00:00Z`))) throw new SeedArgumentError(`--until must be a date YYYY-MM-DD, got '${until}'`);
  return {
    cases: wholeNumber(args.cases, 'cases', 1, 5_000_000, 1000),
    seed: wholeNumber(args.seed, 'seed', 0, 2 ** 32 - 1, 1),
    until,
    years: wholeNumber(args.years, 'years', 1, 30, 10),
    reset: args.reset === 'true',
    batchSize: wholeNumber(args.batch, 'batch', 100, 50_000, 2000),
    meetings: yesNo(args.meetings, 'meetings', true),
  };
}
