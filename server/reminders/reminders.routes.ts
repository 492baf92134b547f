// The reminder policy page for administrators: /admin/reminders.
import { Router } from 'express';
import { requirePermission } from '../access/index.js';
import type { AppDeps } from '../platform/deps.js';
import { formHandler } from '../platform/http/forms.js';
import { contextOf } from '../platform/http/request-context.js';
import { flash } from '../platform/http/session.js';
import { getPolicyForEdit, updateReminderPolicy, type PolicyView } from './policy.service.js';
import { POLICY_LIMITS } from './reminders.rules.js';
import { policyFormSchema } from './reminders.schemas.js';

const BASE = '/admin/reminders';
const checked = (v: boolean) => (v ? 'yes' : '');

function formValues(policy: PolicyView): Record<string, string> {
  return {
    daysBefore: String(policy.daysBefore),
    onDueDay: checked(policy.onDueDay),
    everyOverdue: String(policy.everyOverdue),
    escalateAfter: String(policy.escalateAfter),
    digestEnabled: checked(policy.digestEnabled),
    digestTime: policy.digestTime,
    citizenNotices: checked(policy.citizenNotices),
  };
}

export function remindersRouter(deps: AppDeps): Router {
  const router = Router();
  router.use(requirePermission('reference:manage'));

  router.get('/', async (req, res) => {
    const policy = await getPolicyForEdit(req.user!);
    res.render('reminders/policy', { policy, limits: POLICY_LIMITS, values: formValues(policy) });
  });

  router.post(
    '/',
    formHandler({
      view: 'reminders/policy',
      schema: policyFormSchema,
      locals: async (req) => ({ policy: await getPolicyForEdit(req.user!), limits: POLICY_LIMITS }),
      submit: async (req, res, input) => {
        await updateReminderPolicy(req.user!, input, contextOf(req, deps.clock));
        flash(req, { type: 'success', key: 'reminders.flash.saved' });
        res.redirect(303, BASE);
      },
    }),
  );
  return router;
}
