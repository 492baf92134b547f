// The attachment services against the real database: linking inside a transaction, who may see what,
// listing, soft deletion and the orphan purge.
import { Readable } from 'node:stream';
import { expect } from 'chai';
import mongoose from 'mongoose';
import { permissionsOf, type Actor } from '../../server/access/index.js';
import {
  assertMaySee,
  AttachmentModel,
  getAttachment,
  linkAttachments,
  listAttachments,
  purgeOrphanUploads,
  softDeleteAttachment,
  storeUpload,
  UploadProblem,
  type Attachment,
  type AttachmentInfo,
} from '../../server/attachments/index.js';
import { fixedClock } from '../../server/platform/clock.js';
import { inTransaction } from '../../server/platform/db/transaction.js';
import { AppError } from '../../server/platform/errors.js';
import { useTestDatabase } from '../support/app.js';
import { sha256 } from './http.js';
import { sampleExe, samplePdf, samplePng } from './samples.js';
import { storedCounts } from './support.js';

function actor(id: string, extra: Actor['permissions'] = []): Actor {
  return { id, email: `${id}@test.dannguyen.vn`, name: 'Thử', role: 'officer', permissions: [...permissionsOf('officer'), ...extra], locale: 'vi', mustChangePassword: false, twoFactorEnabled: false };
}

const clerk = actor('6650a0000000000000000001');
const leader = actor('6650a0000000000000000002', ['view-denouncer-identity']);

async function store(name: string, data: Buffer, options: { at?: Date; uploaderId?: string } = {}) {
  return storeUpload({
    uploader: { kind: 'user', id: options.uploaderId ?? clerk.id },
    originalName: name,
    content: Readable.from([data]),
    ...(options.at ? { clock: fixedClock(options.at) } : {}),
  });
}

