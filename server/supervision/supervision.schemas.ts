// The forms and queries of supervision. Flat fields (bodies are parsed without nesting); messages are
// i18n keys; dates are typed dd/mm/yyyy and read as Vietnam calendar days ('YYYY-MM-DD').
import { z } from 'zod';
import { parseDateInput } from '../calendar/index.js';
import { requiredText, textOrEmpty } from '../platform/http/form-fields.js';
import { cleanText } from '../platform/text.js';
import { CANDIDATE_KINDS, FINDING_KINDS, PICK_REASONS, ROUND_STATUSES, roundDateProblems } from './supervision.rules.js';

const OBJECT_ID = /^[a-f0-9]{24}$/;

export const submissionKeyField = z.string({ error: 'errors.invalid' }).regex(/^[a-f0-9]{32}$/, 'errors.invalid');

const dateField = z
  .string({ error: 'errors.required' })
  .max(40, 'supervision.errors.date')
  .transform(cleanText)
  .pipe(z.string().min(1, 'errors.required'))
  .transform((v, ctx) => {
    const iso = parseDateInput(v);
    if (!iso) {
      ctx.addIssue({ code: 'custom', message: 'supervision.errors.date' });
      return z.NEVER;
    }
    return iso;
  });

const idField = (message: string) => z.string({ error: message }).transform(cleanText).pipe(z.string().regex(OBJECT_ID, message));

/** A select whose "choose…" option sends '': the id, or null. */
const optionalId = (message: string) =>
  z
    .string({ error: message })
    .max(100, message)
    .optional()
    .transform((v) => cleanText(v ?? ''))
    .pipe(z.union([z.literal(''), z.string().regex(OBJECT_ID, message)], { error: message }))
    .transform((v) => (v ? v : null));

/** Checkboxes: absent, one value (a string) or several (an array) → distinct ids. */
const idList = (message: string) =>
  z
    .union([z.string(), z.array(z.string())], { error: message })
    .optional()
    .transform((v) => [...new Set((v === undefined ? [] : Array.isArray(v) ? v : [v]).map((s) => cleanText(s)).filter(Boolean))])
    .pipe(z.array(z.string().regex(OBJECT_ID, message)).max(500, 'errors.tooLong'));

export const roundFormSchema = z
  .object({
    submissionKey: submissionKeyField,
    title: requiredText(300),
    basis: requiredText(300),
    startsOn: dateField,
    endsOn: dateField,
    staffIds: idList('supervision.errors.memberUnknown'),
    delegateIds: idList('supervision.errors.memberUnknown'),
    agencyIds: idList('supervision.errors.agencyUnknown'),
  })
  // Runs even when another field is wrong, so that every problem is shown at once.
  .superRefine(
    (form, ctx) => {
      // Only when both dates were read (a refused date stays as it was typed).
      const iso = (v: unknown) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v);
      const dated = iso(form.startsOn) && iso(form.endsOn);
      if (dated) for (const [path, message] of Object.entries(roundDateProblems(form.startsOn, form.endsOn))) ctx.addIssue({ code: 'custom', path: [path], message });
      const count = (v: unknown) => (Array.isArray(v) ? v.length : 0);
      if (count(form.staffIds) + count(form.delegateIds) === 0) ctx.addIssue({ code: 'custom', path: ['members'], message: 'supervision.errors.noMembers' });
    },
    { when: () => true },
  );
export type RoundInput = z.infer<typeof roundFormSchema>;

export const addCasesSchema = z.object({
  caseIds: idList('supervision.errors.caseUnknown'),
  caseNumber: textOrEmpty(20),
});

export const addAgencySchema = z.object({ agencyId: idField('supervision.errors.agencyUnknown') });

export const findingFormSchema = z.object({
  submissionKey: submissionKeyField,
  caseId: idField('supervision.errors.caseNotInRound'),
  kind: z.enum(FINDING_KINDS, { error: 'supervision.errors.findingKind' }),
  on: dateField,
  text: requiredText(10_000),
});
export type FindingInput = z.infer<typeof findingFormSchema>;

// Named apart from the finding form's fields, which share the round's page (and its error summary).
export const concludeFormSchema = z.object({ conclusionOn: dateField, conclusion: requiredText(20_000) }).transform((f) => ({ on: f.conclusionOn, text: f.conclusion }));
export type ConcludeInput = z.infer<typeof concludeFormSchema>;

export const chaseFormSchema = z.object({
  submissionKey: submissionKeyField,
  forwardingId: idField('supervision.errors.forwardingUnknown'),
  message: textOrEmpty(4000),
});
export type ChaseInput = z.infer<typeof chaseFormSchema>;

export const candidateFormSchema = z
  .object({
    submissionKey: submissionKeyField,
    caseId: idField('supervision.errors.caseUnknown'),
    sessionId: idField('supervision.errors.sessionRequired'),
    kind: z.enum(CANDIDATE_KINDS, { error: 'supervision.errors.candidateKind' }),
    forwardingId: optionalId('supervision.errors.forwardingUnknown'),
    agencyId: optionalId('supervision.errors.agencyUnknown'),
    roundId: optionalId('errors.invalid'),
    reason: requiredText(4000),
  })
  .superRefine((form, ctx) => {
    if (!form.forwardingId && !form.agencyId) ctx.addIssue({ code: 'custom', path: ['agencyId'], message: 'supervision.errors.agencyRequired' });
  });
export type CandidateInput = z.infer<typeof candidateFormSchema>;

export const withdrawFormSchema = z.object({ reason: requiredText(2000) });

const optionalObjectId = z.string().regex(OBJECT_ID).optional().catch(undefined);

export const roundListQuerySchema = z.object({
  status: z.enum(ROUND_STATUSES).optional().catch(undefined),
  agency: optionalObjectId,
  mine: z.literal('1').optional().catch(undefined),
  after: z.string().regex(/^\d{13}_[a-f0-9]{24}$/).optional().catch(undefined),
});
export type RoundListQuery = z.infer<typeof roundListQuerySchema>;

export const pickListQuerySchema = z.object({
  reason: z.enum(PICK_REASONS).optional().catch(undefined),
  agency: optionalObjectId,
});
export type PickListQuery = z.infer<typeof pickListQuerySchema>;

export const candidatesQuerySchema = z.object({
  session: optionalObjectId,
  withdrawn: z.literal('1').optional().catch(undefined),
});
export type CandidatesQuery = z.infer<typeof candidatesQuerySchema>;

export const newCandidateQuerySchema = z.object({ case: optionalObjectId, round: optionalObjectId, forwarding: optionalObjectId });
