// Text fields shared by the forms: cleaned (NFC, no zero-width or control characters, trimmed) and
// limited. The raw value may be twice the limit before cleaning, so pasted text full of invisible
// characters is judged on what remains, while a megabyte is refused before any work.
import { z } from 'zod';
import { cleanText } from '../text.js';

export const requiredText = (max: number) =>
  z
    .string({ error: 'errors.required' })
    .max(max * 2, 'errors.tooLong')
    .transform(cleanText)
    .pipe(z.string().min(1, 'errors.required').max(max, 'errors.tooLong'));

/** Empty or missing → null. */
export const optionalText = (max: number) =>
  z
    .string()
    .max(max * 2, 'errors.tooLong')
    .transform(cleanText)
    .pipe(z.string().max(max, 'errors.tooLong'))
    .optional()
    .transform((v) => (v ? v : null));

/** Empty or missing → '' (for fields stored as text, never null). */
export const textOrEmpty = (max: number) =>
  z
    .string()
    .max(max * 2, 'errors.tooLong')
    .optional()
    .transform((v) => cleanText(v ?? ''))
    .pipe(z.string().max(max, 'errors.tooLong'));

/**
 * The answer to "which existing record is this?" on the intake forms: 'auto' (let the app look, the
 * default), 'new', or the id of the record chosen.
 */
export const recordChoice = (message = 'errors.invalid') =>
  z
    .string()
    .regex(/^(new|auto|[a-f0-9]{24})$/, message)
    .optional()
    .transform((v) => v ?? 'auto');
