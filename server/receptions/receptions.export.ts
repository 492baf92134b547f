// The reception register as a file, with the register's filters: read by key in chunks, the visitors
// of a denunciation as "[bảo mật]" for users who may not see them (as on screen), and every displayed
// identity recorded in batches.
import type { Response } from 'express';
import type { TFunction } from 'i18next';
import mongoose, { trusted } from 'mongoose';
import { can, type Actor } from '../access/index.js';
import { queryWords, recordIdentityViews, scopeFilter, visibleText } from '../cases/index.js';
import { IdentityViewBatches, keysetScan, takeEach, recordingIdentities, sendExport, sortOf, withCondition, type ExportColumn, type ExportFormat, type KeysetOrder } from '../exports/index.js';
import type { ServiceContext } from '../platform/context.js';
import { protectedVisitorIdentities } from './protected-visitors.js';
import { ReceptionModel, type Reception } from './reception.model.js';
import type { ReceptionListQuery } from './receptions.queries.js';

export interface ReceptionExportRow {
  id: string;
  receivedAt: Date;
  kind: string;
  people: string;
  peopleCount: number;
  group: string;
  content: string;
  outcome: string;
  caseId: string;
  caseNumber: string;
  identityShown: boolean;
}

const ORDER: KeysetOrder = { path: 'receivedAt', dir: -1 };
const FIELDS = { receivedAt: 1, kind: 1, participants: 1, peopleCount: 1, isGroup: 1, content: 1, outcome: 1, caseId: 1, caseNumber: 1, confidential: 1 } as const;

/**
 * The register's filter, as listReceptions builds it (kept in step by a test that compares the
 * export with the list for the same filters).
 */
export async function receptionExportFilter(actor: Actor, query: ReceptionListQuery): Promise<Record<string, unknown>> {
  const and: Record<string, unknown>[] = [];
  if (!can(actor, 'cases:read-all')) {
    const caseIds = await mongoose.connection
      .collection('cases')
      .find(scopeFilter(actor), { projection: { _id: 1 } })
      .map((c) => c._id)
      .toArray();
    and.push({ $or: [{ host: new mongoose.Types.ObjectId(actor.id) }, { caseId: trusted({ $in: caseIds }) }] });
  }
  if (query.kind) and.push({ kind: query.kind });
  if (query.outcome) and.push({ outcome: query.outcome });
  if (query.group) and.push({ isGroup: true });
  if (query.from) and.push({ receivedAt: trusted({ $gte: new Date(`${query.from}T00:00:00+07:00`) }) });
  if (query.to) and.push({ receivedAt: trusted({ $lt: new Date(new Date(`${query.to}T00:00:00+07:00`).getTime() + 86_400_000) }) });
  if (query.q) {
    const words = queryWords(query.q);
    if (words.length) and.push({ searchTokens: trusted({ $all: words }) });
  }
  return and.length ? { $and: and } : {};
}

export async function* receptionExportRows(actor: Actor, query: ReceptionListQuery, t: TFunction): AsyncGenerator<ReceptionExportRow> {
  const filter = await receptionExportFilter(actor, query);
  const maySeeIdentity = can(actor, 'view-denouncer-identity');
  const chunks = keysetScan<Reception>((after, limit) => ReceptionModel.find(withCondition(filter, after), FIELDS).sort(sortOf(ORDER)).limit(limit).lean<Reception[]>(), ORDER);
  for await (const chunk of chunks) {
    const identities = await protectedVisitorIdentities(chunk, maySeeIdentity);
    for (const r of takeEach(chunk)) {
      const hidden = r.confidential && !maySeeIdentity;
      yield {
        id: String(r._id),
        receivedAt: r.receivedAt,
        kind: t(`receptions.kind.${r.kind}`),
        people: r.participants.map((p) => (hidden ? t('cases.confidential') : p.name)).join('; '),
        peopleCount: r.peopleCount,
        group: r.isGroup ? t('exports.yes') : '',
        content: visibleText(r.content, identities(r), r.confidential, maySeeIdentity),
        outcome: t(`receptions.outcome.${r.outcome}`),
        caseId: String(r.caseId),
        caseNumber: r.caseNumber,
        identityShown: r.confidential && !hidden && r.participants.length > 0,
      };
    }
  }
}

function columns(t: TFunction): ExportColumn<ReceptionExportRow>[] {
  return [
    { header: t('receptions.when'), value: (r) => ({ date: r.receivedAt, withTime: true }), width: 16 },
    { header: t('receptions.kindLabel'), value: (r) => r.kind, width: 16 },
    { header: t('receptions.people'), value: (r) => r.people, width: 28 },
    { header: t('exports.columns.peopleCount'), value: (r) => r.peopleCount, width: 9 },
    { header: t('exports.columns.groupVisit'), value: (r) => r.group, width: 10 },
    { header: t('receptions.content'), value: (r) => r.content, width: 60 },
    { header: t('receptions.outcomeLabel'), value: (r) => r.outcome, width: 22 },
    { header: t('cases.number'), value: (r) => r.caseNumber, width: 14 },
  ];
}

export interface ReceptionExportRequest {
  t: TFunction;
  ctx: ServiceContext;
  creator: string;
}

/** Streams the register with these filters as CSV or XLSX. Views are recorded per case, as on screen. */
export async function sendReceptionExport(res: Response, actor: Actor, query: ReceptionListQuery, format: ExportFormat, r: ReceptionExportRequest): Promise<void> {
  const expectedRows = await ReceptionModel.countDocuments(await receptionExportFilter(actor, query));
  const batches = new IdentityViewBatches((ids) => recordIdentityViews(actor, ids, 'reception-export', r.ctx));
  const rows = recordingIdentities(receptionExportRows(actor, query, r.t), (row) => (row.identityShown ? row.caseId : null), batches);
  await sendExport(
    res,
    format,
    { filename: r.t('exports.files.receptions'), sheetName: r.t('receptions.listTitle'), columns: columns(r.t), rows },
    { creator: r.creator, now: r.ctx.clock.now(), expectedRows },
  );
}
