// Inputs of the actions on a case's page.
import { z } from 'zod';
import { CASE_STATUSES, CASE_TYPES, NOTICE_ANSWERS } from '../cases/index.js';
import { cleanText } from '../platform/text.js';

const optionalText = (max: number) =>
  z
    .string()
    .max(max * 2, 'errors.tooLong')
    .transform(cleanText)
    .pipe(z.string().max(max, 'errors.tooLong'))
    .optional()
    .transform((v) => (v ? v : null));

export const statusChangeSchema = z.object({
  to: z.enum(CASE_STATUSES, { error: 'cases.errors.status' }),
  reason: optionalText(1000),
});

export const assignSchema = z.object({
  assignedTo: z.string().regex(/^[a-f0-9]{24}$/, 'cases.errors.assignee'),
});

export const noticeAnswerSchema = z.object({
  personId: z.string().regex(/^[a-f0-9]{24}$/, 'cases.errors.noticeParty'),
  answer: z.enum(NOTICE_ANSWERS, { error: 'cases.errors.noticeAnswer' }),
});

export const classifySchema = z.object({
  type: z.enum(CASE_TYPES, { error: 'receptions.errors.type' }),
  fieldCode: optionalText(50),
  unitCode: optionalText(50),
  summary: z
    .string()
    .max(4000, 'errors.tooLong')
    .transform(cleanText)
    .pipe(z.string().min(1, 'errors.required').max(2000, 'errors.tooLong')),
});

export const mergeSchema = z.object({
  intoNumber: z
    .string()
    .max(20)
    .transform(cleanText)
    .pipe(z.string().regex(/^\d{4}\/\d{1,6}$/, 'cases.errors.numberFormat')),
  reason: z
    .string()
    .max(2000, 'errors.tooLong')
    .transform(cleanText)
    .pipe(z.string().min(1, 'cases.errors.reasonRequired')),
});
