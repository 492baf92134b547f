// A person's contact fields as typed at the desk, shared by every intake form. Empty → null.
import { z } from 'zod';
import { cleanText } from '../platform/text.js';
import { citizenIdProblem, normaliseCitizenId } from './citizen-id.rules.js';

export const citizenIdField = z
  .string()
  .max(40, 'errors.tooLong')
  .optional()
  .transform((v, ctx) => {
    const id = v ? normaliseCitizenId(cleanText(v)) : '';
    if (!id) return null;
    const problem = citizenIdProblem(id, new Date().getFullYear());
    if (problem) {
      ctx.addIssue({ code: 'custom', message: `people.errors.citizenId.${problem}` });
      return z.NEVER;
    }
    return id;
  });

export const phoneField = z
  .string()
  .max(40, 'errors.tooLong')
  .optional()
  .transform((v, ctx) => {
    const phone = v ? cleanText(v).replace(/[\s.()-]/g, '') : '';
    if (!phone) return null;
    if (!/^\+?\d{8,15}$/.test(phone)) {
      ctx.addIssue({ code: 'custom', message: 'people.errors.phone' });
      return z.NEVER;
    }
    return phone;
  });

export const emailField = z
  .string()
  .max(254, 'errors.tooLong')
  .optional()
  .transform((v, ctx) => {
    const email = v ? cleanText(v).toLowerCase() : '';
    if (!email) return null;
    if (!z.email().safeParse(email).success) {
      ctx.addIssue({ code: 'custom', message: 'errors.email' });
      return z.NEVER;
    }
    return email;
  });
