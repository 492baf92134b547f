// Administrative units for administrators: list, create, edit, and import JSON (all or nothing).
import { Router, type Request } from 'express';
import { requirePermission } from '../access/index.js';
import { formatIsoDate } from '../calendar/index.js';
import type { AppDeps } from '../platform/deps.js';
import { NotFoundError, ValidationError } from '../platform/errors.js';
import { formHandler, keptValues, parseForm } from '../platform/http/forms.js';
import { contextOf } from '../platform/http/request-context.js';
import { flash } from '../platform/http/session.js';
import { createUnitSchema, unitImportSchema, unitListQuerySchema, updateUnitSchema } from './reference.schemas.js';
import { getUnitForEdit, listUnits } from './units.queries.js';
import { UNIT_KINDS, UNIT_LEVELS } from './units.rules.js';
import { UnitImportError, createUnit, importUnits, updateUnit } from './units.service.js';

const BASE = '/admin/units';
const choices = { kinds: UNIT_KINDS, levels: UNIT_LEVELS };

export function unitsRouter(deps: AppDeps): Router {
  const router = Router();
  router.use(requirePermission('reference:manage'));

  router.get('/', async (req, res) => {
    const query = unitListQuerySchema.parse(req.query);
    res.render('reference/units/list', { page: await listUnits(req.user!, query), query, levels: UNIT_LEVELS });
  });

  router.get('/new', (_req, res) => {
    res.render('reference/units/form', { ...choices, mode: 'new', values: { level: 'commune', kind: 'xa' } });
  });

  router.post(
    '/',
    formHandler({
      view: 'reference/units/form',
      schema: createUnitSchema,
      locals: () => ({ ...choices, mode: 'new' }),
      submit: async (req, res, input) => {
        await createUnit(req.user!, input, contextOf(req, deps.clock));
        flash(req, { type: 'success', key: 'reference.flash.unitCreated', params: { name: input.name } });
        res.redirect(303, `${BASE}/${input.code}`);
      },
    }),
  );

  router.get('/import', (_req, res) => {
    res.render('reference/units/import', { values: {} });
  });

  // Not formHandler: a refused import shows the problems of each row, not only field messages.
  router.post('/import', async (req, res) => {
    try {
      const { json: rows } = parseForm(unitImportSchema, req.body);
      const result = await importUnits(req.user!, rows, contextOf(req, deps.clock));
      flash(req, { type: 'success', key: 'reference.flash.unitsImported', params: { ...result } });
      res.redirect(303, BASE);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      res.status(422).render('reference/units/import', {
        values: keptValues(req.body),
        errors: err.fieldErrors,
        rowErrors: err instanceof UnitImportError ? err.rowErrors.slice(0, 200) : [],
        rowErrorCount: err instanceof UnitImportError ? err.rowErrors.length : 0,
      });
    }
  });

  const loadUnit = async (req: Request) => {
    const unit = await getUnitForEdit(req.user!, String(req.params.code ?? ''));
    if (!unit) throw new NotFoundError('reference.errors.unitNotFound');
    return unit;
  };

  router.get('/:code', async (req, res) => {
    const unit = await loadUnit(req);
    const values = {
      name: unit.name,
      kind: unit.kind,
      level: unit.level,
      parentCode: unit.parentCode ?? '',
      validFrom: unit.validFrom ? formatIsoDate(unit.validFrom) : '',
      validTo: unit.validTo ? formatIsoDate(unit.validTo) : '',
      replacedBy: unit.replacedBy.join(', '),
    };
    res.render('reference/units/form', { ...choices, mode: 'edit', unit, values });
  });

  router.post(
    '/:code',
    formHandler({
      view: 'reference/units/form',
      schema: updateUnitSchema,
      locals: async (req) => ({ ...choices, mode: 'edit', unit: await loadUnit(req) }),
      submit: async (req, res, input) => {
        const unit = await loadUnit(req);
        await updateUnit(req.user!, unit.code, input, contextOf(req, deps.clock));
        flash(req, { type: 'success', key: 'reference.flash.unitUpdated', params: { name: input.name } });
        res.redirect(303, `${BASE}/${unit.code}`);
      },
    }),
  );

  return router;
}
