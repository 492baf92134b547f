// The officer's own changes of a forwarding's deadline, through the real app, database and SMTP peer:
// an extension with its reason and document, a suspension and its end, and the decision on an
// agency's request with the office's letter. Each recomputes the stored deadline, keeps the old one in
// the history, writes the case timeline, emails the agency, and shows the same explanation on the
// forwarding page and on the case page. The reminder scan then keys its reminders by the new date.
import crypto from 'node:crypto';
import { expect } from 'chai';
import type { Express } from 'express';
import mongoose, { trusted } from 'mongoose';
import { CaseEventModel } from '../../server/cases/index.js';
import { ForwardingModel } from '../../server/forwarding/index.js';
import { OutboxMessageModel } from '../../server/notifications/index.js';
import { scanReminders } from '../../server/reminders/index.js';
import { buildTestApp, fixedClock, useTestDatabase } from '../support/app.js';
import { csrfFrom, signIn, type Agent } from '../support/http.js';
import { startSmtpPeer, type SmtpPeer } from '../support/smtp.js';
import { APP_CONFIG, START, deliverPendingEmails, sendForwarding, useAgencyMail, type SentForwarding } from './support.js';

/** Vietnam 10:00 on a day of March–April 2027. */
const at = (day: string) => `${day}T03:00:00Z`;
const key = () => crypto.randomBytes(18).toString('base64url');

