// The officer's deadline forms in a real browser, checked with axe: a refused extension (error summary,
// the form open again with what was typed), an accepted one, a suspension and its end — and the same
// explanation of the deadline on the forwarding page and on the case page. Runs on today's date, so
// the dates are read from the page rather than written here.
import { expect } from 'chai';
import { AgencyModel } from '../../server/agencies/index.js';
import { ForwardingModel } from '../../server/forwarding/index.js';
import { formatIsoDate, vietnamDateOf } from '../../server/calendar/index.js';
import { systemClock } from '../../server/platform/clock.js';
import { foldVietnamese } from '../../server/platform/text.js';
import { listActiveCommunes, listActiveFields } from '../../server/reference/index.js';
import { seedBaseData } from '../../server/seed.js';
import { buildTestApp, useTestDatabase } from '../support/app.js';
import { expectAccessible, signInInBrowser, useBrowser } from '../support/browser.js';
import { createTestUser } from '../support/factories.js';
import { csrfFrom, signIn } from '../support/http.js';
import { postWalkIn, walkInFields } from '../support/intake.js';

const makeApp = () => buildTestApp({ config: { FORWARDING_APPROVAL: 'none' } }).app;

describe('browser: extending and suspending a forwarding’s deadline', function () {
  this.timeout(180_000);
  useTestDatabase();
  const session = useBrowser(makeApp);

  it('refuses bad input accessibly, then records an extension, a suspension and its end, explained on both pages', async () => {
    const base = session.server.baseUrl;
    await seedBaseData(systemClock);
    const agencyName = 'Sở Giao thông (thử nghiệm)';
    const agency = await AgencyModel.create({ name: agencyName, nameFolded: foldVietnamese(agencyName), level: 'province', contacts: [{ email: 'vanthu@sgt.test.gov.vn', name: 'Văn thư', role: 'to' }], source: 'admin' });
    const officer = await createTestUser({ role: 'officer', name: 'Lê Thị Gia Hạn' });
    const [communes, fields] = await Promise.all([listActiveCommunes(), listActiveFields()]);
    const setup = await signIn(makeApp(), officer);
    const walkIn = await postWalkIn(setup, walkInFields({ date: formatIsoDate(vietnamDateOf(new Date(Date.now() - 86_400_000))), unitCode: communes[0]!.code, fieldCode: fields[0]!.code, caseChoice: 'new', content: 'Kiến nghị sửa chữa cầu dân sinh bị sạt lở' }));
    expect(walkIn.status, walkIn.text.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').slice(0, 2000)).to.equal(303);
    const caseId = /\/cases\/([a-f0-9]{24})/.exec(walkIn.headers.location ?? '')![1]!;
    const form = await setup.get(`/forwardings/new?case=${caseId}`);
    const sent = await setup.post('/forwardings').type('form').send({ _csrf: csrfFrom(form.text), submissionKey: /name="submissionKey" value="([^"]+)"/.exec(form.text)![1]!, caseIds: caseId, agencyIds: String(agency._id) });
    expect(sent.status, sent.text.slice(0, 300)).to.equal(303);
    const forwardingUrl = `${base}${sent.headers.location!}`;
    const today = formatIsoDate(vietnamDateOf(new Date()));

    const context = await session.browser.newContext({ locale: 'vi-VN' });
    const page = await context.newPage();
    await signInInBrowser(page, base, officer);
    await page.goto(forwardingUrl);

    // Zero days: refused, the form open again with the error linked and the reason kept.
    await page.click('summary:has-text("Gia hạn thời hạn trả lời")');
    await page.fill('#extendDays', '0');
    await page.fill('#extendReason', 'Cầu nằm trên ranh giới hai xã, cần họp liên ngành');
    await page.fill('#extendDocNumber', '7/CV-SGT');
    await page.fill('#extendDocDate', today);
    await page.click('button:has-text("Gia hạn và báo cơ quan")');
    await page.waitForSelector('.govuk-error-summary');
    expect(await page.textContent('.govuk-error-summary')).to.contain('Số ngày gia hạn phải là số nguyên từ 1 đến 365.');
    expect(await page.inputValue('#extendReason')).to.equal('Cầu nằm trên ranh giới hai xã, cần họp liên ngành');
    expect(await page.isVisible('#extendDays')).to.equal(true);
    await expectAccessible(page, 'deadline forms with an error');

    await page.fill('#extendDays', '5');
    await page.click('button:has-text("Gia hạn và báo cơ quan")');
    await page.waitForSelector('.govuk-notification-banner');
    const explained = (await page.textContent('[data-deadline-explained]'))!.replace(/\s+/g, ' ');
    expect(explained).to.contain(`gia hạn thêm 5 ngày làm việc (văn bản số 7/CV-SGT ngày ${today}) →`);
    await expectAccessible(page, 'forwarding page after an extension');

    // A suspension from today, ended a week later: the deadline moves again.
    await page.click('summary:has-text("Tạm đình chỉ thời hạn trả lời")');
    await page.fill('#suspendFrom', today);
    await page.fill('#suspendReason', 'Chờ kết quả kiểm định cầu');
    await page.fill('#suspendDocNumber', '9/QĐ-SGT');
    await page.fill('#suspendDocDate', today);
    await page.click('button:has-text("Tạm đình chỉ và báo cơ quan")');
    await page.waitForSelector('.govuk-notification-banner');
    expect(await page.textContent('main')).to.contain(`Tạm đình chỉ từ ${today}`);
    await expectAccessible(page, 'forwarding page while suspended');
    const weekLater = formatIsoDate(vietnamDateOf(new Date(Date.now() + 7 * 86_400_000)));
    await page.fill('#resumeTo', weekLater);
    await page.click('button:has-text("Tính lại thời hạn và báo cơ quan")');
    await page.waitForSelector('.govuk-notification-banner');
    const afterResume = (await page.textContent('[data-deadline-explained]'))!.replace(/\s+/g, ' ');
    expect(afterResume).to.match(new RegExp(`tạm đình chỉ từ ${today} đến ${weekLater}, cộng thêm \\d+ ngày làm việc \\(văn bản số 9/QĐ-SGT ngày ${today}\\) → \\d{2}/\\d{2}/\\d{4}`));
    const stored = await ForwardingModel.findOne().lean();
    expect(afterResume).to.contain(`→ ${formatIsoDate(stored!.deadline!.dueDate)}`);

    // The case page shows the same sentence.
    await page.goto(`${base}/cases/${caseId}`);
    expect((await page.textContent('#forwardings + table [data-deadline-explained]'))!.replace(/\s+/g, ' ')).to.equal(afterResume);
    await expectAccessible(page, 'case page with the explained deadline');
    await context.close();
  });
});
