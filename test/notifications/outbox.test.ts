// The outbox against the real database: one message per key, written with the transaction that causes
// it or not at all, rendered in the recipient's language with the office's settings.
import { expect } from 'chai';
import mongoose from 'mongoose';
import { emailsByKey, enqueueEmail, type EnqueueEmailInput } from '../../server/notifications/index.js';
import { OutboxMessageModel } from '../../server/notifications/outbox.model.js';
import { registerEmailPdf } from '../../server/notifications/message-attachments.js';
import { inTransaction } from '../../server/platform/db/transaction.js';
import { fixedClock, useTestDatabase } from '../support/app.js';
import { mailConfig, messageByKey, TEST_BASE_URL, useMailSettings } from './support.js';

function notice(key: string, overrides: Partial<EnqueueEmailInput> = {}): EnqueueEmailInput {
  return {
    key,
    template: 'notice',
    locale: 'vi',
    to: [{ email: 'vanthu@ubnd-dongha.test.gov.vn', name: 'Văn thư UBND phường Đông Hà' }],
    data: {
      heading: 'Đề nghị xem xét, giải quyết đơn',
      paragraphs: ['Văn phòng chuyển đơn của công dân đến Quý cơ quan để xem xét, giải quyết theo thẩm quyền.'],
      caseNumber: '2026/000123',
      dueDate: '2026-05-20',
      link: { path: '/a/0123456789abcdef', label: 'Xác nhận đã nhận đơn' },
    },
    ...overrides,
  };
}

