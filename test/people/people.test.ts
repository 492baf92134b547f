// Finding people and merging two records of the same person, keeping every link.
import { expect } from 'chai';
import mongoose from 'mongoose';
import { buildTestApp, useTestDatabase } from '../support/app.js';
import { createTestUser } from '../support/factories.js';
import { signIn, submitForm } from '../support/http.js';
import { postWalkIn, seedIntakeReference, walkInFields } from '../support/intake.js';

describe('people', () => {
  useTestDatabase();

  it('finds a person by CCCD or the start of the name without diacritics', async () => {
    await seedIntakeReference();
    const { app } = buildTestApp();
    const agent = await signIn(app, await createTestUser({ role: 'officer' }));
    await postWalkIn(agent, walkInFields({ name: 'Đỗ Thị Huệ', citizenId: '045185000111' }));
    expect((await agent.get('/people?q=do thi')).text).to.contain('Đỗ Thị Huệ');
    expect((await agent.get('/people?q=045 185 000 111')).text).to.contain('Đỗ Thị Huệ');
    expect((await agent.get('/people?q=tran')).text).to.contain('Không tìm thấy công dân nào.');
    expect((await agent.get('/people?q=.*')).status).to.equal(200);
  });

  it('merges two records of one person: cases and visits follow the kept record', async () => {
    await seedIntakeReference();
    const { app } = buildTestApp();
    const agent = await signIn(app, await createTestUser({ role: 'officer' }));
    // The same woman came twice; the first time nobody took her CCCD.
    await postWalkIn(agent, walkInFields({ name: 'Võ Thị Lài', citizenId: '', caseChoice: 'new' }));
    await postWalkIn(agent, walkInFields({ name: 'Võ Thị Lài', citizenId: '045187000222', caseChoice: 'new', content: 'Kiến nghị cấp lại sổ hộ nghèo' }));
    const people = await mongoose.connection.collection('people').find({}).toArray();
    expect(people).to.have.length(2);
    const noId = people.find((p) => !p.citizenId)!;
    const withId = people.find((p) => p.citizenId)!;

    const question = await agent.get(`/people/${String(noId._id)}/merge`);
    expect(question.text).to.contain('Không thể hoàn tác');
    const bad = await submitForm(agent, `/people/${String(noId._id)}/merge`, `/people/${String(noId._id)}/merge`, { into: '123' });
    expect(bad.status).to.equal(422);
    expect(bad.text).to.contain('value="123"');
    const self = await submitForm(agent, `/people/${String(noId._id)}/merge`, `/people/${String(noId._id)}/merge`, { into: String(noId._id) });
    expect(self.status).to.equal(409);
    const res = await submitForm(agent, `/people/${String(noId._id)}/merge`, `/people/${String(noId._id)}/merge`, { into: '045187000222' });
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal(`/people/${String(withId._id)}`);

    const cases = await mongoose.connection
      .collection<{ parties: { personId: unknown }[]; citizenIds: string[] }>('cases')
      .find({})
      .toArray();
    for (const c of cases) expect(c.parties.map((p) => String(p.personId))).to.deep.equal([String(withId._id)]);
    expect(cases.every((c) => c.citizenIds.includes('045187000222'))).to.equal(true);
    const visits = await mongoose.connection.collection<{ participants: { personId: unknown }[] }>('receptions').find({}).toArray();
    for (const v of visits) expect(String(v.participants[0]!.personId)).to.equal(String(withId._id));
    const page = await agent.get(`/people/${String(withId._id)}`);
    expect(page.text).to.contain('2026/000001');
    expect(page.text).to.contain('2026/000002');
    expect(await mongoose.connection.collection('audit_events').countDocuments({ action: 'person.merged' })).to.equal(1);
  });

  it('refuses to merge records with different CCCD numbers', async () => {
    await seedIntakeReference();
    const { app } = buildTestApp();
    const agent = await signIn(app, await createTestUser({ role: 'officer' }));
    await postWalkIn(agent, walkInFields({ name: 'A', citizenId: '045187000222', caseChoice: 'new' }));
    await postWalkIn(agent, walkInFields({ name: 'B', citizenId: '045187000333', caseChoice: 'new' }));
    const a = await mongoose.connection.collection('people').findOne({ citizenId: '045187000222' });
    const res = await submitForm(agent, `/people/${String(a!._id)}/merge`, `/people/${String(a!._id)}/merge`, { into: '045187000333' });
    expect(res.status).to.equal(409);
    expect(res.text).to.contain('số CCCD khác nhau');
    expect(await mongoose.connection.collection('people').countDocuments({ mergedInto: null })).to.equal(2);
  });
});
