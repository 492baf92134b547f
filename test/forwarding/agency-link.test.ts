// The agency's secure link over HTTP, with the token taken from the email a real SMTP server
// received: the landing page changes nothing, Continue starts a session scoped to one forwarding
// and drops the token from the address, refused links (unknown, expired, revoked, closed, foreign)
// answer clearly, the token is stored nowhere, a denouncer appears nowhere the agency can read, and
// every use is logged.
import crypto from 'node:crypto';
import { expect } from 'chai';
import mongoose from 'mongoose';
import supertest from 'supertest';
import { ForwardingLinkModel, ForwardingModel, LinkAccessModel, revokeLinks } from '../../server/forwarding/index.js';
import { loadActor } from '../../server/users/index.js';
import { buildTestApp, fixedClock, useTestDatabase } from '../support/app.js';
import { csrfFrom } from '../support/http.js';
import { extractPdfText } from '../support/pdf.js';
import { startSmtpPeer, type SmtpPeer } from '../support/smtp.js';
import { APP_CONFIG, DENOUNCER, INTERNAL_NOTE, OFFICE_CONTACT, START, countIn, openAgencySession, sendForwarding, sendPendingEmailsAndGetLink, useAgencyMail } from './support.js';

const binary = (res: supertest.Response, callback: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => callback(null, Buffer.concat(chunks)));
};

/** Every way the denouncer could be written: as typed, without diacritics, the bare CCCD. */
function expectNoDenouncer(text: string, where: string): void {
  const folded = text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase();
  expect(text, where).to.not.contain(DENOUNCER.name);
  expect(folded, where).to.not.contain('trinh thi kin dao');
  expect(folded, where).to.not.contain('kin dao');
  expect(text, where).to.not.contain(DENOUNCER.citizenId);
}

