// Notices to the citizen who filed a matter: receipt, forwarding and answer, to the filer's own email,
// naming nobody else and never carrying the agency's answer text — never to a filer who declined, to
// the filer of a denunciation or of a case whose filers are protected unless they agreed explicitly
// (and then saying only the case number, the step and its date), nor when the office switched
// notices off.
import { expect } from 'chai';
import { trusted, type ClientSession } from 'mongoose';
import type { Actor } from '../../server/access/index.js';
import { openCase, type CaseType } from '../../server/cases/index.js';
import { OutboxMessageModel, type OutboxMessage } from '../../server/notifications/outbox.model.js';
import { fixedClock } from '../../server/platform/clock.js';
import { inTransaction } from '../../server/platform/db/transaction.js';
import { foldVietnamese } from '../../server/platform/text.js';
import { PersonModel } from '../../server/people/index.js';
import { ReminderPolicyModel, noticeAnswerReceived, noticeCaseReceived, noticeForwardingSent } from '../../server/reminders/index.js';
import { seedBaseData } from '../../server/seed.js';
import { useTestDatabase } from '../support/app.js';
import { createTestUser } from '../support/factories.js';
import { actorOf, mailConfig, useMailSettings } from '../notifications/support.js';
import { AGENCY, prepareForwarding } from './support.js';

const AT = '2027-04-10T03:00:00Z';
const FILER = { name: 'Nguyễn Thị Công Dân', email: 'congdan@example.vn' };
const REPRESENTATIVE = { name: 'Đỗ Văn Người Khác', email: 'nguoikhac@example.vn' };
const OFFICER_NAME = 'Lê Văn Chuyên Viên';
const ANSWER_TEXT = 'Ông Phan Văn Bị Tố đã được kiểm điểm; nội dung chi tiết của văn bản trả lời';

async function person(p: { name: string; email: string | null }) {
  return PersonModel.create({ name: p.name, nameFolded: foldVietnamese(p.name), email: p.email });
}

async function citizenMessages(): Promise<OutboxMessage[]> {
  return OutboxMessageModel.find({ key: trusted({ $regex: '^citizen:' }) }).sort({ _id: 1 }).lean<OutboxMessage[]>();
}

