// Deadline rules for administrators: the table at /admin/deadline-rules and an edit form per rule.
import { Router, type Request } from 'express';
import { requirePermission } from '../access/index.js';
import type { AppDeps } from '../platform/deps.js';
import { NotFoundError } from '../platform/errors.js';
import { formHandler } from '../platform/http/forms.js';
import { contextOf } from '../platform/http/request-context.js';
import { flash } from '../platform/http/session.js';
import { getDeadlineRuleForEdit, listDeadlineRules, type DeadlineRuleRow } from './deadlines.queries.js';
import { CONFIDENCE_LEVELS, DAY_TYPES, DURATION_VARIANTS, EXTENSION_VARIANTS, isBeforeEvent } from './deadlines.rules.js';
import { VARIANT_FIELDS, ruleFormSchema } from './deadlines.schemas.js';
import { updateDeadlineRule } from './deadlines.service.js';

const BASE = '/admin/deadline-rules';
const choices = { dayTypes: DAY_TYPES, confidences: CONFIDENCE_LEVELS, durationVariants: DURATION_VARIANTS, extensionVariants: EXTENSION_VARIANTS, variantFields: VARIANT_FIELDS };

function formValues(rule: DeadlineRuleRow): Record<string, string> {
  const values: Record<string, string> = { days: String(rule.days), dayType: rule.dayType, basis: rule.basis ?? '', notes: rule.notes ?? '', confidence: rule.confidence };
  for (const v of rule.variants) values[VARIANT_FIELDS[v.key]] = String(v.days);
  return values;
}

export function deadlineRulesRouter(deps: AppDeps): Router {
  const router = Router();
  router.use(requirePermission('reference:manage'));

  router.get('/', async (req, res) => {
    res.render('deadlines/list', { rules: await listDeadlineRules(req.user!) });
  });

  const loadRule = async (req: Request) => {
    const rule = await getDeadlineRuleForEdit(req.user!, String(req.params.key ?? ''));
    if (!rule) throw new NotFoundError('deadlines.errors.notFound');
    return rule;
  };
  const formLocals = async (req: Request) => {
    const rule = await loadRule(req);
    return { ...choices, rule, before: isBeforeEvent(rule.startEvent) };
  };

  router.get('/:key', async (req, res) => {
    const locals = await formLocals(req);
    res.render('deadlines/form', { ...locals, values: formValues(locals.rule) });
  });

  router.post(
    '/:key',
    formHandler({
      view: 'deadlines/form',
      schema: ruleFormSchema,
      locals: formLocals,
      submit: async (req, res, input) => {
        const rule = await loadRule(req);
        await updateDeadlineRule(req.user!, rule.key, input, contextOf(req, deps.clock));
        flash(req, { type: 'success', key: 'deadlines.flash.updated', params: { name: rule.name } });
        res.redirect(303, BASE);
      },
    }),
  );

  return router;
}