describe('outbox', () => {
  useTestDatabase();
  const clock = fixedClock('2026-05-05T03:00:00Z');
  before(() => useMailSettings(mailConfig()));

  it('writes one message for one key, however often it is enqueued', async () => {
    const first = await enqueueEmail(notice('reminder:f1:due:2026-05-20'), null, { clock });
    const second = await enqueueEmail(notice('reminder:f1:due:2026-05-20', { data: { heading: 'Khác', paragraphs: [] } }), null, { clock });
    const inTx = await inTransaction((session) => enqueueEmail(notice('reminder:f1:due:2026-05-20'), session, { clock }));
    expect(first.created).to.equal(true);
    expect(second.created).to.equal(false);
    expect(inTx.created).to.equal(false);
    expect(String(second.id)).to.equal(String(first.id));
    expect(await OutboxMessageModel.countDocuments({})).to.equal(1);
    // The first rendering stands: the second call changed nothing.
    expect((await messageByKey('reminder:f1:due:2026-05-20')).subject).to.contain('Đề nghị xem xét, giải quyết đơn');
  });

  it('tells the enqueueing module the state of its emails by key', async () => {
    await enqueueEmail(notice('forwarding:f2:sent'), null, { clock });
    const states = await emailsByKey(['forwarding:f2:sent', 'forwarding:unknown:sent']);
    expect([...states.keys()]).to.deep.equal(['forwarding:f2:sent']);
    expect(states.get('forwarding:f2:sent')).to.include({ status: 'queued', sentAt: null });
    expect((await emailsByKey([])).size).to.equal(0);
  });

  it('writes nothing when the transaction that enqueued it aborts', async () => {
    let failed = false;
    try {
      await inTransaction(async (session) => {
        await enqueueEmail(notice('forwarding:aborted:sent'), session, { clock });
        throw new Error('the business change failed after enqueueing');
      });
    } catch {
      failed = true;
    }
    expect(failed).to.equal(true);
    expect(await OutboxMessageModel.countDocuments({ key: 'forwarding:aborted:sent' })).to.equal(0);
  });

  it('keeps one message when the same email is enqueued from several transactions at once', async () => {
    const results = await Promise.allSettled([1, 2, 3].map(() => inTransaction((session) => enqueueEmail(notice('forwarding:race:sent'), session, { clock }))));
    // Losers either find the winner's message (MongoDB retries them) or fail with a duplicate key
    // (the embedded server refuses them at commit); never a second message.
    for (const r of results) if (r.status === 'rejected') expect((r.reason as { code?: number }).code).to.equal(11000);
    const fulfilled = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    expect(fulfilled.filter((r) => r.created)).to.have.length(1);
    expect(await OutboxMessageModel.countDocuments({ key: 'forwarding:race:sent' })).to.equal(1);
  });

  it('renders subject, HTML and text in Vietnamese with absolute links and the office contact', async () => {
    await enqueueEmail(notice('notice:vi', { caseId: new mongoose.Types.ObjectId() }), null, { clock });
    const m = await messageByKey('notice:vi');
    expect(m.subject).to.equal('[Vụ việc 2026/000123] Đề nghị xem xét, giải quyết đơn');
    expect(m.status).to.equal('queued');
    expect(m.nextAttemptAt.toISOString()).to.equal(clock.now().toISOString());
    expect(m.createdAt.toISOString()).to.equal(clock.now().toISOString());
    for (const body of [m.text, m.html]) {
      expect(body).to.contain('Văn phòng Đoàn ĐBQH và HĐND tỉnh Quảng Trị');
      expect(body).to.contain('Số 1 Hùng Vương, Đông Hà');
      expect(body).to.contain('2026/000123');
      expect(body).to.contain('20/05/2026');
      expect(body).to.contain(`${TEST_BASE_URL}/a/0123456789abcdef`);
      expect(body).to.contain('Kính gửi: Văn thư UBND phường Đông Hà,');
    }
    expect(m.text).to.not.match(/<[a-z]/i);
    expect(m.text.normalize('NFC')).to.equal(m.text);
    expect(m.messageId).to.match(/^<[0-9a-f-]{36}@dannguyen\.test\.gov\.vn>$/);
    expect(m.recipients).to.deep.equal(['vanthu@ubnd-dongha.test.gov.vn']);
  });

  it('renders in English for an English-speaking recipient', async () => {
    await enqueueEmail(notice('notice:en', { locale: 'en' }), null, { clock });
    const m = await messageByKey('notice:en');
    expect(m.subject).to.equal('[Case 2026/000123] Đề nghị xem xét, giải quyết đơn');
    expect(m.text).to.contain('Case number: 2026/000123');
    expect(m.text).to.contain('Deadline: 20/05/2026');
  });

  it('escapes data in the HTML part and leaves the text part as written', async () => {
    await enqueueEmail(notice('notice:html', { data: { heading: '<script>alert(1)</script> & "quotes"', paragraphs: ['<b>không in đậm</b>'] } }), null, { clock });
    const m = await messageByKey('notice:html');
    expect(m.html).to.not.contain('<script>');
    expect(m.html).to.contain('&lt;script&gt;');
    expect(m.html).to.contain('&lt;b&gt;không in đậm&lt;/b&gt;');
    expect(m.text).to.contain('<b>không in đậm</b>');
  });

  it('waits until notBefore when it is later than now', async () => {
    const later = new Date('2026-05-19T00:30:00Z');
    await enqueueEmail(notice('notice:later', { notBefore: later }), null, { clock });
    expect((await messageByKey('notice:later')).nextAttemptAt.toISOString()).to.equal(later.toISOString());
  });

  it('stores data as plain JSON', async () => {
    await enqueueEmail(notice('notice:data', { data: { heading: 'Ngày', paragraphs: [], when: new Date('2026-05-05T03:00:00Z') } }), null, { clock });
    expect((await messageByKey('notice:data')).data.when).to.equal('2026-05-05T03:00:00.000Z');
  });

  const refused: [string, Partial<EnqueueEmailInput>][] = [
    ['an empty key', { key: '' }],
    ['a key with spaces', { key: 'two words' }],
    ['an unknown template', { template: 'no-such-template' }],
    ['a template name that climbs directories', { template: '../layout' }],
    ['no recipients', { to: [] }],
    ['a malformed address', { to: [{ email: 'not an address' }] }],
    ['a header injection in an address', { to: [{ email: 'a@b.vn\r\nBcc: x@y.vn' }] }],
    ['a link off the site', { data: { heading: 'x', paragraphs: [], link: { path: 'https://evil.example/' } } }],
    ['a protocol-relative link', { data: { heading: 'x', paragraphs: [], link: { path: '//evil.example/' } } }],
    ['an unregistered PDF kind', { attachments: [{ filename: 'a.pdf', contentType: 'application/pdf', pdf: { kind: 'no-such-kind', params: {} } }] }],
    ['an attachment that is both kinds', { attachments: [{ filename: 'a.pdf', contentType: 'application/pdf', attachmentId: '0123456789abcdef01234567', pdf: { kind: 'x', params: {} } }] }],
    ['a bad case id', { caseId: 'nope' }],
  ];
  for (const [name, overrides] of refused) {
    it(`refuses ${name} and writes nothing`, async () => {
      let error: unknown = null;
      try {
        await enqueueEmail(notice(`bad:${Math.random().toString(36).slice(2)}`, overrides), null, { clock });
      } catch (err) {
        error = err;
      }
      expect(error, name).to.be.instanceOf(Error);
      expect(await OutboxMessageModel.countDocuments({})).to.equal(0);
    });
  }

  it('refuses an attachment id that does not exist (404, so the caller’s change fails with it)', async () => {
    let error: unknown = null;
    try {
      await enqueueEmail(notice('notice:missing-attachment', { attachments: [{ filename: 'x.pdf', contentType: 'application/pdf', attachmentId: '0123456789abcdef01234567' }] }), null, { clock });
    } catch (err) {
      error = err;
    }
    expect((error as { status?: number }).status).to.equal(404);
  });

  it('accepts a registered PDF kind and leaves generation to the first attempt', async () => {
    registerEmailPdf('test-paper', () => Promise.resolve(Buffer.from('%PDF-1.4\n%%EOF\n')));
    await enqueueEmail(notice('notice:pdf', { attachments: [{ filename: 'Phiếu chuyển đơn.pdf', contentType: 'application/pdf', pdf: { kind: 'test-paper', params: { n: 1 } } }] }), null, { clock });
    const [attachment] = (await messageByKey('notice:pdf')).attachments;
    expect(attachment).to.include({ filename: 'Phiếu chuyển đơn.pdf', attachmentId: null });
    expect(attachment!.pdf).to.deep.equal({ kind: 'test-paper', params: { n: 1 } });
  });
});
