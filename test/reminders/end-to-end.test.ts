// The citizen's three notices end to end, through the real screens only: an officer logs a walk-in
// (with the filer's answer about email notices), forwards the case, the agency answers through the
// link it found in its own email, and every email leaves through the outbox sender to a real SMTP
// peer, where it is parsed. A denouncer who agreed gets notices that name nobody; one who declined
// gets nothing; the email log shows what was sent, and hides a denouncer's address from staff who may
// not see denouncers.
import { expect } from 'chai';
import type { Express } from 'express';
import mongoose from 'mongoose';
import supertest from 'supertest';
import { AgencyModel } from '../../server/agencies/index.js';
import { CaseModel } from '../../server/cases/index.js';
import { createOutboxSender, OutboxMessageModel } from '../../server/notifications/index.js';
import { foldVietnamese } from '../../server/platform/text.js';
import { ReceptionModel } from '../../server/receptions/index.js';
import { listActiveCommunes, listActiveFields } from '../../server/reference/index.js';
import { seedBaseData } from '../../server/seed.js';
import { samplePdf } from '../attachments/samples.js';
import { mailConfig, silentLogger, TEST_BASE_URL, useMailSettings } from '../notifications/support.js';
import { buildTestApp, fixedClock, useTestDatabase } from '../support/app.js';
import { createTestUser, type TestUser } from '../support/factories.js';
import { csrfFrom, signIn, type Agent } from '../support/http.js';
import { postWalkIn, walkInFields } from '../support/intake.js';
import { startSmtpPeer, type ReceivedMail, type SmtpPeer } from '../support/smtp.js';

/** Tuesday 02/03/2027, 10:00 in Vietnam. */
const START = '2027-03-02T03:00:00Z';
const clock = fixedClock(START);
const OFFICE_CONTACT = 'Số 1 Hùng Vương, Đông Hà · ĐT 0233 3852 000';
const AGENCY = { name: 'Sở Nông nghiệp và Môi trường', email: 'vanthu@snnmt.test.gov.vn' };
const OFFICER_NAME = 'Lê Văn Chuyên Viên';
const RESPONDER = 'Trần Văn Giám Đốc';
const ANSWER_NUMBER = '123/SNN-TTr';
const DENOUNCED = 'Phan Văn Bị Tố';
const COMPANION = 'Lê Thị Đi Cùng';
const DENOUNCER = { name: 'Trịnh Thị Kín Đáo', citizenId: '045185067890', email: 'kindao@example.vn' };
const WITHHELD = '[bảo mật — confidential]';

