// Delegates for administrators: list, create, edit, deactivate and reactivate (after a confirmation
// page). The linked account is chosen among users with the delegate role.
import { Router, type Request } from 'express';
import { requirePermission } from '../access/index.js';
import type { AppDeps } from '../platform/deps.js';
import { NotFoundError } from '../platform/errors.js';
import { formHandler } from '../platform/http/forms.js';
import { contextOf } from '../platform/http/request-context.js';
import { flash } from '../platform/http/session.js';
import { DELEGATE_BODIES } from './delegate.model.js';
import { getDelegateForEdit, listDelegateAccounts, listDelegates } from './delegates.queries.js';
import { createDelegate, setDelegateActive, updateDelegate } from './delegates.service.js';
import { delegateListQuerySchema, delegateSchema } from './reference.schemas.js';

const FLASH = { deactivate: 'reference.flash.delegateDeactivated', activate: 'reference.flash.delegateActivated' } as const;
const BASE = '/admin/delegates';

export function delegatesRouter(deps: AppDeps): Router {
  const router = Router();
  router.use(requirePermission('reference:manage'));
  const formLocals = async (req: Request) => ({ bodies: DELEGATE_BODIES, accounts: await listDelegateAccounts(req.user!) });

  router.get('/', async (req, res) => {
    const query = delegateListQuerySchema.parse(req.query);
    res.render('reference/delegates/list', { page: await listDelegates(req.user!, query), query, bodies: DELEGATE_BODIES });
  });

  router.get('/new', async (req, res) => {
    res.render('reference/delegates/form', { ...(await formLocals(req)), mode: 'new', values: { body: 'hdnd-tinh' } });
  });

  router.post(
    '/',
    formHandler({
      view: 'reference/delegates/form',
      schema: delegateSchema,
      locals: async (req) => ({ ...(await formLocals(req)), mode: 'new' }),
      submit: async (req, res, input) => {
        await createDelegate(req.user!, input, contextOf(req, deps.clock));
        flash(req, { type: 'success', key: 'reference.flash.delegateCreated', params: { name: input.name } });
        res.redirect(303, BASE);
      },
    }),
  );

  const loadDelegate = async (req: Request) => {
    const delegate = await getDelegateForEdit(req.user!, String(req.params.id ?? ''));
    if (!delegate) throw new NotFoundError('reference.errors.delegateNotFound');
    return delegate;
  };

  router.get('/:id', async (req, res) => {
    const delegate = await loadDelegate(req);
    const values = { name: delegate.name, body: delegate.body, constituency: delegate.constituency, term: delegate.term, userId: delegate.userId ? String(delegate.userId) : '' };
    res.render('reference/delegates/form', { ...(await formLocals(req)), mode: 'edit', delegate, values });
  });

  router.post(
    '/:id',
    formHandler({
      view: 'reference/delegates/form',
      schema: delegateSchema,
      locals: async (req) => ({ ...(await formLocals(req)), mode: 'edit', delegate: await loadDelegate(req) }),
      submit: async (req, res, input) => {
        const delegate = await loadDelegate(req);
        await updateDelegate(req.user!, String(delegate._id), input, contextOf(req, deps.clock));
        flash(req, { type: 'success', key: 'reference.flash.delegateUpdated', params: { name: input.name } });
        res.redirect(303, `${BASE}/${String(delegate._id)}`);
      },
    }),
  );

  for (const action of ['deactivate', 'activate'] as const) {
    router.get(`/:id/${action}`, async (req, res) => {
      const delegate = await loadDelegate(req);
      const id = String(delegate._id);
      res.render('reference/confirm', { action, name: delegate.name, formAction: `${BASE}/${id}/${action}`, cancelHref: `${BASE}/${id}`, kind: 'delegate' });
    });
    router.post(`/:id/${action}`, async (req, res) => {
      const delegate = await loadDelegate(req);
      await setDelegateActive(req.user!, String(delegate._id), action === 'activate', contextOf(req, deps.clock));
      flash(req, { type: 'success', key: FLASH[action], params: { name: delegate.name } });
      res.redirect(303, BASE);
    });
  }

  return router;
}
