// Helpers for intake tests: reference data, and a walk-in form filled as an officer would.
import crypto from 'node:crypto';
import { seedReferenceData, listActiveCommunes, listActiveFields } from '../../server/reference/index.js';
import { submitForm, type Agent } from './http.js';

export async function seedIntakeReference(): Promise<{ commune: string; otherCommune: string; field: string; otherField: string }> {
  await seedReferenceData();
  const [communes, fields] = await Promise.all([listActiveCommunes(), listActiveFields()]);
  if (communes.length < 2 || fields.length < 2) throw new Error('reference seed is too small for the tests');
  return { commune: communes[0]!.code, otherCommune: communes[1]!.code, field: fields[0]!.code, otherField: fields[1]!.code };
}

export function walkInFields(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    submissionKey: crypto.randomBytes(16).toString('hex'),
    date: '02/03/2026',
    time: '09:15',
    kind: 'routine',
    host: '',
    name: 'Nguyễn Văn An',
    citizenId: '045090012345',
    phone: '0912 345 678',
    email: '',
    unitCode: '',
    street: 'Thôn 3',
    peopleCount: '1',
    caseChoice: 'auto',
    type: 'complaint',
    fieldCode: '',
    content: 'Khiếu nại quyết định thu hồi đất nông nghiệp của gia đình tại thôn 3 không đúng diện tích thực tế',
    previouslyHandledBy: '',
    outcome: 'letter-accepted',
    notes: '',
    ...overrides,
  };
}

export async function postWalkIn(agent: Agent, fields: Record<string, string>) {
  return submitForm(agent, '/receptions/new', '/receptions', fields);
}
