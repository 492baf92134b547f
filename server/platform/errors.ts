// Typed errors that the single error handler turns into status pages. Services throw these with a
// message key (translated at render time) so the same error reads right in Vietnamese and English.

export type ErrorParams = Record<string, string | number>;

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly messageKey: string,
    readonly params: ErrorParams = {},
  ) {
    super(messageKey);
    this.name = new.target.name;
  }
}

export class NotFoundError extends AppError {
  constructor(messageKey = 'errors.notFound', params?: ErrorParams) {
    super(404, messageKey, params);
  }
}

export class ForbiddenError extends AppError {
  constructor(messageKey = 'errors.forbidden', params?: ErrorParams) {
    super(403, messageKey, params);
  }
}

/** Input that cannot be accepted; `fieldErrors` map field names to message keys. */
export class ValidationError extends AppError {
  constructor(
    readonly fieldErrors: Record<string, string>,
    messageKey = 'errors.validation',
  ) {
    super(422, messageKey);
  }
}

/** A state change that conflicts with the current state (illegal transition, stale edit, duplicate). */
export class ConflictError extends AppError {
  constructor(messageKey: string, params?: ErrorParams) {
    super(409, messageKey, params);
  }
}

export class TooManyRequestsError extends AppError {
  constructor(messageKey = 'errors.tooManyRequests') {
    super(429, messageKey);
  }
}

export function isDuplicateKeyError(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 11000;
}
