// The routes of a stand-in owning module ("letters") and an upload helper that submits a multipart
// form the way a browser does: the `_csrf` field first, then the other fields, then the files.
import crypto from 'node:crypto';
import type { Router } from 'express';
import mongoose from 'mongoose';
import { assertMaySee, discardUploads, getAttachment, linkAttachments, sendAttachment, uploadedIds, uploadFiles } from '../../server/attachments/index.js';
import type { Clock } from '../../server/platform/clock.js';
import { inTransaction } from '../../server/platform/db/transaction.js';
import { pageToken } from '../support/http.js';
import type { Agent } from './support.js';

export const SMALL_LIMITS = { maxFiles: 2, maxBytes: 1024 * 1024 };

export function sha256(data: Buffer): string {
  return crypto.createHash('sha256').update(data).digest('hex');
}

export function lettersRoutes(options: { clock?: Clock } = {}) {
  const clock = options.clock ? { clock: options.clock } : {};
  return (router: Router): void => {
    router.post('/upload', uploadFiles(clock), (req, res) => {
      res.json({ uploads: req.uploads, body: req.body as unknown });
    });
    router.post('/upload-small', uploadFiles({ ...SMALL_LIMITS, ...clock }), (req, res) => {
      res.json({ uploads: req.uploads });
    });
    // A form with a subject and scans: invalid → 422 without touching the uploads (the middleware
    // discards them); valid → linked in the "letter's" transaction, then 303.
    router.post('/letters', uploadFiles({ field: 'scans', ...clock }), async (req, res) => {
      const body = req.body as Record<string, unknown>;
      if (typeof body.subject !== 'string' || body.subject.trim() === '') {
        res.status(422).json({ error: 'subject required' });
        return;
      }
      const letterId = new mongoose.Types.ObjectId().toString();
      await inTransaction((session) => linkAttachments(uploadedIds(req), { type: 'letter', id: letterId }, { confidential: body.confidential === 'yes' }, session));
      res.redirect(303, `/t/letters/${letterId}`);
    });
    router.post('/discard', uploadFiles(clock), async (req, res) => {
      const had = req.uploads?.length ?? 0;
      await discardUploads(req);
      res.json({ had, kept: req.uploads });
    });
    // A route that fails after the upload (a bug, a lost database): the error page is a 500.
    router.post('/failing', uploadFiles(clock), () => {
      throw new Error('something broke after the upload');
    });
    // Every letter is visible to every signed-in user here; a real module asks its own queries.
    router.get('/attachments/:id', async (req, res) => {
      const attachment = await getAttachment(String(req.params.id));
      assertMaySee(req.user!, attachment, true);
      await sendAttachment(res, attachment);
    });
  };
}

export interface FileToSend {
  name: string;
  data: Buffer;
  contentType?: string;
}

export async function postFiles(
  agent: Agent,
  path: string,
  files: readonly FileToSend[],
  options: { field?: string; fields?: Record<string, string>; token?: string | null } = {},
) {
  const token = options.token === undefined ? await pageToken(agent, '/t/form') : options.token;
  let request = agent.post(path);
  if (token !== null) request = request.field('_csrf', token);
  for (const [name, value] of Object.entries(options.fields ?? {})) request = request.field(name, value);
  for (const file of files) request = request.attach(options.field ?? 'files', file.data, { filename: file.name, contentType: file.contentType ?? 'application/octet-stream' });
  return request;
}
