// The register as a file (CSV that Excel opens correctly, or XLSX) with the same filters as the list
// and the same protection: a protected letter's senders read "[bảo mật]" for users who may not see
// them, and each export that showed them is recorded. Streamed by the shared exporter.
import type { Response } from 'express';
import type { TFunction } from 'i18next';
import type { Actor } from '../access/index.js';
import { IdentityViewBatches, recordingIdentities, sendExport, type ExportColumn, type ExportFormat } from '../exports/index.js';
import type { ServiceContext } from '../platform/context.js';
import { exportLetterRows, listLetters, type LetterListQuery, type LetterRow } from './letters.queries.js';
import { recordIdentityView } from './letters.service.js';

function columns(t: TFunction): ExportColumn<LetterRow>[] {
  return [
    { header: t('letters.receivedAt'), value: (r) => ({ date: r.receivedAt }), width: 12 },
    { header: t('letters.channelLabel'), value: (r) => t(`letters.channel.${r.channel}`) + (r.forwardedBy ? ` (${r.forwardedBy})` : ''), width: 22 },
    { header: t('letters.senders'), value: (r) => (r.anonymous ? t('letters.anonymous') : r.senders.map((s) => s ?? t('cases.confidential')).join('; ')), width: 28 },
    { header: t('letters.typeLabel'), value: (r) => t(`letters.type.${r.type}`), width: 12 },
    { header: t('letters.summary'), value: (r) => r.summary, width: 60 },
    {
      header: t('letters.eligibleLabel'),
      value: (r) => (r.eligible === null ? t('letters.eligible.pending') : t(r.eligible ? 'letters.eligible.yes' : 'letters.eligible.no')),
      width: 16,
    },
    { header: t('letters.handlingLabel'), value: (r) => (r.handling ? t(`letters.handling.${r.handling}`) : ''), width: 20 },
    { header: t('cases.number'), value: (r) => r.cases.map((c) => c.number).join('; '), width: 16 },
  ];
}

export interface LetterExportRequest {
  t: TFunction;
  ctx: ServiceContext;
  creator: string;
}

/** Streams the register; protected senders shown are recorded in batches while the rows go out. */
export async function sendLettersExport(res: Response, actor: Actor, query: LetterListQuery, format: ExportFormat, r: LetterExportRequest): Promise<void> {
  const { total } = await listLetters(actor, { ...query, after: undefined });
  const batches = new IdentityViewBatches((ids) => recordIdentityView(actor, ids, 'letter-export', r.ctx));
  const rows = recordingIdentities(exportLetterRows(actor, query), (row) => (row.identityShown ? row.id : null), batches);
  await sendExport(
    res,
    format,
    { filename: r.t('exports.files.letters'), sheetName: r.t('letters.listTitle'), columns: columns(r.t), rows },
    { creator: r.creator, now: r.ctx.clock.now(), expectedRows: total },
  );
}
