// The statistics page and the periodic report in a real browser: charts drawn, data tables beside
// them, a bad period answered on the page, the report page and the export progress on the case list,
// with the accessibility check on each page and no script errors (the CSP stays on); the voter petitions
// and "since the last session" chosen in the form, and the session report's workbook downloaded.
import { expect } from 'chai';
import { buildTestApp, clearDatabase, connectTestDatabase, fixedClock } from '../support/app.js';
import { expectAccessible, signInInBrowser, useBrowser } from '../support/browser.js';
import { buildFixture, FIXTURE_NOW, type Fixture } from '../statistics/fixture.js';
import { buildPetitionsFixture, PETITIONS_NOW, type PetitionsFixture } from '../statistics/petitions-fixture.js';

describe('browser: statistics and the periodic report', function () {
  this.timeout(180_000);
  let fx: Fixture | undefined;
  const clock = fixedClock(FIXTURE_NOW);
  const session = useBrowser(() => buildTestApp({ clock }).app);

  before(async () => {
    await connectTestDatabase();
    await clearDatabase();
    fx = await buildFixture(buildTestApp({ clock }).app);
  });

  it('shows the figures with charts and tables, refuses a reversed range, and shows the report', async () => {
    const context = await session.browser.newContext({ locale: 'vi-VN', acceptDownloads: true });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    page.on('console', (msg) => {
      // The 422 answer to the reversed range is expected; anything else (a CSP refusal…) is not.
      if (msg.type() === 'error' && !msg.text().includes('status of 422')) errors.push(msg.text());
    });
    const base = session.server.baseUrl;
    await signInInBrowser(page, base, fx!.delegate);

    await page.click('a[href="/statistics"]');
    await page.waitForURL(`${base}/statistics`);
    expect(await page.textContent('h2')).to.contain('Số liệu Tháng 3/2026');
    expect(await page.locator('svg[role="img"]').count()).to.be.greaterThan(10);
    expect(await page.locator('table.dn-figure-table').count()).to.be.greaterThan(10);
    // The stylesheet loaded under the CSP: charts are sized by it.
    expect(await page.evaluate(() => getComputedStyle(document.querySelector('.dn-chart svg')!).display)).to.equal('block');
    await expectAccessible(page, 'statistics page');

    await page.selectOption('#period', 'custom');
    await page.fill('#from', '10/03/2026');
    await page.fill('#to', '01/03/2026');
    await page.click('form.dn-filters button');
    await page.waitForSelector('.govuk-error-summary');
    expect(await page.textContent('.govuk-error-summary')).to.contain('Ngày kết thúc phải bằng hoặc sau ngày bắt đầu');
    expect(await page.inputValue('#from')).to.equal('10/03/2026');
    await expectAccessible(page, 'statistics page with errors');

    await page.fill('#to', '12/03/2026');
    await page.click('form.dn-filters button');
    await page.waitForSelector('text=Số liệu Từ 10/03/2026 đến 12/03/2026');
    await page.click('text=Báo cáo định kỳ của kỳ này');
    await page.waitForURL(/\/statistics\/report\?/);
    expect(await page.textContent('main')).to.contain('I. CÔNG TÁC TIẾP CÔNG DÂN');
    await expectAccessible(page, 'report page');
    await page.emulateMedia({ media: 'print' });
    expect(await page.isVisible('a[href^="/statistics/report.pdf"]')).to.equal(false);
    await page.emulateMedia({ media: 'screen' });

    const download = page.waitForEvent('download');
    await page.click('a[href^="/statistics/report.pdf"]');
    expect((await download).suggestedFilename()).to.equal('Báo cáo Từ 10-03-2026 đến 12-03-2026.pdf');

    expect(errors).to.deep.equal([]);
    await context.close();
  });

  it('shows the progress of an export on the case list and saves the file', async () => {
    const context = await session.browser.newContext({ locale: 'vi-VN', acceptDownloads: true });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    const base = session.server.baseUrl;
    await signInInBrowser(page, base, fx!.officer);
    await page.goto(`${base}/cases`);
    await expectAccessible(page, 'case list with exports');
    const download = page.waitForEvent('download');
    await page.click('a[data-export-format="csv"]');
    const file = await download;
    expect(file.suggestedFilename()).to.equal('Danh sách vụ việc.csv');
    await page.waitForSelector('[data-export-status]:has-text("Đã tải xong")');
    expect(await page.textContent('[data-export-status]')).to.contain('Đã tải xong 10 dòng');
    expect(errors).to.deep.equal([]);
    await context.close();
  });
});

describe('browser: voter petitions in the statistics and the session report', function () {
  this.timeout(180_000);
  let fx: PetitionsFixture | undefined;
  const clock = fixedClock(PETITIONS_NOW);
  const session = useBrowser(() => buildTestApp({ clock }).app);

  before(async () => {
    await connectTestDatabase();
    await clearDatabase();
    fx = await buildPetitionsFixture();
  });

  it('shows the petitions of a month, then since the National Assembly’s last session chosen in the form', async () => {
    const context = await session.browser.newContext({ locale: 'vi-VN', acceptDownloads: true });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    const base = session.server.baseUrl;
    await signInInBrowser(page, base, fx!.delegate);

    await page.goto(`${base}/statistics?period=month&year=2026&month=5`);
    expect(await page.textContent('#section-petitions')).to.equal('Kiến nghị cử tri');
    expect(await page.locator('section[aria-labelledby="section-petitions"] svg[role="img"]').count()).to.equal(4);
    expect(await page.locator('section[aria-labelledby="section-petitions"] table.dn-figure-table').count()).to.equal(4);
    await expectAccessible(page, 'statistics page with voter petitions');

    await page.selectOption('#period', 'since-last-session');
    await page.selectOption('#body', 'quoc-hoi');
    await page.click('form.dn-filters button');
    await page.waitForSelector('text=Số liệu Từ 16/06/2026 đến 20/07/2026, sau Kỳ họp thứ 2, Quốc hội khóa XVI');
    expect(await page.inputValue('#body')).to.equal('quoc-hoi');
    await expectAccessible(page, 'statistics since the last session');

    await page.goto(`${base}/meetings/sessions/${fx!.sessions.S1}/report`);
    const download = page.waitForEvent('download');
    await page.click(`a[href="/meetings/sessions/${fx!.sessions.S1}/report.xlsx"]`);
    expect((await download).suggestedFilename()).to.equal('Báo cáo kết quả trả lời kiến nghị cử tri.xlsx');
    expect(errors).to.deep.equal([]);
    await context.close();
  });
});
