// Helpers for the letter tests: a letter form filled as an officer would, posted through the real form.
import crypto from 'node:crypto';
import mongoose from 'mongoose';
import { systemClock } from '../../server/platform/clock.js';
import type { ServiceContext } from '../../server/platform/context.js';
import { loadActor } from '../../server/users/index.js';
import type { Actor } from '../../server/access/index.js';
import { CaseEventModel, CaseModel, type Case } from '../../server/cases/index.js';
import { LetterModel, type Letter } from '../../server/letters/index.js';
import type { TestUser } from '../support/factories.js';
import { submitForm, type Agent } from '../support/http.js';

export function letterFields(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    submissionKey: crypto.randomBytes(16).toString('hex'),
    date: '02/03/2026',
    channel: 'post',
    forwardedBy: '',
    name: 'Trần Văn Bình',
    citizenId: '045090054321',
    phone: '0905 111 222',
    email: '',
    unitCode: '',
    street: 'Tổ 5',
    cosigner1Name: '',
    cosigner1CitizenId: '',
    cosigner2Name: '',
    cosigner2CitizenId: '',
    type: 'complaint',
    mainType: '',
    fieldCode: '',
    summary: 'Khiếu nại quyết định xử phạt vi phạm hành chính về xây dựng nhà ở tại tổ 5',
    fullText: '',
    caseChoice: 'auto',
    ...overrides,
  };
}

export async function postLetter(agent: Agent, fields: Record<string, string>) {
  return submitForm(agent, '/letters/new', '/letters', fields);
}

/** The id at the end of a redirect such as /letters/<id>. */
export function idFrom(location: string | undefined): string {
  const id = location?.split('/').pop();
  if (!id || !/^[a-f0-9]{24}$/.test(id)) throw new Error(`no id in ${String(location)}`);
  return id;
}

export async function actorOf(user: TestUser): Promise<Actor> {
  const actor = await loadActor(user.id);
  if (!actor) throw new Error(`no actor for ${user.email}`);
  return actor;
}

export const ctx: ServiceContext = { clock: systemClock, ip: '127.0.0.1', requestId: 'test' };

export const db = () => mongoose.connection;

/** Typed reads for assertions. */
export const findLetters = (filter: Record<string, unknown> = {}) => LetterModel.find(filter).sort({ _id: 1 }).lean<Letter[]>();
export const findCases = (filter: Record<string, unknown> = {}) => CaseModel.find(filter).sort({ number: 1 }).lean<Case[]>();

export interface StoredEvent {
  caseId: mongoose.Types.ObjectId;
  type: string;
  data: Record<string, unknown>;
}
export const findEvents = (filter: Record<string, unknown> = {}) => CaseEventModel.find(filter).sort({ at: 1, _id: 1 }).lean<StoredEvent[]>();
