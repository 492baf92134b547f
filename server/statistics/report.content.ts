// The periodic report on reception and letter handling (báo cáo định kỳ công tác tiếp công dân, xử
// lý đơn thư): numbered sections of sentences and tables, built once from the statistics and laid out
// as PDF, XLSX or HTML. The official papers are always in Vietnamese; the HTML follows the reader's
// language.
import type { TFunction } from 'i18next';
import type { FigureTable } from './figure-tables.js';
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
      ...(f.total.forwarded > 0
        ? [
            {
              heading: t('statistics.report.forwardingsHeading'),
              shortName: t('statistics.forwardings'),
              paragraphs: [
                t('statistics.report.forwardingsText', { sent: f.total.forwarded, onTime: f.total.onTime, late: f.total.late, overdue: f.total.overdue, notDue: f.total.notDue }),
                f.total.meanDays === null
                  ? t('statistics.report.noAnswerYetText')
                  : t('statistics.report.answerTimeText', { mean: formatDays(t, f.total.meanDays), median: formatDays(t, f.total.medianDays), answered: f.total.answered }),
              ],
              // By agency, then by type: the type shows the forwardings of voter petitions counted here.
              tables: [...part('forwardings', 'forwardings-agency'), ...part('forwardings', 'forwardings-type')],
            },
          ]
        : []),
      // Voter petitions are not a section of this report. It is the report on citizens' reception and
      // letters (Luật Tiếp công dân; NQ 116/2025/UBTVQH15), for a calendar period; petitions are
      // compiled, answered and reported per session, in the report on answers that goes to the session
      // (/meetings/sessions/:id/report, PDF and XLSX), and a calendar period cuts across sessions, so
      // its figures would not match that report's. The statistics page shows them for any period.
    ],
  };
}
