// The admin form of the reminder policy. Messages are i18n keys; every value is checked against the
// bounds the rules accept, so a saved policy can always be applied.
import { z } from 'zod';
import { cleanText } from '../platform/text.js';
import { POLICY_LIMITS, TIME_OF_DAY } from './reminders.rules.js';

const wholeNumber = (limits: { min: number; max: number }, message: string) =>
  z
    .string({ error: 'errors.required' })
    .max(20, message)
    .transform((v) => cleanText(v))
    .pipe(z.string().min(1, 'errors.required').regex(/^\d{1,3}$/, message))
    .transform(Number)
    .pipe(z.number().min(limits.min, message).max(limits.max, message));

/** A ticked checkbox sends 'yes'; an unticked one sends nothing. */
const checkbox = z
  .union([z.literal('yes'), z.array(z.literal('yes'))], { error: 'errors.invalid' })
  .optional()
  .transform((v) => v !== undefined);

export const policyFormSchema = z.object({
  daysBefore: wholeNumber(POLICY_LIMITS.daysBefore, 'reminders.errors.daysBefore'),
  onDueDay: checkbox,
  everyOverdue: wholeNumber(POLICY_LIMITS.everyOverdue, 'reminders.errors.everyOverdue'),
  escalateAfter: wholeNumber(POLICY_LIMITS.escalateAfter, 'reminders.errors.escalateAfter'),
  digestEnabled: checkbox,
  digestTime: z
    .string({ error: 'errors.required' })
    .max(20, 'reminders.errors.digestTime')
    .transform((v) => cleanText(v).replace(/[.hH]/, ':').replace(/^(\d):/, '0$1:')) // '7h30', '7.30' and '7:30' mean 07:30
    .pipe(z.string().min(1, 'errors.required').regex(TIME_OF_DAY, 'reminders.errors.digestTime')),
  citizenNotices: checkbox,
});
export type PolicyInput = z.infer<typeof policyFormSchema>;
