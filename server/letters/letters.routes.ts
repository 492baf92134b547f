// The letter register, the intake form, a letter's page with its assessment, the split of a mixed
// letter, the export and the scans. Thin: parse → service → redirect, or render with 422.
import crypto from 'node:crypto';
import { Router, type Request, type RequestHandler, type Response } from 'express';
import { can, requirePermission } from '../access/index.js';
import { UploadRefusedError, assertMaySee, getAttachment, sendAttachment, uploadFiles, uploadedIds } from '../attachments/index.js';
import { CASE_TYPES } from '../cases/index.js';
import type { AppDeps } from '../platform/deps.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../platform/errors.js';
import { keptValues, parseForm } from '../platform/http/forms.js';
import { contextOf } from '../platform/http/request-context.js';
import { flash } from '../platform/http/session.js';
import { intakeOptions } from '../receptions/index.js';
import { applicableReasons, suggestedAssessment } from './eligibility.rules.js';
import { assessLetter, attachScans, splitLetter } from './letter-handling.service.js';
import { LETTER_CHANNELS, LETTER_HANDLINGS, LETTER_TYPES, MAX_SPLIT_PARTS } from './letter-kinds.js';
import { EXPORT_FORMATS } from '../exports/index.js';
import { sendLettersExport } from './letters.export.js';
import { getLetterDetail, letterListQuerySchema, listLetters, type LetterDetail } from './letters.queries.js';
import { assessmentSchema, letterIntakeSchema, splitSchema } from './letters.schemas.js';
import { loadVisibleLetter, logLetter, recordIdentityView } from './letters.service.js';
import { unreadableDates } from '../platform/http/date-filters.js';

const lists = { channels: LETTER_CHANNELS, letterTypes: LETTER_TYPES, handlings: LETTER_HANDLINGS, caseTypes: CASE_TYPES };

function param(req: Request, name: string): string {
  return String(req.params[name] ?? '');
}

/** Checkboxes arrive as one string or an array of strings; the form shows them ticked again. */
function checked(value: unknown): string[] {
  return (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
}

function todayInVietnam(now: Date): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Ho_Chi_Minh', day: '2-digit', month: '2-digit', year: 'numeric' }).format(now);
}

