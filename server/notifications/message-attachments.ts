// Files sent with an email. Two sources:
//  - a stored attachment (GridFS, server/attachments), named at enqueue;
//  - a paper generated for the email (a forwarding slip, a chase letter), named by a registered kind and
//    its parameters. It is generated at the message's first attempt and then stored as an attachment
//    owned by the email, so every later attempt — and the email log — has exactly the same bytes.
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import mongoose, { type Types } from 'mongoose';
import { getAttachment, linkAttachments, storeUpload } from '../attachments/index.js';
import type { Clock } from '../platform/clock.js';
import type { MessageAttachment } from './outbox.model.js';

/** Turns the parameters given at enqueue into the bytes of a PDF. */
export type EmailPdfRenderer = (params: Record<string, unknown>) => Promise<Buffer>;

const pdfKinds = new Map<string, EmailPdfRenderer>();
const KIND = /^[a-z][a-z0-9-]{0,39}$/;

/**
 * Registers a kind of generated PDF (e.g. 'forwarding-slip'). The module that owns the paper registers
 * it when its index is imported; the app and the worker import the same modules (server/jobs.ts), so
 * both can produce it.
 */
export function registerEmailPdf(kind: string, render: EmailPdfRenderer): void {
  if (!KIND.test(kind)) throw new Error(`invalid PDF kind '${kind}'`);
  pdfKinds.set(kind, render);
}

export function isEmailPdfKind(kind: string): boolean {
  return pdfKinds.has(kind);
}

/** A problem with an attachment that another attempt will not solve. */
export class AttachmentUnavailableError extends Error {
  readonly code = 'ATTACHMENT';
}

// The uploads live in the standard GridFS bucket "uploads" (see server/attachments/gridfs.ts). The
// attachments module exposes no stream reader yet, so this reads the bucket by the file id that
// getAttachment gives; replace with an exported reader once there is one.
const UPLOADS_BUCKET = 'uploads';

async function storedBytes(attachmentId: Types.ObjectId): Promise<Buffer> {
  let info;
  try {
    info = await getAttachment(String(attachmentId));
  } catch {
    throw new AttachmentUnavailableError(`attachment ${String(attachmentId)} is missing`);
  }
  const db = mongoose.connection.db;
  if (!db) throw new Error('the database is not connected');
  const bucket = new mongoose.mongo.GridFSBucket(db, { bucketName: UPLOADS_BUCKET });
  return buffer(bucket.openDownloadStream(info.fileId));
}

export interface FrozenAttachment {
  attachmentId: Types.ObjectId;
  size: number;
  sha256: string;
}

/**
 * Generates a PDF attachment and stores it as an attachment owned by the email. A crash after storing
 * and before the message records it leaves one unreferenced file owned by the email — harmless, and
 * the next attempt generates the paper again.
 */
export async function freezePdf(messageId: Types.ObjectId, attachment: MessageAttachment, clock: Clock): Promise<FrozenAttachment> {
  const pdf = attachment.pdf;
  const render = pdf ? pdfKinds.get(pdf.kind) : undefined;
  if (!pdf || !render) throw new AttachmentUnavailableError(`no PDF kind '${pdf?.kind ?? ''}' is registered in this process`);
  const bytes = await render(pdf.params);
  const stored = await storeUpload({ uploader: { kind: 'user', id: 'system' }, originalName: attachment.filename, content: Readable.from([bytes]), clock });
  await linkAttachments([stored.id], { type: 'email', id: String(messageId) }, { confidential: false }, null);
  return { attachmentId: new mongoose.Types.ObjectId(stored.id), size: stored.size, sha256: stored.sha256 };
}

export interface MailAttachment {
  filename: string;
  contentType: string;
  content: Buffer;
}

/** The bytes of every attachment of a message, all of which must be stored by now. */
export async function loadAttachments(attachments: readonly MessageAttachment[]): Promise<MailAttachment[]> {
  const loaded: MailAttachment[] = [];
  for (const attachment of attachments) {
    if (!attachment.attachmentId) throw new AttachmentUnavailableError(`attachment '${attachment.filename}' was never stored`);
    loaded.push({ filename: attachment.filename, contentType: attachment.contentType, content: await storedBytes(attachment.attachmentId) });
  }
  return loaded;
}
