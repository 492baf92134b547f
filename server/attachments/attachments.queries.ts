// Reads of attachment metadata for the owning modules' screens and download routes.
import mongoose, { trusted } from 'mongoose';
import { can, type Actor } from '../access/index.js';
import { NotFoundError } from '../platform/errors.js';
import { AttachmentModel, type Attachment, type AttachmentOwner } from './attachment.model.js';

/** What a screen or a download needs to know about an attachment. */
export type AttachmentInfo = Pick<
  Attachment,
  '_id' | 'fileId' | 'originalName' | 'contentType' | 'extension' | 'size' | 'sha256' | 'uploadedBy' | 'uploadedAt' | 'owner' | 'status' | 'confidential'
>;

const INFO_FIELDS = {
  fileId: 1,
  originalName: 1,
  contentType: 1,
  extension: 1,
  size: 1,
  sha256: 1,
  uploadedBy: 1,
  uploadedAt: 1,
  owner: 1,
  status: 1,
  confidential: 1,
} as const;

/**
 * A stored attachment (pending or linked) by id. Malformed, unknown, deleted and unfinished ids all
 * answer the same 404. Says nothing about who may see it: the caller checks with assertMaySee.
 */
export async function getAttachment(id: string): Promise<AttachmentInfo> {
  if (typeof id !== 'string' || !/^[0-9a-f]{24}$/i.test(id)) throw new NotFoundError('attachments.errors.notFound');
  const attachment = await AttachmentModel.findOne(
    { _id: new mongoose.Types.ObjectId(id), deletedAt: null, status: trusted({ $in: ['pending', 'linked'] }) },
    INFO_FIELDS,
  ).lean<AttachmentInfo>();
  if (!attachment) throw new NotFoundError('attachments.errors.notFound');
  return attachment;
}

/**
 * An owner's attachments in upload order, without deleted ones. Confidential files (which may reveal
 * a denouncer) are left out for a viewer without `view-denouncer-identity` — even their names.
 */
export async function listAttachments(owner: AttachmentOwner, viewer: Actor): Promise<AttachmentInfo[]> {
  const filter: Record<string, unknown> = { 'owner.type': String(owner.type), 'owner.id': String(owner.id), status: 'linked', deletedAt: null };
  if (!can(viewer, 'view-denouncer-identity')) filter.confidential = false;
  return AttachmentModel.find(filter, INFO_FIELDS).sort({ 'owner.type': 1, 'owner.id': 1, uploadedAt: 1, _id: 1 }).lean<AttachmentInfo[]>();
}
