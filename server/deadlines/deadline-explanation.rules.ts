// How a stored deadline was computed, as one sentence a clerk can check by hand and read out to an
// agency. Pure: built only from what the record stores (the deadline and, when there is one, its
// history), so every page and export shows the same words and no template re-derives them.
//
// With the history, every step reads with the date it led to:
//   "15 ngày làm việc kể từ 02/03/2027 (chuyển đơn) → 23/03/2027 (bỏ qua 6 ngày nghỉ);
//    gia hạn thêm 10 ngày làm việc (văn bản số 12/CV ngày 20/03/2027) → 06/04/2027 (bỏ qua 4 ngày nghỉ)"
// Without it (a deadline whose earlier states were not kept), the changes are listed and only the
// final date is given, which is all that can be said truthfully.
import { formatIsoDate, type DayType } from '../calendar/index.js';
import type { DeadlineAdjustment, DurationVariant, StartEvent, StoredDeadline } from './deadlines.rules.js';

export type ExplanationLanguage = 'vi' | 'en';

/** What the explanation reads of a deadline (a stored deadline, or one of its earlier states). */
export type ExplainedState = Pick<StoredDeadline, 'dueDate' | 'skipped' | 'movedFrom' | 'adjustments'>;

const EVENT_WORDS: Readonly<Record<ExplanationLanguage, Readonly<Record<StartEvent, string>>>> = {
  vi: {
    received: 'nhận đơn',
    accepted: 'thụ lý',
    forwarded: 'chuyển đơn',
    'session-opens': 'khai mạc kỳ họp',
    'session-closes': 'bế mạc kỳ họp',
    'meeting-date': 'ngày tiếp xúc cử tri',
    'received-by-ministry': 'bộ, ngành nhận kiến nghị',
  },
  en: {
    received: 'received',
    accepted: 'accepted',
    forwarded: 'forwarded',
    'session-opens': 'session opens',
    'session-closes': 'session closes',
    'meeting-date': 'voter meeting',
    'received-by-ministry': 'received by the ministry',
  },
};

const VARIANT_WORDS: Readonly<Record<ExplanationLanguage, Readonly<Record<DurationVariant, string>>>> = {
  vi: { complex: 'vụ việc phức tạp', remote: 'vùng sâu, vùng xa', 'remote-complex': 'vùng sâu, vùng xa, vụ việc phức tạp' },
  en: { complex: 'complex matter', remote: 'remote area', 'remote-complex': 'remote area, complex matter' },
};

const enDays = (n: number, t: DayType) => (t === 'working' ? `${n} working ${n === 1 ? 'day' : 'days'}` : `${n} ${n === 1 ? 'day' : 'days'}`);
const viDays = (n: number, t: DayType) => (t === 'working' ? `${n} ngày làm việc` : `${n} ngày`);

const WORDS = {
  vi: {
    length: viDays,
    from: 'kể từ',
    before: 'trước',
    extension: (n: number, t: DayType) => `gia hạn thêm ${viDays(n, t)}`,
    suspension: (from: string, to: string, n: number, t: DayType) => `tạm đình chỉ từ ${from} đến ${to}, cộng thêm ${viDays(n, t)}`,
    document: (num: string, date: string) => (date ? `văn bản số ${num} ngày ${date}` : `văn bản số ${num}`),
    skipped: (k: number) => `bỏ qua ${k} ngày nghỉ`,
    movedLater: (d: string) => `ngày cuối ${d} là ngày nghỉ nên chuyển sang ngày làm việc tiếp theo`,
    movedEarlier: (d: string) => `ngày cuối ${d} là ngày nghỉ nên chuyển về ngày làm việc liền trước`,
  },
  en: {
    length: enDays,
    from: 'from',
    before: 'before',
    extension: (n: number, t: DayType) => `extended by ${enDays(n, t)}`,
    suspension: (from: string, to: string, n: number, t: DayType) => `suspended from ${from} to ${to}, adding ${enDays(n, t)}`,
    document: (num: string, date: string) => (date ? `document no. ${num} of ${date}` : `document no. ${num}`),
    skipped: (k: number) => `${k} non-working ${k === 1 ? 'day' : 'days'} skipped`,
    movedLater: (d: string) => `the last day, ${d}, is not a working day, so it moves to the next working day`,
    movedEarlier: (d: string) => `the last day, ${d}, is not a working day, so it moves back to the previous working day`,
  },
} as const;

