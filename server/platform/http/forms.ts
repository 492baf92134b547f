// Form parsing: a zod schema turns the raw body into typed input, or into field errors expressed as
// message keys that the view translates. Nothing is saved unless the whole input is valid.
import type { z } from 'zod';
import type { Request, RequestHandler, Response } from 'express';
import { ValidationError } from '../errors.js';

export type FieldErrors = Record<string, string>;

const MESSAGE_KEY = /^[a-z][\w-]*(\.[\w-]+)+$/;

/** The submitted value at a zod issue's path (zod 4 leaves it out of the issue unless asked). */
function submittedAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let node = input;
  for (const part of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<PropertyKey, unknown>)[part];
  }
  return node;
}

/**
 * Field errors as message keys. With the submitted input, a type mismatch tells "missing" (required)
 * from "sent, but not a single value" — an array from a repeated field, an object from bracket syntax
 * (invalid) — which the issue alone cannot.
 */
export function zodFieldErrors(error: z.ZodError, input?: unknown): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const field = issue.path.map(String).join('.') || '_form';
    if (errors[field]) continue;
    // Our schemas give i18n keys as messages; anything else (a type mismatch such as an object where
    // a string was expected) is reported as an invalid value.
    if (issue.code === 'invalid_type') {
      const sent = input === undefined ? issue.input : submittedAt(input, issue.path);
      errors[field] = sent === undefined || sent === '' ? 'errors.required' : 'errors.invalid';
    } else errors[field] = MESSAGE_KEY.test(issue.message) ? issue.message : 'errors.invalid';
  }
  return errors;
}

export function parseForm<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const input = body ?? {};
  const result = schema.safeParse(input);
  if (!result.success) throw new ValidationError(zodFieldErrors(result.error, input));
  return result.data;
}

/** Values to show again in a re-rendered form: only strings, never the password fields. */
export function keptValues(body: unknown, omit: readonly string[] = []): Record<string, string> {
  const kept: Record<string, string> = {};
  if (typeof body !== 'object' || body === null) return kept;
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    if (key === '_csrf' || omit.includes(key) || /password/i.test(key)) continue;
    if (typeof value === 'string') kept[key] = value;
  }
  return kept;
}

export interface FormHandlerOptions<S extends z.ZodType> {
  view: string;
  schema: S;
  /** Extra view data needed to render the form again (select options, the record being edited…). */
  locals?: (req: Request) => Promise<Record<string, unknown>> | Record<string, unknown>;
  /** Fields never echoed back (in addition to any password field). */
  omit?: readonly string[];
  submit: (req: Request, res: Response, input: z.infer<S>) => Promise<void>;
}

/**
 * A POST handler for a form: valid input goes to `submit` (which calls a service and redirects);
 * invalid input, or a ValidationError thrown by the service, re-renders the same form with status 422,
 * an error summary and every value the user typed.
 */
export function formHandler<S extends z.ZodType>(options: FormHandlerOptions<S>): RequestHandler {
  return async (req, res) => {
    try {
      const input = parseForm(options.schema, req.body);
      await options.submit(req, res, input);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      const extra = options.locals ? await options.locals(req) : {};
      res.status(422).render(options.view, {
        ...extra,
        values: keptValues(req.body, options.omit),
        errors: err.fieldErrors,
      });
    }
  };
}
