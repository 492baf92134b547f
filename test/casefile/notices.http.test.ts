// The case page's record of a filer's answer about email notices, after intake: shown beside each
// filer, changed through a small form (a citizen withdrawing consent, or giving it), recorded once in
// the timeline (by the filer's role, never by name), refused to those who may not edit the case or see
// a denouncer, and bad input answered with 422 in Vietnamese without changing anything.
import { expect } from 'chai';
import { CaseEventModel, CaseModel } from '../../server/cases/index.js';
import { buildTestApp, useTestDatabase } from '../support/app.js';
import { createTestUser } from '../support/factories.js';
import { pageToken, signIn, submitForm, type Agent } from '../support/http.js';
import { postWalkIn, seedIntakeReference, walkInFields } from '../support/intake.js';

describe('case page: the filer’s answer about email notices', () => {
  useTestDatabase();
  let ref: Awaited<ReturnType<typeof seedIntakeReference>>;

  beforeEach(async () => {
    ref = await seedIntakeReference();
  });

  async function walkIn(agent: Agent, fields: Record<string, string>): Promise<{ url: string; id: string; personId: string }> {
    const res = await postWalkIn(agent, walkInFields({ unitCode: ref.commune, fieldCode: ref.field, caseChoice: 'new', ...fields }));
    expect(res.status, res.text.slice(0, 300)).to.equal(303);
    const url = res.headers.location!;
    const id = url.split('/').pop()!;
    const kase = await CaseModel.findById(id).lean();
    return { url, id, personId: String(kase!.parties[0]!.personId) };
  }
  const answerEvents = (caseId: string) => CaseEventModel.countDocuments({ caseId, type: 'case.notice-answer' });
  const storedAnswer = async (caseId: string) => (await CaseModel.findById(caseId).lean())!.parties[0]!.emailNotices;

  it('shows the answer given at intake, records a withdrawal once, and says when nothing changed', async () => {
    const { app } = buildTestApp();
    const agent = await signIn(app, await createTestUser({ role: 'officer' }));
    const kase = await walkIn(agent, { email: 'an.nguyen@example.vn', notices: 'yes' });
    expect((await agent.get(kase.url)).text).to.contain('Thư báo: đồng ý nhận thư báo');

    const res = await submitForm(agent, kase.url, `${kase.url}/notices`, { personId: kase.personId, answer: 'no' });
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal(kase.url);
    const page = await agent.get(kase.url);
    expect(page.text).to.contain('Đã ghi nhận ý kiến về thư báo qua email.');
    expect(page.text).to.contain('Thư báo: không nhận thư báo');
    expect(page.text).to.contain('Người gửi đơn không nhận thư báo qua email');
    expect(await storedAnswer(kase.id)).to.equal(false);

    // The same answer again (a second click, a resent form): nothing new.
    const again = await submitForm(agent, kase.url, `${kase.url}/notices`, { personId: kase.personId, answer: 'no' });
    expect(again.status).to.equal(303);
    expect((await agent.get(kase.url)).text).to.contain('Ý kiến này đã được ghi nhận trước đó; không có gì thay đổi.');
    expect(await answerEvents(kase.id)).to.equal(1);
  });

  it('says "not asked" for a filer never asked, and what that means for a complaint', async () => {
    const { app } = buildTestApp();
    const agent = await signIn(app, await createTestUser({ role: 'officer' }));
    const kase = await walkIn(agent, {});
    expect(await storedAnswer(kase.id)).to.equal(null);
    expect((await agent.get(kase.url)).text).to.contain('Thư báo: chưa hỏi (có gửi thư báo)');
  });

  it('answers bad input with 422 in Vietnamese, keeps the page, and changes nothing', async () => {
    const { app } = buildTestApp();
    const agent = await signIn(app, await createTestUser({ role: 'officer' }));
    const kase = await walkIn(agent, { email: 'an.nguyen@example.vn', notices: 'yes' });
    const cases: [Record<string, unknown>, string][] = [
      [{ personId: kase.personId }, 'Chọn người gửi đơn đồng ý hay không đồng ý nhận thư báo qua email'],
      [{ personId: kase.personId, answer: 'có lẽ' }, 'Chọn người gửi đơn đồng ý hay không đồng ý nhận thư báo qua email'],
      [{ personId: kase.personId, answer: { $ne: 'x' } }, 'Chọn người gửi đơn đồng ý hay không đồng ý nhận thư báo qua email'],
      [{ personId: 'a'.repeat(24), answer: 'no' }, 'Chọn một người gửi đơn của vụ việc này'],
      [{ personId: '../etc', answer: 'no' }, 'Chọn một người gửi đơn của vụ việc này'],
    ];
    for (const [fields, message] of cases) {
      const token = await pageToken(agent, kase.url);
      const res = await agent.post(`${kase.url}/notices`).type('form').send({ _csrf: token, ...fields });
      expect(res.status, JSON.stringify(fields)).to.equal(422);
      expect(res.text, JSON.stringify(fields)).to.contain(message);
      expect(res.text).to.contain('govuk-error-summary');
    }
    expect(await storedAnswer(kase.id)).to.equal(true);
    expect(await answerEvents(kase.id)).to.equal(0);
  });

  it('is refused to users who cannot edit cases, and for a denunciation to those who may not see who filed it', async () => {
    const { app } = buildTestApp();
    const officer = await signIn(app, await createTestUser({ role: 'officer' }));
    const complaint = await walkIn(officer, {});
    const delegate = await signIn(app, await createTestUser({ role: 'delegate' }));
    const token = await pageToken(delegate, '/');
    const refused = await delegate.post(`${complaint.url}/notices`).type('form').send({ _csrf: token, personId: complaint.personId, answer: 'no' });
    expect(refused.status).to.equal(403);

    const denunciation = await walkIn(officer, { type: 'denunciation', name: 'Trần Văn Tố', citizenId: '001090012345', email: 'to.tran@example.vn', notices: 'yes' });
    const officerPage = await officer.get(denunciation.url);
    expect(officerPage.text).to.not.contain(`/cases/${denunciation.id}/notices`);
    const officerToken = await pageToken(officer, denunciation.url);
    const hidden = await officer.post(`${denunciation.url}/notices`).type('form').send({ _csrf: officerToken, personId: denunciation.personId, answer: 'no' });
    expect(hidden.status).to.equal(403);
    expect(await storedAnswer(denunciation.id)).to.equal(true);

    // A leader, who may see the denouncer, records the withdrawal; the timeline names no one.
    const leader = await signIn(app, await createTestUser({ role: 'leader' }));
    const res = await submitForm(leader, denunciation.url, `${denunciation.url}/notices`, { personId: denunciation.personId, answer: 'no' });
    expect(res.status).to.equal(303);
    expect(await storedAnswer(denunciation.id)).to.equal(false);
    const timeline = (await officer.get(denunciation.url)).text;
    expect(timeline).to.contain('Người tố cáo không nhận thư báo qua email');
    expect(timeline).to.not.contain('Trần Văn Tố');
    // A denouncer never asked (a case from before the question existed) gets no notices, and the page says so.
    await CaseModel.updateOne({ _id: denunciation.id }, { $set: { 'parties.0.emailNotices': null } });
    expect((await leader.get(denunciation.url)).text).to.contain('Thư báo: chưa hỏi (không gửi thư báo)');
  });
});
