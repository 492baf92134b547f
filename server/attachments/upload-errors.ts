// Why an upload was refused, and how that reads to the user: a 4xx page in their language that says
// what to do, never a 500.
import { AppError, ForbiddenError } from '../platform/errors.js';
import { megabytes } from './attachments.rules.js';

export type UploadProblemReason = 'type-not-allowed' | 'too-large' | 'too-many-files' | 'empty' | 'interrupted' | 'unexpected-field' | 'malformed';

/** Raised while a file streams in; turned into an UploadRefusedError by the upload middleware. */
export class UploadProblem extends Error {
  constructor(readonly reason: UploadProblemReason) {
    super(`upload refused: ${reason}`);
    this.name = 'UploadProblem';
  }
}

export class UploadRefusedError extends AppError {
  constructor(
    status: number,
    messageKey: string,
    readonly reason: UploadProblemReason,
    params?: Record<string, string | number>,
  ) {
    super(status, messageKey, params);
  }
}

/** A multipart request without the session's CSRF token: the same answer as the global check gives. */
export class UploadCsrfError extends ForbiddenError {
  // The error handler recognises this code: no "permission denied" audit, and the page explains
  // that the form has expired.
  readonly code = 'EBADCSRFTOKEN';

  constructor() {
    super('errors.csrf');
  }
}

export interface UploadLimits {
  maxFiles: number;
  maxBytes: number;
}

export function refusal(reason: UploadProblemReason, limits: UploadLimits, lang: 'vi' | 'en'): UploadRefusedError {
  switch (reason) {
    case 'type-not-allowed':
      return new UploadRefusedError(415, 'attachments.errors.typeNotAllowed', reason);
    case 'too-large':
      return new UploadRefusedError(413, 'attachments.errors.tooLarge', reason, { maxMb: megabytes(limits.maxBytes, lang) });
    case 'too-many-files':
      return new UploadRefusedError(413, 'attachments.errors.tooManyFiles', reason, { maxFiles: limits.maxFiles });
    case 'empty':
      return new UploadRefusedError(422, 'attachments.errors.empty', reason);
    case 'interrupted':
      return new UploadRefusedError(400, 'attachments.errors.interrupted', reason);
    case 'unexpected-field':
      return new UploadRefusedError(400, 'attachments.errors.unexpectedField', reason);
    case 'malformed':
      return new UploadRefusedError(400, 'attachments.errors.malformed', reason);
  }
}

const MULTER_REASONS: Readonly<Record<string, UploadProblemReason>> = {
  LIMIT_FILE_SIZE: 'too-large',
  LIMIT_FILE_COUNT: 'too-many-files',
  LIMIT_UNEXPECTED_FILE: 'unexpected-field',
  LIMIT_PART_COUNT: 'malformed',
  LIMIT_FIELD_KEY: 'malformed',
  LIMIT_FIELD_VALUE: 'malformed',
  LIMIT_FIELD_COUNT: 'malformed',
  LIMIT_FIELD_NESTING: 'malformed',
  LIMIT_FIELD_ARRAY_INDEX: 'malformed',
  MISSING_FIELD_NAME: 'malformed',
  INVALID_FIELD_NAME: 'malformed',
  STREAM_DESTROYED: 'interrupted',
};

/**
 * The reason behind an error from the multipart parser or our storage, or null for anything else
 * (a database failure stays a 500). Busboy reports a body cut short or garbled with plain Errors.
 */
export function uploadProblemReason(err: unknown): UploadProblemReason | null {
  if (err instanceof UploadProblem) return err.reason;
  if (typeof err !== 'object' || err === null) return null;
  const { name, code, message } = err as { name?: unknown; code?: unknown; message?: unknown };
  if (name === 'MulterError' && typeof code === 'string') return MULTER_REASONS[code] ?? 'malformed';
  if (code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE') return 'interrupted';
  if (typeof message !== 'string') return null;
  if (/^Request (aborted|closed|error)$|^aborted$|^Unexpected end of (form|file)$/.test(message)) return 'interrupted';
  if (/^(Malformed |Multipart: |Unsupported content type)/.test(message)) return 'malformed';
  return null;
}
