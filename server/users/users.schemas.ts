// Inputs of the users module. Messages are i18n keys; the inferred types are the services' inputs.
import { z } from 'zod';
import { ROLES } from '../access/index.js';
import { LANGUAGES } from '../platform/i18n.js';
import { cleanText } from '../platform/text.js';

const text = (max: number) =>
  z
    .string()
    .transform(cleanText)
    .pipe(z.string().min(1, 'errors.required').max(max, 'errors.tooLong'));

export const emailField = z
  .string()
  .transform((v) => cleanText(v).toLowerCase())
  .pipe(z.string().min(1, 'errors.required').max(254, 'errors.tooLong').email('errors.email'));

const roleField = z.enum(ROLES, { error: 'users.errors.role' });

/** Checkbox: present ("on") when ticked, absent otherwise. */
const checkbox = z
  .enum(['on', 'true'])
  .optional()
  .transform((v) => v !== undefined);

export const createUserSchema = z.object({
  email: emailField,
  name: text(120),
  role: roleField,
  canViewDenouncerIdentity: checkbox,
});
export type CreateUserInput = z.infer<typeof createUserSchema>;

export const updateUserSchema = z.object({
  name: text(120),
  role: roleField,
  canViewDenouncerIdentity: checkbox,
});
export type UpdateUserInput = z.infer<typeof updateUserSchema>;

// Passwords are not trimmed or normalised beyond NFC: every character the user typed counts.
const password = z.string().min(1, 'errors.required').max(1024, 'users.password.tooLong');

export const changePasswordSchema = z
  .object({
    currentPassword: password,
    newPassword: password.transform((v) => v.normalize('NFC')),
    confirmPassword: z.string(),
  })
  .refine((v) => v.newPassword === v.confirmPassword.normalize('NFC'), {
    path: ['confirmPassword'],
    message: 'users.password.mismatch',
  });
export type ChangePasswordInput = z.infer<typeof changePasswordSchema>;

export const signInSchema = z.object({
  email: z.string().max(254, 'errors.tooLong').transform((v) => cleanText(v).toLowerCase()).pipe(z.string().min(1, 'errors.required')),
  password,
});
export type SignInInput = z.infer<typeof signInSchema>;

/** A 6-digit code from an authenticator app; spaces ("123 456") are allowed and ignored. */
export const secondFactorSchema = z.object({
  code: z
    .string()
    .max(20, 'errors.tooLong')
    .transform((v) => v.replace(/\s+/g, ''))
    .pipe(z.string().regex(/^\d{6}$/, 'users.twoFactor.codeFormat')),
});

export const languageSchema = z.object({
  lang: z.enum(LANGUAGES, { error: 'errors.invalid' }),
  returnTo: z.string().max(500).optional(),
});

export const userListQuerySchema = z.object({
  q: z.string().max(100).transform(cleanText).optional().catch(undefined),
  role: z.enum(ROLES).optional().catch(undefined),
  status: z.enum(['active', 'disabled']).optional().catch(undefined),
  after: z.string().regex(/^[a-f0-9]{24}$/).optional().catch(undefined),
});
export type UserListQuery = z.infer<typeof userListQuerySchema>;
