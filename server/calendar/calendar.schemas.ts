// Inputs of the calendar pages. Messages are i18n keys; the inferred types are the services' inputs.
import { z } from 'zod';
import { cleanText } from '../platform/text.js';
import { requiredText, textOrEmpty } from '../platform/http/form-fields.js';
import { SPECIAL_DAY_KINDS } from './calendar-day.model.js';
import { parseDateInput } from './working-days.rules.js';

/** dd/mm/yyyy (or yyyy-mm-dd) → 'YYYY-MM-DD'. */
export const dateField = z
  .string()
  .max(20, 'calendar.errors.date')
  .transform((v, ctx) => {
    if (cleanText(v) === '') {
      ctx.addIssue({ code: 'custom', message: 'errors.required' });
      return z.NEVER;
    }
    const iso = parseDateInput(cleanText(v));
    if (!iso) {
      ctx.addIssue({ code: 'custom', message: 'calendar.errors.date' });
      return z.NEVER;
    }
    return iso;
  });

export const specialDaySchema = z.object({
  date: dateField,
  kind: z.enum(SPECIAL_DAY_KINDS, { error: 'calendar.errors.kind' }),
  name: requiredText(200),
  basis: textOrEmpty(300),
});
export type SpecialDayInput = z.infer<typeof specialDaySchema>;

export const MIN_YEAR = 2000;
export const MAX_YEAR = 2100;

export function calendarYearQuery(defaultYear: number) {
  return z.object({
    year: z.coerce.number().int().min(MIN_YEAR).max(MAX_YEAR).catch(defaultYear),
  });
}
