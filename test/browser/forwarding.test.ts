// The whole forwarding journey in a real browser, with the real email in between: an officer forwards
// a case from its page, the outbox delivers to an SMTP server run by this test, the agency opens the
// link taken from that email, confirms receipt and answers with a signed PDF, and the officer
// evaluates the answer — which closes the forwarding and the case. Every page is checked with axe.
import { expect } from 'chai';
import { AgencyModel } from '../../server/agencies/index.js';
import { CaseModel } from '../../server/cases/index.js';
import { ForwardingModel } from '../../server/forwarding/index.js';
import { configureNotifications, createOutboxSender } from '../../server/notifications/index.js';
import { systemClock } from '../../server/platform/clock.js';
import { createLogger } from '../../server/platform/logger.js';
import { foldVietnamese } from '../../server/platform/text.js';
import { seedBaseData } from '../../server/seed.js';
import { samplePdf } from '../attachments/samples.js';
import { buildTestApp, testConfig, testTranslator, useTestDatabase } from '../support/app.js';
import { expectAccessible, signInInBrowser, useBrowser } from '../support/browser.js';
import { createTestUser } from '../support/factories.js';
import { signIn } from '../support/http.js';
import { postWalkIn, walkInFields } from '../support/intake.js';
import { startSmtpPeer, type SmtpPeer } from '../support/smtp.js';
import { listActiveCommunes, listActiveFields } from '../../server/reference/index.js';

