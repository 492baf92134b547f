// The reminder scan against the real database, at a fixed clock, over a prepared set of forwardings:
// exactly the expected reminders are queued (by key), once, whatever the number of scans; nothing on a
// Saturday or a holiday; an extended deadline gets fresh reminders; escalation copies the agency's
// head and the office's leaders; and the queued reminders wait for the sending window.
import { expect } from 'chai';
import { trusted } from 'mongoose';
import type { Actor } from '../../server/access/index.js';
import { CaseEventModel } from '../../server/cases/index.js';
import { createOutboxSender, enqueueEmail } from '../../server/notifications/index.js';
import { OutboxMessageModel, type OutboxMessage } from '../../server/notifications/outbox.model.js';
import { fixedClock } from '../../server/platform/clock.js';
import { scanReminders } from '../../server/reminders/index.js';
import { seedBaseData } from '../../server/seed.js';
import { useTestDatabase } from '../support/app.js';
import { createTestUser, type TestUser } from '../support/factories.js';
import { startSmtpPeer, type SmtpPeer } from '../support/smtp.js';
import { actorOf, mailConfig, silentLogger, useMailSettings } from '../notifications/support.js';
import { AGENCY, extendForwarding, prepareForwarding, type PreparedForwarding } from './support.js';

/** Friday 07/05/2027, 09:00 in Vietnam: after 30/4, 1/5 (Saturday) and the day off on Monday 3/5. */
const FRIDAY = '2027-05-07T02:00:00Z';

async function reminderKeys(): Promise<string[]> {
  const messages = await OutboxMessageModel.find({ key: trusted({ $regex: '^reminder:' }) }, { key: 1 }).lean<Pick<OutboxMessage, 'key'>[]>();
  return messages.map((m) => m.key).sort();
}

const remindedEvents = () => CaseEventModel.countDocuments({ type: 'forwarding.reminded' });

