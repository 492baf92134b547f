// What the meeting and petition forms offer in their lists: sessions, delegates, communes, fields,
// agencies. Small lists, read fresh for each form.
import { listActiveAgencies } from '../agencies/index.js';
import { listActiveCommunes, listActiveDelegates, listActiveFields } from '../reference/index.js';
import type { Actor } from '../access/index.js';
import { listSessions } from './sessions.queries.js';

export interface Option {
  value: string;
  text: string;
  hint?: string;
}

export async function placeOptions(lang: 'vi' | 'en'): Promise<{ communes: Option[]; fields: Option[] }> {
  const [communes, fields] = await Promise.all([listActiveCommunes(), listActiveFields()]);
  return {
    communes: communes.map((c) => ({ value: c.code, text: c.name })),
    fields: fields.map((f) => ({ value: f.code, text: lang === 'en' && f.nameEn ? f.nameEn : f.name })),
  };
}

export async function meetingFormOptions(actor: Actor, lang: 'vi' | 'en', today: string) {
  const [places, sessions, delegates] = await Promise.all([placeOptions(lang), listSessions(actor, today), listActiveDelegates()]);
  return {
    ...places,
    sessions,
    delegates: delegates.map((d) => ({ value: d.id, text: d.name, body: d.body, hint: d.constituency })),
  };
}

export async function agencyOptions(): Promise<Option[]> {
  return (await listActiveAgencies()).map((a) => ({ value: a.id, text: a.name }));
}
