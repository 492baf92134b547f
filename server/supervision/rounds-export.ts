// The rounds list as a file (CSV with BOM, or XLSX), with the list's own filters and the reader's
// scope (a delegate's file holds only their rounds), streamed by the shared exporter while the rows
// are read by key. A round names agencies, members and case numbers, never a citizen.
import type { Response } from 'express';
import type { TFunction } from 'i18next';
import type { Actor } from '../access/index.js';
import { sendExport, type ExportColumn, type ExportFormat } from '../exports/index.js';
import { countRounds, exportRoundRows, type RoundExportRow } from './supervision.queries.js';
import type { RoundListQuery } from './supervision.schemas.js';

/** A calendar day of the round ('YYYY-MM-DD') as the instant it starts in Vietnam, for a date cell. */
const vietnamDay = (iso: string) => ({ date: new Date(`${iso}T00:00:00+07:00`) });

function columns(t: TFunction): ExportColumn<RoundExportRow>[] {
  return [
    { header: t('supervision.roundTitle'), value: (r) => r.title, width: 40 },
    { header: t('supervision.basis'), value: (r) => r.basis, width: 30 },
    { header: t('supervision.startsOn'), value: (r) => vietnamDay(r.startsOn), width: 12 },
    { header: t('supervision.endsOn'), value: (r) => vietnamDay(r.endsOn), width: 12 },
    { header: t('supervision.statusLabel'), value: (r) => t(`supervision.status.${r.status}`), width: 16 },
    { header: t('supervision.members'), value: (r) => r.memberNames.join('; '), width: 36 },
    { header: t('supervision.agenciesInScope'), value: (r) => r.agencyNames.join('; '), width: 36 },
    { header: t('supervision.export.caseCount'), value: (r) => r.caseCount, width: 10 },
    { header: t('supervision.export.caseNumbers'), value: (r) => r.caseNumbers.join('; '), width: 30 },
    { header: t('supervision.export.concludedOn'), value: (r) => (r.conclusionOn ? vietnamDay(r.conclusionOn) : null), width: 12 },
    { header: t('supervision.createdBy'), value: (r) => r.createdBy, width: 22 },
    { header: t('supervision.export.createdAt'), value: (r) => ({ date: r.createdAt, withTime: true }), width: 16 },
  ];
}

export async function sendRoundsExport(res: Response, actor: Actor, query: RoundListQuery, format: ExportFormat, r: { t: TFunction; creator: string; now: Date }): Promise<void> {
  const all = { ...query, after: undefined };
  const total = await countRounds(actor, all);
  await sendExport(
    res,
    format,
    { filename: r.t('supervision.export.file'), sheetName: r.t('supervision.listTitle'), columns: columns(r.t), rows: exportRoundRows(actor, all) },
    { creator: r.creator, now: r.now, expectedRows: total },
  );
}
