// The letter forms: intake (the letter, its senders and the case it belongs to, in one submission),
// the assessment (eligibility and handling) and the split of a mixed letter. Flat fields, because
// bodies are parsed without nesting.
import { z } from 'zod';
import { CASE_TYPES, NOTICE_ANSWERS, consentAtIntake, isConfidentialType, type CaseType } from '../cases/index.js';
import { citizenIdField, emailField, phoneField } from '../people/index.js';
import { optionalText, recordChoice, requiredText } from '../platform/http/form-fields.js';
import { cleanText } from '../platform/text.js';
import { vietnamInstant } from '../receptions/index.js';
import { ELIGIBILITY_REASONS, LETTER_CHANNELS, LETTER_HANDLINGS, LETTER_TYPES, MIN_SPLIT_PARTS } from './letter-kinds.js';
import { caseTypeOf } from './letters.rules.js';

/** dd/mm/yyyy as written on the register's stamp, read as a Vietnam calendar day. */
const dateField = z
  .string({ error: 'errors.required' })
  .max(40, 'letters.errors.date')
  .transform(cleanText)
  .pipe(z.string().regex(/^\d{1,2}\/\d{1,2}\/\d{4}$/, 'letters.errors.date'))
  .refine((v) => vietnamInstant(v, '00:00') !== null, 'letters.errors.date');

/** A select left on "choose…" sends ''; anything else must be one of the choices. */
const optionalCaseType = (message: string) =>
  z
    .union([z.literal(''), z.enum(CASE_TYPES)], { error: message })
    .optional()
    .transform((v): CaseType | null => (v ? v : null));

const checkbox = z
  .enum(['1'], { error: 'errors.invalid' })
  .optional()
  .transform((v) => v === '1');

export const letterIntakeSchema = z
  .object({
    submissionKey: z.string({ error: 'errors.invalid' }).regex(/^[a-f0-9]{32}$/, 'errors.invalid'),
    date: dateField,
    channel: z.enum(LETTER_CHANNELS, { error: 'letters.errors.channel' }),
    forwardedBy: optionalText(300),
    anonymous: checkbox,
    name: optionalText(120),
    citizenId: citizenIdField,
    phone: phoneField,
    email: emailField,
    // Whether the first sender agreed to email notices: radios, because a denouncer must have been
    // asked (or the letter must say so), and a checkbox cannot tell "no" from "not asked".
    notices: z.enum(NOTICE_ANSWERS, { error: 'errors.invalid' }).optional(),
    unitCode: optionalText(50),
    street: optionalText(200),
    // Up to two more people who signed the letter with the first sender.
    cosigner1Name: optionalText(120),
    cosigner1CitizenId: citizenIdField,
    cosigner2Name: optionalText(120),
    cosigner2CitizenId: citizenIdField,
    type: z.enum(LETTER_TYPES, { error: 'letters.errors.type' }),
    mainType: optionalCaseType('letters.errors.mainType'),
    fieldCode: optionalText(50),
    summary: requiredText(2000),
    fullText: optionalText(20_000),
    personChoice: recordChoice(),
    caseChoice: recordChoice('letters.errors.caseChoice'),
  })
  .transform((v, ctx) => {
    const receivedAt = vietnamInstant(v.date, '00:00');
    if (!receivedAt) ctx.addIssue({ code: 'custom', path: ['date'], message: 'letters.errors.date' });
    const anySender = [v.name, v.citizenId, v.phone, v.email, v.street, v.cosigner1Name, v.cosigner1CitizenId, v.cosigner2Name, v.cosigner2CitizenId].some(Boolean);
    if (v.anonymous && anySender) ctx.addIssue({ code: 'custom', path: ['anonymous'], message: 'letters.errors.anonymousWithSender' });
    if (!v.anonymous && !v.name) ctx.addIssue({ code: 'custom', path: ['name'], message: 'letters.errors.nameOrAnonymous' });
    if (v.cosigner1CitizenId && !v.cosigner1Name) ctx.addIssue({ code: 'custom', path: ['cosigner1Name'], message: 'letters.errors.cosignerName' });
    if (v.cosigner2CitizenId && !v.cosigner2Name) ctx.addIssue({ code: 'custom', path: ['cosigner2Name'], message: 'letters.errors.cosignerName' });
    if (v.channel === 'forwarded-by-body' && !v.forwardedBy) ctx.addIssue({ code: 'custom', path: ['forwardedBy'], message: 'letters.errors.forwardedBy' });
    if (v.type === 'mixed' && !v.mainType) ctx.addIssue({ code: 'custom', path: ['mainType'], message: 'letters.errors.mainType' });
    // A mixed letter without its main type already has an error; its answer is judged once it has one.
    const confidential = (v.type !== 'mixed' || v.mainType !== null) && isConfidentialType(caseTypeOf(v.type, v.mainType));
    const consent = consentAtIntake({ confidential, answer: v.notices, emailGiven: v.email !== null });
    if (!consent.ok) ctx.addIssue({ code: 'custom', path: ['notices'], message: 'reminders.consent.askDenouncer' });
    if (!receivedAt || !consent.ok) return z.NEVER;
    return {
      ...v,
      receivedAt,
      mainType: v.type === 'mixed' ? v.mainType : null,
      emailNotices: consent.emailNotices,
    };
  });
