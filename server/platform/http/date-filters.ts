// The date boxes of the list filters. A list is still shown when a date cannot be read (31/02, "hôm
// qua"): that date is simply not applied. But the page must say so next to the box and keep what was
// typed — an empty box and an unfiltered list would let the officer believe the filter worked.
import { parseDateInput } from '../../calendar/index.js';

/** The list schemas read at most this many characters of a date box. */
const LONGEST_DATE = 20;

/** For each named query parameter typed but not a readable date: the text as typed (at most 20 characters). */
export function unreadableDates(query: unknown, names: readonly string[] = ['from', 'to']): Record<string, string> {
  const found: Record<string, string> = {};
  if (typeof query !== 'object' || query === null) return found;
  for (const name of names) {
    const value = (query as Record<string, unknown>)[name];
    if (typeof value !== 'string') continue;
    const typed = value.trim();
    if (typed && (typed.length > LONGEST_DATE || parseDateInput(typed) === null)) found[name] = typed.slice(0, LONGEST_DATE);
  }
  return found;
}
