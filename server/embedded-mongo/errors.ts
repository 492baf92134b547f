// MongoDB error codes and the error type every command handler throws.
// The driver and mongoose branch on `code`/`codeName`/`errorLabels`, so these mirror the server's
// real values (see MongoDB's error_codes.yml) rather than inventing our own.

export const ErrorCodes = {
  InternalError: 1,
  BadValue: 2,
  NoSuchKey: 4,
  FailedToParse: 9,
  TypeMismatch: 14,
  PathNotViable: 28,
  ConflictingUpdateOperators: 40,
  InvalidLength: 16,
  IllegalOperation: 20,
  NamespaceNotFound: 26,
  IndexNotFound: 27,
  CursorNotFound: 43,
  NamespaceExists: 48,
  CommandNotFound: 59,
  ImmutableField: 66,
  InvalidOptions: 72,
  InvalidNamespace: 73,
  IndexOptionsConflict: 85,
  IndexKeySpecsConflict: 86,
  WriteConflict: 112,
  CommandNotSupported: 115,
  NoSuchTransaction: 251,
  TransactionTooOld: 225,
  TransactionCommitted: 256,
  OperationNotSupportedInTransaction: 263,
  DuplicateKey: 11000,
  BSONObjectTooLarge: 10334,
  Location40352: 40352,
  Location40323: 40323,
  Location40324: 40324,
  Location40600: 40600,
  InvalidIndexSpecificationOption: 197,
  InvalidIdField: 53,
  CannotCreateIndex: 67,
  IndexAlreadyExists: 68,
  CannotIndexParallelArrays: 171,
  NotImplemented: 238,
  MaxTimeMSExpired: 50,
  Unauthorized: 13,
  OperationFailed: 96,
} as const;

export type ErrorCodeName = keyof typeof ErrorCodes;

export class MongoServerError extends Error {
  readonly code: number;
  readonly codeName: string;
  /** Extra fields copied into the reply (e.g. keyPattern/keyValue for E11000). */
  readonly extra: Record<string, unknown>;
  readonly errorLabels: string[];

  constructor(codeName: ErrorCodeName, message: string, extra: Record<string, unknown> = {}, errorLabels: string[] = []) {
    super(message);
    this.name = 'MongoServerError';
    this.codeName = codeName;
    this.code = ErrorCodes[codeName];
    this.extra = extra;
    this.errorLabels = errorLabels;
  }

  /** The `{ok:0,...}` command reply MongoDB sends for this error. */
  toReply(): Record<string, unknown> {
    const reply: Record<string, unknown> = { ok: 0, errmsg: this.message, code: this.code, codeName: this.codeName, ...this.extra };
    if (this.errorLabels.length > 0) reply.errorLabels = this.errorLabels;
    return reply;
  }

  /** The entry MongoDB puts in `writeErrors` for a failed statement of a batch write. */
  toWriteError(index: number): Record<string, unknown> {
    return { index, code: this.code, errmsg: this.message, ...this.extra };
  }
}

export function badValue(message: string): MongoServerError {
  return new MongoServerError('BadValue', message);
}

/** Turns anything thrown by a handler (mingo errors, bugs) into a MongoDB-style error. */
export function toServerError(err: unknown): MongoServerError {
  if (err instanceof MongoServerError) return err;
  const message = err instanceof Error ? err.message : String(err);
  // mingo throws MingoError for bad operators/expressions: that is the client's bad input.
  if (err instanceof Error && err.constructor.name === 'MingoError') {
    return new MongoServerError('BadValue', message.replace(/^unknown (query|top level) operator:? /, 'unknown operator: '));
  }
  return new MongoServerError('InternalError', message);
}