export type LetterIntakeInput = z.infer<typeof letterIntakeSchema>;

export const assessmentSchema = z.object({
  eligible: z.enum(['yes', 'no'], { error: 'letters.errors.eligible' }).transform((v) => v === 'yes'),
  // Checkboxes: one value arrives as a string, several as an array.
  reasons: z
    .union([z.enum(ELIGIBILITY_REASONS), z.array(z.enum(ELIGIBILITY_REASONS)).max(ELIGIBILITY_REASONS.length)], { error: 'letters.errors.reasonUnknown' })
    .optional()
    .transform((v) => (v === undefined ? [] : [...new Set(Array.isArray(v) ? v : [v])])),
  hasEvidence: checkbox,
  handling: z.enum(LETTER_HANDLINGS, { error: 'letters.errors.handling' }),
  note: optionalText(2000),
});
export type AssessmentInput = z.infer<typeof assessmentSchema>;

const partType = optionalCaseType('letters.errors.partType');
const partField = optionalText(50);
const partSummary = optionalText(2000);

export interface SplitPart {
  type: CaseType;
  fieldCode: string | null;
  summary: string;
}

export const splitSchema = z
  .object({
    part1Type: partType,
    part1FieldCode: partField,
    part1Summary: partSummary,
    part2Type: partType,
    part2FieldCode: partField,
    part2Summary: partSummary,
    part3Type: partType,
    part3FieldCode: partField,
    part3Summary: partSummary,
    part4Type: partType,
    part4FieldCode: partField,
    part4Summary: partSummary,
    part5Type: partType,
    part5FieldCode: partField,
    part5Summary: partSummary,
  })
  .transform((v, ctx) => {
    const rows = [
      [v.part1Type, v.part1FieldCode, v.part1Summary],
      [v.part2Type, v.part2FieldCode, v.part2Summary],
      [v.part3Type, v.part3FieldCode, v.part3Summary],
      [v.part4Type, v.part4FieldCode, v.part4Summary],
      [v.part5Type, v.part5FieldCode, v.part5Summary],
    ] as const;
    // The form has MAX_SPLIT_PARTS rows, so there are never more parts than that.
    const parts: SplitPart[] = [];
    rows.forEach(([type, fieldCode, summary], i) => {
      const n = i + 1;
      // A row left entirely empty is not a part; a row begun must be finished.
      if (!type && !fieldCode && !summary) return;
      if (!type) ctx.addIssue({ code: 'custom', path: [`part${n}Type`], message: 'letters.errors.partType' });
      if (!summary) ctx.addIssue({ code: 'custom', path: [`part${n}Summary`], message: 'errors.required' });
      if (type && summary) parts.push({ type, fieldCode, summary });
    });
    if (!v.part1Type && !v.part1Summary) ctx.addIssue({ code: 'custom', path: ['part1Summary'], message: 'letters.errors.splitFirstPart' });
    else if (parts.length > 0 && parts.length < MIN_SPLIT_PARTS) ctx.addIssue({ code: 'custom', path: ['part2Summary'], message: 'letters.errors.splitTooFew' });
    return { parts };
  });
export type SplitInput = z.infer<typeof splitSchema>;
