// The walk-in form's question about email notices: unanswered by default; for a denunciation with an
// email it must be answered; odd values are refused with the form kept; the answer is stored on the
// filer and decides whether the receipt notice is queued; a repeat visit may change it.
import { expect } from 'chai';
import mongoose from 'mongoose';
import { CaseModel } from '../../server/cases/index.js';
import { OutboxMessageModel } from '../../server/notifications/index.js';
import { buildTestApp, useTestDatabase } from '../support/app.js';
import { createTestUser } from '../support/factories.js';
import { pageToken, signIn, type Agent } from '../support/http.js';
import { postWalkIn, seedIntakeReference, walkInFields } from '../support/intake.js';

const db = () => mongoose.connection;
const EMAIL = 'congdan@example.vn';

describe('walk-in: the filer’s answer about email notices', () => {
  useTestDatabase();
  let agent: Agent;
  let fields: (overrides?: Record<string, string>) => Record<string, string>;

  beforeEach(async () => {
    const ref = await seedIntakeReference();
    agent = await signIn(buildTestApp().app, await createTestUser({ role: 'officer' }));
    fields = (overrides = {}) => walkInFields({ unitCode: ref.commune, fieldCode: ref.field, email: EMAIL, caseChoice: 'new', ...overrides });
  });

  /** Posts the walk-in as raw form data, so a field can be repeated or given an operator-looking name. */
  async function postRaw(values: Record<string, string>, extra: [string, string][]) {
    const body = new URLSearchParams({ ...values, _csrf: await pageToken(agent, '/receptions/new') });
    for (const [key, value] of extra) body.append(key, value);
    return agent.post('/receptions').type('form').send(body.toString());
  }

  const filerOf = async (location: string | undefined) => (await CaseModel.findById(location!.split('/').pop()).lean())!.parties.find((p) => p.role === 'filer')!;
  const receipts = () => OutboxMessageModel.countDocuments({ template: 'citizen-notice', recipients: EMAIL });

  it('asks the question with neither answer chosen, next to the filer’s details', async () => {
    const form = await agent.get('/receptions/new');
    expect(form.text).to.contain('Thông báo qua email về tiến độ xử lý');
    expect(form.text).to.contain('Người gửi đồng ý nhận thông báo qua email về tiến độ xử lý');
    expect(form.text).to.match(/<input class="govuk-radios__input" id="notices" name="notices" type="radio" value="yes">/);
    expect(form.text).to.match(/name="notices" type="radio" value="no">/);
    expect(form.text).not.to.match(/name="notices" type="radio" value="(yes|no)" checked/);
  });

  it('stores a complainant’s yes, no, or "not asked", and queues the receipt unless they declined', async () => {
    const table: [string | undefined, boolean | null, number][] = [
      ['yes', true, 1],
      ['no', false, 0],
      [undefined, null, 1],
    ];
    for (const [answer, stored, queued] of table) {
      await db().collection('outbox_messages').deleteMany({});
      const res = await postWalkIn(agent, fields({ citizenId: '', personChoice: 'new', ...(answer ? { notices: answer } : {}) }));
      expect(res.status, String(answer)).to.equal(303);
      expect((await filerOf(res.headers.location)).emailNotices, String(answer)).to.equal(stored);
      expect(await receipts(), String(answer)).to.equal(queued);
    }
  });

  it('refuses a denunciation with an email until the denouncer’s answer is recorded, keeping what was typed', async () => {
    const res = await postWalkIn(agent, fields({ type: 'denunciation', name: 'Đặng Văn Tố Giác', street: 'Thôn <b>3</b>' }));
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('href="#notices"');
    expect(res.text).to.contain('hãy hỏi và ghi rõ người tố cáo có đồng ý nhận thông báo qua email hay không');
    expect(res.text).to.contain(`value="${EMAIL}"`);
    expect(res.text).to.contain('Thôn &lt;b&gt;3&lt;/b&gt;');
    expect(await db().collection('cases').countDocuments()).to.equal(0);
    expect(await db().collection('people').countDocuments()).to.equal(0);

    // Without an email there is nobody to write to: saved, and stored as a refusal.
    const noEmail = await postWalkIn(agent, fields({ type: 'denunciation', email: '' }));
    expect(noEmail.status).to.equal(303);
    expect((await filerOf(noEmail.headers.location)).emailNotices).to.equal(false);
  });

  const oddValues: [string, [string, string][]][] = [
    ['a checkbox’s "on"', [['notices', 'on']]],
    ['"1"', [['notices', '1']]],
    ['upper case', [['notices', 'YES']]],
    ['an empty value', [['notices', '']]],
    ['both answers at once', [['notices', 'yes'], ['notices', 'no']]],
    ['an operator as the value', [['notices', '$ne']]],
  ];
  for (const [label, extra] of oddValues) {
    it(`refuses ${label} as the answer with 422, keeping the form and saving nothing`, async () => {
      const res = await postRaw(fields({ type: 'complaint' }), extra);
      expect(res.status).to.equal(422);
      expect(res.text).to.contain('href="#notices"');
      expect(res.text).to.contain(`value="${EMAIL}"`);
      expect(await db().collection('cases').countDocuments()).to.equal(0);
      expect(await db().collection('outbox_messages').countDocuments()).to.equal(0);
    });
  }

  it('treats an operator-looking field name as an unknown field: a denunciation is still unanswered, a complaint saved as not asked', async () => {
    const denunciation = await postRaw(fields({ type: 'denunciation' }), [['notices[$ne]', 'no']]);
    expect(denunciation.status).to.equal(422);
    expect(denunciation.text).to.contain('href="#notices"');
    const complaint = await postRaw(fields({ type: 'complaint', citizenId: '', personChoice: 'new' }), [['notices[$ne]', 'no']]);
    expect(complaint.status).to.equal(303);
    expect((await filerOf(complaint.headers.location)).emailNotices).to.equal(null);
  });

  it('lets a repeat visit change the answer; a repeat visit that was not asked keeps it', async () => {
    const first = await postWalkIn(agent, fields({ notices: 'yes' }));
    const caseId = first.headers.location!.split('/').pop()!;
    const again = (answer: Record<string, string>) => postWalkIn(agent, fields({ caseChoice: caseId, content: 'Tiếp tục khiếu nại, chưa được trả lời', ...answer }));
    expect((await again({ notices: 'no' })).status).to.equal(303);
    expect((await filerOf(`/cases/${caseId}`)).emailNotices).to.equal(false);
    expect((await again({})).status).to.equal(303);
    expect((await filerOf(`/cases/${caseId}`)).emailNotices).to.equal(false);
    expect((await CaseModel.findById(caseId).lean())!.visitCount).to.equal(3);
  });
});
