// Inputs of the office's forwarding pages. Messages are i18n keys.
import { z } from 'zod';
import { parseDateInput } from '../calendar/index.js';
import { optionalText, requiredText, textOrEmpty } from '../platform/http/form-fields.js';
import { cleanText } from '../platform/text.js';
import { ITEM_VERDICTS, UNSATISFIED_NEXT_STEPS } from './forwarding.rules.js';

const OBJECT_ID = /^[a-f0-9]{24}$/i;

/** Checkboxes and repeated query parameters: absent, one value or several → distinct values. */
const idList = (message: string) =>
  z
    .union([z.string(), z.array(z.string())], { error: message })
    .optional()
    .transform((v) => [...new Set(v === undefined ? [] : Array.isArray(v) ? v : [v])])
    .pipe(z.array(z.string().regex(OBJECT_ID, message)).max(200, 'errors.tooLong'));

export const newForwardingQuerySchema = z.object({ case: idList('forwarding.errors.itemUnknown') });

export const draftSchema = z.object({
  caseIds: idList('forwarding.errors.itemUnknown').pipe(z.array(z.string()).min(1, 'forwarding.errors.noItems')),
  agencyIds: idList('forwarding.errors.agencyUnknown').pipe(z.array(z.string()).min(1, 'forwarding.errors.noAgency')),
  sharedAttachmentIds: idList('forwarding.errors.fileNotShareable'),
  request: textOrEmpty(4000),
  internalNote: textOrEmpty(4000),
  submissionKey: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, 'errors.invalid'),
});

export const noteSchema = z.object({ note: textOrEmpty(2000) });
export const returnSchema = z.object({ note: requiredText(2000) });
export const reasonSchema = z.object({ reason: requiredText(2000) });
export const resubmitSchema = z.object({ request: textOrEmpty(4000) });
export const chaseSchema = z.object({ message: textOrEmpty(4000) });

/** A one-time key put in a form when it is shown; the same key sent twice is the same submission. */
const submissionKeyField = z.string({ error: 'errors.invalid' }).regex(/^[A-Za-z0-9_-]{16,64}$/, 'errors.invalid');

/** dd/mm/yyyy (or yyyy-mm-dd) → 'YYYY-MM-DD'; impossible dates such as 31/02 are refused. */
const dateField = z
  .string({ error: 'errors.required' })
  .max(40, 'forwarding.errors.date')
  .transform(cleanText)
  .pipe(z.string().min(1, 'errors.required'))
  .transform((v, ctx) => {
    const iso = parseDateInput(v);
    if (!iso) {
      ctx.addIssue({ code: 'custom', message: 'forwarding.errors.date' });
      return z.NEVER;
    }
    return iso;
  });

const optionalDateField = z
  .string()
  .max(40, 'forwarding.errors.date')
  .optional()
  .transform((v) => cleanText(v ?? ''))
  .transform((v, ctx) => {
    if (v === '') return null;
    const iso = parseDateInput(v);
    if (!iso) {
      ctx.addIssue({ code: 'custom', message: 'forwarding.errors.date' });
      return z.NEVER;
    }
    return iso;
  });

/** Days of an extension: a whole number from 1 to 365, as typed (no signs, decimals or exponents). */
const extensionDays = z
  .string({ error: 'errors.required' })
  .max(20, 'forwarding.errors.days')
  .transform(cleanText)
  .pipe(z.string().min(1, 'errors.required').regex(/^\d{1,3}$/, 'forwarding.errors.days'))
  .transform(Number)
  .pipe(z.number().int().min(1, 'forwarding.errors.days').max(365, 'forwarding.errors.days'));

const DOCUMENT_NUMBER_MAX = 100;

export const extensionDecisionSchema = z
  .object({
    decision: z.enum(['granted', 'refused'], { error: 'forwarding.errors.decision' }),
    days: z
      .string()
      .optional()
      .transform((v) => (v && v.trim() ? Number(v.trim()) : null))
      .pipe(z.number().int('forwarding.errors.days').min(1, 'forwarding.errors.days').max(365, 'forwarding.errors.days').nullable()),
    note: textOrEmpty(2000),
    decisionDocNumber: optionalText(DOCUMENT_NUMBER_MAX),
    decisionDocDate: optionalDateField,
  })
  .refine((v) => v.decision === 'granted' || v.note.length > 0, { path: ['note'], message: 'forwarding.errors.refusalReason' })
  // A document is cited by its number and its date together.
  .refine((v) => !v.decisionDocNumber || v.decisionDocDate, { path: ['decisionDocDate'], message: 'forwarding.errors.documentDateMissing' })
  .refine((v) => !v.decisionDocDate || v.decisionDocNumber, { path: ['decisionDocNumber'], message: 'forwarding.errors.documentNumberMissing' })
  .transform((v) => ({ decision: v.decision, days: v.days, note: v.note, documentNumber: v.decisionDocNumber, documentDate: v.decisionDocDate }));

/** An extension on the office's own initiative: the days, why, and the document it rests on. */
export const officeExtensionSchema = z
  .object({
    extendDays: extensionDays,
    extendReason: requiredText(2000),
    extendDocNumber: requiredText(DOCUMENT_NUMBER_MAX),
    extendDocDate: dateField,
    extendKey: submissionKeyField,
  })
  .transform((v) => ({ days: v.extendDays, reason: v.extendReason, documentNumber: v.extendDocNumber, documentDate: v.extendDocDate, submissionKey: v.extendKey }));

/** The start of a suspension: from which day, why, and the document that suspends. */
export const suspensionSchema = z
  .object({
    suspendFrom: dateField,
    suspendReason: requiredText(2000),
    suspendDocNumber: requiredText(DOCUMENT_NUMBER_MAX),
    suspendDocDate: dateField,
    suspendKey: submissionKeyField,
  })
  .transform((v) => ({ from: v.suspendFrom, reason: v.suspendReason, documentNumber: v.suspendDocNumber, documentDate: v.suspendDocDate, submissionKey: v.suspendKey }));

/** The end of a suspension: its last day. */
export const resumeSchema = z.object({ resumeTo: dateField, resumeKey: submissionKeyField }).transform((v) => ({ to: v.resumeTo, submissionKey: v.resumeKey }));

/** The evaluation form: one verdict (and reason) per answered matter, by position: verdict-0, reason-0, ref-0… */
export function evaluationSchema(refCount: number) {
  const shape: Record<string, z.ZodType> = { nextStep: z.enum(UNSATISFIED_NEXT_STEPS).optional().catch(undefined) };
  for (let i = 0; i < refCount; i++) {
    shape[`ref-${i}`] = z.string().max(64);
    shape[`verdict-${i}`] = z.enum(ITEM_VERDICTS, { error: 'forwarding.errors.verdict' }).optional();
    shape[`reason-${i}`] = textOrEmpty(2000);
  }
  return z.object(shape);
}
