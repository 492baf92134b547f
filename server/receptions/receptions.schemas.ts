// The walk-in form: the visit, the people present, and the case it belongs to, in one submission.
import { z } from 'zod';
import { CASE_TYPES, NOTICE_ANSWERS, consentAtIntake, isConfidentialType } from '../cases/index.js';
import { citizenIdField, emailField, phoneField } from '../people/index.js';
import { optionalText, recordChoice, requiredText } from '../platform/http/form-fields.js';
import { cleanText } from '../platform/text.js';
import { RECEPTION_KINDS, RECEPTION_OUTCOMES } from './reception.model.js';

/** dd/mm/yyyy and HH:mm as typed at the desk, read as Vietnam time. */
const dateField = z
  .string()
  .transform(cleanText)
  .pipe(z.string().regex(/^\d{1,2}\/\d{1,2}\/\d{4}$/, 'receptions.errors.date'))
  // A day that does not exist (31/02) is reported with the other field errors, not after them.
  .refine((v) => vietnamInstant(v, '00:00') !== null, 'receptions.errors.date');
const timeField = z
  .string()
  .transform(cleanText)
  .pipe(z.string().regex(/^([01]?\d|2[0-3]):[0-5]\d$/, 'receptions.errors.time'));

export function vietnamInstant(date: string, time: string): Date | null {
  const [d, m, y] = date.split('/').map(Number) as [number, number, number];
  const [hh, mm] = time.split(':').map(Number) as [number, number];
  if (m < 1 || m > 12 || d < 1 || d > 31 || hh > 23 || mm > 59) return null;
  const iso = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}T${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')}:00+07:00`;
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return null;
  // 31/02 would roll over to March: refuse rather than guess. Vietnam is UTC+7 all year.
  const local = new Date(at.getTime() + 7 * 3_600_000);
  return local.getUTCDate() === d && local.getUTCMonth() + 1 === m && local.getUTCFullYear() === y ? at : null;
}

const extraRole = z
  .enum(['representative', 'accompanying'], { error: 'errors.invalid' })
  .optional()
  .transform((v) => v ?? 'accompanying');

export const walkInSchema = z
  .object({
    submissionKey: z.string().regex(/^[a-f0-9]{32}$/, 'errors.invalid'),
    date: dateField,
    time: timeField,
    kind: z.enum(RECEPTION_KINDS, { error: 'receptions.errors.kind' }),
    host: z
      .string()
      .regex(/^([a-f0-9]{24})?$/, 'errors.invalid')
      .optional()
      .transform((v) => v || null),
    name: requiredText(120),
    citizenId: citizenIdField,
    phone: phoneField,
    email: emailField,
    // Radios, not a checkbox: a checkbox cannot tell "declined" from "never asked", and a denouncer
    // must have been asked (notice-consent.rules.ts). Anything but 'yes' or 'no' is refused.
    notices: z.enum(NOTICE_ANSWERS, { error: 'errors.invalid' }).optional(),
    unitCode: optionalText(50),
    street: optionalText(200),
    // Up to two more people by name (a representative, someone accompanying); the form is flat because
    // bodies are parsed without nesting.
    extra1Name: optionalText(120),
    extra1CitizenId: citizenIdField,
    extra1Role: extraRole,
    extra2Name: optionalText(120),
    extra2CitizenId: citizenIdField,
    extra2Role: extraRole,
    peopleCount: z.coerce.number({ error: 'receptions.errors.peopleCount' }).int('receptions.errors.peopleCount').min(1, 'receptions.errors.peopleCount').max(10_000, 'receptions.errors.peopleCount'),
    // 'auto' asks the app to look for the same person by name in the commune when no CCCD is given;
    // 'new' or a person's id is the officer's answer.
    personChoice: recordChoice(),
    caseChoice: recordChoice(),
    type: z.enum(CASE_TYPES, { error: 'receptions.errors.type' }),
    fieldCode: optionalText(50),
    content: requiredText(5000),
    previouslyHandledBy: optionalText(300),
    outcome: z.enum(RECEPTION_OUTCOMES, { error: 'receptions.errors.outcome' }),
    notes: optionalText(2000),
  })
  .transform((v, ctx) => {
    const receivedAt = vietnamInstant(v.date, v.time);
    if (!receivedAt) ctx.addIssue({ code: 'custom', path: ['date'], message: 'receptions.errors.date' });
    const consent = consentAtIntake({ confidential: isConfidentialType(v.type), answer: v.notices, emailGiven: v.email !== null });
    if (!consent.ok) ctx.addIssue({ code: 'custom', path: ['notices'], message: 'reminders.consent.askDenouncer' });
    if (!receivedAt || !consent.ok) return z.NEVER;
    return { ...v, receivedAt, emailNotices: consent.emailNotices };
  });
export type WalkInInput = z.infer<typeof walkInSchema>;