/** What a browser shows as one line: tags dropped, entities read, spaces collapsed. */
function pageText(html: string): string {
  return html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

async function reminderKeysOf(id: string): Promise<string[]> {
  const found = await OutboxMessageModel.find({ key: trusted({ $regex: `^reminder:${id}:` }) }, { key: 1 }).lean<{ key: string }[]>();
  return found.map((m) => m.key).sort();
}

describe('forwarding deadline: extensions and suspensions by the officer', function () {
  this.timeout(90_000);
  useTestDatabase();
  let peer: SmtpPeer;
  let clock: ReturnType<typeof fixedClock>;
  let app: Express;
  let sent: SentForwarding;

  before(async () => {
    peer = await startSmtpPeer();
    useAgencyMail(peer);
  });
  after(async () => {
    await peer.stop();
  });
  beforeEach(async () => {
    peer.clear();
    clock = fixedClock(START);
    app = buildTestApp({ clock, config: APP_CONFIG }).app;
    // Sent on Tuesday 02/03/2027: 15 working days → Tuesday 23/03/2027.
    sent = await sendForwarding(app, clock, { denunciation: false });
  });

  /** The officer, signed in on `day` (a session does not outlive the app's clock jumping ahead). */
  async function officerOn(day: string): Promise<Agent> {
    clock.set(at(day));
    return signIn(app, sent.officer, { nowMs: clock.now().getTime() });
  }

  async function post(agent: Agent, action: string, fields: Record<string, string>) {
    const page = await agent.get(`/forwardings/${sent.id}`);
    expect(page.status).to.equal(200);
    return agent.post(`/forwardings/${sent.id}/${action}`).type('form').send({ _csrf: csrfFrom(page.text), ...fields });
  }

  it('extends on the office’s initiative: new date, old one in history, explained on both pages, timeline, email, fresh reminders', async () => {
    await deliverPendingEmails(peer, clock); // the forwarding itself
    peer.clear();
    const officer = await officerOn('2027-03-10');
    const res = await post(officer, 'deadline/extend', { extendDays: '10', extendReason: 'Cần xác minh thực địa tại hai xã', extendDocNumber: '12/CV-UBND', extendDocDate: '09/03/2027', extendKey: key() });
    expect(res.status, res.text.slice(0, 500)).to.equal(303);

    const f = await ForwardingModel.findById(sent.id).lean();
    expect(f!.deadline!.dueDate).to.equal('2027-04-06');
    expect(f!.deadlineHistory.map((h) => h.dueDate)).to.deep.equal(['2027-03-23']);
    expect(f!.deadlineHistory[0]!.replacedBy).to.deep.include({ kind: 'extension', days: 10, reason: 'Cần xác minh thực địa tại hai xã', documentNumber: '12/CV-UBND', documentDate: '2027-03-09' });

    const explained = '15 ngày làm việc kể từ 02/03/2027 (chuyển đơn) → 23/03/2027 (bỏ qua 6 ngày nghỉ); gia hạn thêm 10 ngày làm việc (văn bản số 12/CV-UBND ngày 09/03/2027) → 06/04/2027 (bỏ qua 4 ngày nghỉ)';
    const page = pageText((await officer.get(`/forwardings/${sent.id}`)).text);
    expect(page).to.include(explained);
    expect(page).to.include('Hạn 23/03/2027 được gia hạn thêm 10 ngày làm việc (văn bản số 12/CV-UBND ngày 09/03/2027) Lý do: Cần xác minh thực địa tại hai xã');
    const casePage = pageText((await officer.get(`/cases/${sent.caseId}`)).text);
    expect(casePage).to.include(explained);
    expect(casePage).to.include(`Gia hạn thời hạn trả lời của ${sent.agencyName} thêm 10 ngày làm việc: từ 23/03/2027 đến 06/04/2027 (văn bản số 12/CV-UBND ngày 09/03/2027)`);
    expect(casePage).to.include('Lý do: Cần xác minh thực địa tại hai xã');
    // In English, the same steps from the same function.
    await officer.post('/language').type('form').send({ _csrf: csrfFrom((await officer.get('/')).text), lang: 'en' });
    const english = pageText((await officer.get(`/cases/${sent.caseId}`)).text);
    expect(english).to.include('15 working days from 02/03/2027 (forwarded) → 23/03/2027 (6 non-working days skipped); extended by 10 working days (document no. 12/CV-UBND of 09/03/2027) → 06/04/2027 (4 non-working days skipped)');
    expect(english).to.include(`Deadline of ${sent.agencyName} extended by 10 working days: from 23/03/2027 to 06/04/2027 (document no. 12/CV-UBND of 09/03/2027)`);
    await officer.post('/language').type('form').send({ _csrf: csrfFrom((await officer.get('/')).text), lang: 'vi' });

    await deliverPendingEmails(peer, clock);
    const mail = peer.received.find((m) => m.envelope.to.includes(sent.agencyEmail));
    expect(mail?.parsed.subject).to.match(/Thay đổi thời hạn trả lời$/);
    expect(mail!.parsed.text).to.include('Văn phòng gia hạn thời hạn trả lời thêm 10 ngày làm việc; thời hạn trả lời mới là ngày 06/04/2027.');
    expect(mail!.parsed.text).to.include('Căn cứ: văn bản số 12/CV-UBND ngày 09/03/2027.');
    expect(mail!.parsed.text).to.include('Lý do: Cần xác minh thực địa tại hai xã');

    // The old date owes nothing any more; the new one gets its own reminder.
    await scanReminders(new Date(at('2027-03-23')));
    expect(await reminderKeysOf(sent.id)).to.deep.equal([]);
    await scanReminders(new Date(at('2027-04-06')));
    expect(await reminderKeysOf(sent.id)).to.deep.equal([`reminder:${sent.id}:due:2027-04-06`]);
  });

  it('a suspension stops the clock (no reminder, not overdue); its end moves the deadline by the working days it took', async () => {
    let officer = await officerOn('2027-03-10');
    const started = await post(officer, 'deadline/suspend', { suspendFrom: '10/03/2027', suspendReason: 'Chờ kết quả giám định', suspendDocNumber: '5/QĐ-UBND', suspendDocDate: '09/03/2027', suspendKey: key() });
    expect(started.status, started.text.slice(0, 500)).to.equal(303);
    let f = await ForwardingModel.findById(sent.id).lean();
    expect(f!.deadline!.dueDate).to.equal('2027-03-23');
    expect(f!.suspension).to.deep.include({ from: '2027-03-10', reason: 'Chờ kết quả giám định', documentNumber: '5/QĐ-UBND', documentDate: '2027-03-09' });
    const casePage = pageText((await officer.get(`/cases/${sent.caseId}`)).text);
    expect(casePage).to.include(`Tạm đình chỉ thời hạn trả lời của ${sent.agencyName} từ ngày 10/03/2027 (văn bản số 5/QĐ-UBND ngày 09/03/2027)`);
    expect(casePage).to.include('Tạm đình chỉ từ 10/03/2027');

    // Past the old due date while suspended: not overdue, and the scan sends nothing.
    officer = await officerOn('2027-03-25');
    const overdue = pageText((await officer.get('/forwardings?overdue=1')).text);
    expect(overdue).to.include('Không có phiếu chuyển đơn nào phù hợp.');
    await scanReminders(clock.now());
    expect(await reminderKeysOf(sent.id)).to.deep.equal([]);

    // Suspended from Wednesday 10/03 to Tuesday 16/03: 5 working days back, from 23/03 → 30/03.
    const ended = await post(officer, 'deadline/resume', { resumeTo: '16/03/2027', resumeKey: key() });
    expect(ended.status, ended.text.slice(0, 500)).to.equal(303);
    f = await ForwardingModel.findById(sent.id).lean();
    expect(f!.suspension).to.equal(null);
    expect(f!.deadline!.dueDate).to.equal('2027-03-30');
    expect(f!.deadlineHistory[0]!.replacedBy).to.deep.include({ kind: 'suspension', from: '2027-03-10', to: '2027-03-16', days: 5, documentNumber: '5/QĐ-UBND' });

    const explained = '15 ngày làm việc kể từ 02/03/2027 (chuyển đơn) → 23/03/2027 (bỏ qua 6 ngày nghỉ); tạm đình chỉ từ 10/03/2027 đến 16/03/2027, cộng thêm 5 ngày làm việc (văn bản số 5/QĐ-UBND ngày 09/03/2027) → 30/03/2027 (bỏ qua 2 ngày nghỉ)';
    expect(pageText((await officer.get(`/forwardings/${sent.id}`)).text)).to.include(explained);
    const after = pageText((await officer.get(`/cases/${sent.caseId}`)).text);
    expect(after).to.include(explained);
    expect(after).to.include(`Kết thúc tạm đình chỉ thời hạn của ${sent.agencyName} (từ 10/03/2027 đến hết 16/03/2027): cộng thêm 5 ngày làm việc, hạn trả lời mới 30/03/2027`);

    const emails = await OutboxMessageModel.find({ key: trusted({ $regex: `^forwarding:${sent.id}:deadline:` }) }).sort({ createdAt: 1 }).lean();
    expect(emails.map((e) => e.subject)).to.deep.equal(['[1/PC-VP] Thay đổi thời hạn trả lời', '[1/PC-VP] Thay đổi thời hạn trả lời']);
    expect(emails[0]!.text).to.include('Văn phòng tạm đình chỉ thời hạn trả lời kể từ ngày 10/03/2027.');
    expect(emails[1]!.text).to.include('thời hạn trả lời được cộng thêm 5 ngày làm việc, thời hạn mới là ngày 30/03/2027.');
    expect(await CaseEventModel.countDocuments({ caseId: new mongoose.Types.ObjectId(sent.caseId), type: trusted({ $in: ['forwarding.suspended', 'forwarding.resumed'] }) })).to.equal(2);

    await scanReminders(new Date(at('2027-03-30')));
    expect(await reminderKeysOf(sent.id)).to.deep.equal([`reminder:${sent.id}:due:2027-03-30`]);
  });

  it('deciding an agency’s request records the office’s letter and reason, in the history, the event and the explanation', async () => {
    const requestId = new mongoose.Types.ObjectId();
    await ForwardingModel.updateOne({ _id: sent.id }, { $push: { extensionRequests: { _id: requestId, requestedAt: clock.now(), days: 5, reason: 'Cần thêm thời gian họp liên ngành', requesterName: 'Văn thư', decision: null } } });
    const officer = await officerOn('2027-03-10');
    const halfCited = await post(officer, `extensions/${String(requestId)}`, { decision: 'granted', days: '', note: 'Đồng ý', decisionDocNumber: '30/VP-TCD', decisionDocDate: '' });
    expect(halfCited.status).to.equal(422);
    expect(halfCited.text).to.include('Hãy nhập ngày của văn bản.');
    expect(halfCited.text).to.include('value="30/VP-TCD"');

    const res = await post(officer, `extensions/${String(requestId)}`, { decision: 'granted', days: '', note: 'Đồng ý để Sở họp liên ngành', decisionDocNumber: '30/VP-TCD', decisionDocDate: '10/03/2027' });
    expect(res.status, res.text.slice(0, 500)).to.equal(303);
    const f = await ForwardingModel.findById(sent.id).lean();
    expect(f!.deadline!.dueDate).to.equal('2027-03-30');
    expect(f!.extensionRequests[0]).to.deep.include({ decision: 'granted', decisionDocumentNumber: '30/VP-TCD', decisionDocumentDate: '2027-03-10' });
    expect(f!.deadlineHistory[0]!.replacedBy).to.deep.include({ days: 5, reason: 'Đồng ý để Sở họp liên ngành', documentNumber: '30/VP-TCD', documentDate: '2027-03-10' });
    const event = await CaseEventModel.findOne({ type: 'forwarding.extension-decided' }).lean<{ data: Record<string, unknown> }>();
    expect(event!.data).to.deep.include({ decision: 'granted', reason: 'Đồng ý để Sở họp liên ngành', docNumber: '30/VP-TCD', docDate: '2027-03-10', due: '2027-03-30' });

    const casePage = pageText((await officer.get(`/cases/${sent.caseId}`)).text);
    expect(casePage).to.include(`Đồng ý đề nghị gia hạn của ${sent.agencyName}: thêm 5 ngày làm việc, hạn trả lời mới 30/03/2027 (văn bản số 30/VP-TCD ngày 10/03/2027)`);
    expect(casePage).to.include('gia hạn thêm 5 ngày làm việc (văn bản số 30/VP-TCD ngày 10/03/2027) → 30/03/2027 (bỏ qua 2 ngày nghỉ)');
  });
});
