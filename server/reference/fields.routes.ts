// Fields (lĩnh vực) for administrators: list, create, edit, deactivate and reactivate (after a
// confirmation page). Never deleted: records refer to them.
import { Router, type Request } from 'express';
import { requirePermission } from '../access/index.js';
import type { AppDeps } from '../platform/deps.js';
import { NotFoundError } from '../platform/errors.js';
import { formHandler } from '../platform/http/forms.js';
import { contextOf } from '../platform/http/request-context.js';
import { flash } from '../platform/http/session.js';
import { getFieldForEdit, listFieldsForAdmin } from './fields.queries.js';
import { createField, setFieldActive, updateField } from './fields.service.js';
import { createFieldSchema, updateFieldSchema } from './reference.schemas.js';

const FLASH = { deactivate: 'reference.flash.fieldDeactivated', activate: 'reference.flash.fieldActivated' } as const;
const BASE = '/admin/fields';

export function fieldsRouter(deps: AppDeps): Router {
  const router = Router();
  router.use(requirePermission('reference:manage'));

  router.get('/', async (req, res) => {
    res.render('reference/fields/list', { fields: await listFieldsForAdmin(req.user!) });
  });

  router.get('/new', (_req, res) => {
    res.render('reference/fields/form', { mode: 'new', values: {} });
  });

  router.post(
    '/',
    formHandler({
      view: 'reference/fields/form',
      schema: createFieldSchema,
      locals: () => ({ mode: 'new' }),
      submit: async (req, res, input) => {
        await createField(req.user!, input, contextOf(req, deps.clock));
        flash(req, { type: 'success', key: 'reference.flash.fieldCreated', params: { name: input.name } });
        res.redirect(303, BASE);
      },
    }),
  );

  const loadField = async (req: Request) => {
    const field = await getFieldForEdit(req.user!, String(req.params.code ?? ''));
    if (!field) throw new NotFoundError('reference.errors.fieldNotFound');
    return field;
  };

  router.get('/:code', async (req, res) => {
    const field = await loadField(req);
    res.render('reference/fields/form', { mode: 'edit', field, values: { name: field.name, nameEn: field.nameEn, order: String(field.order) } });
  });

  router.post(
    '/:code',
    formHandler({
      view: 'reference/fields/form',
      schema: updateFieldSchema,
      locals: async (req) => ({ mode: 'edit', field: await loadField(req) }),
      submit: async (req, res, input) => {
        const field = await loadField(req);
        await updateField(req.user!, field.code, input, contextOf(req, deps.clock));
        flash(req, { type: 'success', key: 'reference.flash.fieldUpdated', params: { name: input.name } });
        res.redirect(303, BASE);
      },
    }),
  );

  for (const action of ['deactivate', 'activate'] as const) {
    router.get(`/:code/${action}`, async (req, res) => {
      const field = await loadField(req);
      res.render('reference/confirm', { action, name: field.name, formAction: `${BASE}/${field.code}/${action}`, cancelHref: `${BASE}/${field.code}`, kind: 'field' });
    });
    router.post(`/:code/${action}`, async (req, res) => {
      const field = await loadField(req);
      await setFieldActive(req.user!, field.code, action === 'activate', contextOf(req, deps.clock));
      flash(req, { type: 'success', key: FLASH[action], params: { name: field.name } });
      res.redirect(303, BASE);
    });
  }

  return router;
}
