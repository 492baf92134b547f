// A pass-through that looks at a file as it streams to storage: it counts the bytes, hashes them
// (SHA-256) and feeds a copy to `file-type`, which reads only as far as it needs to recognise the
// format. Nothing is held in memory beyond the stream buffers.
//
// Office files are ZIP containers: `file-type` walks the archive's entries until it finds
// [Content_Types].xml, which may lie anywhere in the file, so detection runs alongside the upload
// instead of on a fixed-size head. The verdict is awaited before the stream ends: a refused type
// never completes, and a type refused early (an .exe is known from its first bytes) stops the upload
// at once.
import { createHash } from 'node:crypto';
import { PassThrough, Transform, type TransformCallback } from 'node:stream';
import { fileTypeFromStream } from 'file-type';
import { allowedType, type AllowedType } from './attachments.rules.js';
import { UploadProblem } from './upload-errors.js';

export interface InspectedFile {
  type: AllowedType;
  size: number;
  sha256: string;
}

export class FileInspector extends Transform {
  private size = 0;
  private readonly hash = createHash('sha256');
  private readonly detector = new PassThrough();
  private readonly detection: Promise<AllowedType | null>;
  private flushing = false;
  private outcome: InspectedFile | null = null;

  constructor(private readonly maxBytes: number) {
    super();
    this.detection = fileTypeFromStream(this.detector).then(allowedType, () => null);
    // A verdict reached mid-stream that refuses the type stops the upload without reading the rest.
    void this.detection.then((type) => {
      if (!type && !this.flushing && !this.destroyed) this.destroy(new UploadProblem('type-not-allowed'));
    });
  }

  /** What the file turned out to be; available once the stream has finished without error. */
  get result(): InspectedFile {
    if (!this.outcome) throw new Error('the file has not been inspected completely');
    return this.outcome;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.size += chunk.length;
    if (this.size > this.maxBytes) {
      callback(new UploadProblem('too-large'));
      return;
    }
    this.hash.update(chunk);
    this.feedDetector(chunk).then(
      () => callback(null, chunk),
      (err: unknown) => callback(err as Error),
    );
  }

  override _flush(callback: TransformCallback): void {
    this.flushing = true;
    if (this.size === 0) {
      callback(new UploadProblem('empty'));
      return;
    }
    if (!this.detector.destroyed && !this.detector.writableEnded) this.detector.end();
    this.detection.then(
      (type) => {
        if (!type) return callback(new UploadProblem('type-not-allowed'));
        this.outcome = { type, size: this.size, sha256: this.hash.digest('hex') };
        callback();
      },
      (err: unknown) => callback(err as Error),
    );
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (!this.detector.destroyed) this.detector.destroy();
    callback(error);
  }

  /** Hands a chunk to the detector while it still reads, respecting its back-pressure. */
  private async feedDetector(chunk: Buffer): Promise<void> {
    const detector = this.detector;
    // file-type destroys its input once it has decided.
    if (detector.destroyed || detector.writableEnded) return;
    if (detector.write(chunk)) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        detector.off('drain', done);
        detector.off('close', done);
        resolve();
      };
      detector.on('drain', done);
      detector.on('close', done);
    });
  }
}
