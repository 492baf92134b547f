// The email log. /admin/emails: every email of the office with filters, the SMTP test form and the
// administrators' actions. /emails/:id: one email — for `mail:read`, or for anyone who may see the
// case it is about (the case page links there). Thin handlers over the notifications service.
import crypto from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { assertMaySee, getAttachment, sendAttachment } from '../attachments/index.js';
import { can, requirePermission } from '../access/index.js';
import type { AppDeps } from '../platform/deps.js';
import { NotFoundError } from '../platform/errors.js';
import { formHandler } from '../platform/http/forms.js';
import { contextOf } from '../platform/http/request-context.js';
import { flash } from '../platform/http/session.js';
import { MESSAGE_STATUSES } from './outbox.model.js';
import { requeueUnsent, retryMessage, sendTestEmail } from './outbox.service.js';
import { emailTemplates, getEmail, listEmails, type CaseVisibility } from './notifications.queries.js';
import { emailListQuerySchema, testEmailSchema } from './notifications.schemas.js';
import { windowState } from './sending-window.js';
import { unreadableDates } from '../platform/http/date-filters.js';

function idParam(req: Request): string {
  return String(req.params.id ?? '');
}

function newSubmissionKey(): string {
  return crypto.randomBytes(16).toString('hex');
}

export function adminEmailsRouter(deps: AppDeps): Router {
  const router = Router();
  router.use(requirePermission('mail:read'));

  const listLocals = async (req: Request) => {
    const query = emailListQuerySchema.parse(req.query);
    const now = deps.clock.now();
    const [page, window] = await Promise.all([listEmails(req.user!, query, now), windowState(deps.config.MAIL_WINDOW, now)]);
    return {
      page,
      query,
      badDates: unreadableDates(req.query),
      window,
      windowSpec: deps.config.MAIL_WINDOW,
      smtpConfigured: Boolean(deps.config.SMTP_URL),
      statuses: MESSAGE_STATUSES,
      templates: emailTemplates(),
      mayManage: can(req.user, 'mail:manage'),
    };
  };

  router.get('/', async (req, res) => {
    res.render('notifications/list', { ...(await listLocals(req)), values: { submissionKey: newSubmissionKey() } });
  });

  router.post(
    '/test',
    requirePermission('mail:manage'),
    formHandler({
      view: 'notifications/list',
      schema: testEmailSchema,
      locals: listLocals,
      submit: async (req, res, input) => {
        await sendTestEmail(req.user!, input, contextOf(req, deps.clock));
        flash(req, { type: 'success', key: 'notifications.flash.testQueued', params: { to: input.to } });
        res.redirect(303, '/admin/emails');
      },
    }),
  );

  router.post('/requeue-unsent', requirePermission('mail:manage'), async (req, res) => {
    const count = await requeueUnsent(req.user!, { smtpConfigured: Boolean(deps.config.SMTP_URL) }, contextOf(req, deps.clock));
    flash(req, { type: 'success', key: 'notifications.flash.requeued', params: { count } });
    res.redirect(303, '/admin/emails?status=queued');
  });

  router.post('/:id/retry', requirePermission('mail:manage'), async (req, res) => {
    await retryMessage(req.user!, idParam(req), contextOf(req, deps.clock));
    flash(req, { type: 'success', key: 'notifications.flash.retried' });
    res.redirect(303, `/emails/${idParam(req)}`);
  });

  return router;
}

export function emailViewRouter(deps: AppDeps, caseVisible: CaseVisibility): Router {
  const router = Router();
  const load = (req: Request) => getEmail(req.user!, idParam(req), caseVisible, deps.clock.now());

  router.get('/:id', async (req, res) => {
    const email = await load(req);
    res.render('notifications/message', { email, mayManage: can(req.user, 'mail:manage'), mayList: can(req.user, 'mail:read') });
  });

  // The HTML part is offered as a file rather than shown in the page: it was written for mail readers,
  // and showing it here would need a frame and a looser content security policy.
  router.get('/:id/body.html', async (req, res: Response) => {
    const email = await load(req);
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="email-${String(email._id)}.html"`);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Cache-Control', 'private, no-store');
    res.send(email.html);
  });

  router.get('/:id/attachments/:index', async (req, res) => {
    const email = await load(req);
    const index = Number(req.params.index);
    const attachment = Number.isInteger(index) && index >= 0 ? email.attachments[index] : undefined;
    if (!attachment?.attachmentId) throw new NotFoundError('attachments.errors.notFound');
    const info = await getAttachment(String(attachment.attachmentId));
    assertMaySee(req.user!, info, true);
    await sendAttachment(res, { ...info, originalName: attachment.filename });
  });

  return router;
}
