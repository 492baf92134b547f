// Inputs of the reference-data pages. Messages are i18n keys; the inferred types are the services' inputs.
import { z } from 'zod';
import { isIsoDate, parseDateInput } from '../calendar/index.js';
import { cleanText } from '../platform/text.js';
import { requiredText, textOrEmpty } from '../platform/http/form-fields.js';
import { DELEGATE_BODIES } from './delegate.model.js';
import { UNIT_KINDS, UNIT_LEVELS, parseCodeList } from './units.rules.js';

/** Lower-case letters, digits and hyphens: official numeric codes ("19234") or stable slugs ("qt-xa-cam-lo"). */
export const CODE_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;

const RESERVED_CODES = ['new', 'import'];

export const codeField = z
  .string()
  .max(200, 'errors.tooLong')
  .transform((v) => cleanText(v).toLowerCase())
  .pipe(z.string().min(1, 'errors.required').max(64, 'errors.tooLong').regex(CODE_PATTERN, 'reference.errors.code'))
  // These are page addresses under /admin/units and /admin/fields.
  .refine((code) => !RESERVED_CODES.includes(code), 'reference.errors.codeReserved');

const optionalCode = z
  .string()
  .max(200, 'errors.tooLong')
  .optional()
  .transform((v) => cleanText(v ?? '').toLowerCase())
  .pipe(z.union([z.literal(''), z.string().regex(CODE_PATTERN, 'reference.errors.code')]))
  .transform((v) => (v === '' ? null : v));

/** A date typed in a form (dd/mm/yyyy or yyyy-mm-dd), or empty for "no limit". */
const optionalDate = z
  .string()
  .max(20, 'reference.errors.date')
  .optional()
  .transform((v, ctx) => {
    const typed = cleanText(v ?? '');
    if (typed === '') return null;
    const iso = parseDateInput(typed);
    if (iso) return iso;
    ctx.addIssue({ code: 'custom', message: 'reference.errors.date' });
    return z.NEVER;
  });

const kindField = z.enum(UNIT_KINDS, { error: 'reference.errors.kind' });
const levelField = z.enum(UNIT_LEVELS, { error: 'reference.errors.level' });

const unitFormFields = {
  name: requiredText(150),
  kind: kindField,
  level: levelField,
  parentCode: optionalCode,
  validFrom: optionalDate,
  validTo: optionalDate,
  replacedBy: textOrEmpty(2000)
    .transform(parseCodeList)
    .pipe(z.array(z.string().regex(CODE_PATTERN, 'reference.errors.replacedByCode')).max(50, 'errors.tooLong')),
};

export const createUnitSchema = z.object({ code: codeField, ...unitFormFields });
export const updateUnitSchema = z.object(unitFormFields);
export type CreateUnitInput = z.infer<typeof createUnitSchema>;
export type UpdateUnitInput = z.infer<typeof updateUnitSchema>;

// One row of a JSON import, in the format of server/reference/data/units.json.
const isoDateOrNull = z
  .union([z.null(), z.string().refine(isIsoDate, 'reference.errors.isoDate')], { error: 'reference.errors.isoDate' })
  .optional()
  .transform((v) => v ?? null);

export const unitImportRowSchema = z.object(
  {
    code: codeField,
    name: requiredText(150),
    kind: kindField,
    level: levelField,
    parentCode: z
      .union([z.null(), z.literal(''), codeField], { error: 'reference.errors.code' })
      .optional()
      .transform((v) => v || null),
    validFrom: isoDateOrNull,
    validTo: isoDateOrNull,
    replacedBy: z.array(codeField, { error: 'reference.errors.replacedByList' }).max(50, 'errors.tooLong').optional().transform((v) => [...new Set(v ?? [])]),
  },
  { error: 'reference.errors.importRow' },
);
export type UnitImportRow = z.infer<typeof unitImportRowSchema>;

export const MAX_IMPORT_ROWS = 5000;

/** The pasted text: JSON, either an array of units or an object with a `units` array (the seed file's format). */
export const unitImportSchema = z.object({
  json: z
    .string({ error: 'errors.required' })
    .max(190_000, 'reference.errors.importTooLarge')
    .transform((raw, ctx) => {
      if (raw.trim() === '') {
        ctx.addIssue({ code: 'custom', message: 'errors.required' });
        return z.NEVER;
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw.replace(/^\uFEFF/, ''));
      } catch {
        ctx.addIssue({ code: 'custom', message: 'reference.errors.importJson' });
        return z.NEVER;
      }
      const rows: unknown = Array.isArray(parsed) ? parsed : (parsed as { units?: unknown } | null)?.units;
      if (!Array.isArray(rows) || rows.length === 0) {
        ctx.addIssue({ code: 'custom', message: 'reference.errors.importShape' });
        return z.NEVER;
      }
      if (rows.length > MAX_IMPORT_ROWS) {
        ctx.addIssue({ code: 'custom', message: 'reference.errors.importTooMany' });
        return z.NEVER;
      }
      return rows as unknown[];
    }),
});

export const unitListQuerySchema = z.object({
  level: levelField.catch('commune'),
  q: z.string().max(100).transform(cleanText).optional().catch(undefined),
  legacy: z.enum(['on']).optional().catch(undefined),
  after: z.string().regex(CODE_PATTERN).optional().catch(undefined),
});
export type UnitListQuery = z.infer<typeof unitListQuerySchema>;

const orderField = z
  .string()
  .max(20, 'reference.errors.order')
  .transform(cleanText)
  .pipe(z.string().min(1, 'errors.required').regex(/^\d{1,5}$/, 'reference.errors.order'))
  .transform(Number);

const fieldFormFields = { name: requiredText(120), nameEn: requiredText(120), order: orderField };
export const createFieldSchema = z.object({ code: codeField, ...fieldFormFields });
export const updateFieldSchema = z.object(fieldFormFields);
export type CreateFieldInput = z.infer<typeof createFieldSchema>;
export type UpdateFieldInput = z.infer<typeof updateFieldSchema>;

export const delegateSchema = z.object({
  name: requiredText(120),
  body: z.enum(DELEGATE_BODIES, { error: 'reference.errors.body' }),
  constituency: textOrEmpty(300),
  term: requiredText(100),
  userId: z
    .string()
    .max(100, 'reference.errors.delegateUser')
    .optional()
    .transform((v) => cleanText(v ?? ''))
    .pipe(z.union([z.literal(''), z.string().regex(/^[a-f0-9]{24}$/, 'reference.errors.delegateUser')]))
    .transform((v) => (v === '' ? null : v)),
});
export type DelegateInput = z.infer<typeof delegateSchema>;

export const delegateListQuerySchema = z.object({
  q: z.string().max(100).transform(cleanText).optional().catch(undefined),
  body: z.enum(DELEGATE_BODIES).optional().catch(undefined),
  status: z.enum(['active', 'inactive']).optional().catch(undefined),
  after: z.string().regex(/^[a-f0-9]{24}$/).optional().catch(undefined),
});
export type DelegateListQuery = z.infer<typeof delegateListQuerySchema>;
