// The email log through the real login and forms (CSRF on): who sees what, the filters, one message,
// "retry now", the test email and the emails on the case page.
import { expect } from 'chai';
import { AuditEventModel } from '../../server/audit/audit.model.js';
import { enqueueEmail, type EnqueueEmailInput } from '../../server/notifications/index.js';
import { OutboxMessageModel } from '../../server/notifications/outbox.model.js';
import { buildTestApp, fixedClock, useTestDatabase } from '../support/app.js';
import { createTestUser } from '../support/factories.js';
import { pageToken, signIn, submitForm } from '../support/http.js';
import { actorOf, createCase, mailConfig, messageByKey, useMailSettings } from './support.js';

const clock = fixedClock('2026-05-05T03:00:00Z');

function notice(key: string, overrides: Partial<EnqueueEmailInput> = {}): EnqueueEmailInput {
  return {
    key,
    template: 'notice',
    locale: 'vi',
    to: [{ email: 'vanthu@sotnmt.test.gov.vn' }],
    data: { heading: `Thông báo ${key}`, paragraphs: ['Nội dung thông báo về việc giải quyết đơn.'] },
    ...overrides,
  };
}

async function markFailed(key: string): Promise<void> {
  await OutboxMessageModel.updateOne(
    { key },
    { $set: { status: 'failed', failedAt: clock.now(), lastError: '550 Requested action not taken: mailbox unavailable' }, $push: { attempts: { at: clock.now(), outcome: 'permanent', responseCode: 550, response: '550 Requested action not taken: mailbox unavailable', by: 'test' } } },
  );
}

