// The seeder: the same seed gives the same documents; the documents are what the app itself writes
// (they load through the models and validate, with nothing added by the models' defaults, search words
// as the app computes them, valid CCCD numbers, counters that continue the numbering); and a seeded
// case opens in the app and is found by its filer's name.
import { expect } from 'chai';
import mongoose from 'mongoose';
import { CaseEventModel, CaseModel, searchWords } from '../../server/cases/index.js';
import { tokensFor } from '../../server/cases/cases.service.js';
import { LetterModel } from '../../server/letters/index.js';
import { letterTokens } from '../../server/letters/letters.rules.js';
import { citizenIdProblem } from '../../server/people/citizen-id.rules.js';
import { PersonModel } from '../../server/people/index.js';
import { ReceptionModel } from '../../server/receptions/index.js';
import { seedReferenceData } from '../../server/reference/index.js';
import { parseSeedOptions } from '../../scripts/seed/options.js';
import { seedDataset } from '../../scripts/seed/run.js';
import { buildTestApp, useTestDatabase } from '../support/app.js';
import { createTestUser } from '../support/factories.js';
import { signIn } from '../support/http.js';

const COLLECTIONS = ['cases', 'case_events', 'receptions', 'letters', 'people'] as const;
const MODELS = { cases: CaseModel, case_events: CaseEventModel, receptions: ReceptionModel, letters: LetterModel, people: PersonModel } as const;
type Raw = Record<string, unknown> & { _id: mongoose.Types.ObjectId };

function db() {
  return mongoose.connection.db!;
}

async function seed(cases: number, seedNumber: number) {
  await seedReferenceData();
  const options = { ...parseSeedOptions({ cases: String(cases), seed: String(seedNumber), until: '2026-03-31', years: '2' }, new Date()), reset: true };
  return seedDataset(options, db());
}

async function everything(): Promise<Record<string, Raw[]>> {
  const out: Record<string, Raw[]> = {};
  for (const name of COLLECTIONS) out[name] = await db().collection<Raw>(name).find({}).sort({ _id: 1 }).toArray();
  return out;
}

/** Plain JSON (ids as hex, dates as ISO) so documents compare by value, whatever their key order. */
const plain = (v: unknown): unknown => JSON.parse(JSON.stringify(v));

