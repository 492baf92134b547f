// Sessions (kỳ họp) as supervision sees them: the records kept by the meetings module, named as the
// meetings pages name them. A candidate keeps the label it was proposed under, in Vietnamese, because
// it is printed on the office's papers.
import type { TFunction } from 'i18next';
import { AssemblySessionModel } from '../meetings/index.js';

/** Translates a key with parameters, in the language the label is stored in (Vietnamese). */
export type SessionNaming = TFunction;

export interface SessionOption {
  id: string;
  label: string;
}

interface SessionNameParts {
  body: string;
  term: string;
  number: number;
}

export function sessionLabelOf(s: SessionNameParts, t: SessionNaming): string {
  return t('meetings.sessionName', { number: s.number, term: s.term, body: t(`meetings.body.${s.body}`) });
}

/** The sessions to choose from, newest first (a few per year: the list is short). */
export async function sessionOptions(t: SessionNaming): Promise<SessionOption[]> {
  const rows = await AssemblySessionModel.find({}, { body: 1, term: 1, number: 1, opensOn: 1 }).sort({ opensOn: -1, _id: -1 }).limit(300).lean<(SessionNameParts & { _id: unknown })[]>();
  return rows.map((s) => ({ id: String(s._id), label: sessionLabelOf(s, t) }));
}
