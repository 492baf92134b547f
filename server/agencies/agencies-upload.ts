// The CSV file an administrator may upload instead of pasting: read into memory (it is small text,
// never stored), through multer, only when the form was sent as multipart. The CSRF token is the
// form's first field, checked before this runs (see server/attachments/multipart-csrf.ts).
import type { Request, Response } from 'express';
import multer from 'multer';
import { ValidationError } from '../platform/errors.js';

export const MAX_UPLOAD_BYTES = 1_000_000;

const parse = multer({
  storage: multer.memoryStorage(),
  limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 10, fieldSize: 200_000, parts: 12 },
}).single('file');

/** The uploaded file's text, or null when no file was sent; refuses a file too large or not UTF-8 text. */
export async function readImportUpload(req: Request, res: Response): Promise<string | null> {
  if (!req.is('multipart/form-data')) return null;
  await new Promise<void>((resolve, reject) => {
    parse(req, res, (err: unknown) => {
      if (!err) return resolve();
      const code = (err as { code?: unknown }).code;
      reject(new ValidationError({ file: code === 'LIMIT_FILE_SIZE' ? 'agencies.errors.fileTooLarge' : 'agencies.errors.fileInvalid' }));
    });
  });
  const file = req.file;
  if (!file || file.size === 0) return null;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(file.buffer);
  } catch {
    throw new ValidationError({ file: 'agencies.errors.fileNotText' });
  }
  if (text.includes('\u0000')) throw new ValidationError({ file: 'agencies.errors.fileNotText' });
  return text;
}
