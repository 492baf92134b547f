// One-off data tasks: each runs once per database, even with two processes starting together; a failing
// one is released and runs at the next start. The first real one derives the search words of protected
// cases and letters again, so data written before the rule changed stops answering searches by a filer's
// name — tested on records given the old rule's words.
import { expect } from 'chai';
import mongoose from 'mongoose';
import { CaseModel } from '../../server/cases/index.js';
import { LetterModel } from '../../server/letters/index.js';
import { ONE_OFF_TASKS } from '../../server/one-off-tasks.js';
import { ONE_OFF_COLLECTION, runOneOffTasks, STALE_CLAIM_MS, type OneOffTask } from '../../server/platform/db/one-off.js';
import { createLogger } from '../../server/platform/logger.js';
import { searchWords } from '../../server/cases/index.js';
import { buildTestApp, useTestDatabase } from '../support/app.js';
import { createTestUser } from '../support/factories.js';
import { signIn } from '../support/http.js';
import { postWalkIn, seedIntakeReference, walkInFields } from '../support/intake.js';
import { letterFields, postLetter } from '../letters/support.js';

const silent = createLogger('silent');

describe('one-off data tasks', () => {
  useTestDatabase();

  it('run once per database, also when two processes start at the same moment', async () => {
    let runs = 0;
    const task: OneOffTask = { id: 'test: count', run: () => Promise.resolve(++runs) };
    await Promise.all([runOneOffTasks(mongoose.connection, [task], silent), runOneOffTasks(mongoose.connection, [task], silent)]);
    await runOneOffTasks(mongoose.connection, [task], silent);
    expect(runs).to.equal(1);
    const record = await mongoose.connection.collection(ONE_OFF_COLLECTION).findOne({ _id: 'test: count' as never });
    expect(record).to.include({ changed: 1 });
    expect(record?.doneAt).to.be.instanceOf(Date);
  });

  it('take over a claim its process left unfinished long ago, and leave a recent one to its process', async () => {
    let runs = 0;
    const stale: OneOffTask = { id: 'test: stale', run: () => Promise.resolve(++runs) };
    const busy: OneOffTask = { id: 'test: busy', run: () => Promise.resolve(++runs) };
    const claims = mongoose.connection.collection(ONE_OFF_COLLECTION);
    await claims.insertMany([
      { _id: 'test: stale' as never, startedAt: new Date(Date.now() - STALE_CLAIM_MS - 60_000), doneAt: null, changed: null },
      { _id: 'test: busy' as never, startedAt: new Date(Date.now() - 60_000), doneAt: null, changed: null },
    ]);
    await runOneOffTasks(mongoose.connection, [stale, busy], silent);
    expect(runs).to.equal(1);
    expect((await claims.findOne({ _id: 'test: stale' as never }))?.doneAt).to.be.instanceOf(Date);
    expect((await claims.findOne({ _id: 'test: busy' as never }))?.doneAt).to.equal(null);
  });

  it('release a task that failed, which runs again at the next start, without stopping the others', async () => {
    let attempts = 0;
    let after = 0;
    const flaky: OneOffTask = {
      id: 'test: flaky',
      run: () => {
        attempts++;
        return attempts === 1 ? Promise.reject(new Error('disk full')) : Promise.resolve(0);
      },
    };
    const next: OneOffTask = { id: 'test: next', run: () => Promise.resolve(++after) };
    await runOneOffTasks(mongoose.connection, [flaky, next], silent);
    expect(await mongoose.connection.collection(ONE_OFF_COLLECTION).countDocuments({ _id: 'test: flaky' as never })).to.equal(0);
    expect(after).to.equal(1);
    await runOneOffTasks(mongoose.connection, [flaky, next], silent);
    expect(attempts).to.equal(2);
    expect(after).to.equal(1);
  });

  it('derive the search words of protected records written under the old rule again', async () => {
    const ref = await seedIntakeReference();
    const { app } = buildTestApp();
    const officer = await signIn(app, await createTestUser({ role: 'officer' }));
    const summary = 'Ông Trần Văn Tố tố cáo cán bộ địa chính xã nhận tiền khi cấp sổ';
    expect((await postWalkIn(officer, walkInFields({ unitCode: ref.commune, fieldCode: ref.field, caseChoice: 'new', type: 'denunciation', name: 'Trần Văn Tố', citizenId: '001090012345', content: summary }))).status).to.equal(303);
    expect((await postLetter(officer, letterFields({ unitCode: ref.commune, fieldCode: ref.field, type: 'denunciation', name: 'Trần Văn Tố', citizenId: '001090012345', summary, caseChoice: 'new' }))).status).to.equal(303);
    const open = await postWalkIn(officer, walkInFields({ unitCode: ref.commune, fieldCode: ref.field, caseChoice: 'new', type: 'complaint', name: 'Lê Văn Mở', citizenId: '001090099999' }));
    expect(open.status).to.equal(303);
    // What the old rule stored: every word of the summary open to everyone.
    const oldWords = (number: string) => [...new Set(searchWords(number.replace('/', ' '), number, summary))];
    const protectedCases = await CaseModel.find({ confidential: true }).lean();
    expect(protectedCases).to.have.length(2);
    for (const c of protectedCases) await CaseModel.collection.updateOne({ _id: c._id }, { $set: { searchTokens: oldWords(c.number) } });
    await LetterModel.collection.updateMany({ confidential: true }, { $set: { searchTokens: searchWords(summary) } });
    expect(await CaseModel.countDocuments({ searchTokens: 'tran' })).to.equal(2);
    const openBefore = (await CaseModel.findOne({ confidential: false }).lean())!.searchTokens;

    await runOneOffTasks(mongoose.connection, ONE_OFF_TASKS, silent);
    expect(await CaseModel.countDocuments({ searchTokens: 'tran' })).to.equal(0);
    expect(await LetterModel.countDocuments({ searchTokens: 'tran' })).to.equal(0);
    expect(await CaseModel.countDocuments({ identityTokens: 'tran' })).to.equal(2);
    expect(await CaseModel.countDocuments({ searchTokens: 'dia' })).to.equal(2);
    expect((await CaseModel.findOne({ confidential: false }).lean())!.searchTokens).to.deep.equal(openBefore);
    const record = await mongoose.connection.collection(ONE_OFF_COLLECTION).findOne({ _id: ONE_OFF_TASKS[0]!.id as never });
    expect(record).to.include({ changed: 3 });
  });
});