describe('agency link: landing, session and refusals', function () {
  this.timeout(60_000);
  useTestDatabase();
  let peer: SmtpPeer;

  before(async () => {
    peer = await startSmtpPeer();
    useAgencyMail(peer);
  });
  after(async () => {
    await peer.stop();
  });
  beforeEach(() => peer.clear());

  async function setUp() {
    const clock = fixedClock(START);
    const { app } = buildTestApp({ clock, config: APP_CONFIG });
    const sent = await sendForwarding(app, clock);
    const link = await sendPendingEmailsAndGetLink(peer, clock, sent.agencyEmail);
    return { app, clock, sent, link };
  }

  it('shows a landing page that changes nothing but the access log, with no-referrer, no-store and noindex', async () => {
    const { app, sent, link } = await setUp();
    const before = { forwardings: await countIn('forwardings'), answers: await countIn('forwarding_answers'), events: await countIn('case_events'), access: await countIn('forwarding_link_access') };
    const stateBefore = await ForwardingModel.findById(sent.id).lean();

    const res = await supertest(app).get(link.path).set('User-Agent', 'MailScanner/1.0');
    expect(res.status).to.equal(200);
    expect(res.headers['referrer-policy']).to.equal('no-referrer');
    expect(res.headers['cache-control']).to.equal('no-store');
    expect(res.headers['x-robots-tag']).to.contain('noindex');
    expect(res.text).to.contain(APP_CONFIG.OFFICE_NAME);
    expect(res.text).to.contain(sent.agencyName);
    expect(res.text).to.contain(`action="${link.path}"`);
    expect(res.text).to.contain('Tiếp tục');
    // No staff navigation on an agency page.
    expect(res.text).to.not.contain('govuk-service-navigation');

    expect(await countIn('forwardings')).to.equal(before.forwardings);
    expect(await countIn('forwarding_answers')).to.equal(before.answers);
    expect(await countIn('case_events')).to.equal(before.events);
    expect(await countIn('forwarding_link_access')).to.equal(before.access + 1);
    const stateAfter = await ForwardingModel.findById(sent.id).lean();
    expect(stateAfter).to.deep.equal(stateBefore);
    const logged = await LinkAccessModel.findOne({ action: 'landing' }).lean();
    expect(String(logged?.forwardingId)).to.equal(sent.id);
    expect(logged?.userAgent).to.equal('MailScanner/1.0');
    expect(logged?.ip).to.match(/127\.0\.0\.1/);
  });

  it('Continue redirects to /agency without the token, and the page shows the redacted matter and no internal data', async () => {
    const { app, sent, link } = await setUp();
    const agent = await openAgencySession(app, link.path);
    const page = await agent.get('/agency').set('User-Agent', 'AgencyBrowser/2.0 (So Thu Nghiem)');
    expect(page.status).to.equal(200);
    expect(page.headers['referrer-policy']).to.equal('no-referrer');
    expect(page.headers['cache-control']).to.equal('no-store');
    expect(page.text).to.not.contain(link.token);
    expect(page.text).to.contain('tố cáo cán bộ địa chính xã nhận tiền');
    expect(page.text).to.contain('[đã ẩn]');
    expect(page.text).to.contain('Đề nghị Sở xem xét, giải quyết theo thẩm quyền');
    expect(page.text).to.contain(OFFICE_CONTACT);
    expect(page.text).to.contain('Phạm Văn Lãnh Đạo'); // the signer
    // The due date with how it was counted, in the words of the office's own pages.
    const f = await ForwardingModel.findById(sent.id).lean();
    const ddmmyyyy = (iso: string) => iso.split('-').reverse().join('/');
    expect(page.text).to.contain(`<strong>${ddmmyyyy(f!.deadline!.dueDate)}</strong>`);
    const explained = /data-deadline-explained>([^<]*)</.exec(page.text)?.[1] ?? '';
    expect(explained).to.contain(`${Math.abs(f!.deadline!.days)} ngày`).and.contain(ddmmyyyy(f!.deadline!.startDate));
    expect(page.text).to.not.contain(INTERNAL_NOTE);
    expect(page.text).to.not.contain(sent.caseId);
    expect(page.text).to.not.contain('Lê Văn Chuyên Viên'); // the drafting officer
    expect(page.text).to.not.contain('govuk-service-navigation');
    expectNoDenouncer(page.text, 'agency page');

    const actions = await LinkAccessModel.find({ forwardingId: new mongoose.Types.ObjectId(sent.id) }).sort({ at: 1, _id: 1 }).lean();
    expect(actions.map((a) => a.action)).to.deep.equal(['landing', 'continue', 'page']);
    expect(actions[2]!.userAgent).to.equal('AgencyBrowser/2.0 (So Thu Nghiem)');
  });

  it('gives the agency a new session id on Continue (no fixation)', async () => {
    const { app, link } = await setUp();
    const agent = supertest.agent(app);
    const landing = await agent.get(link.path);
    const before = /dn\.sid=([^;]+)/.exec(String(landing.headers['set-cookie'] ?? ''))?.[1];
    const res = await agent.post(link.path).type('form').send({ _csrf: csrfFrom(landing.text) });
    const after = /dn\.sid=([^;]+)/.exec(String(res.headers['set-cookie'] ?? ''))?.[1];
    expect(before).to.be.a('string');
    expect(after).to.be.a('string');
    expect(after).to.not.equal(before);
  });

  it('answers an unknown or malformed token with 404 and no reason, and logs the refusal', async () => {
    const { app } = await setUp();
    for (const path of ['/a/' + 'x'.repeat(43), '/a/short', '/a/%24ne']) {
      const res = await supertest(app).get(path);
      expect(res.status, path).to.equal(404);
      expect(res.headers['referrer-policy']).to.equal('no-referrer');
      expect(res.text).to.contain('Liên kết không hợp lệ');
      expect(res.text).to.contain(OFFICE_CONTACT);
      expect(res.text).to.not.contain('hết hạn');
      expect(res.text).to.not.contain('thu hồi');
    }
    const refusals = await LinkAccessModel.find({ action: 'refused' }).lean();
    expect(refusals.map((r) => r.refusal)).to.deep.equal(['unknown', 'unknown', 'unknown']);
  });

  it('refuses an expired link with 410, on the landing page and inside a session', async () => {
    const { app, clock, sent, link } = await setUp();
    const agent = await openAgencySession(app, link.path);
    const stored = await ForwardingLinkModel.findOne({ forwardingId: new mongoose.Types.ObjectId(sent.id) }).lean();
    clock.set(new Date(stored!.expiresAt.getTime() + 1000));
    const landing = await supertest(app).get(link.path);
    expect(landing.status).to.equal(410);
    expect(landing.text).to.contain('Liên kết đã hết hạn');
    expect(landing.text).to.contain(OFFICE_CONTACT);
    // The session itself has expired by now too (it lasts AGENCY_SESSION_MINUTES).
    const page = await agent.get('/agency');
    expect(page.status).to.equal(401);
    expect(page.text).to.contain('Phiên làm việc đã hết, hãy mở lại liên kết trong thư.');
  });

  it('ends an open session with 410 when its link expires during the session', async () => {
    const { app, clock, sent, link } = await setUp();
    const agent = await openAgencySession(app, link.path);
    await ForwardingLinkModel.updateOne({ forwardingId: new mongoose.Types.ObjectId(sent.id) }, { $set: { expiresAt: new Date(clock.now().getTime() + 60_000) } });
    clock.advance(120_000);
    const page = await agent.get('/agency');
    expect(page.status).to.equal(410);
    expect(page.text).to.contain('Liên kết đã hết hạn');
  });

  it('ends the session at once when the office revokes the link', async () => {
    const { app, clock, sent, link } = await setUp();
    const agent = await openAgencySession(app, link.path);
    expect((await agent.get('/agency')).status).to.equal(200);
    await revokeLinks((await loadActor(sent.officer.id))!, sent.id, 'Gửi nhầm địa chỉ', { clock });
    const page = await agent.get('/agency');
    expect(page.status).to.equal(410);
    expect(page.text).to.contain('Liên kết đã bị thu hồi');
    // The access was removed from the session: still refused, now as an ended session.
    expect((await agent.get('/agency')).status).to.equal(401);
    const fresh = supertest.agent(app);
    const landing = await fresh.get(link.path);
    expect(landing.status).to.equal(410);
    // Continue with a valid form token is refused the same way, and grants nothing.
    const cont = await fresh.post(link.path).type('form').send({ _csrf: csrfFrom(landing.text) });
    expect(cont.status).to.equal(410);
    expect((await fresh.get('/agency')).status).to.equal(401);
  });

  it("scopes a session to its own forwarding: another forwarding's token never acts on this one", async () => {
    const { app, clock, sent, link } = await setUp();
    const other = await sendForwarding(app, clock, { reuse: { officer: sent.officer, officerAgent: sent.officerAgent, leader: sent.leader }, agencyName: 'Thanh tra tỉnh Thử', denunciation: false });
    const otherLink = await sendPendingEmailsAndGetLink(peer, clock, other.agencyEmail);
    expect(otherLink.token).to.not.equal(link.token);

    const agent = await openAgencySession(app, otherLink.path);
    const page = await agent.get('/agency');
    expect(page.text).to.contain('Thanh tra tỉnh Thử');
    expect(page.text).to.not.contain(sent.agencyName);
    const confirm = await agent.post('/agency/confirm').type('form').send({ _csrf: csrfFrom(page.text) });
    expect(confirm.status).to.equal(303);
    const mine = await ForwardingModel.findById(sent.id).lean();
    const theirs = await ForwardingModel.findById(other.id).lean();
    expect(mine!.acknowledgedAt).to.equal(null);
    expect(mine!.status).to.equal('sent');
    expect(theirs!.status).to.equal('acknowledged');
  });

  it('refuses a closed forwarding: the landing page says so (410) and an open session may no longer act', async () => {
    const { app, sent, link } = await setUp();
    const agent = await openAgencySession(app, link.path);
    await ForwardingModel.updateOne({ _id: new mongoose.Types.ObjectId(sent.id) }, { $set: { status: 'closed', closure: 'satisfied' } });
    const landing = await supertest(app).get(link.path);
    expect(landing.status).to.equal(410);
    expect(landing.text).to.contain('Việc chuyển đơn đã kết thúc');

    const page = await agent.get('/agency');
    expect(page.status).to.equal(200);
    expect(page.text).to.not.contain('action="/agency/answer"');
    const res = await agent.post('/agency/extension').type('form').send({ _csrf: csrfFrom(page.text), days: '10', reason: 'Cần thêm thời gian xác minh', requesterName: 'Trần Văn Sở' });
    expect(res.status).to.equal(409);
    expect(res.text).to.contain('cho đến khi Văn phòng kết thúc việc chuyển đơn');
    expect((await ForwardingModel.findById(sent.id).lean())!.extensionRequests).to.have.length(0);
  });

  it('never stores the token: no collection holds it raw, as hex or as base64', async () => {
    const { app, link } = await setUp();
    // Use it as the agency would, so every collection it might touch has been written to.
    const agent = await openAgencySession(app, link.path);
    const page = await agent.get('/agency');
    await agent.post('/agency/confirm').type('form').send({ _csrf: csrfFrom(page.text) });

    const bytes = Buffer.from(link.token, 'base64url');
    expect(bytes).to.have.length(32);
    const forms = [link.token, bytes.toString('hex'), bytes.toString('base64'), bytes.toString('base64').replace(/=+$/, ''), Buffer.from(link.token).toString('base64'), Buffer.from(link.token).toString('hex')];
    const db = mongoose.connection.db!;
    // The scan does see what is stored: the token's SHA-256 is there (that is what is kept).
    const hash = crypto.createHash('sha256').update(link.token).digest('hex');
    let hashSeen = false;
    const collections = await db.listCollections({}, { nameOnly: true }).toArray();
    expect(collections.map((c) => c.name)).to.include.members(['forwardings', 'forwarding_links', 'forwarding_link_access', 'outbox_messages', 'sessions']);
    for (const { name } of collections) {
      for (const doc of await db.collection(name).find({}).toArray()) {
        const text = JSON.stringify(doc, (_k, v: unknown) => (v instanceof mongoose.mongo.Binary ? Buffer.from(v.buffer).toString('base64') + Buffer.from(v.buffer).toString('latin1') : v));
        for (const form of forms) expect(text.includes(form), `${form} found in ${name}`).to.equal(false);
        hashSeen ||= name === 'forwarding_links' && text.includes(hash);
      }
    }
    expect(hashSeen).to.equal(true);
  });

  it('keeps the denouncer out of the slip PDF and the email the agency received', async () => {
    const { app, link } = await setUp();
    for (const part of [link.mail.parsed.text ?? '', String(link.mail.parsed.html || ''), link.mail.parsed.subject ?? '']) expectNoDenouncer(part, 'email');
    const slips = link.mail.parsed.attachments.filter((a) => a.contentType === 'application/pdf');
    expect(slips).to.have.length.greaterThan(0);
    for (const slip of slips) expectNoDenouncer(await extractPdfText(slip.content), 'emailed slip');

    const agent = await openAgencySession(app, link.path);
    const res = await agent.get('/agency/slip.pdf').buffer(true).parse(binary);
    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.equal('application/pdf');
    expect(res.headers['content-disposition']).to.match(/^inline/);
    expect(res.headers['referrer-policy']).to.equal('no-referrer');
    const text = await extractPdfText(res.body as Buffer);
    expect(text).to.contain('tố cáo cán bộ địa chính xã');
    expectNoDenouncer(text, 'slip from the page');
  });

  it('limits token lookups per address: 429 in Vietnamese after the limit', async () => {
    const { app, link } = await setUp();
    for (let n = 0; n < 30; n++) expect((await supertest(app).get(n % 2 ? link.path : '/a/' + 'y'.repeat(43))).status).to.be.oneOf([200, 404]);
    const res = await supertest(app).get(link.path);
    expect(res.status).to.equal(429);
    expect(res.text).to.contain('Bạn đã thử quá nhiều lần');
    // Sessions already open are not affected.
  });
});
