// The forms an agency fills in through its link: confirming receipt, asking for more time, and the
// answer. Flat fields (bodies are parsed without nesting); messages are i18n keys. Checks that need
// the forwarding or today's date (dates in range, which matters, what an outcome requires) are in
// agency.rules.ts, applied by the service.
import { z } from 'zod';
import { parseDateInput, type IsoDate } from '../calendar/index.js';
import { optionalText, requiredText, textOrEmpty } from '../platform/http/form-fields.js';
import { cleanText } from '../platform/text.js';
import { ANSWER_OUTCOMES } from './forwarding.rules.js';

export const MAX_EXTENSION_DAYS = 90;
export const MAX_ANSWER_TEXT = 20_000;
export const MAX_EXTENSION_REASON = 2000;

/** dd/mm/yyyy (as printed on an official document) → 'YYYY-MM-DD'; empty → null. */
const optionalDate = (message: string) =>
  z
    .string()
    .max(40, message)
    .optional()
    .transform((v) => cleanText(v ?? ''))
    .pipe(z.string().refine((v) => v === '' || parseDateInput(v) !== null, message))
    .transform((v): IsoDate | null => (v === '' ? null : parseDateInput(v)));

const requiredDate = (missing: string, message: string) =>
  z
    .string({ error: missing })
    .max(40, message)
    .transform((v) => cleanText(v))
    .pipe(z.string().min(1, missing).refine((v) => parseDateInput(v) !== null, message))
    .transform((v): IsoDate => parseDateInput(v)!);

export const confirmSchema = z.object({
  confirmerName: textOrEmpty(120),
});
export type ConfirmInput = z.infer<typeof confirmSchema>;

export const extensionSchema = z.object({
  days: z
    .string({ error: 'agency.errors.daysRange' })
    .transform((v) => cleanText(v))
    .pipe(z.string().regex(/^\d{1,3}$/, 'agency.errors.daysRange'))
    .transform(Number)
    .pipe(z.number().int().min(1, 'agency.errors.daysRange').max(MAX_EXTENSION_DAYS, 'agency.errors.daysRange')),
  reason: requiredText(MAX_EXTENSION_REASON),
  requesterName: requiredText(120),
});
export type ExtensionInput = z.infer<typeof extensionSchema>;

/** Ticked matters arrive as one string or several; each is the matter's position on the page (1, 2…). */
const matterPositions = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]))
  .pipe(z.array(z.string().regex(/^\d{1,3}$/, 'agency.errors.matterUnknown')).max(200, 'agency.errors.matterUnknown'))
  .transform((list) => [...new Set(list.map(Number))]);

export const answerSchema = z.object({
  submissionKey: z.string({ error: 'errors.invalid' }).regex(/^[a-f0-9]{32}$/, 'errors.invalid'),
  responderName: requiredText(120),
  responderPosition: requiredText(200),
  documentNumber: requiredText(60),
  documentDate: requiredDate('agency.errors.documentDateRequired', 'agency.errors.dateFormat'),
  outcome: z.enum(ANSWER_OUTCOMES, { error: 'agency.errors.outcome' }),
  expectedDate: optionalDate('agency.errors.dateFormat'),
  competentAgency: optionalText(300),
  text: requiredText(MAX_ANSWER_TEXT),
  matters: matterPositions,
});
export type AnswerInput = z.infer<typeof answerSchema>;
