// The dashboard (an officer's home page with their queues) and the agency performance page in a real
// browser: counts, links that open the queue and the forwarding, sorting by a column heading and the
// accessibility check on each page, with the CSP on and no script errors.
import { expect } from 'chai';
import { buildTestApp, clearDatabase, connectTestDatabase, fixedClock } from '../support/app.js';
import { expectAccessible, signInInBrowser, useBrowser } from '../support/browser.js';
import { buildQueueFixture, NOW, type QueueFixture } from './fixture.js';

describe('browser: work queues and agency performance', function () {
  this.timeout(240_000);
  let fx: QueueFixture | undefined;
  const clock = fixedClock(NOW);
  const session = useBrowser(() => buildTestApp({ clock }).app);

  before(async () => {
    await connectTestDatabase();
    await clearDatabase();
    fx = await buildQueueFixture();
  });

  it("shows an officer's queues on the home page and opens one, then a forwarding", async () => {
    const context = await session.browser.newContext({ locale: 'vi-VN' });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    page.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(msg.text());
    });
    const base = session.server.baseUrl;
    await signInInBrowser(page, base, fx!.officer);
    expect(await page.textContent('a[data-queue="overdue"]')).to.contain('Chuyển đơn quá hạn trả lời: 3');
    expect(await page.textContent('a[data-queue="my-cases"]')).to.contain('Vụ việc tôi được giao: 9');
    await expectAccessible(page, 'officer home page');

    await page.click('a[data-queue="overdue"]');
    await page.waitForURL(`${base}/queues?queue=overdue`);
    expect(await page.locator('tr[data-queue-row]').count()).to.equal(3);
    await expectAccessible(page, 'overdue queue');
    await page.selectOption('#agency', fx!.agencies.B);
    await page.click('form.dn-filters button');
    await page.waitForURL(/agency=/);
    expect(await page.locator('tr[data-queue-row]').count()).to.equal(1);
    await page.click(`tr[data-queue-row="${fx!.forwardings.F5}"] a`);
    await page.waitForURL(`${base}/forwardings/${fx!.forwardings.F5}`);
    expect(errors).to.deep.equal([]);
    await context.close();
  });

  it('shows the agency performance table, sorts it by a column and links a figure to its forwardings', async () => {
    const context = await session.browser.newContext({ locale: 'vi-VN' });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    const base = session.server.baseUrl;
    await signInInBrowser(page, base, fx!.delegate);
    await page.goto(`${base}/statistics/agencies?period=year&year=2027`);
    expect(await page.textContent('h1')).to.contain('Kết quả trả lời đơn của các cơ quan');
    const names = () => page.locator('#agency-performance tbody tr:not(.dn-total-row) th').allTextContents();
    expect(await names()).to.deep.equal([fx!.names.A, fx!.names.C, fx!.names.B]);
    await expectAccessible(page, 'agency performance page');
    await page.click('a[data-sort="meanDays"]');
    await page.waitForURL(/sort=meanDays/);
    // Largest first, agencies without an answer last.
    expect(await names()).to.deep.equal([fx!.names.A, fx!.names.B, fx!.names.C]);
    await page.click('a[data-sort="meanDays"]');
    await page.waitForURL(/dir=asc/);
    expect(await names()).to.deep.equal([fx!.names.B, fx!.names.A, fx!.names.C]);
    await expectAccessible(page, 'agency performance page, sorted');
    await page.click('.dn-total-row td[data-figure="overdue"] a');
    await page.waitForURL(/\/forwardings\?.*answer=overdue/);
    // The delegate follows K3 only among the overdue ones: their list shows F3.
    expect(await page.locator('tbody a[href^="/forwardings/"]').count()).to.equal(1);
    expect(errors).to.deep.equal([]);
    await context.close();
  });
});
