// Use cases of attachments. Uploading is the upload middleware's; these give uploads an owner, guard
// who may see them, retire them and clear away what crashed requests left behind.
import mongoose, { trusted, type ClientSession } from 'mongoose';
import { can, type Actor } from '../access/index.js';
import type { ServiceContext } from '../platform/context.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../platform/errors.js';
import { AttachmentModel, UNLINKED_STATUSES, type AttachmentOwner, type Uploader } from './attachment.model.js';
import type { AttachmentInfo } from './attachments.queries.js';
import { discardUpload } from './upload-store.js';

const OWNER_TYPE = /^[a-z][a-z0-9-]{0,39}$/;

function assertOwner(owner: AttachmentOwner): void {
  // Owners come from our own services, never from a form: a bad one is a programming error.
  if (!OWNER_TYPE.test(owner.type) || typeof owner.id !== 'string' || owner.id.length === 0 || owner.id.length > 100) {
    throw new Error(`invalid attachment owner ${JSON.stringify(owner)}`);
  }
}

function objectIds(ids: readonly string[]): mongoose.Types.ObjectId[] {
  const unique = [...new Set(ids)];
  if (!unique.every((id) => typeof id === 'string' && /^[0-9a-f]{24}$/i.test(id))) throw new ConflictError('attachments.errors.notPending');
  return unique.map((id) => new mongoose.Types.ObjectId(id));
}

export interface LinkOptions {
  /** The file reveals who filed a denunciation: only `view-denouncer-identity` may open it. */
  confidential: boolean;
  /** When given, only uploads by this uploader are linked (ids taken from a form, a later step…). */
  uploadedBy?: Uploader;
}

/**
 * Gives pending uploads their owner, inside the owning service's transaction. Every id must be a
 * pending upload (and, with `uploadedBy`, that uploader's), or nothing is linked and a 409 aborts the
 * transaction — e.g. when the orphan purge removed it meanwhile.
 */
export async function linkAttachments(ids: readonly string[], owner: AttachmentOwner, options: LinkOptions, session: ClientSession | null): Promise<void> {
  assertOwner(owner);
  const wanted = objectIds(ids);
  if (wanted.length === 0) return;
  const filter: Record<string, unknown> = { _id: trusted({ $in: wanted }), status: 'pending', deletedAt: null };
  if (options.uploadedBy) {
    filter['uploadedBy.kind'] = options.uploadedBy.kind;
    filter['uploadedBy.id'] = options.uploadedBy.id;
  }
  const linkedAt = new Date();
  const result = await AttachmentModel.updateMany(
    filter,
    { $set: { status: 'linked', owner: { type: owner.type, id: owner.id }, confidential: options.confidential, linkedAt } },
    session ? { session } : {},
  );
  // Without a transaction a partial link cannot be rolled back by the caller, so take it back here.
  if (result.matchedCount !== wanted.length) {
    if (!session) {
      await AttachmentModel.updateMany({ _id: trusted({ $in: wanted }), status: 'linked', linkedAt }, { $set: { status: 'pending', owner: null, confidential: false, linkedAt: null } });
    }
    throw new ConflictError('attachments.errors.notPending');
  }
}

/**
 * May the actor open this attachment? `ownerVisible` is the owning module's answer to "may the actor
 * see the owner?". A hidden owner answers 404 (the file's existence is not revealed); a confidential
 * file needs `view-denouncer-identity` (403, audited by the error handler); a pending upload is visible
 * only to the user who uploaded it.
 */
export function assertMaySee(actor: Actor, attachment: Pick<AttachmentInfo, 'status' | 'confidential' | 'uploadedBy'>, ownerVisible: boolean): void {
  if (attachment.status === 'pending') {
    if (attachment.uploadedBy.kind !== 'user' || attachment.uploadedBy.id !== actor.id) throw new NotFoundError('attachments.errors.notFound');
    return;
  }
  if (attachment.status !== 'linked' || !ownerVisible) throw new NotFoundError('attachments.errors.notFound');
  if (attachment.confidential && !can(actor, 'view-denouncer-identity')) {
    throw new ForbiddenError('attachments.errors.confidential', { permission: 'view-denouncer-identity' });
  }
}

/**
 * Retires an attachment from its owner's list. The file itself is kept (records are evidence). The
 * owning module says whether the actor may edit the owner; confidential files also need the identity
 * permission.
 */
export async function softDeleteAttachment(
  actor: Actor,
  id: string,
  options: { ownerEditable: boolean },
  ctx: ServiceContext,
  session?: ClientSession,
): Promise<void> {
  if (typeof id !== 'string' || !/^[0-9a-f]{24}$/i.test(id)) throw new NotFoundError('attachments.errors.notFound');
  const attachmentId = new mongoose.Types.ObjectId(id);
  const attachment = await AttachmentModel.findOne({ _id: attachmentId, deletedAt: null }, { status: 1, confidential: 1, uploadedBy: 1 })
    .session(session ?? null)
    .lean();
  if (!attachment) throw new NotFoundError('attachments.errors.notFound');
  assertMaySee(actor, attachment, options.ownerEditable);
  await AttachmentModel.updateOne(
    { _id: attachmentId, deletedAt: null },
    { $set: { deletedAt: ctx.clock.now(), deletedBy: actor.id } },
    session ? { session } : {},
  );
}

/**
 * Removes unlinked uploads older than `olderThan` with their files: what requests that crashed or
 * were cut off left behind. Returns how many were removed. Give a cut-off well beyond the longest
 * upload (a day, say): an upload still streaming or awaiting its link is unlinked too.
 */
export async function purgeOrphanUploads(olderThan: Date, options: { batchSize?: number } = {}): Promise<number> {
  const batchSize = options.batchSize ?? 100;
  let removed = 0;
  let lastId: mongoose.Types.ObjectId | null = null;
  for (;;) {
    const filter: Record<string, unknown> = { status: trusted({ $in: UNLINKED_STATUSES }), uploadedAt: trusted({ $lt: olderThan }) };
    if (lastId) filter._id = trusted({ $gt: lastId });
    const orphans: { _id: mongoose.Types.ObjectId; fileId: mongoose.Types.ObjectId }[] = await AttachmentModel.find(filter, { fileId: 1 })
      .sort({ _id: 1 })
      .limit(batchSize)
      .lean();
    for (const orphan of orphans) {
      if (await discardUpload(orphan._id, orphan.fileId)) removed += 1;
    }
    if (orphans.length < batchSize) return removed;
    lastId = orphans[orphans.length - 1]!._id;
  }
}