describe('seed: the data set', function () {
  this.timeout(120_000);
  useTestDatabase();

  it('is the same, document for document, for the same seed — and differs for another seed', async function () {
    const first = await seed(40, 42);
    const a = await everything();
    await seed(40, 42);
    const b = await everything();
    expect(a.cases).to.have.length(40);
    expect(first.written.cases).to.equal(40);
    for (const name of COLLECTIONS) expect(plain(b[name]), name).to.deep.equal(plain(a[name]));
    await seed(40, 43);
    const c = await everything();
    expect(plain(c.cases![0]!.summary)).to.not.deep.equal(plain(a.cases![0]!.summary));
  });

  it('writes documents the models accept unchanged, with search words and deadlines as the app computes them', async function () {
    await seed(150, 7);
    const data = await everything();
    for (const name of COLLECTIONS) {
      const Model = MODELS[name] as unknown as mongoose.Model<Raw>;
      for (const raw of data[name]!.slice(0, 60)) {
        const doc = new Model(raw);
        await doc.validate();
        // The model adds nothing (every default present) and changes nothing (every value of its type).
        expect(plain(doc.toObject()), `${name} ${String(raw._id)}`).to.deep.equal(plain(raw));
      }
    }
    for (const kase of data.cases!) {
      const parties = kase.parties as { name: string; citizenId: string | null }[];
      const expected = tokensFor({ number: kase.number as string, summary: kase.summary as string, confidential: kase.confidential as boolean, parties });
      expect(kase.searchTokens).to.deep.equal(expected.searchTokens);
      expect(kase.identityTokens).to.deep.equal(expected.identityTokens);
      const deadline = kase.handlingDeadline as { rule: string; days: number; dayType: string; dueAt: Date };
      expect(deadline).to.include({ rule: 'letter-handling', days: 10, dayType: 'working' });
      expect(deadline.dueAt.getTime()).to.be.greaterThan((kase.receivedAt as Date).getTime() + 10 * 86_400_000);
    }
    for (const visit of data.receptions!) {
      const names = (visit.participants as { name: string }[]).map((p) => p.name);
      expect(visit.searchTokens).to.deep.equal(searchWords(visit.caseNumber as string, ...(visit.confidential ? [] : names)));
    }
    for (const letter of data.letters!) {
      const senders = letter.senders as { name: string; citizenId: string | null }[];
      const expected = letterTokens({ summary: letter.summary as string, forwardedBy: letter.forwardedBy as string | null, caseNumbers: letter.caseNumbers as string[], confidential: letter.confidential as boolean, senders });
      expect(letter.searchTokens).to.deep.equal(expected.searchTokens);
    }
    const ids = data.people!.flatMap((p) => (p.citizenId ? [p.citizenId as string] : []));
    expect(new Set(ids).size).to.equal(ids.length);
    for (const id of ids) expect(citizenIdProblem(id, 2026), id).to.equal(null);
    // About four visits per case, and a timeline whose last status change is the case's status.
    expect(data.receptions!.length / data.cases!.length).to.be.within(2.5, 5.5);
    for (const kase of data.cases!) {
      const events = data.case_events!.filter((e) => String(e.caseId) === String(kase._id));
      expect(events[0]?.type).to.equal('case.opened');
      const moves = events.filter((e) => e.type === 'case.status-changed');
      expect(moves.length ? (moves.at(-1)!.data as { to: string }).to : 'received').to.equal(kase.status);
      expect(kase.visitCount).to.equal(data.receptions!.filter((r) => String(r.caseId) === String(kase._id)).length);
    }
  });

  it('sets the counters so the next case number follows, and leaves the indexes in place', async function () {
    await seed(60, 3);
    const last = await CaseModel.findOne({ year: 2026 }, { number: 1 }).sort({ number: -1 }).lean();
    const counter = await db().collection<{ _id: string; seq: number }>('counters').findOne({ _id: 'case:2026' });
    expect(counter?.seq).to.equal(Number(last!.number.split('/')[1]));
    const indexes = (await db().collection('cases').listIndexes().toArray()).map((i) => String((i as { name: string }).name));
    expect(indexes).to.include.members(['receivedAt_-1__id_-1', 'searchTokens_1', 'number_1']);
  });

  it('refuses to seed over existing data without --reset', async function () {
    await seed(5, 1);
    const options = parseSeedOptions({ cases: '5', until: '2026-03-31', years: '2' }, new Date());
    let refused: unknown = null;
    await seedDataset(options, db()).catch((err: unknown) => (refused = err));
    expect(String(refused)).to.match(/already holds documents.*--reset/);
  });

  it('a seeded case opens in the app, and is found by its filer’s name', async function () {
    await seed(30, 11);
    const kase = await db().collection<{ _id: mongoose.Types.ObjectId; number: string; parties: { name: string }[] }>('cases').findOne({ confidential: false, 'parties.0': { $exists: true } });
    expect(kase).to.not.equal(null);
    const { app } = buildTestApp();
    const agent = await signIn(app, await createTestUser({ role: 'officer' }));
    const page = await agent.get(`/cases/${String(kase!._id)}`);
    expect(page.status).to.equal(200);
    expect(page.text).to.contain(kase!.number);
    expect(page.text).to.contain(kase!.parties[0]!.name);
    const found = await agent.get(`/cases?q=${encodeURIComponent(kase!.parties[0]!.name)}`);
    expect(found.status).to.equal(200);
    expect(found.text).to.contain(kase!.number);
  });
});
