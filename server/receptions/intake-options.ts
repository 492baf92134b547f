// What the intake forms offer in their lists: communes, fields, the leaders and delegates who host
// receptions. Read fresh for each form (small lists, indexed).
import { listActiveCommunes, listActiveFields } from '../reference/index.js';
import { listActiveStaff } from '../users/index.js';

export interface Option {
  value: string;
  text: string;
}

export interface IntakeOptions {
  communes: Option[];
  fields: Option[];
  hosts: Option[];
}

export async function intakeOptions(lang: 'vi' | 'en'): Promise<IntakeOptions> {
  const [communes, fields, hosts] = await Promise.all([
    listActiveCommunes(),
    listActiveFields(),
    listActiveStaff(['leader', 'delegate']),
  ]);
  return {
    communes: communes.map((c) => ({ value: c.code, text: c.name })),
    fields: fields.map((f) => ({ value: f.code, text: lang === 'en' && f.nameEn ? f.nameEn : f.name })),
    hosts: hosts.map((h) => ({ value: h.id, text: h.name })),
  };
}

/** Officers and leaders who can be assigned cases, by name. */
export async function listCaseOfficers(): Promise<Option[]> {
  return (await listActiveStaff(['officer', 'leader'])).map((u) => ({ value: u.id, text: u.name }));
}
