// The sender against a real SMTP server (smtp-server, parsed with mailparser): what arrives, retries
// of temporary failures, permanent failures, no SMTP server, the sending window, and a lease that ran
// out on a sender that died.
import { Readable } from 'node:stream';
import { expect } from 'chai';
import { linkAttachments, storeUpload } from '../../server/attachments/index.js';
import { CalendarDayModel } from '../../server/calendar/index.js';
import { createOutboxSender, enqueueEmail, type EnqueueEmailInput, type OutboxSender } from '../../server/notifications/index.js';
import { registerEmailPdf } from '../../server/notifications/message-attachments.js';
import { OutboxMessageModel } from '../../server/notifications/outbox.model.js';
import type { Config } from '../../server/platform/config.js';
import { samplePdf } from '../attachments/samples.js';
import { buildTestApp, fixedClock, useTestDatabase } from '../support/app.js';
import { createTestUser } from '../support/factories.js';
import { signIn } from '../support/http.js';
import { startSmtpPeer, type SmtpPeer } from '../support/smtp.js';
import { actorOf, createCase, mailConfig, messageByKey, silentLogger, TEST_BASE_URL, useMailSettings } from './support.js';

// Tuesday 05/05/2026, 10:00 in Vietnam.
const TUESDAY_10 = '2026-05-05T03:00:00Z';

function notice(key: string, overrides: Partial<EnqueueEmailInput> = {}): EnqueueEmailInput {
  return {
    key,
    template: 'notice',
    locale: 'vi',
    to: [{ email: 'vanthu@sotnmt.test.gov.vn', name: 'Văn thư Sở Nông nghiệp và Môi trường' }],
    data: { heading: 'Đôn đốc giải quyết đơn của công dân', paragraphs: ['Đề nghị Quý cơ quan trả lời trước thời hạn.'], caseNumber: '2026/000042', dueDate: '2026-05-20' },
    ...overrides,
  };
}

