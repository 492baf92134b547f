// The data every installation starts with: reference lists, the calendar, deadline rules, sample
// agencies. Each seed only adds what is missing and never overwrites administrators' edits. Several
// instances starting together on an empty database race on the unique keys; the loser retries and
// then finds the winner's rows.
import { seedAgencies } from './agencies/index.js';
import { seedCalendar } from './calendar/index.js';
import { seedDeadlineRules } from './deadlines/index.js';
import type { Clock } from './platform/clock.js';
import { isDuplicateKeyError } from './platform/errors.js';
import { seedReferenceData } from './reference/index.js';

async function retryOnDuplicate<T>(seed: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await seed();
    } catch (err) {
      const duplicate = isDuplicateKeyError(err) || (err as { writeErrors?: { code?: number }[] }).writeErrors?.some((e) => e.code === 11000);
      if (!duplicate || attempt >= attempts) throw err;
    }
  }
}

export async function seedBaseData(clock: Clock): Promise<void> {
  await retryOnDuplicate(() => seedReferenceData(clock));
  await retryOnDuplicate(() => seedCalendar(clock));
  await retryOnDuplicate(() => seedDeadlineRules(clock));
  await retryOnDuplicate(() => seedAgencies(clock));
}
