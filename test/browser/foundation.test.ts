// The first-run journey in a real browser: sign in with a generated password, be made to choose a
// new one, switch to English and back, open the admin pages, sign out — with an accessibility check
// on every page visited.
import { expect } from 'chai';
import { generate } from 'otplib';
import type { Page } from 'playwright-core';
import { buildTestApp, useTestDatabase } from '../support/app.js';
import { expectAccessible, useBrowser } from '../support/browser.js';
import { createTestUser } from '../support/factories.js';

describe('browser: sign-in, forced password change, language, sign-out', function () {
  this.timeout(90_000);
  useTestDatabase();
  const session = useBrowser(() => buildTestApp().app);

  async function visit(page: Page, label: string): Promise<void> {
    await expectAccessible(page, label);
  }

  it('walks the first administrator through their first session using the keyboard-friendly forms', async () => {
    const admin = await createTestUser({ role: 'admin', name: 'Quản Trị Đầu Tiên', password: 'Tam-Thoi-9x7Q-2026', mustChangePassword: true, twoFactor: false });
    const context = await session.browser.newContext({ locale: 'vi-VN' });
    const page = await context.newPage();
    const consoleErrors: string[] = [];
    // Script errors and CSP violations fail the test; the browser's note about a page answered with
    // 401/422 (a refused sign-in, a form with errors) is expected here.
    page.on('console', (msg) => {
      if (msg.type() === 'error' && !/status of 4(01|22)/.test(msg.text())) consoleErrors.push(msg.text());
    });
    page.on('pageerror', (err) => consoleErrors.push(err.message));

    await page.goto(`${session.server.baseUrl}/`);
    expect(page.url()).to.contain('/login');
    await visit(page, 'sign-in');
    expect(await page.locator('h1').textContent()).to.equal('Đăng nhập');

    // A wrong password first: generic message, email kept.
    await page.fill('#email', admin.email);
    await page.fill('#password', 'sai mật khẩu rồi');
    await page.press('#password', 'Enter');
    await page.waitForSelector('text=Email hoặc mật khẩu không đúng');
    expect(await page.inputValue('#email')).to.equal(admin.email);
    await visit(page, 'sign-in failed');

    await page.fill('#password', admin.password);
    await page.press('#password', 'Enter');
    await page.waitForURL('**/account/password');
    await visit(page, 'forced password change');
    expect(await page.textContent('main')).to.contain('Bạn đang dùng mật khẩu tạm thời');

    // Navigating away is not possible until a password is chosen.
    await page.goto(`${session.server.baseUrl}/admin/users`);
    expect(page.url()).to.contain('/account/password');

    // A common password is refused with the reason, then a good one is accepted.
    await page.fill('#currentPassword', admin.password);
    await page.fill('#newPassword', 'password1');
    await page.fill('#confirmPassword', 'password1');
    await page.click('button[type=submit]:has-text("Đổi mật khẩu")');
    await page.waitForSelector('.govuk-error-summary');
    expect(await page.textContent('.govuk-error-summary')).to.contain('Mật khẩu này quá phổ biến');
    await visit(page, 'password change with errors');

    await page.fill('#currentPassword', admin.password);
    await page.fill('#newPassword', 'sông Hồng chảy về biển Đông');
    await page.fill('#confirmPassword', 'sông Hồng chảy về biển Đông');
    await page.click('button[type=submit]:has-text("Đổi mật khẩu")');

    // Administrators must set up an authenticator app next: read the key as a person would type it.
    await page.waitForURL('**/account/two-factor');
    expect(await page.textContent('main')).to.contain('Đã đổi mật khẩu.');
    await visit(page, 'two-factor enrolment');
    const secret = (await page.textContent('[data-testid=totp-secret]'))!.trim();
    await page.fill('#code', await generate({ secret }));
    await page.press('#code', 'Enter');
    await page.waitForURL(`${session.server.baseUrl}/`);
    expect(await page.textContent('main')).to.contain('Đã bật xác thực hai lớp.');
    await visit(page, 'home');

    // Admin pages.
    await page.click('a.govuk-service-navigation__link:has-text("Người dùng")');
    await page.waitForURL('**/admin/users');
    expect(await page.textContent('table')).to.contain('Quản Trị Đầu Tiên');
    await visit(page, 'users list');
    await page.click('text=Thêm người dùng');
    await visit(page, 'new user');

    // English, remembered after a reload.
    await page.click('button:has-text("English")');
    await page.waitForSelector('h1:has-text("Add a user")');
    await page.reload();
    expect(await page.locator('h1').textContent()).to.equal('Add a user');
    expect(await page.getAttribute('html', 'lang')).to.equal('en');
    await visit(page, 'new user (English)');
    await page.click('button:has-text("Tiếng Việt")');
    await page.waitForSelector('h1:has-text("Thêm người dùng")');

    // Sign out ends the session: going back to a page asks to sign in again.
    await page.click('[data-testid=sign-out]');
    await page.waitForURL('**/login');
    await page.goto(`${session.server.baseUrl}/admin/users`);
    expect(page.url()).to.contain('/login');

    // Signing in again asks for a code from the app.
    await page.fill('#email', admin.email);
    await page.fill('#password', 'sông Hồng chảy về biển Đông');
    await page.press('#password', 'Enter');
    await page.waitForURL('**/login/two-factor');
    await visit(page, 'second factor');
    await page.fill('#code', await generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 }));
    await page.press('#code', 'Enter');
    await page.waitForURL('**/admin/users');

    expect(consoleErrors, 'no CSP violations or script errors').to.deep.equal([]);
    await context.close();
  });
});
