// Agencies for administrators: list, create, edit, deactivate and reactivate (after a confirmation
// page), import CSV (pasted, or uploaded as a file), and a page to try the competent-agency suggestion.
import { Router, type Request } from 'express';
import { requirePermission } from '../access/index.js';
import type { AppDeps } from '../platform/deps.js';
import { NotFoundError, ValidationError } from '../platform/errors.js';
import { formHandler, keptValues, parseForm } from '../platform/http/forms.js';
import { contextOf } from '../platform/http/request-context.js';
import { flash } from '../platform/http/session.js';
import { getFields, listActiveCommunes, listActiveFields } from '../reference/index.js';
import { readImportUpload } from './agencies-upload.js';
import { AgencyImportError, importAgencies } from './agencies-import.service.js';
import { getAgencyForEdit, listAgencies, listParentOptions, type AgencyRow } from './agencies.queries.js';
import { AGENCY_LEVELS, CONTACT_ROLES, SUGGESTION_CASE_TYPES } from './agencies.rules.js';
import { CONTACT_ROWS, DEFAULT_CONTACT_ROWS, agencyFormSchema, agencyImportSchema, agencyListQuerySchema, suggestionQuerySchema } from './agencies.schemas.js';
import { createAgency, setAgencyActive, suggestCompetentAgencies, updateAgency } from './agencies.service.js';

const BASE = '/admin/agencies';
const FLASH = { deactivate: 'agencies.flash.deactivated', activate: 'agencies.flash.activated' } as const;

