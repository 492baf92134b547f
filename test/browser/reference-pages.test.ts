// The reference-data and calendar pages in a real browser: keyboard-usable forms, the import page's
// file reader (no CSP violation), and an accessibility check on each page.
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { seedCalendar } from '../../server/calendar/index.js';
import { fixedClock } from '../../server/platform/clock.js';
import { seedReferenceData } from '../../server/reference/index.js';
import { buildTestApp, useTestDatabase } from '../support/app.js';
import { expectAccessible, signInInBrowser, useBrowser } from '../support/browser.js';
import { createTestUser } from '../support/factories.js';

describe('browser: reference data and calendar pages', function () {
  this.timeout(90_000);
  useTestDatabase();
  const session = useBrowser(() => buildTestApp().app);

  it('lets an administrator browse, correct and import reference data', async () => {
    await seedReferenceData();
    await seedCalendar(fixedClock('2026-03-10T03:00:00Z'));
    await createTestUser({ role: 'delegate', name: 'Đại Biểu Thử' });
    const admin = await createTestUser({ role: 'admin' });
    const page: Page = await (await session.browser.newContext({ locale: 'vi-VN' })).newPage();
    const problems: string[] = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error' && !/status of 422/.test(msg.text())) problems.push(msg.text());
    });
    page.on('pageerror', (err) => problems.push(err.message));

    await signInInBrowser(page, session.server.baseUrl, admin);

    await page.click('a.govuk-service-navigation__link:has-text("Danh mục dữ liệu")');
    await page.waitForURL('**/admin/units');
    await expectAccessible(page, 'units list');
    await page.fill('#q', 'dong ha');
    await page.press('#q', 'Enter');
    await page.waitForSelector('text=Phường Nam Đông Hà');

    await page.goto(`${session.server.baseUrl}/admin/units/new`);
    await page.fill('#code', 'sai mã');
    await page.click('button:has-text("Lưu")');
    await page.waitForSelector('.govuk-error-summary');
    await expectAccessible(page, 'unit form with errors');
    expect(await page.inputValue('#code')).to.equal('sai mã');

    // The import page reads a chosen file into the text box with its own module script.
    await page.goto(`${session.server.baseUrl}/admin/units/import`);
    expect(await page.isVisible('#json-file')).to.equal(true);
    const rows = [{ code: 'qt-xa-tu-tep', name: 'Xã Từ Tệp', kind: 'xa', level: 'commune', parentCode: 'tinh-quang-tri', validFrom: '2025-07-01' }];
    await page.setInputFiles('#json-file', { name: 'units.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(rows)) });
    await page.waitForFunction(() => (globalThis as unknown as { document: { querySelector(s: string): { value: string } } }).document.querySelector('#json').value.includes('qt-xa-tu-tep'));
    await expectAccessible(page, 'import page');
    await page.click('button:has-text("Kiểm tra và nhập")');
    await page.waitForSelector('text=1 đơn vị mới');

    await page.goto(`${session.server.baseUrl}/admin/fields`);
    await expectAccessible(page, 'fields list');
    await page.click('text=Đất đai');
    await expectAccessible(page, 'field form');

    await page.goto(`${session.server.baseUrl}/admin/delegates/new`);
    await expectAccessible(page, 'delegate form');
    await page.fill('#name', 'Đại Biểu Thử');
    await page.check('#body-2');
    await page.fill('#term', 'Khoá IX (2026–2031)');
    await page.selectOption('#userId', { index: 1 }); // the one delegate account
    await page.click('button:has-text("Lưu")');
    await page.waitForURL('**/admin/delegates');
    await expectAccessible(page, 'delegates list');

    await page.goto(`${session.server.baseUrl}/admin/calendar?year=2026`);
    await expectAccessible(page, 'calendar');
    await page.click('text=Thêm ngày');
    await page.fill('#date', '10/01/2026');
    await page.check('#kind-3');
    await page.fill('#name', 'Làm bù');
    await page.click('button:has-text("Lưu")');
    await page.waitForSelector('text=Đã thêm ngày 10/01/2026 vào lịch.');
    await page.click('a[href="/admin/calendar/2026-01-10/delete"]');
    await expectAccessible(page, 'calendar delete confirmation');

    expect(problems).to.deep.equal([]);
  });
});
