// The daily digest: one email per person per working day, at or after the policy's time, listing the
// forwardings they drafted or whose cases they are assigned to or follow — overdue, due soon and newly
// answered — in their own language; nothing to tell, no email.
import { expect } from 'chai';
import mongoose, { trusted } from 'mongoose';
import { CaseModel } from '../../server/cases/index.js';
import { ForwardingModel } from '../../server/forwarding/index.js';
import { OutboxMessageModel, type OutboxMessage } from '../../server/notifications/outbox.model.js';
import { fixedClock } from '../../server/platform/clock.js';
import { sendDigests, type DigestLine } from '../../server/reminders/index.js';
import { seedBaseData } from '../../server/seed.js';
import { UserModel } from '../../server/users/index.js';
import { useTestDatabase } from '../support/app.js';
import { createTestUser, type TestUser } from '../support/factories.js';
import { actorOf, mailConfig, useMailSettings } from '../notifications/support.js';
import { AGENCY, prepareForwarding, type PreparedForwarding } from './support.js';

const FRIDAY_0700 = new Date('2027-05-07T00:00:00Z');
const FRIDAY_0745 = new Date('2027-05-07T00:45:00Z');

async function digests(): Promise<OutboxMessage[]> {
  return OutboxMessageModel.find({ key: trusted({ $regex: '^digest:' }) }).sort({ key: 1 }).lean<OutboxMessage[]>();
}

const matters = (lines: unknown) => (lines as DigestLine[]).map((l) => l.matters);

