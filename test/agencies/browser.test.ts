// The agency and deadline-rule pages in a real browser: keyboard-usable forms that work without
// JavaScript, a real multipart upload of a CSV file (the CSRF token as the first field), and an
// accessibility check on each page.
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { seedAgencies } from '../../server/agencies/index.js';
import { seedDeadlineRules } from '../../server/deadlines/index.js';
import { seedReferenceData } from '../../server/reference/index.js';
import { buildTestApp, useTestDatabase } from '../support/app.js';
import { expectAccessible, signInInBrowser, useBrowser } from '../support/browser.js';
import { createTestUser } from '../support/factories.js';
import mongoose from 'mongoose';

describe('browser: agency and deadline-rule pages', function () {
  this.timeout(90_000);
  useTestDatabase();
  const session = useBrowser(() => buildTestApp().app);

  it('lets an administrator manage agencies and deadline rules', async () => {
    await seedReferenceData();
    await seedAgencies();
    await seedDeadlineRules();
    const admin = await createTestUser({ role: 'admin' });
    const page: Page = await (await session.browser.newContext({ locale: 'vi-VN' })).newPage();
    const problems: string[] = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error' && !/status of 422/.test(msg.text())) problems.push(msg.text());
    });
    page.on('pageerror', (err) => problems.push(err.message));
    const base = session.server.baseUrl;

    await signInInBrowser(page, base, admin);

    await page.goto(`${base}/admin/units`);
    await page.click('nav a:has-text("Cơ quan")');
    await page.waitForURL('**/admin/agencies');
    await expectAccessible(page, 'agency list');
    await page.fill('#q', 'so y te');
    await page.press('#q', 'Enter');
    await page.waitForSelector('a:has-text("Sở Y tế tỉnh Quảng Trị")');

    // The form, with a mistyped address: the error summary links to the field, and nothing is lost.
    await page.goto(`${base}/admin/agencies/new`);
    await page.fill('#name', 'Sở Công Thương tỉnh Quảng Trị');
    await page.check('input[name="fieldCodes"][value="doanh-nghiep"]');
    await page.fill('#contactEmail1', 'vanthu.sct@');
    await page.click('button:has-text("Lưu")');
    await page.waitForSelector('.govuk-error-summary');
    await expectAccessible(page, 'agency form with errors');
    expect(await page.inputValue('#name')).to.equal('Sở Công Thương tỉnh Quảng Trị');
    expect(await page.isChecked('input[name="fieldCodes"][value="doanh-nghiep"]')).to.equal(true);
    await page.fill('#contactEmail1', 'vanthu.sct@quangtri.example.gov.vn');
    await page.click('button:has-text("Lưu")');
    await page.waitForSelector('text=Đã thêm cơ quan Sở Công Thương tỉnh Quảng Trị.');

    // A CSV file chosen in the browser is sent as multipart, the token first.
    await page.goto(`${base}/admin/agencies/import`);
    await expectAccessible(page, 'agency import');
    const csv = '\uFEFFname;level;to\r\nSở Văn hóa, Thể thao và Du lịch tỉnh Quảng Trị;tinh;vanthu.svhttdl@quangtri.example.gov.vn\r\n';
    await page.setInputFiles('#file', { name: 'co-quan.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
    await page.click('button:has-text("Kiểm tra và nhập")');
    await page.waitForSelector('text=Đã nhập danh sách: 1 cơ quan mới');
    expect(await mongoose.connection.collection('agencies').countDocuments({ name: 'Sở Văn hóa, Thể thao và Du lịch tỉnh Quảng Trị' })).to.equal(1);

    await page.goto(`${base}/admin/agencies/suggest?type=complaint&field=dat-dai&unit=qt-xa-cam-lo`);
    await expectAccessible(page, 'agency suggestion');
    await page.waitForSelector('#suggestions >> text=Ủy ban nhân dân xã Cam Lộ');

    await page.click('nav a:has-text("Quy tắc thời hạn")');
    await page.waitForURL('**/admin/deadline-rules');
    await expectAccessible(page, 'deadline rules');
    await page.click('a:has-text("Xử lý đơn")');
    await page.waitForURL('**/admin/deadline-rules/letter-handling');
    await page.fill('#days', 'mười');
    await page.click('button:has-text("Lưu quy tắc")');
    await page.waitForSelector('.govuk-error-summary');
    await expectAccessible(page, 'deadline rule form with errors');
    await page.fill('#days', '12');
    await page.click('button:has-text("Lưu quy tắc")');
    await page.waitForSelector('text=Các thời hạn đã tính trước đó không thay đổi.');

    expect(problems).to.deep.equal([]);
  });
});
