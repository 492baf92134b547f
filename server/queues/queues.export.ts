// One work queue as a file (CSV with BOM, or XLSX): the queue the page shows, with its filters, in its
// order, and only the rows this user may see (the same queueFilter as the page). Streamed by the
// shared exporter while the rows are read by key. Queues show no filer; a denunciation's summary is
// blanked of its parties for readers without the permission (see summaryFor).
import type { Response } from 'express';
import type { TFunction } from 'i18next';
import type { Actor } from '../access/index.js';
import { sendExport, type ExportColumn, type ExportFormat } from '../exports/index.js';
import { countQueues, exportQueueRows, type QueueMoment, type QueueRow } from './queues.queries.js';
import { QUEUES, type QueueId, type QueueSubject } from './queues.rules.js';
import type { QueueFilters } from './queues.schemas.js';

function columns(subject: QueueSubject, t: TFunction): ExportColumn<QueueRow>[] {
  const status = (r: QueueRow) => t(r.subject === 'forwarding' ? `forwarding.status.${r.status}` : `cases.status.${r.status}`);
  const deadline: ExportColumn<QueueRow> = { header: t('queues.column.deadline'), value: (r) => (r.dueDate ? { date: new Date(`${r.dueDate}T00:00:00+07:00`) } : null), width: 12 };
  const late: ExportColumn<QueueRow> = { header: t('queues.export.daysOverdue'), value: (r) => r.daysOverdue, width: 10 };
  if (subject === 'case') {
    return [
      { header: t('queues.column.number.case'), value: (r) => r.number, width: 14 },
      { header: t('queues.column.matters.case'), value: (r) => r.summary, width: 60 },
      { header: t('queues.column.status'), value: status, width: 16 },
      deadline,
      late,
      { header: t('queues.officer.case'), value: (r) => r.officer, width: 22 },
      { header: t('queues.export.receivedAt'), value: (r) => ({ date: r.createdAt }), width: 12 },
    ];
  }
  return [
    { header: t('queues.column.number.forwarding'), value: (r) => r.number ?? t('queues.draft'), width: 16 },
    { header: t('queues.column.agency'), value: (r) => r.agencyName, width: 30 },
    { header: t('queues.column.matters.forwarding'), value: (r) => r.matters, width: 24 },
    { header: t('queues.column.status'), value: status, width: 18 },
    deadline,
    late,
    { header: t('queues.export.chaseCount'), value: (r) => r.chaseCount, width: 10 },
    { header: t('queues.export.extensionDays'), value: (r) => r.pendingExtensionDays, width: 12 },
    { header: t('queues.export.answeredAt'), value: (r) => (r.answeredAt ? { date: r.answeredAt } : null), width: 12 },
    { header: t('queues.officer.forwarding'), value: (r) => r.officer, width: 22 },
    { header: t('queues.export.createdAt'), value: (r) => ({ date: r.createdAt }), width: 12 },
  ];
}

export async function sendQueueExport(res: Response, actor: Actor, queue: QueueId, filters: QueueFilters, m: QueueMoment, format: ExportFormat, r: { t: TFunction; creator: string }): Promise<void> {
  const total = (await countQueues(actor, [queue], filters, m))[0]?.count ?? 0;
  const name = r.t(`queues.name.${queue}`);
  await sendExport(
    res,
    format,
    { filename: `${r.t('queues.title')} - ${name}`, sheetName: name, columns: columns(QUEUES[queue].subject, r.t), rows: exportQueueRows(actor, queue, filters, m) },
    { creator: r.creator, now: m.now, expectedRows: total },
  );
}
