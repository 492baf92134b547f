// Metadata of uploaded files. The bytes live in the GridFS bucket "uploads" (same database, so every
// app instance sees them); this document says what the file is, who sent it and what it belongs to.
//
// Life of an attachment:
//   uploading  → the document is written before the first byte, so a crash mid-upload leaves a trace
//                that purgeOrphanUploads finds (GridFS itself writes its files document only at the end)
//   pending    → stored and checked, waiting for the owning module to link it in its transaction
//   linked     → belongs to an owner (a letter, an agency's answer, a meeting)
//   discarding → being removed (refused form, purge); can no longer be linked
import mongoose, { Schema, type Types } from 'mongoose';

export const ATTACHMENT_STATUSES = ['uploading', 'pending', 'linked', 'discarding'] as const;
export type AttachmentStatus = (typeof ATTACHMENT_STATUSES)[number];

/** Not yet linked, so removable by a refused form or the orphan purge. */
export const UNLINKED_STATUSES: readonly AttachmentStatus[] = ['uploading', 'pending', 'discarding'];

export const UPLOADER_KINDS = ['user', 'agency'] as const;

/** Staff upload as users; agencies (no accounts) upload through a forwarding's secure link. */
export interface Uploader {
  kind: (typeof UPLOADER_KINDS)[number];
  id: string;
}

/** What an attachment belongs to, e.g. `{ type: 'letter', id: '…' }`. */
export interface AttachmentOwner {
  type: string;
  id: string;
}

export interface Attachment {
  _id: Types.ObjectId;
  fileId: Types.ObjectId;
  storedName: string;
  originalName: string;
  contentType: string | null;
  extension: string | null;
  size: number;
  sha256: string | null;
  uploadedBy: Uploader;
  uploadedAt: Date;
  owner: AttachmentOwner | null;
  status: AttachmentStatus;
  confidential: boolean;
  linkedAt: Date | null;
  deletedAt: Date | null;
  deletedBy: string | null;
}

const uploaderSchema = new Schema<Uploader>(
  {
    kind: { type: String, enum: UPLOADER_KINDS, required: true },
    id: { type: String, required: true },
  },
  { _id: false },
);

const ownerSchema = new Schema<AttachmentOwner>(
  {
    type: { type: String, required: true },
    id: { type: String, required: true },
  },
  { _id: false },
);

const attachmentSchema = new Schema<Attachment>(
  {
    fileId: { type: Schema.Types.ObjectId, required: true },
    storedName: { type: String, required: true },
    originalName: { type: String, default: '' },
    // Set from the sniffed type when the upload completes; never the client's declared type.
    contentType: { type: String, default: null },
    extension: { type: String, default: null },
    size: { type: Number, default: 0 },
    sha256: { type: String, default: null },
    uploadedBy: { type: uploaderSchema, required: true },
    uploadedAt: { type: Date, required: true },
    owner: { type: ownerSchema, default: null },
    status: { type: String, enum: ATTACHMENT_STATUSES, required: true },
    // E.g. the scan of a denunciation, which shows who filed it: only for `view-denouncer-identity`.
    confidential: { type: Boolean, default: false },
    linkedAt: { type: Date, default: null },
    deletedAt: { type: Date, default: null },
    deletedBy: { type: String, default: null },
  },
  { collection: 'attachments', versionKey: false },
);
attachmentSchema.index({ fileId: 1 }, { unique: true });
attachmentSchema.index({ storedName: 1 }, { unique: true });
// An owner's files in upload order (listAttachments).
attachmentSchema.index({ 'owner.type': 1, 'owner.id': 1, uploadedAt: 1, _id: 1 });
// The orphan purge: unlinked documents older than a cut-off.
attachmentSchema.index({ status: 1, uploadedAt: 1 });

export const AttachmentModel = mongoose.model<Attachment>('Attachment', attachmentSchema);
