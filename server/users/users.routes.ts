// Staff accounts: administrators' pages under /admin/users, everyone's own password under /account.
// Handlers parse, call the service, and redirect (303) with a flash message.
import { Router, type Request } from 'express';
import { ROLES, requirePermission } from '../access/index.js';
import type { AppDeps } from '../platform/deps.js';
import { NotFoundError } from '../platform/errors.js';
import { formHandler } from '../platform/http/forms.js';
import { flash } from '../platform/http/session.js';
import { contextOf } from '../platform/http/request-context.js';
import { changeOwnPassword, createUser, resetUserPassword, setUserDisabled, updateUser } from './users.service.js';
import { getUserForEdit, listUsers } from './users.queries.js';
import { changePasswordSchema, createUserSchema, secondFactorSchema, updateUserSchema, userListQuerySchema } from './users.schemas.js';
import { confirmEnrolment, newEnrolment, resetTwoFactor } from './two-factor.js';
import { generateSecret } from 'otplib';

function idParam(req: Request): string {
  return String(req.params.id ?? '');
}

export function usersRouter(deps: AppDeps): Router {
  const router = Router();
  router.use(requirePermission('users:manage'));

  router.get('/', async (req, res) => {
    const query = userListQuerySchema.parse(req.query);
    const page = await listUsers(req.user!, query);
    res.render('users/list', { page, query, roles: ROLES });
  });

  router.get('/new', (_req, res) => {
    res.render('users/new', { values: { role: 'officer' }, roles: ROLES });
  });

  router.post(
    '/',
    formHandler({
      view: 'users/new',
      schema: createUserSchema,
      locals: () => ({ roles: ROLES }),
      submit: async (req, res, input) => {
        const { userId, temporaryPassword } = await createUser(req.user!, input, contextOf(req, deps.clock));
        flash(req, { type: 'success', key: 'users.flash.created', params: { email: input.email, password: temporaryPassword } });
        res.redirect(303, `/admin/users/${userId}`);
      },
    }),
  );

  const loadEditable = async (req: Request) => {
    const user = await getUserForEdit(req.user!, idParam(req));
    if (!user) throw new NotFoundError('users.errors.notFound');
    return user;
  };

  router.get('/:id', async (req, res) => {
    const user = await loadEditable(req);
    res.render('users/edit', {
      account: user,
      roles: ROLES,
      values: { name: user.name, role: user.role, canViewDenouncerIdentity: user.grantedPermissions.includes('view-denouncer-identity') ? 'on' : '' },
    });
  });

  router.post(
    '/:id',
    formHandler({
      view: 'users/edit',
      schema: updateUserSchema,
      locals: async (req) => ({ account: await loadEditable(req), roles: ROLES }),
      submit: async (req, res, input) => {
        await updateUser(req.user!, idParam(req), input, contextOf(req, deps.clock));
        flash(req, { type: 'success', key: 'users.flash.updated' });
        res.redirect(303, `/admin/users/${idParam(req)}`);
      },
    }),
  );

  // Destructive actions ask first (GET shows the question, POST does it).
  for (const action of ['disable', 'enable', 'reset-password', 'reset-two-factor'] as const) {
    router.get(`/:id/${action}`, async (req, res) => {
      res.render('users/confirm', { account: await loadEditable(req), action });
    });
  }

  router.post('/:id/disable', async (req, res) => {
    await setUserDisabled(req.user!, idParam(req), true, contextOf(req, deps.clock));
    flash(req, { type: 'success', key: 'users.flash.disabled' });
    res.redirect(303, `/admin/users/${idParam(req)}`);
  });

  router.post('/:id/enable', async (req, res) => {
    await setUserDisabled(req.user!, idParam(req), false, contextOf(req, deps.clock));
    flash(req, { type: 'success', key: 'users.flash.enabled' });
    res.redirect(303, `/admin/users/${idParam(req)}`);
  });

  router.post('/:id/reset-password', async (req, res) => {
    const password = await resetUserPassword(req.user!, idParam(req), contextOf(req, deps.clock));
    flash(req, { type: 'success', key: 'users.flash.passwordReset', params: { password } });
    res.redirect(303, `/admin/users/${idParam(req)}`);
  });

  router.post('/:id/reset-two-factor', async (req, res) => {
    await resetTwoFactor(req.user!, idParam(req), contextOf(req, deps.clock));
    flash(req, { type: 'success', key: 'users.flash.twoFactorReset' });
    res.redirect(303, `/admin/users/${idParam(req)}`);
  });

  return router;
}

export function accountRouter(deps: AppDeps): Router {
  const router = Router();
  router.get('/password', (req, res) => {
    res.render('users/change-password', { values: {}, forced: req.user!.mustChangePassword });
  });
  router.post(
    '/password',
    formHandler({
      view: 'users/change-password',
      schema: changePasswordSchema,
      locals: (req) => ({ forced: req.user!.mustChangePassword }),
      submit: async (req, res, input) => {
        await changeOwnPassword(req.user!, input, contextOf(req, deps.clock));
        flash(req, { type: 'success', key: 'users.flash.passwordChanged' });
        res.redirect(303, '/');
      },
    }),
  );
  // Setting up the authenticator app. The secret shown stays in the session until a valid code confirms
  // it, so reloading the page shows the same QR code instead of invalidating the one already scanned.
  const enrolmentLocals = async (req: Request) => {
    req.session.pendingTotpSecret ??= generateSecret();
    return { enrolment: req.user!.twoFactorEnabled ? null : await newEnrolment(req.user!, req.session.pendingTotpSecret) };
  };
  router.get('/two-factor', async (req, res) => {
    res.render('users/two-factor', { ...(await enrolmentLocals(req)), values: {} });
  });
  router.post(
    '/two-factor',
    formHandler({
      view: 'users/two-factor',
      schema: secondFactorSchema,
      locals: enrolmentLocals,
      submit: async (req, res, input) => {
        await confirmEnrolment(req.user!, req.session.pendingTotpSecret ?? '', input.code, contextOf(req, deps.clock));
        delete req.session.pendingTotpSecret;
        flash(req, { type: 'success', key: 'users.flash.twoFactorEnabled' });
        res.redirect(303, '/');
      },
    }),
  );
  return router;
}