describe('browser: forwarding → email → agency answer → evaluation', function () {
  this.timeout(180_000);
  useTestDatabase();
  const session = useBrowser(() => buildTestApp({ config: { FORWARDING_APPROVAL: 'none' } }).app);
  let peer: SmtpPeer;
  before(async () => {
    peer = await startSmtpPeer();
  });
  after(async () => {
    await peer.stop();
  });

  it('runs the whole journey with one real email', async () => {
    const base = session.server.baseUrl;
    const mailConfig = testConfig({ BASE_URL: base, SMTP_URL: peer.url, MAIL_WINDOW: 'always', MAIL_FROM: 'Văn phòng <vanphong@test.gov.vn>' });
    configureNotifications({ config: mailConfig, translator: testTranslator() });

    await seedBaseData(systemClock);
    const agencyName = 'Sở Xây dựng (thử nghiệm)';
    await AgencyModel.create({ name: agencyName, nameFolded: foldVietnamese(agencyName), level: 'province', contacts: [{ email: 'vanthu@sxd.test.gov.vn', name: 'Văn thư', role: 'to' }], source: 'admin' });
    const officer = await createTestUser({ role: 'officer', name: 'Lê Thị Chuyển' });
    const [communes, fields] = await Promise.all([listActiveCommunes(), listActiveFields()]);
    const setup = await signIn(buildTestApp({ config: { FORWARDING_APPROVAL: 'none' } }).app, officer);
    const walkIn = await postWalkIn(setup, walkInFields({ date: '02/03/2026', unitCode: communes[0]!.code, fieldCode: fields[0]!.code, caseChoice: 'new', content: 'Khiếu nại việc cấp phép xây dựng trạm trộn bê tông sát khu dân cư' }));
    const caseId = /\/cases\/([a-f0-9]{24})/.exec(walkIn.headers.location ?? '')![1]!;

    // The officer forwards the case from its page.
    const officerContext = await session.browser.newContext({ locale: 'vi-VN' });
    const page = await officerContext.newPage();
    await signInInBrowser(page, base, officer);
    await page.goto(`${base}/cases/${caseId}`);
    await page.click('a.govuk-button:has-text("Chuyển đơn")');
    await page.waitForURL(/\/forwardings\/new\?case=/);
    await expectAccessible(page, 'forwarding form');
    await page.click('button:has-text("Chuyển đơn")'); // nothing chosen: refused
    await page.waitForSelector('.govuk-error-summary');
    expect(await page.textContent('.govuk-error-summary')).to.contain('Hãy chọn ít nhất một cơ quan nhận.');
    await expectAccessible(page, 'forwarding form with errors');
    await page.locator('details.govuk-details summary').first().click().catch(() => undefined);
    await page.check(`label:has-text("${agencyName}")`);
    await page.fill('#request', 'Đề nghị Sở kiểm tra, xử lý và trả lời Văn phòng.');
    await page.click('button:has-text("Chuyển đơn")');
    await page.waitForURL(/\/forwardings\/[a-f0-9]{24}$/);
    expect(await page.textContent('main')).to.contain('1/PC-VP');
    await expectAccessible(page, 'forwarding page');
    const forwardingUrl = page.url();

    // The outbox delivers; the link is read from the email the SMTP server received.
    const sender = createOutboxSender({ config: mailConfig, clock: systemClock, logger: createLogger('silent') });
    await sender.runOnce();
    sender.close();
    const mail = peer.received.find((m) => m.envelope.to.includes('vanthu@sxd.test.gov.vn'));
    expect(mail, 'the forwarding email').to.not.equal(undefined);
    expect(mail!.parsed.attachments.map((a) => a.contentType)).to.include('application/pdf');
    const link = new RegExp(`${base.replace(/[.]/g, '\\.')}/a/[A-Za-z0-9_-]{43}`).exec(mail!.parsed.text ?? '')?.[0];
    expect(link, mail!.parsed.text).to.be.a('string');

    // The agency, in its own browser, without an account.
    const agencyContext = await session.browser.newContext({ locale: 'vi-VN' });
    const agency = await agencyContext.newPage();
    await agency.goto(link!);
    await expectAccessible(agency, 'agency landing page');
    await agency.click('button:has-text("Tiếp tục")');
    await agency.waitForURL(`${base}/agency`);
    expect(await agency.textContent('main')).to.contain('trạm trộn bê tông');
    await expectAccessible(agency, 'agency page');
    await agency.fill('#confirmerName', 'Nguyễn Văn Thư');
    await agency.click('button:has-text("Xác nhận")');
    await agency.waitForURL(`${base}/agency`);
    await agency.fill('#documentNumber', '125/SXD-TTr');
    await agency.fill('#documentDate', new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date()));
    await agency.fill('#responderName', 'Trần Văn Giám');
    await agency.fill('#responderPosition', 'Chánh Thanh tra Sở');
    await agency.check('input[name="outcome"][value="resolved"]');
    await agency.fill('#text', 'Sở đã kiểm tra, đình chỉ hoạt động trạm trộn và yêu cầu di dời trong 30 ngày.');
    await agency.setInputFiles('input[type="file"]', { name: 'tra-loi.pdf', mimeType: 'application/pdf', buffer: samplePdf() });
    await agency.click('button:has-text("Gửi văn bản trả lời")');
    await agency.waitForURL(`${base}/agency`);
    expect(await agency.textContent('main')).to.contain('125/SXD-TTr');
    await expectAccessible(agency, 'agency page after answering');

    // The officer evaluates: satisfied closes the forwarding and the case.
    await page.goto(forwardingUrl);
    expect(await page.textContent('main')).to.contain('Sở đã kiểm tra, đình chỉ hoạt động trạm trộn');
    await expectAccessible(page, 'forwarding page with the answer');
    await page.check('input[name="verdict-0"][value="satisfied"]');
    await page.click('button:has-text("Ghi đánh giá")');
    await page.waitForSelector('.govuk-notification-banner');
    expect(await page.textContent('main')).to.contain('Đã kết thúc');
    const forwarding = await ForwardingModel.findOne().lean();
    expect(forwarding!.status).to.equal('closed');
    expect((await CaseModel.findById(caseId).lean())!.status).to.equal('closed');

    // The link no longer opens anything.
    await agency.goto(link!);
    expect(await agency.textContent('main')).to.not.contain('Tiếp tục');
    await officerContext.close();
    await agencyContext.close();
  });
});