describe('outbox sender with a real SMTP server', function () {
  this.timeout(30_000);
  useTestDatabase();
  let peer: SmtpPeer;
  let config: Config;
  const senders: OutboxSender[] = [];
  const clock = fixedClock(TUESDAY_10);

  const sender = (overrides: Record<string, string> = {}, owner?: string) => {
    const s = createOutboxSender({ config: mailConfig({ SMTP_URL: peer.url, ...overrides }), clock, logger: silentLogger, ...(owner ? { owner } : {}) });
    senders.push(s);
    return s;
  };

  before(async () => {
    peer = await startSmtpPeer();
    config = mailConfig({ SMTP_URL: peer.url });
    useMailSettings(config);
  });
  after(async () => {
    await peer.stop();
  });
  beforeEach(() => {
    peer.clear();
    clock.set(TUESDAY_10);
  });
  afterEach(() => {
    for (const s of senders.splice(0)) s.close();
  });

  it('delivers both parts, encoded Vietnamese headers, a stable Message-ID and the attachments, with a link that works', async () => {
    const officer = await createTestUser({ role: 'officer' });
    const actor = await actorOf(officer);
    const kase = await createCase(actor, clock);
    const letterPdf = samplePdf(300);
    const stored = await storeUpload({ uploader: { kind: 'user', id: officer.id }, originalName: 'Đơn của công dân.pdf', content: Readable.from([letterPdf]) });
    await linkAttachments([stored.id], { type: 'test-letter', id: kase.id }, { confidential: false }, null);
    const generated = samplePdf(50);
    registerEmailPdf('test-slip', (params) => Promise.resolve(params.number === '42' ? generated : Buffer.alloc(0)));
    await enqueueEmail(
      notice('content:1', {
        caseId: kase.id,
        cc: [{ email: 'lanhdao@vanphong.test.gov.vn' }],
        data: { heading: 'Đôn đốc giải quyết đơn của công dân', paragraphs: ['Đề nghị Quý cơ quan trả lời trước thời hạn.'], caseNumber: kase.number, dueDate: '2026-05-20', link: { path: `/cases/${kase.id}`, label: 'Xem vụ việc' } },
        attachments: [
          { filename: 'Đơn của công dân.pdf', contentType: 'application/pdf', attachmentId: stored.id },
          { filename: 'Phiếu chuyển đơn số 42.pdf', contentType: 'application/pdf', pdf: { kind: 'test-slip', params: { number: '42' } } },
        ],
      }),
      null,
      { clock },
    );

    const summary = await sender().runOnce();
    expect(summary).to.include({ claimed: 1, sent: 1, retrying: 0, failed: 0 });
    const [mail] = await peer.waitForMessages(1);
    const stored1 = await messageByKey('content:1');
    const subject = `[Vụ việc ${kase.number}] Đôn đốc giải quyết đơn của công dân`;

    // Headers: the subject arrives intact and was sent as encoded words (RFC 2047), not raw bytes.
    expect(mail!.parsed.subject).to.equal(subject);
    const rawHeaders = mail!.raw.toString('latin1').split(/\r?\n\r?\n/)[0]!;
    expect(rawHeaders).to.match(/^Subject: =\?UTF-8\?[BQ]\?/im);
    expect(mail!.parsed.messageId).to.equal(stored1.messageId);
    expect(mail!.parsed.headers.get('auto-submitted')).to.equal('auto-generated');
    expect(mail!.parsed.from?.value[0]).to.deep.include({ address: 'vanphong@dannguyen.test.gov.vn', name: 'Văn phòng Đoàn ĐBQH và HĐND tỉnh' });
    const to = Array.isArray(mail!.parsed.to) ? mail!.parsed.to[0] : mail!.parsed.to;
    expect(to?.value[0]).to.deep.include({ address: 'vanthu@sotnmt.test.gov.vn', name: 'Văn thư Sở Nông nghiệp và Môi trường' });
    expect(mail!.envelope.to.sort()).to.deep.equal(['lanhdao@vanphong.test.gov.vn', 'vanthu@sotnmt.test.gov.vn']);

    // Both parts, the same words in each.
    expect(mail!.parsed.text).to.contain('Đề nghị Quý cơ quan trả lời trước thời hạn.');
    expect(mail!.parsed.text).to.contain(`Số vụ việc: ${kase.number}`);
    expect(mail!.parsed.text).to.contain('Thời hạn: 20/05/2026');
    expect(mail!.parsed.html).to.be.a('string');
    expect(mail!.parsed.html).to.contain('Đề nghị Quý cơ quan trả lời trước thời hạn.');
    expect(mail!.parsed.html).to.contain('Số 1 Hùng Vương, Đông Hà');

    // Attachments: names and bytes as given; the generated one is now stored with the message.
    expect(mail!.parsed.attachments.map((a) => a.filename)).to.deep.equal(['Đơn của công dân.pdf', 'Phiếu chuyển đơn số 42.pdf']);
    expect(mail!.parsed.attachments[0]!.content.equals(letterPdf)).to.equal(true);
    expect(mail!.parsed.attachments[1]!.content.equals(generated)).to.equal(true);
    expect(mail!.parsed.attachments.every((a) => a.contentType === 'application/pdf')).to.equal(true);
    expect(stored1.attachments[1]!.attachmentId).to.not.equal(null);
    expect(stored1.attachments[1]!.size).to.equal(generated.length);

    // The record of the send.
    expect(stored1.status).to.equal('sent');
    expect(stored1.smtpResponse).to.match(/^250/);
    expect(stored1.accepted.sort()).to.deep.equal(['lanhdao@vanphong.test.gov.vn', 'vanthu@sotnmt.test.gov.vn']);
    expect(stored1.attempts.map((a) => a.outcome)).to.deep.equal(['sent']);
    expect(stored1.leaseOwner).to.equal(null);

    // The link is absolute, on the configured base URL, and opens the case for a signed-in officer.
    const link = new RegExp(`${TEST_BASE_URL.replace(/\./g, '\\.')}(/cases/[0-9a-f]{24})`).exec(mail!.parsed.text ?? '');
    expect(link, 'a link to the case in the text part').to.not.equal(null);
    const { app } = buildTestApp({ clock });
    const agent = await signIn(app, officer);
    const page = await agent.get(link![1]!);
    expect(page.status).to.equal(200);
    expect(page.text).to.contain(kase.number);
  });

  it('retries a temporary 4xx failure after the back-off and delivers once, with the same Message-ID', async () => {
    await enqueueEmail(notice('temporary:1'), null, { clock });
    peer.failNext('temporary');
    const s = sender();

    expect(await s.runOnce()).to.include({ claimed: 1, sent: 0, retrying: 1 });
    let m = await messageByKey('temporary:1');
    expect(m.status).to.equal('retry');
    expect(m.failures).to.equal(1);
    expect(m.nextAttemptAt.getTime() - clock.now().getTime()).to.equal(60_000);
    expect(m.attempts[0]).to.include({ outcome: 'temporary', responseCode: 451 });
    expect(peer.received).to.have.length(0);

    // Not due yet: nothing happens.
    clock.advance(59_000);
    expect(await s.runOnce()).to.include({ claimed: 0 });

    clock.advance(1_000);
    expect(await s.runOnce()).to.include({ claimed: 1, sent: 1 });
    const [mail] = await peer.waitForMessages(1);
    m = await messageByKey('temporary:1');
    expect(m.status).to.equal('sent');
    expect(mail!.parsed.messageId).to.equal(m.messageId);
    expect(m.attempts.map((a) => a.outcome)).to.deep.equal(['temporary', 'sent']);
    expect(peer.refusedCount).to.equal(1);

    clock.advance(3_600_000);
    expect(await s.runOnce()).to.include({ claimed: 0 });
    expect(peer.received).to.have.length(1);
  });

  it('marks a permanent 5xx refusal as failed at once, and never tries again', async () => {
    await enqueueEmail(notice('permanent:1'), null, { clock });
    peer.failNext('permanent');
    const s = sender();
    expect(await s.runOnce()).to.include({ claimed: 1, failed: 1 });
    const m = await messageByKey('permanent:1');
    expect(m.status).to.equal('failed');
    expect(m.failedAt?.toISOString()).to.equal(clock.now().toISOString());
    expect(m.lastError).to.contain('mailbox unavailable');
    expect(m.attempts[0]).to.include({ outcome: 'permanent', responseCode: 550 });
    clock.advance(24 * 3_600_000);
    expect(await s.runOnce()).to.include({ claimed: 0 });
    expect(peer.received).to.have.length(0);
  });

  it('gives up after the last attempt of a temporary failure', async () => {
    await enqueueEmail(notice('exhausted:1'), null, { clock });
    peer.failAlways('temporary');
    const s = sender();
    for (let i = 0; i < 4; i++) {
      await s.runOnce();
      clock.advance(3_600_000);
    }
    const m = await messageByKey('exhausted:1');
    expect(m.status).to.equal('failed');
    expect(m.attempts.map((a) => a.outcome)).to.deep.equal(['temporary', 'temporary', 'temporary', 'temporary']);
    expect(peer.refusedCount).to.equal(4);
  });

  it('counts a server that cannot be reached as a temporary failure', async () => {
    await enqueueEmail(notice('unreachable:1'), null, { clock });
    const closed = await startSmtpPeer();
    await closed.stop();
    await sender({ SMTP_URL: closed.url }).runOnce();
    const m = await messageByKey('unreachable:1');
    expect(m.status).to.equal('retry');
    expect(m.attempts[0]).to.include({ outcome: 'temporary', responseCode: null });
  });

  it('records recipients the server refused while delivering to the others', async () => {
    peer.refuseRecipient('khong-ton-tai@sotnmt.test.gov.vn');
    await enqueueEmail(notice('partial:1', { cc: [{ email: 'khong-ton-tai@sotnmt.test.gov.vn' }] }), null, { clock });
    await sender().runOnce();
    const m = await messageByKey('partial:1');
    expect(m.status).to.equal('sent');
    expect(m.accepted).to.deep.equal(['vanthu@sotnmt.test.gov.vn']);
    expect(m.rejected).to.deep.equal(['khong-ton-tai@sotnmt.test.gov.vn']);
    expect((await peer.waitForMessages(1))[0]!.envelope.to).to.deep.equal(['vanthu@sotnmt.test.gov.vn']);
  });

  it('keeps messages as "not sent: no SMTP server configured" when there is none', async () => {
    await enqueueEmail(notice('nosmtp:1'), null, { clock });
    const s = createOutboxSender({ config: mailConfig(), clock, logger: silentLogger });
    senders.push(s);
    expect(await s.runOnce()).to.include({ claimed: 1, notSent: 1 });
    const m = await messageByKey('nosmtp:1');
    expect(m.status).to.equal('not-sent-no-smtp');
    expect(m.attempts[0]).to.include({ outcome: 'no-smtp' });
    expect(m.text).to.contain('Đề nghị Quý cơ quan trả lời trước thời hạn.');
    // Not picked up again by itself, even once a server is configured.
    expect(await sender().runOnce()).to.include({ claimed: 0 });
    expect(peer.received).to.have.length(0);
  });

  it('waits for the sending window: over the weekend and a holiday, then sends at opening time', async () => {
    const office = { MAIL_WINDOW: 'Mon-Fri 07:30-17:00' };
    // Monday 18/05/2026 made a holiday for this test.
    await CalendarDayModel.create({ date: '2026-05-18', kind: 'holiday', name: 'Ngày nghỉ thử nghiệm', source: 'admin' });
    clock.set('2026-05-15T10:00:00Z'); // Friday 17:00 in Vietnam: the window has just closed
    await enqueueEmail(notice('window:1'), null, { clock });
    await enqueueEmail(notice('window:test', { anyTime: true, template: 'smtp-test', data: { requestedBy: 'Quản trị', requestedAt: clock.now().toISOString() } }), null, { clock });

    const friday = await sender(office).runOnce();
    expect(friday).to.include({ windowOpen: false, claimed: 1, sent: 1 }); // only the test email goes
    expect((await messageByKey('window:1')).status).to.equal('queued');

    clock.set('2026-05-17T03:00:00Z'); // Sunday 10:00
    expect(await sender(office).runOnce()).to.include({ windowOpen: false, claimed: 0 });
    clock.set('2026-05-18T03:00:00Z'); // Monday 10:00, the holiday
    expect(await sender(office).runOnce()).to.include({ windowOpen: false, claimed: 0 });
    clock.set('2026-05-19T00:29:00Z'); // Tuesday 07:29
    expect(await sender(office).runOnce()).to.include({ windowOpen: false, claimed: 0 });
    clock.set('2026-05-19T00:30:00Z'); // Tuesday 07:30: open
    expect(await sender(office).runOnce()).to.include({ windowOpen: true, claimed: 1, sent: 1 });
    expect((await messageByKey('window:1')).sentAt?.toISOString()).to.equal('2026-05-19T00:30:00.000Z');
    expect(peer.received).to.have.length(2);
  });

  it('takes over a message whose sender died holding the lease, once the lease has run out', async () => {
    await enqueueEmail(notice('lease:1'), null, { clock });
    // A sender that claimed the message and died before sending.
    await OutboxMessageModel.updateOne({ key: 'lease:1' }, { $set: { leaseOwner: 'worker@dead:1234', leaseUntil: new Date(clock.now().getTime() + 30_000) } });
    const s = sender({}, 'worker@alive:5678');
    expect(await s.runOnce()).to.include({ claimed: 0 });
    clock.advance(30_000);
    expect(await s.runOnce()).to.include({ claimed: 1, sent: 1 });
    const m = await messageByKey('lease:1');
    expect(m.attempts.map((a) => [a.outcome, a.by])).to.deep.equal([
      ['interrupted', 'worker@dead:1234'],
      ['sent', 'worker@alive:5678'],
    ]);
    expect(peer.received).to.have.length(1);
  });

  it('has several senders side by side deliver each message once', async () => {
    const keys = Array.from({ length: 24 }, (_, i) => `parallel:${i}`);
    for (const key of keys) await enqueueEmail(notice(key), null, { clock });
    const results = await Promise.all([sender({}, 'a'), sender({}, 'b'), sender({}, 'c')].map((s) => s.runOnce()));
    expect(results.reduce((n, r) => n + r.sent, 0)).to.equal(keys.length);
    const received = await peer.waitForMessages(keys.length);
    const ids = received.map((m) => m.parsed.messageId);
    expect(new Set(ids).size).to.equal(keys.length);
    expect(await OutboxMessageModel.countDocuments({ status: 'sent' })).to.equal(keys.length);
  });
});
