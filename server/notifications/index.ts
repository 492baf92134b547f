// Outgoing email: the outbox (enqueueEmail, called inside other modules' transactions), the sender
// job, the templates and the email log pages.
import type { Config } from '../platform/config.js';
import type { Translator } from '../platform/i18n.js';
import { configureMailRenderer } from './render.js';

export { enqueueEmail, sendTestEmail, retryMessage, requeueUnsent } from './outbox.service.js';
export type { EnqueueEmailInput, EnqueuedEmail, EmailRecipient, EmailAttachmentInput } from './outbox.service.js';
export { registerEmailPdf } from './message-attachments.js';
export { registerSecretLink, secretLinkMarker } from './secret-links.js';
export type { SecretLinkResolver } from './secret-links.js';
export type { EmailPdfRenderer } from './message-attachments.js';
export { OutboxMessageModel, MESSAGE_STATUSES } from './outbox.model.js';
export type { OutboxMessage, MessageStatus, Attempt, AttemptOutcome } from './outbox.model.js';
export { emailsOfCase, emailsByKey, listEmails, getEmail } from './notifications.queries.js';
export type { CaseEmails, CaseVisibility, EmailRow, EmailDetail, EmailState } from './notifications.queries.js';
export { emailKey } from './outbox.rules.js';
export { adminEmailsRouter, emailViewRouter } from './notifications.routes.js';
export { createOutboxSender } from './sender.js';
export type { OutboxSender, OutboxSenderOptions, SendRunSummary } from './sender.js';
export { outboxSenderJob } from './notifications.jobs.js';
export type { OutboxJob } from './notifications.jobs.js';
export { nextWindowStart, isWithinWindow, parseSendingWindow } from './sending-window.rules.js';
export type { SendingWindow } from './sending-window.rules.js';

/** Called once by the composition root (main.ts, scripts/worker.ts): the settings printed in every email. */
export function configureNotifications(deps: { config: Config; translator: Translator }): void {
  configureMailRenderer(deps.config, deps.translator);
}
