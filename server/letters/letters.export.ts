// The register as CSV that Excel opens correctly (UTF-8 with a byte-order mark), with the same filters
// as the list and the same protection: a protected letter's senders read "[bảo mật]".
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { Response } from 'express';
import type { TFunction } from 'i18next';
import type { Actor } from '../access/index.js';
import { formatDate } from '../platform/dates.js';
import { exportLetterRows, type LetterListQuery } from './letters.queries.js';

/** Text typed by people must never run as a spreadsheet formula when the file is opened (CSV injection). */
function cell(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** Streams the CSV to the response; resolves with the ids of protected letters whose senders it showed. */
export async function sendLettersCsv(res: Response, actor: Actor, query: LetterListQuery, t: TFunction): Promise<string[]> {
  const shown: string[] = [];
  async function* records() {
    yield [t('letters.receivedAt'), t('letters.channelLabel'), t('letters.senders'), t('letters.typeLabel'), t('letters.summary'), t('letters.eligibleLabel'), t('letters.handlingLabel'), t('cases.number')];
    for await (const row of exportLetterRows(actor, query)) {
      if (row.identityShown) shown.push(row.id);
      const senders = row.anonymous ? t('letters.anonymous') : row.senders.map((s) => s ?? t('cases.confidential')).join('; ');
      const eligible = row.eligible === null ? t('letters.eligible.pending') : t(row.eligible ? 'letters.eligible.yes' : 'letters.eligible.no');
      yield [
        formatDate(row.receivedAt),
        cell(t(`letters.channel.${row.channel}`) + (row.forwardedBy ? ` (${row.forwardedBy})` : '')),
        cell(senders),
        t(`letters.type.${row.type}`),
        cell(row.summary),
        eligible,
        row.handling ? t(`letters.handling.${row.handling}`) : '',
        row.cases.map((c) => c.number).join('; '),
      ];
    }
  }
  res.status(200);
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', 'attachment; filename="so-don.csv"');
  res.setHeader('Cache-Control', 'private, no-store');
  await pipeline(Readable.from(records()), stringify({ bom: true }), res);
  return shown;
}
