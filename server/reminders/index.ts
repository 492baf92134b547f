// Reminders (đôn đốc): the admin-editable policy, the scan that reminds agencies before, on and after
// their deadlines (escalating when they stay silent), the daily digest to officers and delegates, and
// the notices to citizens whose email is known.
import { onCaseOpened } from '../cases/index.js';
import { listenToCaseForwardings } from '../forwarding/index.js';
import { noticeAnswerReceived, noticeCaseReceived, noticeForwardingSent } from './citizen-notices.js';

// The citizen's notices follow the changes they report, inside the same transactions: registered on
// import, so the app and the worker (which import this module through server/jobs.ts and routes.ts)
// both send them.
onCaseOpened((kase, ctx, session) => noticeCaseReceived(kase._id, session, ctx.clock));
listenToCaseForwardings({ onSent: noticeForwardingSent, onAnswered: noticeAnswerReceived });

export { DEFAULT_REMINDER_POLICY, REMINDER_KINDS, reminderDueOn, reminderKey, digestSlot } from './reminders.rules.js';
export type { ReminderPolicy, ReminderKind, DueReminder, DigestSlot } from './reminders.rules.js';
export { ReminderPolicyModel } from './policy.model.js';
export { getReminderPolicy, updateReminderPolicy } from './policy.service.js';
export { scanReminders, REMINDER_TEMPLATE } from './scan.service.js';
export type { ReminderScanSummary } from './scan.service.js';
export { sendDigests, DIGEST_TEMPLATE } from './digest.service.js';
export type { DigestContent, DigestLine, DigestRunSummary } from './digest.service.js';
export { noticeCaseReceived, noticeForwardingSent, noticeAnswerReceived, CITIZEN_TEMPLATE } from './citizen-notices.js';
export type { CitizenNoticeKind } from './citizen-notices.js';
export { reminderJobs } from './reminders.jobs.js';
export { remindersRouter } from './reminders.routes.js';