describe('daily digest', function () {
  this.timeout(60_000);
  useTestDatabase();
  let drafter: TestUser;
  let assignee: TestUser;
  let delegate: TestUser;
  let idle: TestUser;
  let f: Record<string, PreparedForwarding & { label: string }>;

  beforeEach(async () => {
    useMailSettings(mailConfig());
    await seedBaseData(fixedClock(FRIDAY_0745));
    drafter = await createTestUser({ role: 'officer', name: 'Lê Văn Soạn' });
    assignee = await createTestUser({ role: 'officer', name: 'Trần Thị Giao' });
    delegate = await createTestUser({ role: 'delegate', name: 'Hoàng Văn Đại Biểu' });
    idle = await createTestUser({ role: 'officer', name: 'Ngô Văn Rảnh' });
    await UserModel.updateOne({ _id: new mongoose.Types.ObjectId(delegate.id) }, { $set: { locale: 'en' } });
    const officer = await actorOf(drafter);
    const prepare = async (dueDate: string, status: 'sent' | 'answered' = 'sent') => {
      const p = await prepareForwarding(officer, { dueDate, status });
      const doc = await ForwardingModel.findById(p.id, { items: 1 }).lean();
      return { ...p, label: doc!.items[0]!.label };
    };
    f = {
      dueSoon: await prepare('2027-05-12'),
      overdue: await prepare('2027-05-06'),
      answeredNew: await prepare('2027-05-20', 'answered'),
      answeredOld: await prepare('2027-05-20', 'answered'),
      later: await prepare('2027-05-14'),
    };
    // The overdue one's case is assigned to another officer and followed by a delegate.
    await CaseModel.updateOne(
      { _id: new mongoose.Types.ObjectId(f.overdue!.caseId) },
      { $set: { assignedTo: new mongoose.Types.ObjectId(assignee.id), followers: [new mongoose.Types.ObjectId(delegate.id)] } },
    );
    // One answer came after yesterday's digest (Thursday 07:30), the other before it.
    await ForwardingModel.updateOne({ _id: new mongoose.Types.ObjectId(f.answeredNew!.id) }, { $set: { lastAnsweredAt: new Date('2027-05-06T05:00:00Z') } });
    await ForwardingModel.updateOne({ _id: new mongoose.Types.ObjectId(f.answeredOld!.id) }, { $set: { lastAnsweredAt: new Date('2027-05-06T00:10:00Z') } });
  });

  it('waits for the digest time', async () => {
    expect(await sendDigests(FRIDAY_0700)).to.deep.equal({ date: null, recipients: 0, queued: 0 });
    expect(await digests()).to.have.length(0);
  });

  it('sends each person concerned one digest with what is overdue, due soon and newly answered', async () => {
    const run = await sendDigests(FRIDAY_0745);
    expect(run).to.deep.equal({ date: '2027-05-07', recipients: 3, queued: 3 });
    const messages = await digests();
    const key = (u: TestUser) => `digest:${u.id}:2027-05-07`;
    expect(messages.map((m) => m.key).sort()).to.deep.equal([key(drafter), key(assignee), key(delegate)].sort());
    expect(messages.map((m) => m.key)).not.to.include(key(idle));
    const of = (u: TestUser) => messages.find((m) => m.key === key(u))!;

    const mine = of(drafter);
    expect(mine.to.map((t) => t.email)).to.deep.equal([drafter.email]);
    expect(matters(mine.data.overdue)).to.deep.equal([f.overdue!.label]);
    expect(matters(mine.data.dueSoon)).to.deep.equal([f.dueSoon!.label]);
    expect(matters(mine.data.answered)).to.deep.equal([f.answeredNew!.label]);
    expect((mine.data.overdue as DigestLine[])[0]).to.include({ agencyName: AGENCY.name, dueDate: '2027-05-06', daysOverdue: 1, path: `/forwardings/${f.overdue!.id}` });
    expect(mine.subject).to.equal('Bản tin ngày 07/05/2027: 1 việc quá hạn, 1 việc sắp đến hạn, 1 việc mới có trả lời');
    expect(mine.text).to.include('QUÁ HẠN TRẢ LỜI (1)');
    expect(mine.text).to.include(`https://dannguyen.test.gov.vn/forwardings/${f.dueSoon!.id}`);
    expect(mine.html).to.include('Hạn trả lời 12/05/2027');

    const assigned = of(assignee);
    expect(matters(assigned.data.overdue)).to.deep.equal([f.overdue!.label]);
    expect(assigned.data.dueSoon).to.deep.equal([]);
    expect(assigned.data.answered).to.deep.equal([]);

    // The delegate reads it in English, and is sent to the case they follow.
    const followed = of(delegate);
    expect(followed.locale).to.equal('en');
    expect(followed.subject).to.equal('Digest for 07/05/2027: 1 overdue, 0 due soon, 0 newly answered');
    expect((followed.data.overdue as DigestLine[])[0]!.path).to.equal(`/cases/${f.overdue!.caseId}`);
    expect(followed.text).to.include('1 day(s) overdue');
  });

  it('sends one digest a day however often it runs, and none on a Saturday', async () => {
    await sendDigests(FRIDAY_0745);
    const again = await sendDigests(new Date('2027-05-07T08:00:00Z'));
    expect(again).to.deep.equal({ date: '2027-05-07', recipients: 3, queued: 0 });
    expect(await digests()).to.have.length(3);
    expect(await sendDigests(new Date('2027-05-08T02:00:00Z'))).to.deep.equal({ date: null, recipients: 0, queued: 0 });
    expect(await digests()).to.have.length(3);
  });

  it('sends nothing to anyone when there is nothing to tell, or when the digest is switched off', async () => {
    expect((await sendDigests(FRIDAY_0745, { policy: { daysBefore: 3, onDueDay: true, everyOverdue: 5, escalateAfter: 2, digestEnabled: false, digestTime: '07:30', citizenNotices: true } })).queued).to.equal(0);
    await ForwardingModel.updateMany({}, { $set: { status: 'closed' } });
    expect(await sendDigests(FRIDAY_0745)).to.deep.equal({ date: '2027-05-07', recipients: 0, queued: 0 });
    expect(await digests()).to.have.length(0);
  });
});
