// Inputs of the email log pages. List filters that do not parse are ignored (the page still shows);
// the test-email form answers bad input with 422 and the form again.
import { z } from 'zod';
import { parseDateInput } from '../calendar/index.js';
import { cleanText } from '../platform/text.js';
import { MESSAGE_STATUSES } from './outbox.model.js';

const dateParam = z
  .string()
  .max(20)
  .transform((v) => parseDateInput(v) ?? undefined)
  .optional()
  .catch(undefined);

export const emailListQuerySchema = z.object({
  status: z.enum(MESSAGE_STATUSES).optional().catch(undefined),
  template: z.string().regex(/^[a-z][a-z0-9-]{0,39}$/).optional().catch(undefined),
  recipient: z
    .string()
    .max(254)
    .transform((v) => cleanText(v).toLowerCase())
    .pipe(z.string().min(1))
    .optional()
    .catch(undefined),
  from: dateParam,
  to: dateParam,
  after: z.string().regex(/^[a-f0-9]{24}$/).optional().catch(undefined),
});
export type EmailListQuery = z.infer<typeof emailListQuerySchema>;

export const testEmailSchema = z.object({
  to: z
    .string()
    .transform((v) => cleanText(v).toLowerCase())
    .pipe(z.string().min(1, 'errors.required').max(254, 'errors.tooLong').email('errors.email')),
  // A random value put in the form when it is shown: the same submission twice is one email.
  submissionKey: z.string().regex(/^[a-f0-9]{32}$/, 'errors.invalid'),
});
export type TestEmailInput = z.infer<typeof testEmailSchema>;
