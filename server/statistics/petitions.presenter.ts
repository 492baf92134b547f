// Voter petitions in the statistics: the summary and the section of charted tables. By field and by
// agency count the list after merging (each petition that went forward once); by delegate group and by
// commune count what voters raised at each meeting — a meeting attended by delegates of two groups
// counts for both, so that table has no totals row.
import type { TFunction } from 'i18next';
import type { PetitionCounts, PetitionFigureRow, PetitionPeriodFigures } from '../meetings/index.js';
import { charted, table, type ChartedTable } from './figure-tables.js';

export type Labeller = (key: string | null) => string;

export interface PetitionsView {
  summary: { id: string; title: string; items: { label: string; value: number }[] };
  section: { id: string; title: string; note: string; parts: ChartedTable[] };
}

const COLUMNS = ['petitions', 'voters', 'forwarded', 'answered', 'satisfied', 'unsatisfied'] as const satisfies readonly (keyof PetitionCounts)[];

function petitionTable(t: TFunction, id: string, title: string, dimension: string, rows: PetitionFigureRow[], label: Labeller, withTotals = true): ChartedTable {
  return charted(
    t,
    table(
      id,
      title,
      [dimension, ...COLUMNS.map((c) => t(`statistics.petitionMeasure.${c}`))],
      rows.map((r) => ({ label: label(r.key), values: COLUMNS.map((c) => r.counts[c]) })),
      withTotals,
    ),
  );
}

export function presentPetitions(t: TFunction, p: PetitionPeriodFigures, names: { field: Labeller; unit: Labeller; unspecified: string }): PetitionsView {
  const agency: Labeller = (key) => (key === null ? t('statistics.noAgency') : (p.agencyNames[key] ?? names.unspecified));
  const group: Labeller = (key) => (key === null ? t('statistics.noGroup') : key);
  const unit: Labeller = (key) => (key === null ? t('statistics.wholeProvince') : names.unit(key));
  const c = p.listed;
  return {
    summary: {
      id: 'summary-petitions',
      title: t('statistics.petitions'),
      items: [
        { label: t('statistics.petitionMeasure.meetings'), value: p.meetings },
        { label: t('statistics.petitionMeasure.votersPresent'), value: p.votersPresent },
        { label: t('statistics.petitionMeasure.raised'), value: p.raised },
        { label: t('statistics.petitionMeasure.raisedVoters'), value: p.raisedVoters },
        { label: t('statistics.petitionMeasure.merged'), value: p.merged },
        { label: t('statistics.petitionMeasure.listed'), value: c.petitions },
        { label: t('statistics.petitionMeasure.forwarded'), value: c.forwarded },
        { label: t('statistics.petitionMeasure.answered'), value: c.answered },
        { label: t('statistics.petitionMeasure.satisfied'), value: c.satisfied },
        { label: t('statistics.petitionMeasure.unsatisfied'), value: c.unsatisfied },
        { label: t('statistics.petitionMeasure.pending'), value: c.pending },
        { label: t('statistics.petitionMeasure.withdrawn'), value: c.withdrawn },
      ],
    },
    section: {
      id: 'petitions',
      title: t('statistics.petitions'),
      note: t('statistics.petitionsDefinitions'),
      parts: [
        petitionTable(t, 'petitions-field', t('statistics.byField'), t('statistics.dimension.field'), p.byField, names.field),
        petitionTable(t, 'petitions-agency', t('statistics.byPetitionAgency'), t('statistics.dimension.agency'), p.byAgency, agency),
        petitionTable(t, 'petitions-group', t('statistics.byGroup'), t('statistics.dimension.group'), p.byGroup, group, false),
        petitionTable(t, 'petitions-unit', t('statistics.byRaisedUnit'), t('statistics.dimension.unit'), p.byUnit, unit),
      ],
    },
  };
}
