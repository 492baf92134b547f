// The forms of sessions, meetings and petitions. Flat fields (bodies are parsed without nesting);
// error messages are i18n keys. Dates are typed dd/mm/yyyy and read as Vietnam calendar days.
import { z } from 'zod';
import { parseDateInput } from '../calendar/index.js';
import { ValidationError } from '../platform/errors.js';
import { optionalText, requiredText } from '../platform/http/form-fields.js';
import { cleanText } from '../platform/text.js';
import { ASSEMBLY_BODIES, COMPETENCES, MEETING_FORMATS, MEETING_TIMINGS } from './meetings.rules.js';

export const submissionKeyField = z.string({ error: 'errors.invalid' }).regex(/^[a-f0-9]{32}$/, 'errors.invalid');

const objectIdPattern = /^[a-f0-9]{24}$/;

/** A select whose "choose…" option sends '': the id, or null. */
const optionalId = (message: string) =>
  z
    .string({ error: message })
    .max(100, message)
    .optional()
    .transform((v) => cleanText(v ?? ''))
    .pipe(z.union([z.literal(''), z.string().regex(objectIdPattern, message)], { error: message }))
    .transform((v) => (v ? v : null));

/** dd/mm/yyyy → 'YYYY-MM-DD'. */
const dateField = (message: string) =>
  z
    .string({ error: 'errors.required' })
    .max(40, message)
    .transform(cleanText)
    .pipe(z.string().min(1, 'errors.required'))
    .transform((v, ctx) => {
      const iso = parseDateInput(v);
      if (!iso) {
        ctx.addIssue({ code: 'custom', message });
        return z.NEVER;
      }
      return iso;
    });

const optionalDate = (message: string) =>
  z
    .string()
    .max(40, message)
    .optional()
    .transform((v) => cleanText(v ?? ''))
    .transform((v, ctx) => {
      if (!v) return null;
      const iso = parseDateInput(v);
      if (!iso) {
        ctx.addIssue({ code: 'custom', message });
        return z.NEVER;
      }
      return iso;
    });

const timeField = z
  .string({ error: 'errors.required' })
  .max(10, 'meetings.errors.time')
  .transform(cleanText)
  .pipe(z.string().regex(/^([01]?\d|2[0-3]):[0-5]\d$/, 'meetings.errors.time'));

/** A whole number typed in a box: '' → null; otherwise within the bounds. */
const optionalCount = (min: number, max: number, message: string) =>
  z
    .string({ error: message })
    .max(12, message)
    .optional()
    .transform((v) => cleanText(v ?? '').replace(/[.\s]/g, ''))
    .pipe(z.union([z.literal(''), z.string().regex(/^\d+$/, message)], { error: message }))
    .transform((v, ctx) => {
      if (!v) return null;
      const n = Number(v);
      if (n < min || n > max) {
        ctx.addIssue({ code: 'custom', message });
        return z.NEVER;
      }
      return n;
    });

/** Checkboxes: one value arrives as a string, several as an array. */
const manyOf = <T extends z.ZodType<string>>(item: T, max: number, message: string) =>
  z
    .union([item, z.array(item).max(max, message)], { error: message })
    .optional()
    .transform((v): z.infer<T>[] => (v === undefined ? [] : [...new Set(Array.isArray(v) ? v : [v])]));

export const sessionSchema = z
  .object({
    submissionKey: submissionKeyField,
    body: z.enum(ASSEMBLY_BODIES, { error: 'meetings.errors.body' }),
    term: requiredText(40),
    number: z
      .string({ error: 'meetings.errors.sessionNumber' })
      .max(10, 'meetings.errors.sessionNumber')
      .transform(cleanText)
      .pipe(z.string().regex(/^[1-9]\d?$/, 'meetings.errors.sessionNumber'))
      .transform(Number),
    opensOn: dateField('meetings.errors.date'),
    closesOn: dateField('meetings.errors.date'),
  })
  .transform((v, ctx) => {
    if (v.closesOn < v.opensOn) ctx.addIssue({ code: 'custom', path: ['closesOn'], message: 'meetings.errors.closesBeforeOpens' });
    return v;
  });
export type SessionInput = z.infer<typeof sessionSchema>;

const codeList = z.string().max(50, 'errors.invalid').regex(/^[\w-]+$/, 'errors.invalid');

export const meetingSchema = z
  .object({
    submissionKey: submissionKeyField,
    level: z.enum(ASSEMBLY_BODIES, { error: 'meetings.errors.level' }),
    timing: z.enum(MEETING_TIMINGS, { error: 'meetings.errors.timing' }),
    sessionId: optionalId('meetings.errors.sessionUnknown'),
    topic: optionalText(300),
    date: dateField('meetings.errors.date'),
    time: timeField,
    format: z.enum(MEETING_FORMATS, { error: 'meetings.errors.format' }),
    place: requiredText(300),
    unitCodes: manyOf(codeList, 500, 'errors.invalid'),
    delegateIds: manyOf(z.string().regex(objectIdPattern, 'meetings.errors.delegateUnknown'), 100, 'meetings.errors.delegateUnknown'),
    coOrganiser: optionalText(300),
    voterCount: optionalCount(1, 1_000_000, 'meetings.errors.voterCount'),
    pressNoticeOn: optionalDate('meetings.errors.date'),
  })
  .transform((v, ctx) => {
    if (v.timing === 'thematic' && !v.topic) ctx.addIssue({ code: 'custom', path: ['topic'], message: 'meetings.errors.topicRequired' });
    if (v.timing !== 'thematic' && !v.sessionId) ctx.addIssue({ code: 'custom', path: ['sessionId'], message: 'meetings.errors.sessionRequired' });
    if (v.unitCodes.length === 0) ctx.addIssue({ code: 'custom', path: ['unitCodes'], message: v.format === 'online' ? 'meetings.errors.sitesRequired' : 'meetings.errors.communeRequired' });
    if (v.delegateIds.length === 0) ctx.addIssue({ code: 'custom', path: ['delegateIds'], message: 'meetings.errors.delegatesRequired' });
    const startsAt = new Date(`${v.date}T${v.time.padStart(5, '0')}:00+07:00`);
    return { ...v, startsAt };
  });
