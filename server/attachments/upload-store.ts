// Storing the files of one request, and removing them again when the request does not keep them.
//
// Every file gets its attachment document ("uploading") before its first byte is written, and every
// file of a request is recorded in the request's UploadBatch. Whatever goes wrong — a refused type, a
// size or count limit, the client disconnecting, an error later in the request or a form the route
// rejects — the batch removes every file it stored: chunks, GridFS files document and attachment
// document. (A request without a valid CSRF token never gets here: it is refused before parsing.)
import crypto from 'node:crypto';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Request } from 'express';
import mongoose, { trusted, type Types } from 'mongoose';
import type multer from 'multer';
import { systemClock, type Clock } from '../platform/clock.js';
import { AttachmentModel, UNLINKED_STATUSES, type Uploader } from './attachment.model.js';
import { cleanFileName, DEFAULT_MAX_BYTES } from './attachments.rules.js';
import { deleteStoredFile, ensureUploadIndexes, GridFsWriter } from './gridfs.js';
import { FileInspector } from './inspector.js';
import { UploadProblem } from './upload-errors.js';

/** What a route gets for each stored file (on `req.uploads`). */
export interface UploadedFile {
  /** The attachment's id, to pass to linkAttachments. */
  id: string;
  field: string;
  originalName: string;
  contentType: string;
  extension: string;
  size: number;
  sha256: string;
}

interface BatchEntry {
  attachmentId: Types.ObjectId;
  fileId: Types.ObjectId;
  storedName: string;
  /** Resolves when storing has finished, well or badly; nothing of this file is in flight after it. */
  settled: Promise<void>;
  uploaded: UploadedFile | null;
  discarded: boolean;
}

/**
 * Removes one unlinked upload. The document is first switched to "discarding" (never from "linked"),
 * so a concurrent linkAttachments either wins — and the file stays — or can no longer link it.
 */
export async function discardUpload(attachmentId: Types.ObjectId, fileId: Types.ObjectId): Promise<boolean> {
  const claimed = await AttachmentModel.findOneAndUpdate(
    { _id: attachmentId, status: trusted({ $in: UNLINKED_STATUSES }) },
    { $set: { status: 'discarding' } },
    { projection: { _id: 1 } },
  ).lean();
  if (!claimed && (await AttachmentModel.exists({ _id: attachmentId }))) return false; // linked meanwhile: keep
  await deleteStoredFile(fileId);
  await AttachmentModel.deleteOne({ _id: attachmentId, status: 'discarding' });
  return true;
}

/** The files stored by one request. */
export class UploadBatch {
  private readonly entries: BatchEntry[] = [];
  private closed = false;

  constructor(
    readonly uploader: Uploader,
    readonly maxBytes: number,
    readonly clock: Clock,
  ) {}

  /** The files stored completely, in the order they arrived. */
  uploaded(): UploadedFile[] {
    return this.entries.flatMap((e) => (e.uploaded && !e.discarded ? [e.uploaded] : []));
  }

  /** Streams one file into GridFS; its attachment document is "pending" once this resolves. */
  async store(file: Express.Multer.File): Promise<UploadedFile> {
    if (this.closed) throw new UploadProblem('interrupted');
    let finish!: () => void;
    const entry: BatchEntry = {
      attachmentId: new mongoose.Types.ObjectId(),
      fileId: new mongoose.Types.ObjectId(),
      storedName: crypto.randomBytes(16).toString('hex'),
      settled: new Promise<void>((resolve) => (finish = resolve)),
      uploaded: null,
      discarded: false,
    };
    this.entries.push(entry);
    try {
      entry.uploaded = await this.write(entry, file);
      return entry.uploaded;
    } catch (err) {
      await this.discardEntry(entry);
      throw err;
    } finally {
      finish();
    }
  }

  /** Removes one file of the batch, by attachment id (multer's clean-up after a failed request). */
  async discardById(attachmentId: string | undefined): Promise<void> {
    const entry = this.entries.find((e) => String(e.attachmentId) === attachmentId);
    if (entry) {
      await entry.settled;
      await this.discardEntry(entry);
    }
  }

