// The walk-in form's question about email notices in a real browser: a denunciation with the
// denouncer's email is sent back with the question in the error summary; the officer follows the link,
// chooses the answer with the keyboard and saves — accessibility checked with the error shown.
import { expect } from 'chai';
import { CaseModel } from '../../server/cases/index.js';
import { buildTestApp, useTestDatabase } from '../support/app.js';
import { expectAccessible, useBrowser } from '../support/browser.js';
import { createTestUser } from '../support/factories.js';
import { seedIntakeReference } from '../support/intake.js';

describe('browser: asking a denouncer about email notices', function () {
  this.timeout(120_000);
  useTestDatabase();
  const session = useBrowser(() => buildTestApp().app);

  it('links the unanswered question from the error summary, and saves once the answer is chosen by keyboard', async () => {
    const ref = await seedIntakeReference();
    const officer = await createTestUser({ role: 'officer' });
    const context = await session.browser.newContext({ locale: 'vi-VN' });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));

    await page.goto(`${session.server.baseUrl}/login`);
    await page.fill('#email', officer.email);
    await page.fill('#password', officer.password);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${session.server.baseUrl}/`);

    await page.goto(`${session.server.baseUrl}/receptions/new`);
    await page.fill('#name', 'Trịnh Thị Kín Đáo');
    await page.fill('#email', 'kindao@example.vn');
    await page.selectOption('#unitCode', ref.commune);
    await page.selectOption('#type', 'denunciation');
    await page.fill('#content', 'Tố cáo cán bộ địa chính xã nhận tiền khi làm thủ tục');
    await page.click('form button.govuk-button');

    await page.waitForSelector('.govuk-error-summary');
    expect(await page.textContent('.govuk-error-summary')).to.contain('hãy hỏi và ghi rõ người tố cáo có đồng ý nhận thông báo qua email hay không');
    expect(await page.inputValue('#email')).to.equal('kindao@example.vn');
    await expectAccessible(page, 'walk-in form, question unanswered');

    await page.click('.govuk-error-summary a[href="#notices"]');
    await page.focus('#notices');
    await page.keyboard.press('Space');
    expect(await page.isChecked('#notices')).to.equal(true);
    await page.click('form button.govuk-button');

    await page.waitForURL(/\/cases\/[a-f0-9]{24}$/);
    const kase = await CaseModel.findOne({}).lean();
    expect(kase!.parties[0]).to.include({ role: 'filer', emailNotices: true });
    expect(errors).to.deep.equal([]);
    await context.close();
  });
});