/** Checked codes of a checkbox group from a submitted body (one value is a string, several an array). */
function checkedIn(body: unknown, name: string): string[] {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  return (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
}

/** Rows to show: five, or one more than the last row in use, up to CONTACT_ROWS. */
function contactRowsFor(body: unknown, agency: AgencyRow | null): number[] {
  let used = agency?.contacts.length ?? 0;
  if (body && typeof body === 'object') {
    for (let i = 1; i <= CONTACT_ROWS; i++) {
      const row = body as Record<string, unknown>;
      if ([row[`contactEmail${i}`], row[`contactName${i}`]].some((v) => typeof v === 'string' && v.trim() !== '')) used = i;
    }
  }
  return Array.from({ length: Math.min(CONTACT_ROWS, Math.max(DEFAULT_CONTACT_ROWS, used + 1)) }, (_, i) => i + 1);
}

function valuesOf(agency: AgencyRow): Record<string, string> {
  const values: Record<string, string> = { name: agency.name, shortName: agency.shortName ?? '', level: agency.level, parentId: agency.parentId ? String(agency.parentId) : '' };
  agency.contacts.slice(0, CONTACT_ROWS).forEach((c, i) => {
    values[`contactEmail${i + 1}`] = c.email;
    values[`contactName${i + 1}`] = c.name ?? '';
    values[`contactRole${i + 1}`] = c.role;
  });
  return values;
}

export function agenciesRouter(deps: AppDeps): Router {
  const router = Router();
  router.use(requirePermission('reference:manage'));

  /** The form's choices; checked boxes come from the agency (GET) or from what was submitted (a refused POST). */
  const formLocals = async (req: Request, agency: AgencyRow | null) => {
    const selected = req.method === 'POST'
      ? { fieldCodes: checkedIn(req.body, 'fieldCodes'), unitCodes: checkedIn(req.body, 'unitCodes') }
      : { fieldCodes: agency?.fieldCodes ?? [], unitCodes: agency?.unitCodes ?? [] };
    const fields = await listActiveFields();
    // A field deactivated since it was assigned is still shown, so saving does not drop it silently.
    const extra = await getFields(selected.fieldCodes.filter((c) => !fields.some((f) => f.code === c)));
    const selfId = agency ? String(agency._id) : null;
    return {
      levels: AGENCY_LEVELS,
      roles: CONTACT_ROLES,
      contactRows: contactRowsFor(req.method === 'POST' ? req.body : null, agency),
      fields: [...fields, ...extra.values()],
      communes: await listActiveCommunes(),
      parents: (await listParentOptions(req.user!)).filter((p) => p.id !== selfId),
      selected,
    };
  };

  router.get('/', async (req, res) => {
    const query = agencyListQuerySchema.parse(req.query);
    res.render('agencies/list', { page: await listAgencies(req.user!, query), query, levels: AGENCY_LEVELS, fields: await listActiveFields() });
  });

  router.get('/new', async (req, res) => {
    res.render('agencies/form', { ...(await formLocals(req, null)), mode: 'new', values: { level: 'province', contactRole1: 'to' } });
  });

  router.post(
    '/',
    formHandler({
      view: 'agencies/form',
      schema: agencyFormSchema,
      locals: async (req) => ({ ...(await formLocals(req, null)), mode: 'new' }),
      submit: async (req, res, input) => {
        const id = await createAgency(req.user!, input, contextOf(req, deps.clock));
        flash(req, { type: 'success', key: 'agencies.flash.created', params: { name: input.name } });
        res.redirect(303, `${BASE}/${id}`);
      },
    }),
  );

  router.get('/import', (_req, res) => {
    res.render('agencies/import', { values: {} });
  });

  // Not formHandler: a refused import shows the problems of each row, and the text may come from a file.
  router.post('/import', async (req, res) => {
    let text = '';
    try {
      const upload = await readImportUpload(req, res);
      const pasted: unknown = (req.body as Record<string, unknown> | undefined)?.csv;
      text = upload ?? (typeof pasted === 'string' ? pasted : '');
      const { csv } = parseForm(agencyImportSchema, { csv: text });
      const result = await importAgencies(req.user!, csv, contextOf(req, deps.clock));
      flash(req, { type: 'success', key: 'agencies.flash.imported', params: { ...result } });
      res.redirect(303, BASE);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      res.status(422).render('agencies/import', {
        values: { ...keptValues(req.body), csv: text.length <= 200_000 ? text : '' },
        errors: err.fieldErrors,
        rowErrors: err instanceof AgencyImportError ? err.rowErrors.slice(0, 200) : [],
        rowErrorCount: err instanceof AgencyImportError ? err.rowErrors.length : 0,
      });
    }
  });

  router.get('/suggest', async (req, res) => {
    const query = suggestionQuerySchema.parse(req.query);
    const asked = !!(query.field || query.unit || query.type);
    const suggestions = asked ? await suggestCompetentAgencies(req.user!, { fieldCode: query.field ?? null, unitCode: query.unit ?? null, caseType: query.type ?? null }) : [];
    res.render('agencies/suggest', { query, asked, suggestions, fields: await listActiveFields(), communes: await listActiveCommunes(), caseTypes: SUGGESTION_CASE_TYPES });
  });

  const loadAgency = async (req: Request) => {
    const agency = await getAgencyForEdit(req.user!, String(req.params.id ?? ''));
    if (!agency) throw new NotFoundError('agencies.errors.notFound');
    return agency;
  };

  router.get('/:id', async (req, res) => {
    const agency = await loadAgency(req);
    res.render('agencies/form', { ...(await formLocals(req, agency)), mode: 'edit', agency, values: valuesOf(agency) });
  });

  router.post(
    '/:id',
    formHandler({
      view: 'agencies/form',
      schema: agencyFormSchema,
      locals: async (req) => {
        const agency = await loadAgency(req);
        return { ...(await formLocals(req, agency)), mode: 'edit', agency };
      },
      submit: async (req, res, input) => {
        const agency = await loadAgency(req);
        await updateAgency(req.user!, String(agency._id), input, contextOf(req, deps.clock));
        flash(req, { type: 'success', key: 'agencies.flash.updated', params: { name: input.name } });
        res.redirect(303, `${BASE}/${String(agency._id)}`);
      },
    }),
  );

  for (const action of ['deactivate', 'activate'] as const) {
    router.get(`/:id/${action}`, async (req, res) => {
      const agency = await loadAgency(req);
      const id = String(agency._id);
      res.render('agencies/confirm', { action, agency, formAction: `${BASE}/${id}/${action}`, cancelHref: `${BASE}/${id}` });
    });
    router.post(`/:id/${action}`, async (req, res) => {
      const agency = await loadAgency(req);
      await setAgencyActive(req.user!, String(agency._id), action === 'activate', contextOf(req, deps.clock));
      flash(req, { type: 'success', key: FLASH[action], params: { name: agency.name } });
      res.redirect(303, BASE);
    });
  }

  return router;
}