describe('reminder scan', function () {
  this.timeout(60_000);
  useTestDatabase();
  let officer: Actor;
  let leader: TestUser;
  let set: Record<string, PreparedForwarding>;
  let expected: string[];
  let oldExtendedKey: string;

  beforeEach(async () => {
    useMailSettings(mailConfig());
    await seedBaseData(fixedClock(FRIDAY));
    officer = await actorOf(await createTestUser({ role: 'officer', name: 'Lê Văn Chuyên Viên' }));
    leader = await createTestUser({ role: 'leader', name: 'Phạm Văn Lãnh Đạo' });
    set = {
      before: await prepareForwarding(officer, { dueDate: '2027-05-12' }), // 3 working days ahead
      notYet: await prepareForwarding(officer, { dueDate: '2027-05-13' }), // 4 working days ahead
      today: await prepareForwarding(officer, { dueDate: '2027-05-07', status: 'acknowledged' }),
      late1: await prepareForwarding(officer, { dueDate: '2027-05-06' }),
      late6: await prepareForwarding(officer, { dueDate: '2027-04-27', status: 'acknowledged' }),
      escalated: await prepareForwarding(officer, { dueDate: '2027-04-20', status: 'evaluated' }), // 11 working days late
      answered: await prepareForwarding(officer, { dueDate: '2027-05-06', status: 'answered' }),
      closed: await prepareForwarding(officer, { dueDate: '2027-05-06', status: 'closed' }),
      noLink: await prepareForwarding(officer, { dueDate: '2027-05-06', link: 'revoked' }),
      extended: await prepareForwarding(officer, { dueDate: '2027-05-06' }),
    };
    // The extended one was reminded on its first due date, then the agency was given 3 more working days.
    oldExtendedKey = `reminder:${set.extended!.id}:overdue-1:2027-05-06`;
    await enqueueEmail({ key: oldExtendedKey, template: 'notice', locale: 'vi', to: [{ email: AGENCY.to }], data: { heading: 'Nhắc trước đây', paragraphs: [] } }, null);
    const newDue = await extendForwarding(set.extended!.id, 3);
    expect(newDue).to.equal('2027-05-11');
    expected = [
      `reminder:${set.before!.id}:before:2027-05-12`,
      `reminder:${set.today!.id}:due:2027-05-07`,
      `reminder:${set.late1!.id}:overdue-1:2027-05-06`,
      `reminder:${set.late6!.id}:overdue-2:2027-04-27`,
      `reminder:${set.escalated!.id}:overdue-3:2027-04-20`,
      `reminder:${set.extended!.id}:before:2027-05-11`,
    ];
  });

  it('queues exactly the expected reminders, and nothing more when run again', async () => {
    const first = await scanReminders(new Date(FRIDAY), { logger: silentLogger });
    expect(first).to.include({ date: '2027-05-07', workingDay: true, queued: 6, withoutLink: 1, failed: 0 });
    expect(await reminderKeys()).to.deep.equal([...expected, oldExtendedKey].sort());
    expect(await remindedEvents()).to.equal(6);

    const again = await scanReminders(new Date(FRIDAY), { logger: silentLogger });
    expect(again).to.include({ queued: 0, already: 6, failed: 0 });
    // Later the same day: still nothing new.
    expect((await scanReminders(new Date('2027-05-07T09:45:00Z'))).queued).to.equal(0);
    expect(await reminderKeys()).to.deep.equal([...expected, oldExtendedKey].sort());
    expect(await remindedEvents()).to.equal(6);
  });

  it('writes each reminder to the agency with its link, and copies the head and the leaders only when escalating', async () => {
    await scanReminders(new Date(FRIDAY));
    const byKey = new Map((await OutboxMessageModel.find({ key: trusted({ $in: expected }) }).lean<OutboxMessage[]>()).map((m) => [m.key, m]));
    for (const key of expected) {
      const m = byKey.get(key)!;
      expect(m.template, key).to.equal('forwarding-reminder');
      expect(m.to.map((t) => t.email), key).to.deep.equal([AGENCY.to]);
      expect(m.text, key).to.match(/\[\[secret-link:agency-link:[a-f0-9]{24}\]\]/);
      expect(String(m.caseId), key).to.be.oneOf(Object.values(set).map((f) => f.caseId));
    }
    const plain = byKey.get(expected[2]!)!;
    expect(plain.cc.map((c) => c.email)).to.deep.equal([AGENCY.cc]);
    expect(plain.subject).to.equal(`[${plain.data.documentNumber as string}] Đã quá hạn trả lời từ ngày 06/05/2027 (nhắc lần 1)`);
    expect(plain.text).to.include('đã quá 1 ngày làm việc');
    expect(plain.text).not.to.include('thủ trưởng cơ quan');

    const escalated = byKey.get(expected[4]!)!;
    expect(escalated.cc.map((c) => c.email).sort()).to.deep.equal([AGENCY.cc, AGENCY.head, leader.email].sort());
    expect(escalated.subject).to.include('nhắc lần 3');
    expect(escalated.text).to.include('thủ trưởng cơ quan và lãnh đạo Văn phòng');
    expect(escalated.text).to.include('đã quá 11 ngày làm việc');

    expect(byKey.get(expected[0]!)!.subject).to.include('Nhắc hạn trả lời: hạn ngày 12/05/2027');
    expect(byKey.get(expected[0]!)!.text).to.include('còn 3 ngày làm việc');
    expect(byKey.get(expected[1]!)!.subject).to.include('Hôm nay (07/05/2027) là hạn trả lời');

    const events = await CaseEventModel.find({ type: 'forwarding.reminded', caseId: set.escalated!.caseId }).lean();
    expect(events).to.have.length(1);
    expect(events[0]!.actorName).to.equal('Hệ thống');
    expect(events[0]!.data).to.include({ kind: 'overdue', sequence: 3, due: '2027-04-20', escalated: true, forwardingId: set.escalated!.id });
  });

  it('gives an extended deadline fresh reminders and never two for an unchanged one', async () => {
    await scanReminders(new Date(FRIDAY));
    // Extended again: the new due date is a new key, so the agency hears about it.
    const newDue = await extendForwarding(set.late1!.id, 5);
    const later = await scanReminders(new Date(FRIDAY));
    expect(later.queued).to.equal(0); // 5 working days ahead: not yet
    const monday = await scanReminders(new Date('2027-05-10T02:00:00Z'));
    expect(await reminderKeys()).to.include(`reminder:${set.late1!.id}:before:${newDue}`);
    expect(await reminderKeys()).to.include(`reminder:${set.late1!.id}:overdue-1:2027-05-06`);
    expect(monday.failed).to.equal(0);
  });

  it('queues nothing on a Saturday or on a holiday', async () => {
    for (const at of ['2027-05-08T02:00:00Z', '2027-05-03T02:00:00Z', '2027-04-30T02:00:00Z']) {
      const summary = await scanReminders(new Date(at));
      expect(summary, at).to.include({ workingDay: false, queued: 0, considered: 0 });
    }
    expect(await reminderKeys()).to.deep.equal([oldExtendedKey]);
    expect(await remindedEvents()).to.equal(0);
  });

  it('queues each reminder once when two scans run at the same time', async () => {
    const [a, b] = await Promise.all([scanReminders(new Date(FRIDAY)), scanReminders(new Date(FRIDAY))]);
    expect(a.failed + b.failed).to.equal(0);
    expect(a.queued + b.queued).to.equal(6);
    expect(await reminderKeys()).to.deep.equal([...expected, oldExtendedKey].sort());
    expect(await OutboxMessageModel.countDocuments({ template: 'forwarding-reminder' })).to.equal(6);
    expect(await remindedEvents()).to.equal(6);
  });

  describe('and the sending window', () => {
    let peer: SmtpPeer;
    before(async () => {
      peer = await startSmtpPeer();
    });
    after(() => peer.stop());

    it('holds reminders queued before office hours until the window opens', async () => {
      const config = mailConfig({ SMTP_URL: peer.url, MAIL_WINDOW: 'Mon-Fri 07:30-17:00' });
      useMailSettings(config);
      const clock = fixedClock('2027-05-06T23:00:00Z'); // Friday 06:00 in Vietnam
      const summary = await scanReminders(clock.now());
      expect(summary.queued).to.equal(6);
      const sender = createOutboxSender({ config, clock, logger: silentLogger });
      try {
        expect((await sender.runOnce()).windowOpen).to.equal(false);
        expect(peer.received).to.have.length(0);
        clock.set('2027-05-07T00:31:00Z'); // 07:31
        const run = await sender.runOnce();
        expect(run.windowOpen).to.equal(true);
      } finally {
        sender.close();
      }
      const reminderIds = new Set((await OutboxMessageModel.find({ template: 'forwarding-reminder' }, { messageId: 1 }).lean<OutboxMessage[]>()).map((m) => m.messageId));
      const delivered = peer.received.filter((m) => reminderIds.has(m.parsed.messageId ?? ''));
      expect(delivered).to.have.length(6);
      for (const m of delivered) expect(m.envelope.to).to.include(AGENCY.to);
      // The link in the email that left is a real one; the stored text keeps only the marker.
      expect(delivered[0]!.parsed.text).to.match(/https:\/\/dannguyen\.test\.gov\.vn\/a\/[A-Za-z0-9_-]{43}/);
      expect(delivered.find((m) => m.envelope.to.includes(leader.email))).to.not.equal(undefined);
    });
  });
});
