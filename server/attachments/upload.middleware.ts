// The upload parser for routes that accept files: multer streams each file of one form field into
// GridFS (see upload-store.ts), with per-route limits, and leaves the stored files on `req.uploads`
// as "pending" attachments for the route's service to link.
//
// Files a request does not keep are removed: at once when the upload fails, when the route calls
// discardUploads(req), and automatically when the response ends with a status of 400 or more (or the
// client goes away) while they are still unlinked.
import type { Request, RequestHandler } from 'express';
import multer from 'multer';
import { systemClock, type Clock } from '../platform/clock.js';
import { ForbiddenError } from '../platform/errors.js';
import { isCsrfValid } from '../platform/http/csrf.js';
import type { Uploader } from './attachment.model.js';
import { DEFAULT_MAX_BYTES, DEFAULT_MAX_FILES } from './attachments.rules.js';
import { refusal, UploadCsrfError, uploadProblemReason } from './upload-errors.js';
import { batchOf, gridFsStorage, startBatch, UploadBatch, type UploadedFile } from './upload-store.js';

declare module 'express-serve-static-core' {
  interface Request {
    /** Files stored by uploadFiles() for this request, as pending attachments (empty when none). */
    uploads?: UploadedFile[];
  }
}

export interface UploadOptions {
  /** The form field of the file input (`<input type="file" name="files" multiple>`). Default "files". */
  field?: string;
  /** Files per request. Default 10. */
  maxFiles?: number;
  /** Bytes per file. Default 20 MB. */
  maxBytes?: number;
  /** The time recorded as uploadedAt. Default the system clock. */
  clock?: Clock;
  /**
   * Who is uploading; null refuses the request (403) before anything is read. Default: the signed-in
   * user. An agency's link page passes a function that returns `{ kind: 'agency', id }`.
   */
  uploader?: (req: Request) => Uploader | null;
}

function signedInUser(req: Request): Uploader | null {
  return req.user ? { kind: 'user', id: req.user.id } : null;
}

function positiveInteger(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`uploadFiles: ${name} must be a positive integer`);
  return value;
}

/** Discards the uploads that the response does not keep (a refused form, an error, a lost client). */
function discardUnlessKept(req: Request, batch: UploadBatch): void {
  const res = req.res;
  if (!res) return;
  res.once('close', () => {
    if (res.writableFinished && res.statusCode < 400) return;
    batch.discardAll().catch((err: unknown) => req.log.error({ err }, 'could not discard the uploads of a refused request; the orphan purge will'));
  });
}

/**
 * Parses a multipart form: text fields to `req.body` (flat names only, as with the urlencoded parser),
 * files of `field` to GridFS and `req.uploads`. A request that is not multipart passes through with
 * `req.uploads = []`. Refusals are 4xx errors in the user's language, and leave nothing stored:
 * a type outside PDF/JPEG/PNG/DOCX/XLSX (by content) 415, too large or too many 413, an empty file 422,
 * a body cut short 400, a missing CSRF token 403.
 */
export function uploadFiles(options: UploadOptions = {}): RequestHandler {
  const field = options.field ?? 'files';
  const limits = {
    maxFiles: positiveInteger(options.maxFiles ?? DEFAULT_MAX_FILES, 'maxFiles'),
    maxBytes: positiveInteger(options.maxBytes ?? DEFAULT_MAX_BYTES, 'maxBytes'),
  };
  const clock = options.clock ?? systemClock;
  const uploaderOf = options.uploader ?? signedInUser;
  const parse = multer({
    storage: gridFsStorage,
    limits: {
      fileSize: limits.maxBytes,
      files: limits.maxFiles,
      fields: 100,
      fieldSize: 100 * 1024,
      fieldNameSize: 100,
      parts: limits.maxFiles + 100,
      headerPairs: 100,
      // `note[$ne]` stays refused rather than becoming an object, like the app's urlencoded parser.
      fieldNestingDepth: 0,
    },
    // Browsers send file names as raw UTF-8: "Đơn khiếu nại.pdf" must not arrive as Latin-1 mojibake.
    defParamCharset: 'utf8',
  }).array(field);

  return (req, res, next) => {
    req.uploads = [];
    if (!req.is('multipart/form-data')) return next();
    // The global CSRF check has normally run already (see multipartCsrfField); checking again here
    // keeps an upload route safe wherever it is mounted, before a single byte is stored.
    if (!['GET', 'HEAD', 'OPTIONS'].includes(req.method) && !isCsrfValid(req)) return next(new UploadCsrfError());
    const uploader = uploaderOf(req);
    if (!uploader) return next(new ForbiddenError());

    const batch = new UploadBatch(uploader, limits.maxBytes, clock);
    startBatch(req, batch);
    discardUnlessKept(req, batch);
    parse(req, res, (err?: unknown) => {
      if (!err) {
        req.uploads = batch.uploaded();
        next();
        return;
      }
      const reason = uploadProblemReason(err);
      batch.discardAll().then(
        () => next(reason ? refusal(reason, limits, req.lang ?? 'vi') : err),
        (discardError: unknown) => next(discardError),
      );
    });
  };
}

/** For a route that rejects the form: removes the files this request stored (unless linked). */
export async function discardUploads(req: Request): Promise<void> {
  req.uploads = [];
  await batchOf(req)?.discardAll();
}

/** The ids of the request's uploads, to pass to linkAttachments. */
export function uploadedIds(req: Request): string[] {
  return (req.uploads ?? []).map((u) => u.id);
}
