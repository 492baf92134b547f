// The date boxes of the list filters. A list is still shown when a date cannot be read (31/02, "hôm
// qua"): that date is simply not applied. But the page must say so next to the box and keep what was
// typed — an empty box and an unfiltered list would let the officer believe the filter worked.
import { parseDateInput } from '../../calendar/index.js';

/** The list schemas read at most this many characters of a date box. */
const LONGEST_DATE = 20;

export interface UnreadDates {
  /** Each date box typed but not readable: the text as typed (at most 20 characters), to show again. */
  typed: Record<string, string>;
  /** The same boxes' message keys, in the shape `errorFor` reads. */
  errors: Record<string, string>;
}

/** The named query parameters that were typed but are not readable dates. */
export function unreadableDates(query: unknown, names: readonly string[] = ['from', 'to']): UnreadDates {
  const found: UnreadDates = { typed: {}, errors: {} };
  if (typeof query !== 'object' || query === null) return found;
  for (const name of names) {
    const value = (query as Record<string, unknown>)[name];
    if (typeof value !== 'string') continue;
    const typed = value.trim();
    if (typed && (typed.length > LONGEST_DATE || parseDateInput(typed) === null)) {
      found.typed[name] = typed.slice(0, LONGEST_DATE);
      found.errors[name] = 'app.dateNotApplied';
    }
  }
  return found;
}