describe('citizen notices end to end: walk-in, forwarding and the agency’s answer, delivered by SMTP', function () {
  this.timeout(120_000);
  useTestDatabase();
  let peer: SmtpPeer;
  let app: Express;
  let officer: TestUser;
  let officerAgent: Agent;
  let common: Record<string, string>;

  before(async () => {
    peer = await startSmtpPeer();
  });
  after(async () => {
    await peer.stop();
  });

  beforeEach(async () => {
    peer.clear();
    // Process-wide settings, set here rather than inherited from whichever test file ran before:
    // forwarding without approval (the app's config), emails rendered with the test office's details.
    app = buildTestApp({ clock, config: { FORWARDING_APPROVAL: 'none', OFFICE_CONTACT } }).app;
    useMailSettings(mailConfig({ OFFICE_CONTACT, SMTP_URL: peer.url }));
    await seedBaseData(clock);
    await AgencyModel.create({ name: AGENCY.name, nameFolded: foldVietnamese(AGENCY.name), level: 'province', contacts: [{ email: AGENCY.email, name: 'Văn thư Sở', role: 'to' }], source: 'admin' });
    officer = await createTestUser({ role: 'officer', name: OFFICER_NAME });
    officerAgent = await signIn(app, officer);
    const [communes, fields] = await Promise.all([listActiveCommunes(), listActiveFields()]);
    common = { date: '01/03/2027', unitCode: communes[0]!.code, fieldCode: fields[0]!.code, caseChoice: 'new', personChoice: 'new' };
  });

  /** Runs the outbox sender once: every queued email that is due goes to the peer. */
  async function deliver(): Promise<void> {
    const sender = createOutboxSender({ config: mailConfig({ SMTP_URL: peer.url }), clock, logger: silentLogger });
    try {
      await sender.runOnce();
    } finally {
      sender.close();
    }
  }

  const mailsTo = (address: string): ReceivedMail[] => peer.received.filter((m) => m.envelope.to.includes(address));

  async function walkIn(fields: Record<string, string>): Promise<{ caseId: string; number: string }> {
    const res = await postWalkIn(officerAgent, walkInFields({ ...common, ...fields }));
    expect(res.status, res.text.slice(0, 300)).to.equal(303);
    const caseId = /\/cases\/([a-f0-9]{24})/.exec(res.headers.location ?? '')![1]!;
    const kase = await CaseModel.findById(caseId, { number: 1 }).lean();
    return { caseId, number: kase!.number };
  }

  /** Forwards the case through the officer's form (sent at once: no approval), and delivers the emails. */
  async function forward(caseId: string): Promise<void> {
    const agency = await AgencyModel.findOne({ name: AGENCY.name }).lean();
    const form = await officerAgent.get(`/forwardings/new?case=${caseId}`);
    expect(form.status).to.equal(200);
    const submissionKey = /name="submissionKey" value="([^"]+)"/.exec(form.text)![1]!;
    const sent = await officerAgent.post('/forwardings').type('form').send({ _csrf: csrfFrom(form.text), submissionKey, caseIds: caseId, agencyIds: String(agency!._id) });
    expect(sent.status, sent.text.slice(0, 300)).to.equal(303);
    await deliver();
  }

  /** The agency opens the link from the email it received and answers, naming its responder; then the emails go. */
  async function answerAsAgency(answerText: string): Promise<void> {
    const mail = mailsTo(AGENCY.email).at(-1);
    expect(mail, 'the forwarding reached the agency').to.not.equal(undefined);
    const path = new RegExp(`${TEST_BASE_URL.replace(/\./g, '\\.')}(/a/[A-Za-z0-9_-]{43})`).exec(mail!.parsed.text ?? '')![1]!;
    const agency = supertest.agent(app);
    const landing = await agency.get(path);
    expect(landing.status).to.equal(200);
    expect((await agency.post(path).type('form').send({ _csrf: csrfFrom(landing.text) })).status).to.equal(303);
    const page = await agency.get('/agency');
    let req = agency.post('/agency/answer').field('_csrf', csrfFrom(page.text));
    const fields = { submissionKey: 'e'.repeat(32), documentNumber: ANSWER_NUMBER, documentDate: '02/03/2027', responderName: RESPONDER, responderPosition: 'Giám đốc Sở', outcome: 'resolved', expectedDate: '', competentAgency: '', text: answerText };
    for (const [name, value] of Object.entries(fields)) req = req.field(name, value);
    const answered = await req.attach('files', samplePdf(200), 'Văn bản trả lời.pdf');
    expect(answered.status, answered.text.slice(0, 300)).to.equal(303);
    await deliver();
  }

  /** Everything a reader of the email sees, in one string. */
  const whole = (m: ReceivedMail) => [m.parsed.subject ?? '', m.parsed.text ?? '', String(m.parsed.html || ''), m.raw.toString('utf8')].join('\n');

  it('a complainant who agreed receives the receipt, forwarding and answer notices, and the case page lists them as sent', async () => {
    const filer = { name: 'Võ Thị Có Thư', email: 'cothu@example.vn' };
    const { caseId, number } = await walkIn({ name: filer.name, citizenId: '', email: filer.email, notices: 'yes', content: 'Khiếu nại việc chậm cấp giấy chứng nhận quyền sử dụng đất' });
    expect((await CaseModel.findById(caseId).lean())!.parties[0]).to.include({ role: 'filer', emailNotices: true });
    await deliver();
    await forward(caseId);
    await answerAsAgency(`Sở đã kiểm tra; ông ${DENOUNCED} đã được kiểm điểm.`);

    const notices = mailsTo(filer.email);
    expect(notices.map((m) => m.parsed.subject)).to.deep.equal([
      `[Vụ việc ${number}] Văn phòng đã tiếp nhận đơn của ông/bà`,
      `[Vụ việc ${number}] Đơn của ông/bà đã được chuyển đến cơ quan có thẩm quyền`,
      `[Vụ việc ${number}] Cơ quan có thẩm quyền đã trả lời về đơn của ông/bà`,
    ]);
    for (const m of notices) {
      expect(m.envelope.to).to.deep.equal([filer.email]);
      expect(m.parsed.cc).to.equal(undefined);
      expect(m.parsed.text).to.include(`Kính gửi: ${filer.name},`);
      expect(m.parsed.text).to.include(OFFICE_CONTACT);
      for (const other of [OFFICER_NAME, RESPONDER, DENOUNCED]) expect(whole(m), other).not.to.include(other);
    }
    expect(notices[0]!.parsed.text).to.include(`Văn phòng đã tiếp nhận đơn, kiến nghị của ông/bà ngày 01/03/2027, số vụ việc ${number}.`);
    expect(notices[1]!.parsed.text).to.include(`Vụ việc số ${number} của ông/bà đã được chuyển đến ${AGENCY.name}`);
    expect(notices[1]!.parsed.text).to.match(/trả lời trước ngày \d{2}\/\d{2}\/2027/);
    expect(notices[2]!.parsed.text).to.include(`${AGENCY.name} đã có văn bản số ${ANSWER_NUMBER} ngày 02/03/2027 trả lời về vụ việc số ${number} của ông/bà.`);
    expect(notices[2]!.parsed.text).to.include('Kết quả: đã giải quyết.');

    // The office's log: three notices, all accepted by the SMTP server, on the case's page.
    const logged = await OutboxMessageModel.find({ caseId: new mongoose.Types.ObjectId(caseId), template: 'citizen-notice' }).sort({ createdAt: 1, _id: 1 }).lean();
    expect(logged.map((m) => [m.status, m.recipients])).to.deep.equal(Array.from({ length: 3 }, () => ['sent', [filer.email]]));
    const page = await officerAgent.get(`/cases/${caseId}`);
    for (const m of notices) expect(page.text).to.include(m.parsed.subject!);
    expect(page.text.split(filer.email).length - 1, 'the address in each row').to.be.at.least(3);
  });

  it('a denouncer who agreed receives the three notices, none naming the denounced person, the others, the agency or the responder', async () => {
    const content = `Tố cáo ông ${DENOUNCED}, cán bộ địa chính xã, nhận tiền để hợp thức hoá đất lấn chiếm`;
    const { caseId, number } = await walkIn({ type: 'denunciation', ...DENOUNCER, notices: 'yes', extra1Name: COMPANION, extra1CitizenId: '', peopleCount: '2', content });
    await deliver();
    await forward(caseId);
    await answerAsAgency(`Sở đã xác minh; ông ${DENOUNCED} đã bị kỷ luật khiển trách.`);

    const notices = mailsTo(DENOUNCER.email);
    expect(notices.map((m) => m.parsed.subject)).to.deep.equal([
      `[Vụ việc ${number}] Văn phòng đã tiếp nhận vụ việc`,
      `[Vụ việc ${number}] Vụ việc đã được chuyển đến cơ quan có thẩm quyền`,
      `[Vụ việc ${number}] Đã có văn bản trả lời về vụ việc`,
    ]);
    for (const m of notices) {
      expect(m.envelope.to).to.deep.equal([DENOUNCER.email]);
      expect(m.parsed.to && !Array.isArray(m.parsed.to) ? m.parsed.to.value.map((a) => [a.address, a.name]) : null).to.deep.equal([[DENOUNCER.email, '']]);
      expect(m.parsed.text).to.include('Kính gửi ông/bà,');
      expect(m.parsed.text).to.include(OFFICE_CONTACT);
      for (const other of [DENOUNCED, COMPANION, DENOUNCER.name, DENOUNCER.citizenId, AGENCY.name, RESPONDER, ANSWER_NUMBER, OFFICER_NAME, 'địa chính', 'tố cáo', 'Tố cáo']) {
        expect(whole(m), `${m.parsed.subject}: ${other}`).not.to.include(other);
      }
    }
    expect(notices[0]!.parsed.text).to.include(`Ngày 01/03/2027, Văn phòng đã tiếp nhận vụ việc của ông/bà, số vụ việc ${number}.`);
    expect(notices[1]!.parsed.text).to.include(`Ngày 02/03/2027, Văn phòng đã chuyển vụ việc số ${number} đến cơ quan có thẩm quyền`);
    expect(notices[2]!.parsed.text).to.include(`Ngày 02/03/2027, Văn phòng đã nhận được văn bản trả lời của cơ quan có thẩm quyền về vụ việc số ${number}.`);

    // The log shows the three notices as sent; an officer who may not see denouncers sees them
    // without the address, a leader (who may) sees it, and a search by the address finds them only
    // for the leader.
    const logged = await OutboxMessageModel.find({ caseId: new mongoose.Types.ObjectId(caseId), template: 'citizen-notice' }).lean();
    expect(logged.map((m) => m.status)).to.deep.equal(['sent', 'sent', 'sent']);
    const casePage = await officerAgent.get(`/cases/${caseId}`);
    for (const m of notices) expect(casePage.text).to.include(m.parsed.subject!);
    expect(casePage.text).to.include(WITHHELD);
    expect(casePage.text).not.to.include(DENOUNCER.email);
    const message = await officerAgent.get(`/emails/${String(logged[0]!._id)}`);
    expect(message.status).to.equal(200);
    expect(message.text).to.include(WITHHELD);
    expect(message.text).not.to.include(DENOUNCER.email);

    const leader = await signIn(app, await createTestUser({ role: 'leader' }), { nowMs: Date.parse(START) });
    expect((await leader.get(`/cases/${caseId}`)).text).to.include(DENOUNCER.email);
    const leaderSearch = await leader.get(`/admin/emails?recipient=${encodeURIComponent(DENOUNCER.email)}`);
    expect(leaderSearch.status).to.equal(200);
    const rows = (html: string) => html.split('href="/emails/').length - 1;
    expect(rows(leaderSearch.text), 'rows found for the leader').to.equal(3);
    const admin = await signIn(app, await createTestUser({ role: 'admin' }), { nowMs: Date.parse(START) });
    const adminSearch = await admin.get(`/admin/emails?recipient=${encodeURIComponent(DENOUNCER.email)}`);
    expect(adminSearch.status).to.equal(200);
    expect(rows(adminSearch.text), 'rows found for the administrator').to.equal(0);
    const adminList = await admin.get('/admin/emails?template=citizen-notice');
    expect(rows(adminList.text)).to.equal(3);
    expect(adminList.text).to.include(WITHHELD);
    expect(adminList.text).not.to.include(DENOUNCER.email);
  });

  it('a denouncer who was not asked cannot be saved; one who declined gets no email at any step', async () => {
    const fields = { type: 'denunciation', ...DENOUNCER, content: `Tố cáo ông ${DENOUNCED} nhận tiền khi làm thủ tục đất đai` };
    const unasked = await postWalkIn(officerAgent, walkInFields({ ...common, ...fields }));
    expect(unasked.status).to.equal(422);
    expect(unasked.text).to.include('href="#notices"');
    expect(unasked.text).to.include('Đơn tố cáo có email của người tố cáo: hãy hỏi và ghi rõ người tố cáo có đồng ý nhận thông báo qua email hay không');
    expect(unasked.text).to.include(`value="${DENOUNCER.email}"`);
    expect(unasked.text).to.include(`value="${DENOUNCER.name}"`);
    expect([await CaseModel.countDocuments(), await ReceptionModel.countDocuments()]).to.deep.equal([0, 0]);

    const { caseId } = await walkIn({ ...fields, notices: 'no' });
    expect((await CaseModel.findById(caseId).lean())!.parties[0]).to.include({ role: 'filer', emailNotices: false });
    await deliver();
    await forward(caseId);
    await answerAsAgency('Sở đã xác minh và xử lý theo quy định.');

    expect(mailsTo(AGENCY.email).length, 'the agency still got its emails').to.be.at.least(1);
    expect(mailsTo(DENOUNCER.email)).to.deep.equal([]);
    expect(await OutboxMessageModel.countDocuments({ $or: [{ recipients: DENOUNCER.email }, { template: 'citizen-notice' }] })).to.equal(0);
  });
});
