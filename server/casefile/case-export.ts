// The case list as a file, with the list's filters and order: read by key in chunks, one row per case,
// a denunciation's filers as "[bảo mật]" for users who may not see them (as on screen), and every
// displayed identity recorded in batches.
import type { Response } from 'express';
import type { TFunction } from 'i18next';
import { can, type Actor } from '../access/index.js';
import { buildCaseFilter, CaseModel, recordIdentityViews, visibleParties, visibleText, type Case, type CaseListQuery } from '../cases/index.js';
import {
  IdentityViewBatches,
  keysetScan,
  takeEach,
  recordingIdentities,
  ReferenceNames,
  sendExport,
  sortOf,
  withCondition,
  type ExportColumn,
  type ExportFormat,
  type ExportSpec,
  type KeysetOrder,
} from '../exports/index.js';
import type { ServiceContext } from '../platform/context.js';

export interface CaseExportRow {
  id: string;
  number: string;
  receivedAt: Date;
  type: string;
  status: string;
  field: string;
  unit: string;
  filers: string;
  summary: string;
  visitCount: number;
  letterCount: number;
  dueAt: Date | null;
  overdue: boolean;
  /** True when the row shows a denouncer's name (the display must be recorded). */
  identityShown: boolean;
}

const ORDERS: Record<NonNullable<CaseListQuery['sort']>, KeysetOrder> = {
  newest: { path: 'receivedAt', dir: -1 },
  oldest: { path: 'receivedAt', dir: 1 },
  deadline: { path: 'handlingDeadline.dueAt', dir: 1 },
};

const FIELDS = { number: 1, type: 1, status: 1, confidential: 1, fieldCode: 1, unitCode: 1, summary: 1, receivedAt: 1, visitCount: 1, letterCount: 1, 'handlingDeadline.dueAt': 1, parties: 1 } as const;

export async function countCasesForExport(actor: Actor, query: CaseListQuery, now: Date): Promise<number> {
  return CaseModel.countDocuments(buildCaseFilter(actor, { ...query, after: undefined }, now));
}

export async function* caseExportRows(actor: Actor, query: CaseListQuery, now: Date, t: TFunction, lang: 'vi' | 'en'): AsyncGenerator<CaseExportRow> {
  const filter = buildCaseFilter(actor, { ...query, after: undefined }, now);
  const order = ORDERS[query.sort ?? 'newest'];
  const maySeeIdentity = can(actor, 'view-denouncer-identity');
  const names = new ReferenceNames(lang);
  const chunks = keysetScan<Case>((after, limit) => CaseModel.find(withCondition(filter, after), FIELDS).sort(sortOf(order)).limit(limit).lean<Case[]>(), order);
  for await (const chunk of chunks) {
    await names.learn(
      chunk.map((c) => c.fieldCode),
      chunk.map((c) => c.unitCode),
    );
    for (const c of takeEach(chunk)) {
      const parties = visibleParties(c.parties.filter((p) => p.role !== 'accompanying'), c.confidential, maySeeIdentity);
      const dueAt = c.handlingDeadline?.dueAt ?? null;
      yield {
        id: String(c._id),
        number: c.number,
        receivedAt: c.receivedAt,
        type: t(`cases.type.${c.type}`),
        status: t(`cases.status.${c.status}`),
        field: names.field(c.fieldCode),
        unit: names.unit(c.unitCode),
        filers: parties.map((p) => (p.hidden ? t('cases.confidential') : (p.name ?? ''))).join('; '),
        summary: visibleText(c.summary, c.parties, c.confidential, maySeeIdentity),
        visitCount: c.visitCount,
        letterCount: c.letterCount,
        dueAt,
        overdue: !!dueAt && dueAt < now && (c.status === 'received' || c.status === 'in-progress'),
        identityShown: c.confidential && parties.some((p) => !p.hidden),
      };
    }
  }
}

export function caseExportSpec(rows: AsyncIterable<CaseExportRow>, t: TFunction): ExportSpec<CaseExportRow> {
  const columns: ExportColumn<CaseExportRow>[] = [
    { header: t('cases.number'), value: (r) => r.number, width: 14 },
    { header: t('exports.columns.receivedAt'), value: (r) => ({ date: r.receivedAt }), width: 12 },
    { header: t('cases.typeLabel'), value: (r) => r.type, width: 12 },
    { header: t('cases.statusLabel'), value: (r) => r.status, width: 16 },
    { header: t('cases.field'), value: (r) => r.field, width: 20 },
    { header: t('exports.columns.commune'), value: (r) => r.unit, width: 20 },
    { header: t('cases.filers'), value: (r) => r.filers, width: 28 },
    { header: t('cases.summary'), value: (r) => r.summary, width: 60 },
    { header: t('exports.columns.visits'), value: (r) => r.visitCount, width: 9 },
    { header: t('exports.columns.letters'), value: (r) => r.letterCount, width: 9 },
    { header: t('cases.deadline'), value: (r) => (r.dueAt ? { date: r.dueAt } : null), width: 12 },
    { header: t('cases.overdue'), value: (r) => (r.overdue ? t('exports.yes') : ''), width: 9 },
  ];
  return { filename: t('exports.files.cases'), sheetName: t('cases.listTitle'), columns, rows };
}

export interface ExportRequest {
  t: TFunction;
  lang: 'vi' | 'en';
  ctx: ServiceContext;
  /** The workbook's author. */
  creator: string;
}

/** Streams the case list with these filters as CSV or XLSX. */
export async function sendCaseExport(res: Response, actor: Actor, query: CaseListQuery, format: ExportFormat, r: ExportRequest): Promise<void> {
  const now = r.ctx.clock.now();
  const expectedRows = await countCasesForExport(actor, query, now);
  const batches = new IdentityViewBatches((ids) => recordIdentityViews(actor, ids, 'case-export', r.ctx));
  const rows = recordingIdentities(caseExportRows(actor, query, now, r.t, r.lang), (row) => (row.identityShown ? row.id : null), batches);
  await sendExport(res, format, caseExportSpec(rows, r.t), { creator: r.creator, now, expectedRows });
}