describe('citizen notices', function () {
  this.timeout(60_000);
  useTestDatabase();
  let officer: Actor;
  const clock = fixedClock(AT);

  beforeEach(async () => {
    useMailSettings(mailConfig());
    await seedBaseData(clock);
    officer = await actorOf(await createTestUser({ role: 'officer', name: OFFICER_NAME }));
  });

  /** Opens a case as the intake does, calling noticeCaseReceived in the same transaction. */
  async function intake(type: CaseType, options: { filerEmail?: string | null; protectFilers?: boolean; emailNotices?: boolean | null } = {}) {
    const filer = await person({ name: FILER.name, email: options.filerEmail === undefined ? FILER.email : options.filerEmail });
    const representative = await person(REPRESENTATIVE);
    return inTransaction(async (session: ClientSession) => {
      const kase = await openCase(
        officer,
        {
          type,
          fieldCode: null,
          unitCode: null,
          summary: 'Đề nghị xem xét việc cấp giấy chứng nhận quyền sử dụng đất',
          receivedAt: clock.now(),
          parties: [
            { person: representative, role: 'representative' },
            { person: filer, role: 'filer', emailNotices: options.emailNotices ?? null },
          ],
          source: 'visit',
          ...(options.protectFilers ? { protectFilers: true } : {}),
        },
        { clock },
        session,
      );
      await noticeCaseReceived(kase._id, session, clock);
      return kase;
    });
  }

  async function forwardAndAnswer(caseId: string) {
    const forwarding = await prepareForwarding(officer, { dueDate: '2027-05-12', caseId });
    const fact = { by: { id: officer.id, name: OFFICER_NAME }, forwardingId: forwarding.id, agencyId: '665f1c2b9a1e4a3b2c1d0e9f', agencyName: AGENCY.name, at: clock.now() };
    const sent = await inTransaction((session) => noticeForwardingSent([caseId], fact, session));
    const answer = { ...fact, by: { id: 'agency', name: 'Trần Văn Cán Bộ Sở' }, outcome: 'resolved', documentNumber: '45/STNMT-TTr', documentDate: new Date('2027-05-05T00:00:00+07:00'), text: ANSWER_TEXT };
    const answered = await inTransaction((session) => noticeAnswerReceived([caseId], answer, session));
    return { forwarding, sent, answered };
  }

  it('tells the filer of a complaint that it was received, forwarded and answered — naming nobody else', async () => {
    const kase = await intake('complaint');
    const { forwarding, sent, answered } = await forwardAndAnswer(String(kase._id));
    expect([sent, answered]).to.deep.equal([1, 1]);
    const messages = await citizenMessages();
    expect(messages.map((m) => m.key)).to.deep.equal([
      `citizen:${String(kase._id)}:received:`,
      `citizen:${String(kase._id)}:forwarded:${forwarding.id}`,
      `citizen:${String(kase._id)}:answered:${forwarding.id}-45_STNMT-TTr`,
    ]);
    for (const m of messages) {
      expect(m.template).to.equal('citizen-notice');
      expect(m.to).to.deep.equal([{ email: FILER.email, name: FILER.name }]);
      expect(m.cc).to.deep.equal([]);
      expect(String(m.caseId)).to.equal(String(kase._id));
      for (const part of [m.subject, m.text, m.html]) {
        expect(part).to.include(kase.number);
        for (const other of [REPRESENTATIVE.name, REPRESENTATIVE.email, OFFICER_NAME, 'Trần Văn Cán Bộ Sở', ANSWER_TEXT, 'Phan Văn Bị Tố']) expect(part).not.to.include(other);
      }
    }
    expect(messages[0]!.text).to.include('Văn phòng đã tiếp nhận đơn, kiến nghị của ông/bà ngày 10/04/2027');
    expect(messages[1]!.text).to.include(`đã được chuyển đến ${AGENCY.name}`);
    expect(messages[1]!.text).to.include('trước ngày 12/05/2027');
    expect(messages[2]!.text).to.include('văn bản số 45/STNMT-TTr ngày 05/05/2027');
    expect(messages[2]!.text).to.include('Kết quả: đã giải quyết.');
  });

  it('sends each notice once when the change is retried', async () => {
    const kase = await intake('petition');
    await inTransaction((session) => noticeCaseReceived(kase._id, session, clock));
    const again = await forwardAndAnswer(String(kase._id));
    expect(again.sent).to.equal(1);
    const { sent } = await (async () => {
      const fact = { by: { id: officer.id, name: OFFICER_NAME }, forwardingId: again.forwarding.id, agencyId: '665f1c2b9a1e4a3b2c1d0e9f', agencyName: AGENCY.name, at: clock.now() };
      return { sent: await inTransaction((session) => noticeForwardingSent([String(kase._id)], fact, session)) };
    })();
    expect(sent).to.equal(0);
    expect(await citizenMessages()).to.have.length(3);
  });

  it('never writes to the filer of a denunciation or a protected case who was not asked or declined, nor to a complainant who declined', async () => {
    for (const kase of [
      await intake('denunciation'),
      await intake('denunciation', { emailNotices: false }),
      await intake('complaint', { protectFilers: true }),
      await intake('complaint', { emailNotices: false }),
    ]) {
      expect(kase.confidential || kase.type === 'complaint').to.equal(true);
      const { sent, answered } = await forwardAndAnswer(String(kase._id));
      expect([sent, answered]).to.deep.equal([0, 0]);
    }
    expect(await citizenMessages()).to.deep.equal([]);
    expect(await OutboxMessageModel.countDocuments({ recipients: FILER.email })).to.equal(0);
  });

  it('writes to a denouncer who agreed, saying only the case number, the step and its date — not their name, the agency, the answer or anyone else', async () => {
    for (const kase of [await intake('denunciation', { emailNotices: true }), await intake('complaint', { protectFilers: true, emailNotices: true })]) {
      expect(kase.confidential).to.equal(true);
      const { forwarding, sent, answered } = await forwardAndAnswer(String(kase._id));
      expect([sent, answered]).to.deep.equal([1, 1]);
      const messages = (await citizenMessages()).filter((m) => String(m.caseId) === String(kase._id));
      expect(messages.map((m) => m.key)).to.deep.equal([
        `citizen:${String(kase._id)}:received:`,
        `citizen:${String(kase._id)}:forwarded:${forwarding.id}`,
        `citizen:${String(kase._id)}:answered:${forwarding.id}-45_STNMT-TTr`,
      ]);
      for (const m of messages) {
        // No name even for the recipient, and the stored data holds nothing the email may not say.
        expect(m.to).to.deep.equal([{ email: FILER.email, name: null }]);
        expect(m.confidentialRecipients).to.equal(true);
        expect(Object.keys(m.data).sort()).to.deep.equal(['caseNumber', 'kind', 'protected', 'stepDate']);
        for (const part of [m.subject, m.text, m.html]) {
          expect(part).to.include(kase.number);
          for (const other of [FILER.name, REPRESENTATIVE.name, REPRESENTATIVE.email, OFFICER_NAME, 'Trần Văn Cán Bộ Sở', ANSWER_TEXT, 'Phan Văn Bị Tố', AGENCY.name, '45/STNMT-TTr', 'đã giải quyết']) {
            expect(part, `${m.key}: ${other}`).not.to.include(other);
          }
        }
        expect(m.text).to.include('Kính gửi ông/bà,');
        expect(m.text).to.include('không nêu nội dung vụ việc, tên cơ quan hay bất kỳ người nào liên quan');
      }
      expect(messages[0]!.text).to.include(`Ngày 10/04/2027, Văn phòng đã tiếp nhận vụ việc của ông/bà, số vụ việc ${kase.number}.`);
      expect(messages[1]!.subject).to.equal(`[Vụ việc ${kase.number}] Vụ việc đã được chuyển đến cơ quan có thẩm quyền`);
      expect(messages[1]!.text).to.include(`Ngày 10/04/2027, Văn phòng đã chuyển vụ việc số ${kase.number} đến cơ quan có thẩm quyền`);
      expect(messages[2]!.text).to.include('Để biết kết quả, ông/bà vui lòng liên hệ trực tiếp Văn phòng.');
    }
  });

  it('writes nothing when the filer has no email, or when the office switched notices off', async () => {
    const noEmail = await intake('complaint', { filerEmail: null });
    await forwardAndAnswer(String(noEmail._id));
    expect(await citizenMessages()).to.deep.equal([]);

    await ReminderPolicyModel.create({ _id: 'reminder-policy', daysBefore: 3, onDueDay: true, everyOverdue: 5, escalateAfter: 2, digestEnabled: true, digestTime: '07:30', citizenNotices: false, updatedAt: clock.now(), updatedBy: { id: officer.id, name: 'x' } });
    const off = await intake('complaint');
    await forwardAndAnswer(String(off._id));
    expect(await citizenMessages()).to.deep.equal([]);
  });
});
