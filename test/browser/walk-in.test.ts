// The officer's walk-in flow in a real browser, with the keyboard alone: open the form, type the
// citizen and the matter, submit, fix a mistake, land on the new case — accessibility checked on
// every page.
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { buildTestApp, useTestDatabase } from '../support/app.js';
import { expectAccessible, useBrowser } from '../support/browser.js';
import { createTestUser } from '../support/factories.js';
import { seedIntakeReference } from '../support/intake.js';

describe('browser: logging a walk-in with the keyboard', function () {
  this.timeout(120_000);
  useTestDatabase();
  const session = useBrowser(() => buildTestApp().app);

  /** Moves focus with Tab until the element with this id has it (the form's own order, no mouse). */
  async function tabTo(page: Page, id: string, max = 60): Promise<void> {
    for (let i = 0; i < max; i++) {
      if ((await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { id: string } | null } }).document.activeElement?.id)) === id) return;
      await page.keyboard.press('Tab');
    }
    throw new Error(`could not reach #${id} with Tab`);
  }

  it('saves a new person and case, keeping typed values through a validation error', async () => {
    await seedIntakeReference();
    const officer = await createTestUser({ role: 'officer', name: 'Lê Thị Tiếp' });
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
    await expectAccessible(page, 'walk-in form');
    // The name field has focus first: the officer starts typing at once.
    await tabTo(page, 'name');
    await page.keyboard.type('Phan Văn Khải');
    await tabTo(page, 'citizenId');
    await page.keyboard.type('04509012345'); // one digit short: a typing mistake
    await tabTo(page, 'phone');
    await page.keyboard.type('0905123456');
    await tabTo(page, 'unitCode');
    await page.keyboard.press('ArrowDown');
    await tabTo(page, 'type');
    await page.keyboard.press('ArrowDown'); // complaint
    await tabTo(page, 'content');
    await page.keyboard.type('Khiếu nại việc bồi thường khi thu hồi đất làm đường tránh');
    await tabTo(page, 'notes');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter'); // the Save button

    await page.waitForSelector('.govuk-error-summary');
    expect(await page.textContent('.govuk-error-summary')).to.contain('Số CCCD gồm đúng 12 chữ số');
    expect(await page.inputValue('#name')).to.equal('Phan Văn Khải');
    expect(await page.inputValue('#content')).to.equal('Khiếu nại việc bồi thường khi thu hồi đất làm đường tránh');
    await expectAccessible(page, 'walk-in form with errors');

    // The error summary links to the field: follow it and fix the number.
    await page.click('.govuk-error-summary a[href="#citizenId"]');
    await page.fill('#citizenId', '045090123456');
    await page.focus('#notes');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');

    await page.waitForURL(/\/cases\/[a-f0-9]{24}$/);
    expect(await page.textContent('main')).to.contain('Đã lưu lượt tiếp và tạo vụ việc');
    expect(await page.textContent('main')).to.contain('Phan Văn Khải');
    await expectAccessible(page, 'case page');

    await page.goto(`${session.server.baseUrl}/receptions`);
    expect(await page.textContent('table')).to.contain('Phan Văn Khải');
    await expectAccessible(page, 'reception register');
    await page.goto(`${session.server.baseUrl}/cases?q=phan van khai`);
    expect(await page.textContent('table')).to.contain('Phan Văn Khải');
    await expectAccessible(page, 'case list');

    expect(errors).to.deep.equal([]);
    await context.close();
  });
});
