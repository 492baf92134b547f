// The bytes of uploads, in the GridFS bucket "uploads" of the app's database (collections
// uploads.files and uploads.chunks, in the standard GridFS layout, so any GridFS tool can read them).
//
// Files are written by our own small writer rather than the driver's upload stream: the writer inserts
// one chunk at a time and can say when its last insert has settled, so the clean-up after an aborted
// upload never races a late chunk insert and leaves a stray chunk behind.
import { Writable } from 'node:stream';
import mongoose from 'mongoose';
import type { Types } from 'mongoose';

export const UPLOADS_BUCKET = 'uploads';
/** GridFS's customary chunk size (255 KiB): under the 16 MiB document limit, a few chunks per scan. */
export const CHUNK_SIZE = 255 * 1024;

interface ChunkDoc {
  _id: Types.ObjectId;
  files_id: Types.ObjectId;
  n: number;
  data: Buffer;
}

interface FileDoc {
  _id: Types.ObjectId;
  length: number;
  chunkSize: number;
  uploadDate: Date;
  filename: string;
}

function database() {
  const db = mongoose.connection.db;
  if (!db) throw new Error('the database is not connected');
  return db;
}

function chunksCollection() {
  return database().collection<ChunkDoc>(`${UPLOADS_BUCKET}.chunks`);
}

function filesCollection() {
  return database().collection<FileDoc>(`${UPLOADS_BUCKET}.files`);
}

export function uploadsBucket(): mongoose.mongo.GridFSBucket {
  return new mongoose.mongo.GridFSBucket(database(), { bucketName: UPLOADS_BUCKET });
}

let indexesReady: Promise<void> | null = null;

/** The indexes GridFS readers expect; created once per process before the first write. */
export function ensureUploadIndexes(): Promise<void> {
  indexesReady ??= (async () => {
    await chunksCollection().createIndex({ files_id: 1, n: 1 }, { unique: true });
    await filesCollection().createIndex({ filename: 1, uploadDate: 1 });
  })().catch((err: unknown) => {
    indexesReady = null; // try again next time rather than remembering a failure
    throw err;
  });
  return indexesReady;
}

/**
 * A writable stream into one GridFS file. Chunks are inserted as they fill; the files document is
 * inserted last, on end, so a file is visible to readers only once complete.
 */
export class GridFsWriter extends Writable {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private chunkNumber = 0;
  private written = 0;
  private lastOperation: Promise<unknown> = Promise.resolve();

  constructor(
    readonly fileId: Types.ObjectId,
    private readonly filename: string,
    private readonly uploadDate: Date,
  ) {
    super({ highWaterMark: CHUNK_SIZE });
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    this.track(this.flushFullChunks()).then(() => callback(), callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.track(this.complete()).then(() => callback(), callback);
  }

  /** Resolves once no insert of this writer is in flight (call after the stream has stopped). */
  async settled(): Promise<void> {
    await this.lastOperation;
  }

  private track<T>(operation: Promise<T>): Promise<T> {
    this.lastOperation = operation.catch(() => undefined);
    return operation;
  }

  private async flushFullChunks(): Promise<void> {
    while (this.pendingBytes >= CHUNK_SIZE) {
      const all = Buffer.concat(this.pending, this.pendingBytes);
      await this.insertChunk(all.subarray(0, CHUNK_SIZE));
      const rest = all.subarray(CHUNK_SIZE);
      this.pending = rest.length > 0 ? [rest] : [];
      this.pendingBytes = rest.length;
    }
  }

  private async complete(): Promise<void> {
    if (this.pendingBytes > 0) await this.insertChunk(Buffer.concat(this.pending, this.pendingBytes));
    this.pending = [];
    this.pendingBytes = 0;
    await filesCollection().insertOne({
      _id: this.fileId,
      length: this.written,
      chunkSize: CHUNK_SIZE,
      uploadDate: this.uploadDate,
      filename: this.filename,
    });
  }

  private async insertChunk(data: Buffer): Promise<void> {
    await chunksCollection().insertOne({ _id: new mongoose.Types.ObjectId(), files_id: this.fileId, n: this.chunkNumber, data });
    this.chunkNumber += 1;
    this.written += data.length;
  }
}

/** Removes a stored file completely, whether or not it was finished (files document, then chunks). */
export async function deleteStoredFile(fileId: Types.ObjectId): Promise<void> {
  await filesCollection().deleteOne({ _id: fileId });
  await chunksCollection().deleteMany({ files_id: fileId });
}

/** The length of a complete stored file, or null when there is none. */
export async function storedFileLength(fileId: Types.ObjectId): Promise<number | null> {
  const file = await filesCollection().findOne({ _id: fileId }, { projection: { length: 1 } });
  return file ? file.length : null;
}