export function lettersRouter(deps: AppDeps): Router {
  const router = Router();

  const renderForm = async (req: Request, res: Response, status: number, locals: Record<string, unknown>) => {
    res.status(status).render('letters/new', { ...(await intakeOptions(req.lang)), ...lists, ...locals });
  };

  router.get('/', async (req, res) => {
    const query = letterListQuerySchema.parse(req.query);
    const page = await listLetters(req.user!, query);
    const shown = page.rows.filter((r) => r.identityShown).map((r) => r.id);
    await recordIdentityView(req.user!, shown, 'letter-list', contextOf(req, deps.clock));
    res.render('letters/list', { page, query, badDates: unreadableDates(req.query), ...lists });
  });

  for (const format of EXPORT_FORMATS) {
    router.get(`/export.${format}`, async (req, res) => {
      const ctx = contextOf(req, deps.clock);
      await sendLettersExport(res, req.user!, letterListQuerySchema.parse(req.query), format, { t: deps.translator.t(req.lang), ctx, creator: deps.config.OFFICE_NAME });
    });
  }

  router.get('/new', requirePermission('cases:write'), async (req, res) => {
    await renderForm(req, res, 200, {
      values: { submissionKey: crypto.randomBytes(16).toString('hex'), date: todayInVietnam(deps.clock.now()), channel: 'post', type: '' },
    });
  });

  router.post('/', requirePermission('cases:write'), async (req, res) => {
    const values = keptValues(req.body);
    try {
      const input = parseForm(letterIntakeSchema, req.body);
      const result = await logLetter(req.user!, input, contextOf(req, deps.clock));
      if (result.outcome === 'possible-duplicates') {
        return renderForm(req, res, 200, {
          values: { ...values, caseChoice: result.candidates.length ? '' : values.caseChoice, personChoice: result.people.length ? '' : values.personChoice },
          candidates: result.candidates,
          people: result.people,
        });
      }
      // A replayed submission (double click, retry) was already announced by the request that saved it.
      if (!result.replayed) flash(req, { type: 'success', key: result.newCase ? 'letters.flash.savedNewCase' : 'letters.flash.savedExistingCase', params: { number: result.caseNumber } });
      res.redirect(303, `/letters/${result.letterId}`);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      await renderForm(req, res, 422, { values, errors: err.fieldErrors });
    }
  });

  const renderLetter = async (req: Request, res: Response, status: number, extra: Record<string, unknown> = {}) => {
    const actor = req.user!;
    const letter: LetterDetail | null = await getLetterDetail(actor, param(req, 'id'));
    if (!letter) throw new NotFoundError('letters.errors.notFound');
    if (letter.identityShown) await recordIdentityView(actor, [letter.id], 'letter-page', contextOf(req, deps.clock));
    const suggested = suggestedAssessment({ type: letter.type, anonymous: letter.anonymous, hasEvidence: letter.eligibility.hasEvidence });
    const e = letter.eligibility;
    res.status(status).render('letters/detail', {
      letter,
      ...(await intakeOptions(req.lang)),
      ...lists,
      // Every reason that fits the letter; "anonymous without evidence" is refused on saving if evidence is ticked.
      reasons: applicableReasons({ type: letter.type, anonymous: letter.anonymous, hasEvidence: false }),
      mayWrite: can(actor, 'cases:write'),
      maySplit: can(actor, 'cases:write') && letter.type === 'mixed' && letter.cases.length === 1,
      assessment: {
        eligible: e.eligible === null ? (suggested.eligible === null ? '' : suggested.eligible ? 'yes' : 'no') : e.eligible ? 'yes' : 'no',
        reasons: e.eligible === null ? suggested.reasons : e.reasons,
        hasEvidence: e.hasEvidence ? '1' : '',
        handling: letter.handling ?? '',
        note: e.note ?? '',
      },
      ...extra,
    });
  };

  router.get('/:id', async (req, res) => {
    await renderLetter(req, res, 200);
  });

  router.post('/:id/assessment', requirePermission('cases:write'), async (req, res) => {
    try {
      const input = parseForm(assessmentSchema, req.body);
      await assessLetter(req.user!, param(req, 'id'), input, contextOf(req, deps.clock));
      flash(req, { type: 'success', key: 'letters.flash.assessed' });
      res.redirect(303, `/letters/${param(req, 'id')}`);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      const body = (req.body ?? {}) as Record<string, unknown>;
      await renderLetter(req, res, 422, { errors: err.fieldErrors, assessment: { ...keptValues(body), reasons: checked(body.reasons) } });
    }
  });

  const renderSplit = async (req: Request, res: Response, status: number, values: Record<string, string> | null, errors?: Record<string, string>) => {
    const letter = await getLetterDetail(req.user!, param(req, 'id'));
    if (!letter) throw new NotFoundError('letters.errors.notFound');
    if (letter.type !== 'mixed') throw new ConflictError('letters.errors.notMixed');
    if (letter.cases.length > 1) throw new ConflictError('letters.errors.alreadySplit');
    const first = letter.caseDetails[0];
    res.status(status).render('letters/split', {
      letter,
      ...(await intakeOptions(req.lang)),
      ...lists,
      partNumbers: Array.from({ length: MAX_SPLIT_PARTS }, (_, i) => i + 1),
      values: values ?? { part1Type: first?.type ?? '', part1FieldCode: letter.fieldCode ?? '', part1Summary: letter.summary },
      errors,
    });
  };

  router.get('/:id/split', requirePermission('cases:write'), async (req, res) => {
    await renderSplit(req, res, 200, null);
  });

  router.post('/:id/split', requirePermission('cases:write'), async (req, res) => {
    try {
      const input = parseForm(splitSchema, req.body);
      const { caseNumbers } = await splitLetter(req.user!, param(req, 'id'), input, contextOf(req, deps.clock));
      flash(req, { type: 'success', key: 'letters.flash.split', params: { numbers: caseNumbers.join(', ') } });
      res.redirect(303, `/letters/${param(req, 'id')}`);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      await renderSplit(req, res, 422, keptValues(req.body), err.fieldErrors);
    }
  });

  // Scans of the letter (a multipart form on its page). A refused upload — wrong type, too large, too
  // many — answers with the letter page and the reason, and stores nothing.
  const upload = uploadFiles({ clock: deps.clock });
  const uploadOrExplain: RequestHandler = (req, res, next) => {
    upload(req, res, (err?: unknown) => {
      if (!(err instanceof UploadRefusedError)) return next(err);
      renderLetter(req, res, err.status, { errors: { files: err.messageKey }, errorParams: { files: err.params } }).catch(next);
    });
  };

  router.post('/:id/attachments', requirePermission('cases:write'), uploadOrExplain, async (req, res) => {
    try {
      const count = await attachScans(req.user!, param(req, 'id'), uploadedIds(req), contextOf(req, deps.clock));
      flash(req, { type: 'success', key: 'letters.flash.scansAdded', params: { count } });
      res.redirect(303, `/letters/${param(req, 'id')}`);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      await renderLetter(req, res, 422, { errors: err.fieldErrors });
    }
  });

  // A scan of the letter, as a download. A protected letter's scans show who wrote it.
  router.get('/:id/attachments/:attachmentId', async (req, res) => {
    const actor = req.user!;
    const letter = await loadVisibleLetter(actor, param(req, 'id'));
    const attachment = await getAttachment(param(req, 'attachmentId')).catch((err: unknown) => {
      if (err instanceof NotFoundError) return null;
      throw err;
    });
    if (!attachment || attachment.owner?.type !== 'letter' || attachment.owner.id !== String(letter._id)) throw new NotFoundError('letters.errors.attachmentNotFound');
    assertMaySee(actor, attachment, true);
    if (letter.confidential && !can(actor, 'view-denouncer-identity')) throw new ForbiddenError('letters.errors.scanProtected');
    if (letter.confidential || attachment.confidential) {
      await recordIdentityView(actor, [String(letter._id)], 'letter-scan', contextOf(req, deps.clock), { attachmentId: String(attachment._id) });
    }
    await sendAttachment(res, attachment);
  });

  return router;
}
