// Inputs of the agency pages. Messages are i18n keys; the inferred types are the services' inputs.
// The form has a fixed number of contact rows (it works without JavaScript): five, or more when the
// agency already has more addresses (up to MAX_CONTACTS); blank rows are ignored.
import { z } from 'zod';
import { optionalText, requiredText } from '../platform/http/form-fields.js';
import { cleanText } from '../platform/text.js';
import { AGENCY_LEVELS, CONTACT_ROLES, MAX_CONTACTS, SUGGESTION_CASE_TYPES, contactProblems, normaliseEmail, type AgencyContact } from './agencies.rules.js';

/** Rows the form shows at least; it reads up to CONTACT_ROWS. */
export const DEFAULT_CONTACT_ROWS = 5;
export const CONTACT_ROWS = MAX_CONTACTS;
const CODE = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;
const OBJECT_ID = /^[a-f0-9]{24}$/;

/** A set of checkboxes: absent, one value (a string) or several (an array) → distinct codes. */
const codeList = (message: string) =>
  z
    .union([z.string(), z.array(z.string())], { error: message })
    .optional()
    .transform((v) => [...new Set((v === undefined ? [] : Array.isArray(v) ? v : [v]).map((c) => cleanText(c).toLowerCase()).filter(Boolean))])
    .pipe(z.array(z.string().regex(CODE, message)).max(1000, 'errors.tooLong'));

const contactFields = Object.fromEntries(
  Array.from({ length: CONTACT_ROWS }, (_, i) => [
    [`contactEmail${i + 1}`, z.string().max(400, 'errors.tooLong').optional()],
    [`contactName${i + 1}`, z.string().max(400, 'errors.tooLong').optional()],
    [`contactRole${i + 1}`, z.string().max(20).optional()],
  ]).flat(),
) as Record<string, z.ZodOptional<z.ZodString>>;

/**
 * The contacts typed in the rows, and what is wrong with them (by field name). Blank rows are
 * skipped; a row with a name but no address, a bad address or role, a repeated address, too many
 * rows or no 'to' address are problems.
 */
function readContacts(form: Record<string, unknown>): { contacts: AgencyContact[]; problems: { field: string; message: string }[] } {
  const contacts: AgencyContact[] = [];
  const rowOf: number[] = [];
  const problems: { field: string; message: string }[] = [];
  const text = (key: string) => (typeof form[key] === 'string' ? cleanText(form[key]) : '');
  for (let row = 1; row <= CONTACT_ROWS; row++) {
    const rawEmail = text(`contactEmail${row}`);
    const name = text(`contactName${row}`);
    const role = text(`contactRole${row}`) || 'to';
    if (rawEmail === '' && name === '') continue; // a blank row
    const email = normaliseEmail(rawEmail);
    if (rawEmail === '') problems.push({ field: `contactEmail${row}`, message: 'errors.required' });
    else if (!email) problems.push({ field: `contactEmail${row}`, message: 'agencies.errors.email' });
    if (name.length > 120) problems.push({ field: `contactName${row}`, message: 'errors.tooLong' });
    if (!(CONTACT_ROLES as readonly string[]).includes(role)) problems.push({ field: `contactRole${row}`, message: 'agencies.errors.contactRole' });
    else if (email) {
      contacts.push({ email, name, role: role as AgencyContact['role'] });
      rowOf.push(row);
    }
  }
  if (problems.length === 0) {
    for (const { index, problem } of contactProblems(contacts)) problems.push({ field: `contactEmail${rowOf[index] ?? 1}`, message: problem });
  }
  return { contacts, problems };
}

export const agencyFormSchema = z
  .object({
    name: requiredText(200),
    shortName: optionalText(60),
    level: z.enum(AGENCY_LEVELS, { error: 'agencies.errors.level' }),
    parentId: z
      .string()
      .max(100, 'agencies.errors.parentUnknown')
      .optional()
      .transform((v) => cleanText(v ?? ''))
      .pipe(z.union([z.literal(''), z.string().regex(OBJECT_ID, 'agencies.errors.parentUnknown')]))
      .transform((v) => (v === '' ? null : v)),
    fieldCodes: codeList('agencies.errors.fieldUnknown'),
    unitCodes: codeList('agencies.errors.communeUnknown'),
    ...contactFields,
  })
  // Runs even when another field is wrong, so that every problem is shown at once.
  .superRefine(
    (form, ctx) => {
      for (const p of readContacts(form).problems) ctx.addIssue({ code: 'custom', path: [p.field], message: p.message });
    },
    { when: () => true },
  )
  .transform((form) => ({
    name: form.name,
    shortName: form.shortName ?? '',
    level: form.level,
    parentId: form.parentId,
    fieldCodes: form.fieldCodes,
    unitCodes: form.unitCodes,
    contacts: readContacts(form as Record<string, unknown>).contacts,
  }));
export type AgencyInput = z.infer<typeof agencyFormSchema>;

export const agencyListQuerySchema = z.object({
  q: z.string().max(100).transform(cleanText).optional().catch(undefined),
  level: z.enum(AGENCY_LEVELS).optional().catch(undefined),
  field: z.string().regex(CODE).optional().catch(undefined),
  status: z.enum(['active', 'inactive']).optional().catch(undefined),
  after: z.string().regex(OBJECT_ID).optional().catch(undefined),
});
export type AgencyListQuery = z.infer<typeof agencyListQuerySchema>;

export const suggestionQuerySchema = z.object({
  field: z.string().regex(CODE).optional().catch(undefined),
  unit: z.string().regex(CODE).optional().catch(undefined),
  type: z.enum(SUGGESTION_CASE_TYPES).optional().catch(undefined),
});

export const MAX_IMPORT_ROWS = 2000;
/** About the urlencoded body limit, less the other fields. */
export const MAX_IMPORT_CHARS = 190_000;

/** The pasted text; an uploaded file's text takes its place in the route. */
export const agencyImportSchema = z.object({
  csv: z
    .string({ error: 'errors.required' })
    .max(MAX_IMPORT_CHARS, 'agencies.errors.importTooLarge')
    .refine((v) => v.replace(/^\uFEFF/, '').trim() !== '', 'errors.required'),
});
