// Helpers for the office-side forwarding tests that go through the real forms: agencies, cases opened
// by a walk-in or by a letter with scans, the draft form read like a browser reads it, and the leader's
// approval. Kept apart from support.ts (which sends through the services) so each file says how it works.
import crypto from 'node:crypto';
import { expect } from 'chai';
import mongoose from 'mongoose';
import { AgencyModel } from '../../server/agencies/index.js';
import { LetterModel } from '../../server/letters/index.js';
import { foldVietnamese } from '../../server/platform/text.js';
import { listActiveCommunes, listActiveFields } from '../../server/reference/index.js';
import { csrfFrom, pageToken, submitForm, type Agent } from '../support/http.js';
import { postWalkIn, walkInFields } from '../support/intake.js';

export async function makeAgency(name: string, email: string): Promise<string> {
  const agency = await AgencyModel.create({ name, nameFolded: foldVietnamese(name), level: 'province', contacts: [{ email, name: 'Văn thư', role: 'to' }], source: 'admin' });
  return String(agency._id);
}

/** A case opened by a walk-in, as the reception form opens one. */
export async function openCase(agent: Agent, content: string, type = 'complaint'): Promise<string> {
  const [communes, fields] = await Promise.all([listActiveCommunes(), listActiveFields()]);
  const res = await postWalkIn(
    agent,
    walkInFields({ date: '01/03/2027', type, unitCode: communes[0]!.code, fieldCode: fields[0]!.code, content, caseChoice: 'new', name: `Trần Văn ${crypto.randomBytes(2).toString('hex')}`, citizenId: '' }),
  );
  expect(res.status, res.text.slice(0, 400)).to.equal(303);
  return /\/cases\/([a-f0-9]{24})/.exec(res.headers.location ?? '')![1]!;
}

/** A small file the upload parser recognises as PDF by its first bytes; `marker` makes each one distinct. */
export function scanPdf(marker: string): Buffer {
  return Buffer.from(`%PDF-1.4\n% ${marker}\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n`, 'latin1');
}

export interface LetterCase {
  letterId: string;
  caseId: string;
  /** The scans' attachment ids by file name. */
  files: Map<string, string>;
}

/** A letter posted through the letter form (a new case), then its scans uploaded on the letter's page. */
export async function openLetterCase(agent: Agent, options: { type: 'complaint' | 'denunciation'; summary: string; scans: { name: string; data: Buffer }[] }): Promise<LetterCase> {
  const [communes, fields] = await Promise.all([listActiveCommunes(), listActiveFields()]);
  const res = await submitForm(agent, '/letters/new', '/letters', {
    submissionKey: crypto.randomBytes(16).toString('hex'),
    date: '01/03/2027',
    channel: 'post',
    forwardedBy: '',
    name: `Phan Văn ${crypto.randomBytes(2).toString('hex')}`,
    citizenId: '',
    phone: '',
    email: '',
    unitCode: communes[0]!.code,
    street: 'Thôn 4',
    cosigner1Name: '',
    cosigner1CitizenId: '',
    cosigner2Name: '',
    cosigner2CitizenId: '',
    type: options.type,
    mainType: '',
    fieldCode: fields[0]!.code,
    summary: options.summary,
    fullText: '',
    caseChoice: 'new',
  });
  expect(res.status, res.text.slice(0, 400)).to.equal(303);
  const letterId = /\/letters\/([a-f0-9]{24})$/.exec(res.headers.location ?? '')![1]!;
  let upload = agent.post(`/letters/${letterId}/attachments`).field('_csrf', await pageToken(agent, `/letters/${letterId}`));
  for (const scan of options.scans) upload = upload.attach('files', scan.data, scan.name);
  const uploaded = await upload;
  expect(uploaded.status, uploaded.text.slice(0, 400)).to.equal(303);
  const letter = await LetterModel.findById(letterId, { caseIds: 1 }).lean<{ caseIds: mongoose.Types.ObjectId[] }>();
  const stored = await mongoose.connection.collection('attachments').find({ 'owner.type': 'letter', 'owner.id': letterId }).toArray();
  return { letterId, caseId: String(letter!.caseIds[0]), files: new Map(stored.map((a) => [String(a.originalName), String(a._id)])) };
}

export interface DraftForm {
  csrf: string;
  submissionKey: string;
  html: string;
}

export async function draftForm(agent: Agent, caseIds: string[]): Promise<DraftForm> {
  const page = await agent.get(`/forwardings/new?${caseIds.map((id) => `case=${id}`).join('&')}`);
  expect(page.status, page.text.slice(0, 300)).to.equal(200);
  return { csrf: csrfFrom(page.text), submissionKey: /name="submissionKey" value="([^"]+)"/.exec(page.text)![1]!, html: page.text };
}

/** Submits the draft form for one case and returns the id of the forwarding it created. */
export async function draftOne(agent: Agent, caseId: string, fields: Record<string, string | string[]>): Promise<string> {
  const form = await draftForm(agent, [caseId]);
  const res = await agent.post('/forwardings').type('form').send({ _csrf: form.csrf, submissionKey: form.submissionKey, caseIds: caseId, ...fields });
  expect(res.status, res.text.slice(0, 400)).to.equal(303);
  const id = /\/forwardings\/([a-f0-9]{24})$/.exec(res.headers.location ?? '')?.[1];
  if (!id) throw new Error(`no forwarding id in ${String(res.headers.location)}`);
  return id;
}

/** Posts one of the forms of a forwarding's page, with the token read from that page. */
export async function act(agent: Agent, id: string, action: string, fields: Record<string, string>) {
  const token = await pageToken(agent, `/forwardings/${id}`);
  return agent.post(`/forwardings/${id}/${action}`).type('form').send({ _csrf: token, ...fields });
}

export async function approve(leader: Agent, id: string): Promise<void> {
  const res = await act(leader, id, 'approve', { note: '' });
  expect(res.status, res.text.slice(0, 400)).to.equal(303);
}