/** The change itself, with its document in brackets when it has one. */
function changeText(a: DeadlineAdjustment, dayType: DayType, lang: ExplanationLanguage): string {
  const words = WORDS[lang];
  const what = a.kind === 'extension' ? words.extension(a.days, dayType) : words.suspension(formatIsoDate(a.from), formatIsoDate(a.to), a.days, dayType);
  const doc = a.documentNumber ? words.document(a.documentNumber, a.documentDate ? formatIsoDate(a.documentDate) : '') : (a.document ?? '').trim();
  return doc ? `${what} (${doc})` : what;
}

/** " → 23/03/2027 (bỏ qua 6 ngày nghỉ)": the date a step reached, and why it is that day. */
function reached(state: ExplainedState, skippedBefore: number, lang: ExplanationLanguage): string {
  const words = WORDS[lang];
  let text = ` → ${formatIsoDate(state.dueDate)}`;
  const skipped = state.skipped.length - skippedBefore;
  if (state.movedFrom) text += ` (${(state.movedFrom > state.dueDate ? words.movedEarlier : words.movedLater)(formatIsoDate(state.movedFrom))})`;
  else if (skipped > 0) text += ` (${words.skipped(skipped)})`;
  return text;
}

/**
 * The deadline's state before each of its changes, taken from the history (the state that had i
 * changes is the one the i-th change replaced); null when the history does not hold all of them.
 */
function earlierStates(d: StoredDeadline, history: readonly ExplainedState[]): ExplainedState[] | null {
  const states: ExplainedState[] = [];
  for (let i = 0; i < d.adjustments.length; i++) {
    const state = history.find((h) => (h.adjustments ?? []).length === i);
    if (!state) return null;
    states.push(state);
  }
  return states;
}

/**
 * How a stored deadline was computed, in one sentence, e.g.
 * "30 ngày kể từ 05/01/2026 (thụ lý) → 04/02/2026" or
 * "7 ngày làm việc trước 20/03/2026 (ngày tiếp xúc cử tri) → 11/03/2026 (bỏ qua 2 ngày nghỉ)".
 * Given the record's history of replaced deadlines, each extension or suspension is followed by the
 * date it led to.
 */
export function explainStoredDeadline(d: StoredDeadline, lang: ExplanationLanguage, history: readonly ExplainedState[] = []): string {
  const words = WORDS[lang];
  const before = d.days < 0;
  const event = EVENT_WORDS[lang][d.startEvent as StartEvent] ?? d.startEvent;
  const variant = d.variant && VARIANT_WORDS[lang][d.variant] ? ` (${VARIANT_WORDS[lang][d.variant]})` : '';
  const adjustments = d.adjustments ?? [];
  let sentence = `${words.length(Math.abs(d.days), d.dayType)}${variant} ${before ? words.before : words.from} ${formatIsoDate(d.startDate)} (${event})`;
  const states = adjustments.length > 0 ? earlierStates(d, history) : [];
  if (!states) {
    for (const a of adjustments) sentence += `; ${changeText(a, d.dayType, lang)}`;
    return sentence + reached(d, 0, lang);
  }
  const all = [...states, d];
  sentence += reached(all[0]!, 0, lang);
  adjustments.forEach((a, i) => {
    sentence += `; ${changeText(a, d.dayType, lang)}${reached(all[i + 1]!, all[i]!.skipped.length, lang)}`;
  });
  return sentence;
}
