// Attachments: files uploaded to GridFS, linked to an owner (a letter, an agency's answer, a meeting's
// minutes) by the owning module, downloaded through that module's authorised route.
export { uploadFiles, discardUploads, uploadedIds } from './upload.middleware.js';
export type { UploadOptions } from './upload.middleware.js';
export { storeUpload } from './upload-store.js';
export type { UploadedFile, StoreUploadInput } from './upload-store.js';
export { multipartCsrfField } from './multipart-csrf.js';
export { linkAttachments, assertMaySee, softDeleteAttachment, purgeOrphanUploads } from './attachments.service.js';
export type { LinkOptions } from './attachments.service.js';
export { getAttachment, listAttachments } from './attachments.queries.js';
export type { AttachmentInfo } from './attachments.queries.js';
export { sendAttachment } from './download.js';
export { ensureUploadIndexes } from './gridfs.js';
export { ALLOWED_TYPES, DEFAULT_MAX_BYTES, DEFAULT_MAX_FILES } from './attachments.rules.js';
export { AttachmentModel } from './attachment.model.js';
export type { Attachment, AttachmentOwner, AttachmentStatus, Uploader } from './attachment.model.js';
export { UploadRefusedError, UploadProblem } from './upload-errors.js';