describe('email log pages', function () {
  this.timeout(30_000);
  useTestDatabase();
  before(() => useMailSettings(mailConfig()));

  // The app runs on the real clock (authenticator codes are checked against it); the emails carry fixed dates.
  const app = (config: Record<string, string> = {}) => buildTestApp({ config: { MAIL_WINDOW: 'always', ...config } }).app;

  it('lists every email for administrators, with filters, and shows failures in words', async () => {
    const admin = await createTestUser({ role: 'admin' });
    await enqueueEmail(notice('a', { to: [{ email: 'Vanthu@UBND.test.gov.vn' }] }), null, { clock });
    await enqueueEmail(notice('b'), null, { clock });
    await markFailed('b');
    const agent = await signIn(app(), admin);

    const all = await agent.get('/admin/emails');
    expect(all.status).to.equal(200);
    expect(all.text).to.contain('Thông báo a').and.to.contain('Thông báo b');
    expect(all.text).to.contain('Gửi không thành công');
    expect(all.text).to.contain('Chưa cấu hình máy chủ gửi thư');
    expect(all.text).to.contain('href="/admin/emails"'); // the navigation item

    const failed = await agent.get('/admin/emails?status=failed');
    expect(failed.text).to.contain('Thông báo b').and.not.to.contain('Thông báo a');
    const byRecipient = await agent.get('/admin/emails?recipient=vanthu%40ubnd.test.gov.vn');
    expect(byRecipient.text).to.contain('Thông báo a').and.not.to.contain('Thông báo b');
    const byDate = await agent.get('/admin/emails?from=06/05/2026');
    expect(byDate.text).to.contain('Không có email nào.');
    const sameDay = await agent.get('/admin/emails?from=05/05/2026&to=05/05/2026&template=notice');
    expect(sameDay.text).to.contain('Thông báo a').and.to.contain('Thông báo b');
  });

  it('ignores operators and nonsense in the filters instead of failing', async () => {
    const admin = await createTestUser({ role: 'admin' });
    await enqueueEmail(notice('a'), null, { clock });
    const agent = await signIn(app(), admin);
    for (const query of ['status[$ne]=sent', 'status=$where', 'recipient[$gt]=', 'after=../../etc', 'from=31/02/2026', 'template=../x', `recipient=${'x'.repeat(500)}`]) {
      const res = await agent.get(`/admin/emails?${query}`);
      expect(res.status, query).to.equal(200);
    }
    const unread = await agent.get('/admin/emails?from=31/02/2026');
    expect(unread.text).to.contain('Không đọc được ngày này').and.to.contain('value="31/02/2026"');
  });

  it('pages by key, newest first, without repeating or losing a row', async () => {
    const admin = await createTestUser({ role: 'admin' });
    for (let i = 0; i < 55; i++) {
      await enqueueEmail(notice(`page-${String(i).padStart(2, '0')}`), null, { clock });
      clock.advance(1000);
    }
    const agent = await signIn(app(), admin);
    const first = await agent.get('/admin/emails');
    const next = /href="(\/admin\/emails\?[^"]*after=[0-9a-f]{24})"/.exec(first.text)?.[1]?.replace(/&amp;/g, '&');
    expect(next).to.be.a('string');
    const second = await agent.get(next!);
    const subjects = (html: string) => [...html.matchAll(/Thông báo (page-\d\d)/g)].map((m) => m[1]!);
    const seen = [...subjects(first.text), ...subjects(second.text)];
    expect(subjects(first.text)).to.have.length(50);
    expect(subjects(first.text)[0]).to.equal('page-54');
    expect(new Set(seen).size).to.equal(55);
    clock.set('2026-05-05T03:00:00Z');
  });

  it('keeps the log from officers and delegates, but shows officers the emails of a case they see', async () => {
    const officer = await createTestUser({ role: 'officer' });
    const delegate = await createTestUser({ role: 'delegate' });
    const kase = await createCase(await actorOf(officer), clock);
    const onCase = await enqueueEmail(notice('case-mail', { caseId: kase.id }), null, { clock });
    const offCase = await enqueueEmail(notice('other-mail'), null, { clock });
    const officerAgent = await signIn(app(), officer);
    expect((await officerAgent.get('/admin/emails')).status).to.equal(403);
    expect(await officerAgent.get('/')).to.have.property('text').that.does.not.contain('href="/admin/emails"');
    const mine = await officerAgent.get(`/emails/${String(onCase.id)}`);
    expect(mine.status).to.equal(200);
    expect(mine.text).to.contain('Nội dung thông báo về việc giải quyết đơn.');
    expect(mine.text).to.not.contain('/retry');
    expect((await officerAgent.get(`/emails/${String(offCase.id)}`)).status).to.equal(404);
    expect((await officerAgent.get('/emails/not-an-id')).status).to.equal(404);
    expect((await officerAgent.get('/emails/0123456789abcdef01234567')).status).to.equal(404);

    // A delegate who does not follow the case sees nothing of it.
    const delegateAgent = await signIn(app(), delegate);
    expect((await delegateAgent.get(`/emails/${String(onCase.id)}`)).status).to.equal(404);
  });

  it('shows one email with its headers, text, attempts, and offers the HTML as a download', async () => {
    const leader = await createTestUser({ role: 'leader' });
    const queued = await enqueueEmail(notice('detail', { data: { heading: 'Chi tiết <b>thư</b>', paragraphs: ['Dòng một.', 'Dòng hai.'] } }), null, { clock });
    await markFailed('detail');
    const m = await messageByKey('detail');
    const agent = await signIn(app(), leader);
    const page = await agent.get(`/emails/${String(queued.id)}`);
    expect(page.status).to.equal(200);
    expect(page.text).to.contain(m.messageId.replace('<', '&lt;').replace('>', '&gt;'));
    expect(page.text).to.contain('Chi tiết &lt;b&gt;thư&lt;/b&gt;');
    expect(page.text).to.contain('Dòng một.<br />');
    expect(page.text).to.contain('Email này không gửi được');
    expect(page.text).to.contain('550 Requested action not taken');
    expect(page.text).to.not.contain('/retry'); // leaders read the log; administrators act on it
    const html = await agent.get(`/emails/${String(queued.id)}/body.html`);
    expect(html.status).to.equal(200);
    expect(html.headers['content-disposition']).to.match(/^attachment;/);
    expect(html.headers['x-content-type-options']).to.equal('nosniff');
    expect(html.text).to.equal(m.html);
  });

  it('lets an administrator retry a failed email (audited) and refuses to retry one that was sent', async () => {
    const admin = await createTestUser({ role: 'admin' });
    const failed = await enqueueEmail(notice('retry-me'), null, { clock });
    await markFailed('retry-me');
    const sent = await enqueueEmail(notice('already-sent'), null, { clock });
    await OutboxMessageModel.updateOne({ key: 'already-sent' }, { $set: { status: 'sent', sentAt: clock.now() } });
    const agent = await signIn(app(), admin);

    const noToken = await agent.post(`/admin/emails/${String(failed.id)}/retry`).type('form').send({});
    expect(noToken.status).to.equal(403);
    expect((await messageByKey('retry-me')).status).to.equal('failed');

    const res = await submitForm(agent, `/emails/${String(failed.id)}`, `/admin/emails/${String(failed.id)}/retry`, {});
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal(`/emails/${String(failed.id)}`);
    const m = await messageByKey('retry-me');
    expect(m).to.include({ status: 'queued', failures: 0, failedAt: null });
    expect(m.attempts.at(-1)).to.include({ outcome: 'requeued' });
    expect(await AuditEventModel.countDocuments({ action: 'mail.retried', targetId: String(failed.id) })).to.equal(1);

    const token = await pageToken(agent, `/emails/${String(failed.id)}`);
    const again = await agent.post(`/admin/emails/${String(sent.id)}/retry`).type('form').send({ _csrf: token });
    expect(again.status).to.equal(409);
    expect(again.text).to.contain('Chỉ gửi lại được email gửi không thành công hoặc chưa gửi.');
    const unknown = await agent.post('/admin/emails/0123456789abcdef01234567/retry').type('form').send({ _csrf: token });
    expect(unknown.status).to.equal(404);
  });

  it('queues a test email once per form, refusing a bad address with the form again', async () => {
    const admin = await createTestUser({ role: 'admin' });
    const agent = await signIn(app(), admin);
    const form = await agent.get('/admin/emails');
    const key = /name="submissionKey" value="([0-9a-f]{32})"/.exec(form.text)?.[1];
    expect(key).to.be.a('string');

    const bad = await submitForm(agent, '/admin/emails', '/admin/emails/test', { to: 'không phải email <script>', submissionKey: key! });
    expect(bad.status).to.equal(422);
    expect(bad.text).to.contain('Nhập địa chỉ email đúng định dạng');
    expect(bad.text).to.contain('value="không phải email &lt;script&gt;"');
    expect(bad.text).to.contain(`value="${key!}"`);

    const fields = { to: 'Quantri@VanPhong.test.gov.vn', submissionKey: key! };
    const first = await submitForm(agent, '/admin/emails', '/admin/emails/test', fields);
    const second = await submitForm(agent, '/admin/emails', '/admin/emails/test', fields);
    expect([first.status, second.status]).to.deep.equal([303, 303]);
    const messages = await OutboxMessageModel.find({ template: 'smtp-test' }).lean();
    expect(messages).to.have.length(1);
    expect(messages[0]).to.include({ anyTime: true, status: 'queued' });
    expect(messages[0]!.to[0]!.email).to.equal('quantri@vanphong.test.gov.vn');
    expect(messages[0]!.subject).to.equal('Thư thử cấu hình email – Văn phòng Đoàn ĐBQH và HĐND tỉnh Quảng Trị');
    expect(await AuditEventModel.countDocuments({ action: 'mail.test-queued' })).to.equal(1);

    const leader = await createTestUser({ role: 'leader' });
    const leaderAgent = await signIn(app(), leader);
    expect((await leaderAgent.get('/admin/emails')).text).to.not.contain('/admin/emails/test');
    const refused = await submitForm(leaderAgent, '/admin/emails', '/admin/emails/test', { to: 'a@b.vn', submissionKey: 'a'.repeat(32) });
    expect(refused.status).to.equal(403);
  });

  it('puts unsent emails back in the queue only once an SMTP server is configured', async () => {
    const admin = await createTestUser({ role: 'admin' });
    await enqueueEmail(notice('unsent-1'), null, { clock });
    await enqueueEmail(notice('unsent-2'), null, { clock });
    await OutboxMessageModel.updateMany({}, { $set: { status: 'not-sent-no-smtp' } });

    const without = await signIn(app(), admin);
    const token = await pageToken(without, '/admin/emails');
    expect((await without.post('/admin/emails/requeue-unsent').type('form').send({ _csrf: token })).status).to.equal(409);

    const withSmtp = await signIn(app({ SMTP_URL: 'smtp://127.0.0.1:1' }), admin);
    const res = await submitForm(withSmtp, '/admin/emails', '/admin/emails/requeue-unsent', {});
    expect(res.status).to.equal(303);
    expect(await OutboxMessageModel.countDocuments({ status: 'queued' })).to.equal(2);
    expect(await AuditEventModel.countDocuments({ action: 'mail.unsent-requeued' })).to.equal(1);
  });

  it('lists the emails of a case on its page and says when one failed', async () => {
    const officer = await createTestUser({ role: 'officer' });
    const kase = await createCase(await actorOf(officer), clock);
    await enqueueEmail(notice('case-ok', { caseId: kase.id, attachments: [] }), null, { clock });
    await enqueueEmail(notice('case-failed', { caseId: kase.id }), null, { clock });
    await enqueueEmail(notice('other-case'), null, { clock });
    await markFailed('case-failed');
    const agent = await signIn(app(), officer);
    const page = await agent.get(`/cases/${String(kase.id)}`);
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('Email về vụ việc');
    expect(page.text).to.contain('Thông báo case-ok').and.to.contain('Thông báo case-failed').and.not.to.contain('Thông báo other-case');
    expect(page.text).to.contain('Có 1 email về vụ việc này không gửi được.');
    expect(page.text).to.contain('550 Requested action not taken');
  });
});
