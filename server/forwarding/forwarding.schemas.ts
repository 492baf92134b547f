// Inputs of the office's forwarding pages. Messages are i18n keys.
import { z } from 'zod';
import { requiredText, textOrEmpty } from '../platform/http/form-fields.js';
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

export const extensionDecisionSchema = z
  .object({
    decision: z.enum(['granted', 'refused'], { error: 'forwarding.errors.decision' }),
    days: z
      .string()
      .optional()
      .transform((v) => (v && v.trim() ? Number(v.trim()) : null))
      .pipe(z.number().int('forwarding.errors.days').min(1, 'forwarding.errors.days').max(365, 'forwarding.errors.days').nullable()),
    note: textOrEmpty(2000),
  })
  .refine((v) => v.decision === 'granted' || v.note.length > 0, { path: ['note'], message: 'forwarding.errors.refusalReason' });

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