async function errorOf(work: Promise<unknown> | (() => unknown)): Promise<AppError> {
  try {
    await (typeof work === 'function' ? work() : work);
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected an AppError');
}

describe('attachments: services', () => {
  useTestDatabase();

  describe('storeUpload (imports and scripts)', () => {
    it('stores a checked file as a pending attachment', async () => {
      const pdf = samplePdf(100);
      const stored = await store('Biên bản họp.pdf', pdf);
      expect(stored).to.deep.include({ originalName: 'Biên bản họp.pdf', extension: 'pdf', contentType: 'application/pdf', size: pdf.length, sha256: sha256(pdf) });
      expect((await getAttachment(stored.id)).status).to.equal('pending');
    });

    it('refuses a forbidden type with an UploadProblem and leaves nothing', async () => {
      const err = await store('x.pdf', sampleExe()).catch((e: unknown) => e);
      expect(err).to.be.instanceOf(UploadProblem);
      expect((err as UploadProblem).reason).to.equal('type-not-allowed');
      expect(await storedCounts()).to.deep.equal({ attachments: 0, files: 0, chunks: 0 });
    });
  });

  describe('linkAttachments', () => {
    it('links pending uploads inside the owner’s transaction', async () => {
      const a = await store('a.pdf', samplePdf());
      const b = await store('b.png', samplePng());
      await inTransaction((session) => linkAttachments([a.id, b.id, a.id], { type: 'letter', id: 'L1' }, { confidential: false }, session));
      const linked = await getAttachment(a.id);
      expect(linked).to.deep.include({ status: 'linked', owner: { type: 'letter', id: 'L1' }, confidential: false });
    });

    it('links nothing when one id is not pending: the transaction is rolled back with 409', async () => {
      const a = await store('a.pdf', samplePdf());
      const b = await store('b.pdf', samplePdf());
      await inTransaction((session) => linkAttachments([b.id], { type: 'letter', id: 'L0' }, { confidential: false }, session));
      const err = await errorOf(inTransaction((session) => linkAttachments([a.id, b.id], { type: 'letter', id: 'L2' }, { confidential: true }, session)));
      expect(err.status).to.equal(409);
      expect(err.messageKey).to.equal('attachments.errors.notPending');
      expect((await getAttachment(a.id)).status).to.equal('pending');
      expect((await getAttachment(b.id)).owner).to.deep.equal({ type: 'letter', id: 'L0' });
    });

    it('without a transaction, takes back a partial link itself', async () => {
      const a = await store('a.pdf', samplePdf());
      const err = await errorOf(linkAttachments([a.id, new mongoose.Types.ObjectId().toString()], { type: 'letter', id: 'L3' }, { confidential: false }, null));
      expect(err.status).to.equal(409);
      expect(await getAttachment(a.id)).to.deep.include({ status: 'pending', owner: null });
    });

    it('links only the given uploader’s files when asked to', async () => {
      const mine = await store('a.pdf', samplePdf());
      const theirs = await store('b.pdf', samplePdf(), { uploaderId: leader.id });
      const err = await errorOf(linkAttachments([mine.id, theirs.id], { type: 'letter', id: 'L4' }, { confidential: false, uploadedBy: { kind: 'user', id: clerk.id } }, null));
      expect(err.status).to.equal(409);
      await linkAttachments([mine.id], { type: 'letter', id: 'L4' }, { confidential: false, uploadedBy: { kind: 'user', id: clerk.id } }, null);
      expect((await getAttachment(mine.id)).status).to.equal('linked');
    });

    it('refuses malformed ids with 409 and a malformed owner as a programming error', async () => {
      expect((await errorOf(linkAttachments(['{"$ne":null}'], { type: 'letter', id: 'L5' }, { confidential: false }, null))).status).to.equal(409);
      const a = await store('a.pdf', samplePdf());
      const err = await linkAttachments([a.id], { type: 'Letter; drop', id: 'x' }, { confidential: false }, null).catch((e: unknown) => e);
      expect(err).to.be.instanceOf(Error).and.not.instanceOf(AppError);
    });
  });

  describe('assertMaySee', () => {
    const linked = (confidential: boolean): Pick<AttachmentInfo, 'status' | 'confidential' | 'uploadedBy'> => ({ status: 'linked', confidential, uploadedBy: { kind: 'user', id: clerk.id } });
    const cases: [string, Actor, Pick<AttachmentInfo, 'status' | 'confidential' | 'uploadedBy'>, boolean, number | null][] = [
      ['an ordinary file of a visible owner', clerk, linked(false), true, null],
      ['a file of an owner the actor may not see', clerk, linked(false), false, 404],
      ['a confidential file without the permission', clerk, linked(true), true, 403],
      ['a confidential file with the permission', leader, linked(true), true, null],
      ['a confidential file of a hidden owner, even with the permission', leader, linked(true), false, 404],
      ['one’s own pending upload', clerk, { status: 'pending', confidential: false, uploadedBy: { kind: 'user', id: clerk.id } }, false, null],
      ['someone else’s pending upload', leader, { status: 'pending', confidential: false, uploadedBy: { kind: 'user', id: clerk.id } }, true, 404],
      ['an agency’s pending upload', clerk, { status: 'pending', confidential: false, uploadedBy: { kind: 'agency', id: clerk.id } }, true, 404],
      ['an upload being discarded', clerk, { status: 'discarding', confidential: false, uploadedBy: { kind: 'user', id: clerk.id } }, true, 404],
    ];
    for (const [label, who, attachment, ownerVisible, status] of cases) {
      it(`${status === null ? 'allows' : `answers ${status} for`} ${label}`, async () => {
        if (status === null) expect(() => assertMaySee(who, attachment, ownerVisible)).to.not.throw();
        else expect((await errorOf(() => assertMaySee(who, attachment, ownerVisible))).status).to.equal(status);
      });
    }
  });

  describe('listing and soft deletion', () => {
    it('lists an owner’s files in upload order, hiding confidential ones from those without the permission', async () => {
      const clock = fixedClock('2026-03-02T01:00:00Z');
      const first = await storeUpload({ uploader: { kind: 'user', id: clerk.id }, originalName: '1.pdf', content: Readable.from([samplePdf()]), clock });
      clock.advance(60_000);
      const secret = await storeUpload({ uploader: { kind: 'user', id: clerk.id }, originalName: 'to-cao.pdf', content: Readable.from([samplePdf()]), clock });
      clock.advance(60_000);
      const last = await storeUpload({ uploader: { kind: 'user', id: clerk.id }, originalName: '3.png', content: Readable.from([samplePng()]), clock });
      const other = await store('khac.pdf', samplePdf());
      await linkAttachments([last.id, first.id], { type: 'letter', id: 'A' }, { confidential: false }, null);
      await linkAttachments([secret.id], { type: 'letter', id: 'A' }, { confidential: true }, null);
      await linkAttachments([other.id], { type: 'letter', id: 'B' }, { confidential: false }, null);

      expect((await listAttachments({ type: 'letter', id: 'A' }, leader)).map((a) => a.originalName)).to.deep.equal(['1.pdf', 'to-cao.pdf', '3.png']);
      expect((await listAttachments({ type: 'letter', id: 'A' }, clerk)).map((a) => a.originalName)).to.deep.equal(['1.pdf', '3.png']);
    });

    it('soft-deletes: gone from lists and downloads, the stored file kept', async () => {
      const a = await store('a.pdf', samplePdf());
      await linkAttachments([a.id], { type: 'letter', id: 'C' }, { confidential: false }, null);
      const clock = fixedClock('2026-04-01T02:00:00Z');
      await softDeleteAttachment(clerk, a.id, { ownerEditable: true }, { clock });
      expect(await listAttachments({ type: 'letter', id: 'C' }, clerk)).to.deep.equal([]);
      expect((await errorOf(getAttachment(a.id))).status).to.equal(404);
      const doc = await mongoose.connection.collection('attachments').findOne({ _id: new mongoose.Types.ObjectId(a.id) });
      expect(doc).to.deep.include({ deletedAt: new Date('2026-04-01T02:00:00Z'), deletedBy: clerk.id });
      expect(await storedCounts()).to.deep.equal({ attachments: 1, files: 1, chunks: 1 });
      expect((await errorOf(softDeleteAttachment(clerk, a.id, { ownerEditable: true }, { clock }))).status).to.equal(404);
    });

    it('refuses soft deletion to those who may not edit the owner or see a confidential file', async () => {
      const a = await store('a.pdf', samplePdf());
      await linkAttachments([a.id], { type: 'letter', id: 'D' }, { confidential: true }, null);
      const clock = fixedClock('2026-04-01T02:00:00Z');
      expect((await errorOf(softDeleteAttachment(leader, a.id, { ownerEditable: false }, { clock }))).status).to.equal(404);
      expect((await errorOf(softDeleteAttachment(clerk, a.id, { ownerEditable: true }, { clock }))).status).to.equal(403);
      expect((await errorOf(softDeleteAttachment(clerk, 'không-phải-id', { ownerEditable: true }, { clock }))).status).to.equal(404);
      expect((await getAttachment(a.id)).status).to.equal('linked');
    });
  });

  describe('purgeOrphanUploads', () => {
    it('removes old unlinked uploads and their files, including ones a crash left half-written, and nothing else', async () => {
      const old = new Date('2026-01-01T00:00:00Z');
      const cutoff = new Date('2026-01-02T00:00:00Z');
      const oldPending = await store('cu.pdf', samplePdf(600 * 1024), { at: old });
      const oldLinked = await store('cu-da-gan.pdf', samplePdf(), { at: old });
      await linkAttachments([oldLinked.id], { type: 'letter', id: 'E' }, { confidential: false }, null);
      const recentPending = await store('moi.pdf', samplePdf(), { at: new Date('2026-01-03T00:00:00Z') });
      // What a process killed mid-upload leaves: an "uploading" document and chunks without a files document.
      const crashedFileId = new mongoose.Types.ObjectId();
      await mongoose.connection.collection('attachments').insertOne({
        fileId: crashedFileId,
        storedName: 'f'.repeat(32),
        originalName: 'dang-tai.pdf',
        uploadedBy: { kind: 'user', id: clerk.id },
        uploadedAt: old,
        status: 'uploading',
        owner: null,
        confidential: false,
        deletedAt: null,
      });
      await mongoose.connection.collection('uploads.chunks').insertOne({ files_id: crashedFileId, n: 0, data: Buffer.from('%PDF-1.4') });
      const before = await storedCounts();

      expect(await purgeOrphanUploads(cutoff, { batchSize: 1 })).to.equal(2);

      const left = await AttachmentModel.find({}).sort({ originalName: 1 }).lean<Attachment[]>();
      expect(left.map((d) => d.originalName)).to.deep.equal(['cu-da-gan.pdf', 'moi.pdf']);
      const after = await storedCounts();
      expect(after.files).to.equal(before.files - 1);
      expect(after.chunks).to.equal(before.chunks - 3 - 1); // 600 KB = 3 chunks, plus the stray chunk
      expect((await getAttachment(oldLinked.id)).status).to.equal('linked');
      expect((await getAttachment(recentPending.id)).status).to.equal('pending');
      expect((await errorOf(getAttachment(oldPending.id))).status).to.equal(404);
      expect(await purgeOrphanUploads(cutoff)).to.equal(0);
    });
  });
});
