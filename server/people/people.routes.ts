// People: search, a person's page with their cases, and merging two records of the same person.
import { Router, type Request } from 'express';
import { z } from 'zod';
import { can, requirePermission } from '../access/index.js';
import type { AppDeps } from '../platform/deps.js';
import { ConflictError, NotFoundError, ValidationError } from '../platform/errors.js';
import { keptValues, parseForm } from '../platform/http/forms.js';
import { contextOf } from '../platform/http/request-context.js';
import { flash } from '../platform/http/session.js';
import { cleanText } from '../platform/text.js';
import { mergePeople } from './people.service.js';
import { findPeople, getPersonForStaff, peopleQuerySchema } from './people.queries.js';

const mergeSchema = z.object({
  into: z
    .string()
    .max(40)
    .transform((v) => cleanText(v).replace(/[\s.-]/g, ''))
    .pipe(z.string().regex(/^([a-f0-9]{24}|\d{12})$/, 'people.errors.mergeTarget')),
});

/** The cases a person is party to, as the case module shows them; supplied by the composition root. */
export type CasesOfPerson = (actor: Express.User, personId: string) => Promise<{ id: string; number: string; summary: string; status: string; type: string }[]>;

export function peopleRouter(deps: AppDeps, casesOfPerson: CasesOfPerson): Router {
  const router = Router();
  router.use(requirePermission('cases:write'));
  const id = (req: Request) => String(req.params.id ?? '');

  router.get('/', async (req, res) => {
    const query = peopleQuerySchema.parse(req.query);
    res.render('people/list', { query, rows: await findPeople(req.user!, query.q) });
  });

  const load = async (req: Request) => {
    const person = await getPersonForStaff(req.user!, id(req));
    if (!person) throw new NotFoundError('people.errors.notFound');
    return person;
  };

  router.get('/:id', async (req, res) => {
    const person = await load(req);
    res.render('people/detail', { person, cases: await casesOfPerson(req.user!, id(req)), mayMerge: can(req.user, 'cases:write') });
  });

  router.get('/:id/merge', async (req, res) => {
    res.render('people/merge', { person: await load(req), values: {} });
  });

  router.post('/:id/merge', async (req, res) => {
    const person = await load(req);
    try {
      const input = parseForm(mergeSchema, req.body);
      // The kept record may be named by its page id or by its CCCD.
      const target = /^\d{12}$/.test(input.into) ? (await findPeople(req.user!, input.into))[0] : await getPersonForStaff(req.user!, input.into);
      if (!target) throw new ValidationError({ into: 'people.errors.mergeTargetUnknown' });
      await mergePeople(req.user!, id(req), String(target._id), contextOf(req, deps.clock));
      flash(req, { type: 'success', key: 'people.flash.merged', params: { name: person.name } });
      res.redirect(303, `/people/${String(target._id)}`);
    } catch (err) {
      if (err instanceof ConflictError) {
        return res.status(409).render('people/merge', { person, values: keptValues(req.body), errors: { into: err.messageKey } });
      }
      if (!(err instanceof ValidationError)) throw err;
      res.status(422).render('people/merge', { person, values: keptValues(req.body), errors: err.fieldErrors });
    }
  });

  return router;
}
