// The meetings list and a session's petitions as files (CSV that Excel opens correctly, or XLSX),
// streamed by the shared exporter: the same rows, filters and scope as the screens — a delegate gets
// only the meetings they attended and the petitions raised there.
import type { Response } from 'express';
import type { TFunction } from 'i18next';
import mongoose from 'mongoose';
import type { Actor } from '../access/index.js';
import { endOfVietnamDay } from '../calendar/index.js';
import { ReferenceNames, sendExport, type ExportColumn, type ExportFormat } from '../exports/index.js';
import { formatDate } from '../platform/dates.js';
import { NotFoundError } from '../platform/errors.js';
import { dayOf } from './meetings.rules.js';
import { exportMeetingRows, meetingListFilter, type MeetingListQuery, type MeetingRow } from './meetings.queries.js';
import { exportSessionPetitionRows, sessionPetitionsFilter, type PetitionRow } from './petitions.queries.js';
import { PetitionModel } from './petition.model.js';
import { MeetingModel } from './meeting.model.js';
import { getSession, type SessionRow } from './sessions.queries.js';

export interface MeetingsExportRequest {
  t: TFunction;
  lang: 'vi' | 'en';
  now: Date;
  creator: string;
}

const col = (t: TFunction, key: string) => t(`meetings.export.columns.${key}`);

function sessionLabel(t: TFunction, s: Pick<SessionRow, 'number' | 'term' | 'body'>): string {
  return t('meetings.sessionName', { number: s.number, term: s.term, body: t(`meetings.body.${s.body}`) });
}

function meetingColumns(t: TFunction): ExportColumn<MeetingRow>[] {
  return [
    { header: col(t, 'startsAt'), value: (r) => ({ date: r.startsAt, withTime: true }), width: 16 },
    { header: col(t, 'level'), value: (r) => t(`meetings.level.${r.level}`), width: 16 },
    { header: col(t, 'timing'), value: (r) => t(`meetings.timing.${r.timing}`), width: 14 },
    { header: col(t, 'session'), value: (r) => (r.session ? sessionLabel(t, r.session) : ''), width: 30 },
    { header: col(t, 'topic'), value: (r) => r.topic ?? '', width: 30 },
    { header: col(t, 'format'), value: (r) => t(`meetings.format.${r.format}`), width: 12 },
    { header: col(t, 'place'), value: (r) => r.place, width: 36 },
    { header: col(t, 'communes'), value: (r) => r.siteCount, width: 10 },
    { header: col(t, 'delegates'), value: (r) => r.delegates.join('; '), width: 36 },
    { header: col(t, 'voterCount'), value: (r) => r.voterCount, width: 10 },
    { header: col(t, 'petitionCount'), value: (r) => r.petitionCount, width: 10 },
    { header: col(t, 'pressNotice'), value: (r) => t(`meetings.press.${r.pressNotice}`), width: 20 },
    { header: col(t, 'pressNoticeDue'), value: (r) => ({ date: endOfVietnamDay(r.pressNoticeDue) }), width: 12 },
    { header: col(t, 'minutes'), value: (r) => (r.hasMinutes ? t('exports.yes') : ''), width: 10 },
  ];
}

/** Streams the meetings list with its filters (session, level, timing), newest first. */
export async function sendMeetingsExport(res: Response, actor: Actor, query: MeetingListQuery, format: ExportFormat, r: MeetingsExportRequest): Promise<void> {
  // Before the first byte: a user who may see no meetings gets a 403 page, not a broken download.
  const filter = meetingListFilter(actor, { ...query, after: undefined });
  const total = await MeetingModel.countDocuments(filter);
  await sendExport(
    res,
    format,
    { filename: r.t('meetings.export.files.meetings'), sheetName: r.t('meetings.export.sheets.meetings'), columns: meetingColumns(r.t), rows: exportMeetingRows(filter, r.now) },
    { creator: r.creator, now: r.now, expectedRows: total },
  );
}

function answersText(t: TFunction, p: PetitionRow): string {
  return p.answers
    .map((a) =>
      a.answeredAt
        ? t('meetings.export.answer', { agency: a.agencyName, number: a.documentNumber ?? '', date: formatDate(a.documentDate ?? a.answeredAt) })
        : t('meetings.export.noAnswer', { agency: a.agencyName }),
    )
    .join('; ');
}

function petitionColumns(t: TFunction, names: ReferenceNames): ExportColumn<PetitionRow>[] {
  return [
    { header: col(t, 'code'), value: (r) => r.code, width: 14 },
    { header: col(t, 'kind'), value: (r) => t(`meetings.kind.${r.kind}`), width: 20 },
    { header: col(t, 'content'), value: (r) => r.content, width: 60 },
    { header: col(t, 'field'), value: (r) => names.field(r.fieldCode), width: 20 },
    { header: col(t, 'localities'), value: (r) => r.unitCodes.map((c) => names.unit(c)).join('; '), width: 28 },
    { header: col(t, 'meetingCount'), value: (r) => r.meetingCount, width: 10 },
    { header: col(t, 'voters'), value: (r) => r.voterCount, width: 10 },
    { header: col(t, 'competence'), value: (r) => (r.competence ? t(`meetings.competence.${r.competence}`) : ''), width: 14 },
    { header: col(t, 'agency'), value: (r) => r.agencyName ?? '', width: 30 },
    { header: col(t, 'state'), value: (r) => t(`meetings.state.${r.state}`), width: 14 },
    { header: col(t, 'answers'), value: (r) => answersText(t, r), width: 50 },
  ];
}

/** Field and commune names, each looked up the first time its code appears (the lists are short). */
async function* named(rows: AsyncIterable<PetitionRow>, names: ReferenceNames): AsyncGenerator<PetitionRow> {
  for await (const row of rows) {
    await names.learn([row.fieldCode], row.unitCodes);
    yield row;
  }
}

/** Streams a session's petitions as the session page lists them (after merging, in code order). */
export async function sendSessionPetitionsExport(res: Response, actor: Actor, sessionId: string, format: ExportFormat, r: MeetingsExportRequest): Promise<void> {
  const session = await getSession(actor, sessionId, dayOf(r.now));
  if (!session) throw new NotFoundError('meetings.errors.sessionNotFound');
  const filter = sessionPetitionsFilter(actor, new mongoose.Types.ObjectId(session.id));
  const names = new ReferenceNames(r.lang);
  await sendExport(
    res,
    format,
    {
      filename: r.t('meetings.export.files.petitions', { session: sessionLabel(r.t, session) }),
      sheetName: r.t('meetings.export.sheets.petitions'),
      columns: petitionColumns(r.t, names),
      rows: named(exportSessionPetitionRows(filter), names),
    },
    // Dissolved merges (kept for their history) are counted but not listed: an upper bound for the progress bar.
    { creator: r.creator, now: r.now, expectedRows: await PetitionModel.countDocuments(filter) },
  );
}
