// Inputs of the deadline-rule pages and of the shipped seed. Messages are i18n keys; the inferred
// types are the services' inputs. Whether a number of days suits the rule's start event is checked by
// the service (it needs the rule), with the same message keys.
import { z } from 'zod';
import { optionalText } from '../platform/http/form-fields.js';
import { cleanText } from '../platform/text.js';
import { CONFIDENCE_LEVELS, DAY_TYPES, RULE_KEYS, START_EVENTS, VARIANT_KEYS, type VariantKey } from './deadlines.rules.js';

/** "15", "-7" or "−7" (a typographic minus, as Word writes it) → a whole number. */
const daysField = z
  .string({ error: 'errors.required' })
  .max(20, 'deadlines.errors.days')
  .transform((v) => cleanText(v).replace(/^[−–]/, '-'))
  .pipe(z.string().min(1, 'errors.required').regex(/^-?\d{1,4}$/, 'deadlines.errors.days'))
  .transform(Number);

const optionalDaysField = z
  .string()
  .max(20, 'deadlines.errors.variantDays')
  .optional()
  .transform((v) => cleanText(v ?? '').replace(/^\+/, ''))
  .pipe(z.union([z.literal(''), z.string().regex(/^\d{1,4}$/, 'deadlines.errors.variantDays')]))
  .transform((v) => (v === '' ? null : Number(v)));

/** The form's name of each variant's input (flat names: the body parser does not build objects). */
export const VARIANT_FIELDS: Readonly<Record<VariantKey, string>> = {
  complex: 'variantComplex',
  remote: 'variantRemote',
  'remote-complex': 'variantRemoteComplex',
  'extension-1': 'variantExtension1',
  'extension-2': 'variantExtension2',
};

export const ruleFormSchema = z
  .object({
    days: daysField,
    dayType: z.enum(DAY_TYPES, { error: 'deadlines.errors.dayType' }),
    variantComplex: optionalDaysField,
    variantRemote: optionalDaysField,
    variantRemoteComplex: optionalDaysField,
    variantExtension1: optionalDaysField,
    variantExtension2: optionalDaysField,
    basis: optionalText(300),
    notes: optionalText(1000),
    confidence: z.enum(CONFIDENCE_LEVELS, { error: 'deadlines.errors.confidence' }),
  })
  .transform((form) => ({
    days: form.days,
    dayType: form.dayType,
    variants: VARIANT_KEYS.flatMap((key) => {
      const days = form[VARIANT_FIELDS[key] as keyof typeof form] as number | null;
      return days === null ? [] : [{ key, days }];
    }),
    basis: form.basis ?? '',
    notes: form.notes ?? '',
    confidence: form.confidence,
  }));
export type RuleEditInput = z.infer<typeof ruleFormSchema>;

/** One rule of server/deadlines/data/deadline-rules.json. */
export const ruleSeedSchema = z.object({
  key: z.enum(RULE_KEYS),
  name: z.string().min(1).max(200),
  nameEn: z.string().min(1).max(200),
  startEvent: z.enum(START_EVENTS),
  days: z.number().int(),
  dayType: z.enum(DAY_TYPES),
  variants: z.array(z.object({ key: z.enum(VARIANT_KEYS), days: z.number().int().min(1) })),
  basis: z.string().max(300),
  confidence: z.enum(CONFIDENCE_LEVELS),
  notes: z.string().max(1000),
  order: z.number().int(),
});
export type RuleSeed = z.infer<typeof ruleSeedSchema>;

export const ruleSeedFileSchema = z.object({ rules: z.array(ruleSeedSchema).min(1) });
