// The seeder: the same seed gives the same documents; the documents are what the app itself writes
// (they load through the models and validate, with nothing added by the models' defaults, search words
// as the app computes them, valid CCCD numbers, counters that continue the numbering); and a seeded
// case opens in the app and is found by its filer's name.
import { expect } from 'chai';
import mongoose, { trusted } from 'mongoose';
import { CaseEventModel, CaseModel, searchWords } from '../../server/cases/index.js';
import { tokensFor } from '../../server/cases/cases.service.js';
import { ForwardingAnswerModel, ForwardingLinkModel, ForwardingModel } from '../../server/forwarding/index.js';
import { LetterModel } from '../../server/letters/index.js';
import { AssemblySessionModel, MeetingModel, PetitionModel } from '../../server/meetings/index.js';
import { letterTokens } from '../../server/letters/letters.rules.js';
import { citizenIdProblem } from '../../server/people/citizen-id.rules.js';
import { PersonModel } from '../../server/people/index.js';
import { ReceptionModel } from '../../server/receptions/index.js';
import { seedBaseData } from '../../server/seed.js';
import { systemClock } from '../../server/platform/clock.js';
import { parseSeedOptions } from '../../scripts/seed/options.js';
import { seedDataset } from '../../scripts/seed/run.js';
import { buildTestApp, useTestDatabase } from '../support/app.js';
import { testEmbeddedMongo } from '../support/db.js';
import type { EmbeddedMongo } from '../../server/embedded-mongo/index.js';
import { createTestUser } from '../support/factories.js';
import { signIn } from '../support/http.js';

const COLLECTIONS = ['cases', 'case_events', 'receptions', 'letters', 'people', 'forwardings', 'forwarding_answers', 'forwarding_links'] as const;
const MODELS = {
  cases: CaseModel,
  case_events: CaseEventModel,
  receptions: ReceptionModel,
  letters: LetterModel,
  people: PersonModel,
  forwardings: ForwardingModel,
  forwarding_answers: ForwardingAnswerModel,
  forwarding_links: ForwardingLinkModel,
} as const;
type Raw = Record<string, unknown> & { _id: mongoose.Types.ObjectId };

function db() {
  return mongoose.connection.db!;
}

/** Cases only (with their forwardings): the voter meetings go through the services and take longer. */
async function seed(cases: number, seedNumber: number, meetings = false, years = 2, embedded: EmbeddedMongo | null = null) {
  await seedBaseData(systemClock);
  const options = { ...parseSeedOptions({ cases: String(cases), seed: String(seedNumber), until: '2026-03-31', years: String(years), meetings: String(meetings) }, new Date()), reset: true };
  return seedDataset(options, db(), { embedded });
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

  it('bulk loads into the embedded database in this process exactly what it inserts over the wire (embedded only: bulk load is its own)', async function () {
    const embedded = await testEmbeddedMongo();
    if (!embedded) this.skip();
    const inserted = await seed(40, 42);
    const a = await everything();
    const loaded = await seed(40, 42, false, 2, embedded);
    const b = await everything();
    expect([inserted.bulkLoaded, loaded.bulkLoaded]).to.deep.equal([false, true]);
    expect(loaded.written).to.deep.equal(inserted.written);
    for (const name of COLLECTIONS) expect(plain(b[name]), name).to.deep.equal(plain(a[name]));
    // Indexed as well: the app's queries find the loaded documents through the indexes built afterwards.
    const kase = b.cases![7]!;
    const found = await CaseModel.find({ number: kase.number as string }).lean();
    expect(found.map((c) => String(c._id))).to.deep.equal([String(kase._id)]);
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
    // Forwardings follow the case's path: sent when it was forwarded, answered when it was answered,
    // numbered without gaps or repeats in each year, each with one link whose token is not stored.
    expect(data.forwardings!.length).to.be.greaterThan(20);
    for (const f of data.forwardings!) {
      const kase = data.cases!.find((c) => String(c._id) === String((f.caseIds as unknown[])[0]))!;
      expect(['forwarded', 'answered', 'supervising', 'closed'], String(kase.status)).to.include(kase.status);
      const deadline = f.deadline as { rule: string; dueAt: Date };
      expect(deadline.rule).to.equal('agency-answer');
      expect(deadline.dueAt.getTime()).to.be.greaterThan((f.sentAt as Date).getTime());
      const answers = data.forwarding_answers!.filter((a) => String(a.forwardingId) === String(f._id));
      expect(answers.length, `answers of ${String(f.documentNumber)}`).to.equal(f.answerCount);
      if (f.status === 'closed') expect(f.closure).to.be.oneOf(['satisfied', 'supervision']);
      const links = data.forwarding_links!.filter((l) => String(l.forwardingId) === String(f._id));
      expect(links).to.have.length(1);
      expect((links[0]!.tokenHashes as string[])[0]).to.match(/^[0-9a-f]{64}$/);
    }
    const numbers = data.forwardings!.map((f) => `${String(f.documentYear)}:${String(f.documentNumber)}`);
    for (const f of data.forwardings!) expect(f.documentYear).to.equal(new Date((f.sentAt as Date).getTime() + 7 * 3_600_000).getUTCFullYear());
    expect(new Set(numbers).size).to.equal(numbers.length);
    expect(data.forwardings!.some((f) => f.status === 'answered') && data.forwardings!.some((f) => f.status === 'closed') && data.forwardings!.some((f) => f.status === 'sent' || f.status === 'acknowledged')).to.equal(true);
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

  it('adds voter sessions, meetings and petitions through the services, forwarded, answered and evaluated, numbered after the cases’ forwardings', async function () {
    this.timeout(300_000);
    const result = await seed(30, 5, true, 1);
    const sessions = await AssemblySessionModel.find({}, { opensOn: 1 }).lean();
    // One year up to 31/03/2026: from May 2025 to the sessions being planned for May and July 2026.
    expect(sessions.map((x) => x.opensOn).sort()).to.deep.equal(['2025-05-20', '2025-07-08', '2025-10-20', '2025-12-08', '2026-05-20', '2026-07-08']);
    expect(result.written.assembly_sessions).to.equal(6);
    expect(await MeetingModel.countDocuments()).to.be.greaterThan(30);
    const petitions = await PetitionModel.find({}, { status: 1, kind: 1, forwardings: 1 }).lean();
    expect(petitions.some((p) => p.kind === 'consolidated')).to.equal(true);
    expect(petitions.filter((p) => p.status === 'evaluated').length).to.be.greaterThan(0);
    expect(petitions.filter((p) => p.forwardings.some((f) => f.answeredAt)).length).to.be.greaterThan(0);
    // Forwardings of petitions continue the year's numbering after the seeded cases' ones.
    const all = await ForwardingModel.find({ documentNumber: trusted({ $type: 'string' }) }, { documentNumber: 1, documentYear: 1 }).lean();
    expect(new Set(all.map((f) => `${f.documentYear}:${f.documentNumber}`)).size).to.equal(all.length);
    expect(await ForwardingModel.countDocuments({ 'items.kind': 'petition', status: trusted({ $in: ['answered', 'closed', 'evaluated'] }) })).to.be.greaterThan(0);
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
