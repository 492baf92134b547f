// The periodic report on reception and letter handling (báo cáo định kỳ công tác tiếp công dân, xử
// lý đơn thư): numbered sections of sentences and tables, built once from the statistics and laid out
// as PDF, XLSX or HTML. The official papers are always in Vietnamese; the HTML follows the reader's
// language.
import type { TFunction } from 'i18next';
import type { FigureTable } from './figure-tables.js';
import { PETITIONS_KEY } from './agency-performance.rules.js';
import { formatDays, presentStatistics } from './statistics.presenter.js';
import type { Statistics } from './statistics.service.js';

export interface ReportSection {
  heading: string;
  /** A short name (worksheet names hold 31 characters). */
  shortName: string;
  paragraphs: string[];
  tables: FigureTable[];
}

export interface PeriodicReport {
  title: string;
  subject: string;
  periodName: string;
  sections: ReportSection[];
  /** Words of the totals row in tables. */
  totalLabel: string;
}

export function buildPeriodicReport(s: Statistics, t: TFunction): PeriodicReport {
  const view = presentStatistics(s, t);
  const part = (sectionId: string, tableId: string): FigureTable[] =>
    view.sections
      .find((sec) => sec.id === sectionId)
      ?.parts.filter((p) => p.table.id === tableId && p.table.rows.length > 0)
      .map((p) => p.table) ?? [];
  const r = s.figures.reception.totals;
  const l = s.figures.letters.totals;
  const c = s.figures.cases;
  const f = s.forwardings;
  const period = view.periodName;
  return {
    title: t('statistics.report.title'),
    subject: t('statistics.report.subject', { period }),
    periodName: period,
    totalLabel: t('statistics.total'),
    sections: [
      {
        heading: t('statistics.report.receptionHeading'),
        shortName: t('statistics.reception'),
        paragraphs: [
          t('statistics.report.receptionText', { period, visits: r.visits, personVisits: r.personVisits, people: r.people, cases: r.cases }),
          t('statistics.report.groupText', { groupVisits: r.groupVisits, groupPeople: r.groupPeople, groupCases: r.groupCases }),
        ],
        tables: [...part('reception', 'reception-type'), ...part('reception', 'reception-field'), ...part('reception', 'reception-unit'), ...part('reception', 'reception-host')],
      },
      {
        heading: t('statistics.report.lettersHeading'),
        shortName: t('statistics.letters'),
        paragraphs: [
          t('statistics.report.lettersText', { received: l.received, anonymous: l.anonymous, split: l.split }),
          t('statistics.report.eligibilityText', { eligible: l.eligible, ineligible: l.ineligible, pending: l.pending }),
          t('statistics.report.handlingText', { forwarded: l.forwarded, filed: l.filed, returned: l.returned, proposed: l.proposed }),
        ],
        tables: [...part('letters', 'letters-type'), ...part('letters', 'letters-channel'), ...part('letters', 'letters-field'), ...part('letters', 'letters-unit')],
      },
      {
        heading: t('statistics.report.casesHeading'),
        shortName: t('statistics.cases'),
        paragraphs: [t('statistics.report.casesText', { opened: c.opened, mergedAway: c.mergedAway })],
        tables: [...part('cases', 'cases-type'), ...part('cases', 'cases-field')],
      },
      // A period in which nothing was forwarded has no section on forwarded matters.
      ...(f.total.forwarded > 0 ? [forwardingsSection(t, f, part)] : []),
      // Voter petitions are not a section of this report. It is the report on citizens' reception and
      // letters (Luật Tiếp công dân; NQ 116/2025/UBTVQH15), for a calendar period; petitions are
      // compiled, answered and reported per session, in the report on answers that goes to the session
      // (/meetings/sessions/:id/report, PDF and XLSX), and a calendar period cuts across sessions, so
      // its figures would not match that report's. The statistics page shows them for any period.
    ],
  };
}

/**
 * Section IV. Its figures count forwardings. A forwarding of a case carries one letter ("đơn"); a
 * forwarding of voter petitions carries a whole list of them, so once a period holds any, the
 * sentences count "lượt" (forwardings) and say how many were lists of petitions, rather than calling
 * every forwarding a letter.
 */
export function forwardingsSection(t: TFunction, f: Statistics['forwardings'], part: (sectionId: string, tableId: string) => FigureTable[]): ReportSection {
  const total = f.total;
  const lists = f.byType.find((row) => row.key === PETITIONS_KEY)?.forwarded ?? 0;
  const keys =
    lists > 0
      ? { heading: 'statistics.report.forwardingsHeadingMixed', text: 'statistics.report.forwardingsTextMixed', answerTime: 'statistics.report.answerTimeTextMixed', noAnswer: 'statistics.report.noAnswerYetTextMixed' }
      : { heading: 'statistics.report.forwardingsHeading', text: 'statistics.report.forwardingsText', answerTime: 'statistics.report.answerTimeText', noAnswer: 'statistics.report.noAnswerYetText' };
  return {
    heading: t(keys.heading),
    shortName: t('statistics.report.forwardingsSheet'),
    paragraphs: [
      t(keys.text, { sent: total.forwarded, letters: total.forwarded - lists, lists, onTime: total.onTime, late: total.late, overdue: total.overdue, notDue: total.notDue }),
      total.meanDays === null ? t(keys.noAnswer) : t(keys.answerTime, { mean: formatDays(t, total.meanDays), median: formatDays(t, total.medianDays), answered: total.answered }),
    ],
    // By agency, then by type: the type shows the forwardings of voter petitions counted here.
    tables: [...part('forwardings', 'forwardings-agency'), ...part('forwardings', 'forwardings-type')],
  };
}
