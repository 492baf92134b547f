// The forwarding list as a file (CSV that Excel opens correctly, or XLSX), with the list's filters and
// scope, read by key in chunks and streamed by the shared exporter. It carries what the list shows —
// slip numbers, agencies, case numbers, states and deadlines, never a matter's text or a party's name
// — so a denunciation's forwarding exports nothing about its filer, whoever asks.
import type { Response } from 'express';
import type { TFunction } from 'i18next';
import type { Actor } from '../access/index.js';
import { keysetScan, takeEach, sendExport, sortOf, withCondition, type ExportColumn, type ExportFormat, type KeysetOrder } from '../exports/index.js';
import type { ServiceContext } from '../platform/context.js';
import { ForwardingModel, type Forwarding } from './forwarding.model.js';
import { ROW_FIELDS, deadlineExplanations, forwardingListFilter, type ForwardingListQuery } from './forwarding.queries.js';
import { daysOverdue, isOverdue } from './forwarding.rules.js';

export interface ForwardingExportRow {
  documentNumber: string | null;
  documentDate: Date | null;
  agencyName: string;
  cases: string;
  status: string;
  suspended: boolean;
  dueAt: Date | null;
  daysOverdue: number;
  explained: string;
  answerCount: number;
  draftedBy: string;
  createdAt: Date;
}

// The list's order, on its { createdAt: -1, _id: -1 } index.
const ORDER: KeysetOrder = { path: 'createdAt', dir: -1 };
const FIELDS = { ...ROW_FIELDS, documentDate: 1, deadlineHistory: 1 } as const;

export async function* forwardingExportRows(actor: Actor, query: ForwardingListQuery, now: Date, lang: 'vi' | 'en'): AsyncGenerator<ForwardingExportRow> {
  const filter = await forwardingListFilter(actor, { ...query, after: undefined }, now);
  if (!filter) return;
  const chunks = keysetScan<Forwarding>((after, limit) => ForwardingModel.find(withCondition(filter, after), FIELDS).sort(sortOf(ORDER)).limit(limit).lean<Forwarding[]>(), ORDER);
  for await (const chunk of chunks) {
    for (const f of takeEach(chunk)) {
      yield {
        documentNumber: f.documentNumber,
        documentDate: f.documentDate,
        agencyName: f.agencyName,
        // Case numbers (or petition labels) only: the list shows no more.
        cases: f.items.map((i) => i.label).join('; '),
        status: f.status,
        suspended: !!f.suspension,
        dueAt: f.deadline?.dueAt ?? null,
        daysOverdue: isOverdue(f, now) ? daysOverdue(f, now) : 0,
        explained: deadlineExplanations(f)?.[lang] ?? '',
        answerCount: f.answerCount,
        draftedBy: f.draftedBy.name,
        createdAt: f.createdAt!,
      };
    }
  }
}

function columns(t: TFunction): ExportColumn<ForwardingExportRow>[] {
  return [
    { header: t('forwarding.documentNumber'), value: (r) => r.documentNumber ?? t('forwarding.draft'), width: 14 },
    { header: t('forwarding.export.documentDate'), value: (r) => (r.documentDate ? { date: r.documentDate } : null), width: 12 },
    { header: t('forwarding.agency'), value: (r) => r.agencyName, width: 32 },
    { header: t('forwarding.mattersLabel'), value: (r) => r.cases, width: 20 },
    { header: t('forwarding.statusLabel'), value: (r) => t(`forwarding.status.${r.status}`) + (r.suspended ? ` (${t('forwarding.suspendedShort')})` : ''), width: 22 },
    { header: t('forwarding.deadline'), value: (r) => (r.dueAt ? { date: r.dueAt } : null), width: 12 },
    { header: t('forwarding.export.daysOverdue'), value: (r) => r.daysOverdue, width: 10 },
    { header: t('forwarding.export.explained'), value: (r) => r.explained, width: 70 },
    { header: t('forwarding.export.answers'), value: (r) => r.answerCount, width: 10 },
    { header: t('forwarding.draftedBy'), value: (r) => r.draftedBy, width: 22 },
    { header: t('forwarding.export.createdAt'), value: (r) => ({ date: r.createdAt, withTime: true }), width: 16 },
  ];
}

export interface ForwardingExportRequest {
  t: TFunction;
  lang: 'vi' | 'en';
  ctx: ServiceContext;
  creator: string;
}

/** Streams the forwardings the list's filters select, as CSV or XLSX. */
export async function sendForwardingsExport(res: Response, actor: Actor, query: ForwardingListQuery, format: ExportFormat, r: ForwardingExportRequest): Promise<void> {
  const now = r.ctx.clock.now();
  const filter = await forwardingListFilter(actor, { ...query, after: undefined }, now);
  const expectedRows = filter ? await ForwardingModel.countDocuments(filter) : 0;
  await sendExport(
    res,
    format,
    { filename: r.t('forwarding.export.file'), sheetName: r.t('forwarding.listTitle'), columns: columns(r.t), rows: forwardingExportRows(actor, query, now, r.lang) },
    { creator: r.creator, now, expectedRows },
  );
}
