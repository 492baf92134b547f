// The letter form's question about email notices: a denunciation (or a mixed letter whose main part
// denounces) with the sender's email must say whether the sender agreed; the answer is the first
// sender's, decides the receipt notice (which says nothing but the step for a denunciation), follows
// the sender into the parts of a split letter, and odd values are refused without saving anything.
import { expect } from 'chai';
import { OutboxMessageModel } from '../../server/notifications/index.js';
import { buildTestApp, useTestDatabase } from '../support/app.js';
import { createTestUser } from '../support/factories.js';
import { pageToken, signIn, submitForm, type Agent } from '../support/http.js';
import { seedIntakeReference } from '../support/intake.js';
import { db, findCases, letterFields, postLetter } from './support.js';

const EMAIL = 'nguoigui@example.vn';

describe('letter intake: the sender’s answer about email notices', () => {
  useTestDatabase();
  let agent: Agent;
  let ref: Awaited<ReturnType<typeof seedIntakeReference>>;

  beforeEach(async () => {
    ref = await seedIntakeReference();
    agent = await signIn(buildTestApp().app, await createTestUser({ role: 'officer' }));
  });

  const fields = (overrides: Record<string, string> = {}) => letterFields({ caseChoice: 'new', unitCode: ref.commune, email: EMAIL, ...overrides });

  it('shows the question on the form with neither answer chosen', async () => {
    const form = await agent.get('/letters/new');
    expect(form.text).to.contain('Thông báo qua email về tiến độ xử lý');
    expect(form.text).to.match(/name="notices" type="radio" value="yes">/);
    expect(form.text).to.match(/name="notices" type="radio" value="no">/);
  });

  it('refuses a denunciation, or a mixed letter whose main part denounces, with the sender’s email and no answer', async () => {
    for (const type of [{ type: 'denunciation', mainType: '' }, { type: 'mixed', mainType: 'denunciation' }]) {
      const res = await postLetter(agent, fields({ ...type, name: 'Hồ Thị Kín' }));
      expect(res.status, type.type).to.equal(422);
      expect(res.text).to.contain('href="#notices"');
      expect(res.text).to.contain('hãy hỏi và ghi rõ người tố cáo có đồng ý nhận thông báo qua email hay không');
      expect(res.text).to.contain('value="Hồ Thị Kín"');
    }
    expect(await db().collection('letters').countDocuments()).to.equal(0);
    expect(await db().collection('cases').countDocuments()).to.equal(0);
    // A mixed letter whose main part is a complaint is not asked for an answer.
    expect((await postLetter(agent, fields({ type: 'mixed', mainType: 'complaint' }))).status).to.equal(303);
  });

  it('stores a denouncer’s yes on the first sender only, and queues a receipt that names nobody', async () => {
    const res = await postLetter(agent, fields({ type: 'denunciation', name: 'Hồ Thị Kín', notices: 'yes', cosigner1Name: 'Võ Văn Cùng Ký' }));
    expect(res.status, res.text.slice(0, 300)).to.equal(303);
    const [kase] = await findCases();
    expect(kase!.parties.map((p) => [p.name, p.emailNotices])).to.deep.equal([
      ['Hồ Thị Kín', true],
      ['Võ Văn Cùng Ký', null],
    ]);
    const receipts = await OutboxMessageModel.find({ template: 'citizen-notice' }).lean();
    expect(receipts.map((m) => [m.to, m.confidentialRecipients, m.data.protected])).to.deep.equal([[[{ email: EMAIL, name: null }], true, true]]);
    for (const part of [receipts[0]!.subject, receipts[0]!.text, receipts[0]!.html]) {
      for (const name of ['Hồ Thị Kín', 'Võ Văn Cùng Ký', 'Khiếu nại quyết định xử phạt']) expect(part).not.to.include(name);
    }
  });

  it('queues no receipt for a sender who declined', async () => {
    expect((await postLetter(agent, fields({ notices: 'no' }))).status).to.equal(303);
    const [kase] = await findCases();
    expect(kase!.parties[0]!.emailNotices).to.equal(false);
    expect(await OutboxMessageModel.countDocuments({ recipients: EMAIL })).to.equal(0);
  });

  for (const [label, raw] of [
    ['a checkbox’s "on"', 'notices=on'],
    ['both answers at once', 'notices=yes&notices=no'],
    ['an operator as the value', 'notices=%24ne'],
  ] as const) {
    it(`refuses ${label} as the answer with 422, keeping the form and saving nothing`, async () => {
      const token = await pageToken(agent, '/letters/new');
      const body = `${new URLSearchParams({ ...fields({ type: 'denunciation' }), _csrf: token }).toString()}&${raw}`;
      const res = await agent.post('/letters').type('form').send(body);
      expect(res.status).to.equal(422);
      expect(res.text).to.contain('href="#notices"');
      expect(res.text).to.contain(`value="${EMAIL}"`);
      expect(await db().collection('letters').countDocuments()).to.equal(0);
    });
  }

  it('gives every part of a split letter the sender’s answer', async () => {
    const res = await postLetter(agent, fields({ type: 'mixed', mainType: 'complaint', notices: 'yes' }));
    const url = res.headers.location!;
    const split = await submitForm(agent, `${url}/split`, `${url}/split`, {
      part1Type: 'complaint',
      part1Summary: 'Khiếu nại quyết định xử phạt',
      part2Type: 'denunciation',
      part2Summary: 'Tố cáo cán bộ xây dựng xã nhận tiền',
    });
    expect(split.status).to.equal(303);
    const cases = await findCases();
    expect(cases.map((c) => [c.confidential, c.parties.map((p) => p.emailNotices)])).to.deep.equal([
      [true, [true]],
      [true, [true]],
    ]);
    // The split is the office's own doing: the sender had one receipt, for the letter.
    expect(await OutboxMessageModel.countDocuments({ template: 'citizen-notice' })).to.equal(1);
  });
});