  /**
   * Removes every file of the request that is not linked, after waiting for any still being written.
   * Safe to call more than once and from several places at once.
   */
  async discardAll(): Promise<void> {
    this.closed = true;
    await Promise.all(this.entries.map((e) => e.settled));
    for (const entry of this.entries) await this.discardEntry(entry);
  }

  private async discardEntry(entry: BatchEntry): Promise<void> {
    if (entry.discarded) return;
    entry.discarded = true;
    try {
      await discardUpload(entry.attachmentId, entry.fileId);
    } catch (err) {
      entry.discarded = false; // let a later call (or the orphan purge) try again
      throw err;
    }
  }

  private async write(entry: BatchEntry, file: Express.Multer.File): Promise<UploadedFile> {
    const originalName = cleanFileName(file.originalname ?? '');
    const uploadedAt = this.clock.now();
    await ensureUploadIndexes();
    await AttachmentModel.create({
      _id: entry.attachmentId,
      fileId: entry.fileId,
      storedName: entry.storedName,
      originalName,
      uploadedBy: { kind: this.uploader.kind, id: this.uploader.id },
      uploadedAt,
      status: 'uploading',
    });
    const inspector = new FileInspector(this.maxBytes);
    const writer = new GridFsWriter(entry.fileId, entry.storedName, uploadedAt);
    try {
      await pipeline(file.stream, inspector, writer);
    } finally {
      await writer.settled();
    }
    // Busboy cuts a file at the size limit and marks it truncated; the inspector normally sees the
    // extra byte first, this is the second line.
    if ((file.stream as { truncated?: boolean }).truncated) throw new UploadProblem('too-large');
    const { type, size, sha256 } = inspector.result;
    const updated = await AttachmentModel.updateOne(
      { _id: entry.attachmentId, status: 'uploading' },
      { $set: { status: 'pending', contentType: type.contentType, extension: type.extension, size, sha256 } },
    );
    if (updated.matchedCount !== 1) throw new UploadProblem('interrupted');
    return { id: String(entry.attachmentId), field: file.fieldname, originalName, contentType: type.contentType, extension: type.extension, size, sha256 };
  }
}

const batches = new WeakMap<Request, UploadBatch>();

export function batchOf(req: Request): UploadBatch | undefined {
  return batches.get(req);
}

export function startBatch(req: Request, batch: UploadBatch): void {
  batches.set(req, batch);
}

/** A multer storage engine that hands each file to the request's batch. */
export const gridFsStorage: multer.StorageEngine = {
  _handleFile(req, file, callback) {
    const batch = batches.get(req);
    if (!batch) {
      callback(new Error('uploadFiles() did not start a batch for this request'));
      return;
    }
    batch.store(file).then(
      (stored) => {
        const info: Partial<Express.Multer.File> = { size: stored.size, filename: stored.id, mimetype: stored.contentType };
        callback(null, info);
      },
      (err: unknown) => callback(err),
    );
  },
  _removeFile(req, file, callback) {
    // `filename` is the attachment id we reported from _handleFile.
    const batch = batches.get(req);
    if (!batch) return callback(null);
    batch.discardById(file.filename).then(
      () => callback(null),
      (err: unknown) => callback(err as Error),
    );
  },
};

export interface StoreUploadInput {
  uploader: Uploader;
  originalName: string;
  content: Readable;
  maxBytes?: number;
  clock?: Clock;
}

/**
 * Stores one file outside an HTTP request (imports, scripts, tests), with the same checks as an
 * upload: a pending attachment on success; on failure nothing is left and the UploadProblem is thrown.
 */
export async function storeUpload(input: StoreUploadInput): Promise<UploadedFile> {
  const batch = new UploadBatch(input.uploader, input.maxBytes ?? DEFAULT_MAX_BYTES, input.clock ?? systemClock);
  const file = { fieldname: 'file', originalname: input.originalName, stream: input.content } as Express.Multer.File;
  return batch.store(file);
}