export type MeetingInput = z.infer<typeof meetingSchema>;

// ─── Fast entry of a meeting's petitions ────────────────────────────────────────────────────────

export const DEFAULT_ROWS = 10;
export const MORE_ROWS = 10;
export const MAX_ROWS = 100;

const rowSchema = z.object({
  content: optionalText(2000),
  fieldCode: z
    .string()
    .max(50, 'errors.invalid')
    .optional()
    .transform((v) => (v ? v : null)),
  unitCode: z
    .string()
    .max(50, 'errors.invalid')
    .optional()
    .transform((v) => (v ? v : null)),
  voterCount: optionalCount(1, 100_000, 'meetings.errors.voterCount'),
  competence: z
    .union([z.literal(''), z.enum(COMPETENCES)], { error: 'meetings.errors.competence' })
    .optional()
    .transform((v) => (v ? v : null)),
});

export interface PetitionRowInput {
  /** 1-based row number on the form, part of the row's entry key. */
  row: number;
  content: string;
  fieldCode: string | null;
  unitCode: string | null;
  voterCount: number;
  competence: (typeof COMPETENCES)[number] | null;
}

/** How many rows the form shows: what it was given (bounded), never fewer than the default. */
export function rowCountOf(body: unknown): number {
  const raw = typeof body === 'object' && body !== null ? (body as Record<string, unknown>).rows : undefined;
  const n = typeof raw === 'string' && /^\d{1,3}$/.test(raw) ? Number(raw) : DEFAULT_ROWS;
  return Math.min(MAX_ROWS, Math.max(DEFAULT_ROWS, n));
}

/**
 * The rows of the petition entry form: fields content1…contentN and so on. A row left entirely empty
 * is skipped; a row begun must say what the voters asked. Errors name the row's own field.
 */
export function parsePetitionRows(body: unknown): { submissionKey: string; rows: PetitionRowInput[] } {
  const data = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const errors: Record<string, string> = {};
  const key = submissionKeyField.safeParse(data.submissionKey);
  if (!key.success) errors.submissionKey = 'errors.invalid';
  const rows: PetitionRowInput[] = [];
  const count = rowCountOf(data);
  for (let n = 1; n <= count; n++) {
    const raw = { content: data[`content${n}`], fieldCode: data[`fieldCode${n}`], unitCode: data[`unitCode${n}`], voterCount: data[`voterCount${n}`], competence: data[`competence${n}`] };
    const parsed = rowSchema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = `${String(issue.path[0] ?? 'content')}${n}`;
        errors[field] ??= issue.code === 'invalid_type' ? 'errors.invalid' : issue.message.includes('.') ? issue.message : 'errors.invalid';
      }
      continue;
    }
    const r = parsed.data;
    const begun = r.content || r.fieldCode || r.unitCode || r.voterCount !== null || r.competence;
    if (!begun) continue;
    if (!r.content) {
      errors[`content${n}`] = 'meetings.errors.rowContent';
      continue;
    }
    rows.push({ row: n, content: r.content, fieldCode: r.fieldCode, unitCode: r.unitCode, voterCount: r.voterCount ?? 1, competence: r.competence });
  }
  if (rows.length === 0 && Object.keys(errors).length === 0) errors.content1 = 'meetings.errors.noRows';
  if (Object.keys(errors).length > 0) throw new ValidationError(errors);
  return { submissionKey: key.data!, rows };
}

// ─── Classification, merging, withdrawal ────────────────────────────────────────────────────────

export const classificationSchema = z.object({
  content: requiredText(2000),
  fieldCode: z
    .string()
    .max(50, 'errors.invalid')
    .optional()
    .transform((v) => (v ? v : null)),
  unitCode: z
    .string()
    .max(50, 'errors.invalid')
    .optional()
    .transform((v) => (v ? v : null)),
  competence: z
    .union([z.literal(''), z.enum(COMPETENCES)], { error: 'meetings.errors.competence' })
    .optional()
    .transform((v) => (v ? v : null)),
  agencyId: optionalId('meetings.errors.agencyUnknown'),
});
export type ClassificationInput = z.infer<typeof classificationSchema>;

export const mergeSchema = z.object({
  submissionKey: submissionKeyField,
  ids: manyOf(z.string().regex(objectIdPattern, 'meetings.errors.petitionUnknown'), 500, 'meetings.errors.petitionUnknown').refine((ids) => ids.length >= 2, 'meetings.errors.mergeTooFew'),
  /** The wording to keep: that of one of the petitions chosen, unless a new wording is typed. */
  wordingFrom: optionalId('meetings.errors.petitionUnknown'),
  content: optionalText(2000),
});
export type MergeInput = z.infer<typeof mergeSchema>;

export const withdrawSchema = z.object({
  reason: requiredText(500),
});
export type WithdrawInput = z.infer<typeof withdrawSchema>;

/** The bulk forwarding of a session's compiled petitions: only the form's one-time key. */
export const forwardSchema = z.object({ submissionKey: z.string().regex(/^[a-f0-9]{32}$/, 'errors.invalid') });
