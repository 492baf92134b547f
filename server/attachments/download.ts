// Sending a stored file to the browser. Always as a download (Content-Disposition: attachment) with
// the type we sniffed at upload and `nosniff`, so an uploaded file can never run as a page of this
// site; never cached by shared caches. Whether the actor may have it is the caller's check
// (getAttachment + assertMaySee) before this is called.
import { pipeline } from 'node:stream/promises';
import type { Response } from 'express';
import { NotFoundError } from '../platform/errors.js';
import type { AttachmentInfo } from './attachments.queries.js';
import { contentDispositionFor, downloadName } from './attachments.rules.js';
import { storedFileLength, uploadsBucket } from './gridfs.js';

export async function sendAttachment(res: Response, attachment: Pick<AttachmentInfo, 'fileId' | 'originalName' | 'contentType' | 'extension'>): Promise<void> {
  const length = await storedFileLength(attachment.fileId);
  if (length === null || !attachment.contentType || !attachment.extension) throw new NotFoundError('attachments.errors.notFound');
  res.status(200);
  res.setHeader('Content-Type', attachment.contentType);
  res.setHeader('Content-Length', String(length));
  res.setHeader('Content-Disposition', contentDispositionFor(downloadName(attachment.originalName, attachment.extension)));
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Cache-Control', 'private, no-store');
  // A failure half-way destroys the response: the client sees a short download, never a wrong file.
  await pipeline(uploadsBucket().openDownloadStream(attachment.fileId), res);
}
