// A supervision round in a real browser, with the keyboard alone: plan a round (a refused date fixed
// through the error summary), start it, add an overdue case from the pick list, record a finding,
// propose the matter for a session's questioning and send a chase letter — with axe-core checking
// every supervision page visited, the CSP on and no script errors.
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { ChaseLetterModel, QuestioningCandidateModel, SupervisionFindingModel, SupervisionRoundModel } from '../../server/supervision/index.js';
import { buildTestApp, useTestDatabase } from '../support/app.js';
import { expectAccessible, signInInBrowser, useBrowser } from '../support/browser.js';
import { APP_CONFIG, DENOUNCER } from '../forwarding/support.js';
import { LATER, makeSession, supervisionWorld } from '../supervision/support.js';

/** Moves focus with Tab until the focused element matches the CSS selector (the page's own order, no mouse). */
async function tabTo(page: Page, selector: string, max = 80): Promise<void> {
  for (let i = 0; i < max; i++) {
    const matches = await page.evaluate((s) => (globalThis as unknown as { document: { activeElement: { matches(s: string): boolean } | null } }).document.activeElement?.matches(s) ?? false, selector);
    if (matches) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`could not reach ${selector} with Tab`);
}

async function focusedId(page: Page): Promise<string> {
  return page.evaluate(() => (globalThis as unknown as { document: { activeElement: { id: string } | null } }).document.activeElement?.id ?? '');
}

describe('browser: a supervision round with the keyboard', function () {
  this.timeout(240_000);
  useTestDatabase();
  const session = useBrowser(() => buildTestApp({ clock: LATER, config: APP_CONFIG }).app);

  it('plans, starts, adds a case, records a finding, proposes it for questioning and chases the agency', async () => {
    const w = await supervisionWorld({ denunciation: true });
    const sessionId = await makeSession(w.officerActor);
    const base = session.server.baseUrl;
    const context = await session.browser.newContext({ locale: 'vi-VN' });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    page.on('console', (msg) => {
      // Chromium logs the refused form's 422 answer as a failed load: that answer is the point.
      if (msg.type() === 'error' && !msg.text().includes('status of 422')) errors.push(msg.text());
    });
    await signInInBrowser(page, base, w.sent.officer);

    // The list, then the plan form reached from it.
    await page.goto(`${base}/supervision`);
    expect(await page.textContent('main')).to.contain('Không có đợt giám sát nào phù hợp.');
    await expectAccessible(page, 'rounds list');
    await page.focus('a[href="/supervision/new"]');
    await page.keyboard.press('Enter');
    await page.waitForURL(`${base}/supervision/new`);
    await expectAccessible(page, 'plan form');

    await tabTo(page, '#title');
    await page.keyboard.type('Giám sát đơn tố cáo quá hạn quý II');
    await tabTo(page, '#basis');
    await page.keyboard.type('Kế hoạch số 7/KH-HĐND');
    await tabTo(page, '#startsOn');
    await page.keyboard.type('01/04/2027');
    await tabTo(page, '#endsOn');
    await page.keyboard.type('31/03/2027'); // before the start: refused
    const staffBox = await page.getAttribute(`label:has-text("${w.sent.officer.name}")`, 'for');
    await tabTo(page, `#${staffBox!}`);
    await page.keyboard.press('Space');
    const agencyBox = await page.getAttribute(`label:has-text("${w.sent.agencyName}")`, 'for');
    await tabTo(page, `#${agencyBox!}`);
    await page.keyboard.press('Space');
    await tabTo(page, 'form[action="/supervision"] button');
    await page.keyboard.press('Enter');

    await page.waitForSelector('.govuk-error-summary');
    expect(await page.textContent('.govuk-error-summary')).to.contain('Ngày kết thúc phải sau hoặc cùng ngày bắt đầu.');
    expect(await page.inputValue('#title')).to.equal('Giám sát đơn tố cáo quá hạn quý II');
    expect(await page.isChecked(`#${staffBox!}`)).to.equal(true);
    await expectAccessible(page, 'plan form with errors');
    // From the error summary to the field, by keyboard, and fix it; Enter in a field submits.
    await tabTo(page, '.govuk-error-summary a[href="#endsOn"]');
    await page.keyboard.press('Enter');
    expect(await focusedId(page)).to.equal('endsOn');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('30/04/2027');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/supervision\/[a-f0-9]{24}$/);
    const roundUrl = page.url();
    expect(await page.textContent('main')).to.contain('Đã lập kế hoạch đợt giám sát “Giám sát đơn tố cáo quá hạn quý II”.');
    await expectAccessible(page, 'round page, planned');

    await tabTo(page, 'form[action$="/start"] button');
    await page.keyboard.press('Enter');
    await page.waitForSelector('text=Đợt giám sát đã bắt đầu.');
    expect(await page.textContent('main')).to.contain('Đang giám sát');

    // The pick list: the overdue denunciation is there, its denouncer is not.
    await page.focus('a[href$="/cases"].govuk-button');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/cases$/);
    expect(await page.textContent('main')).to.contain('Cơ quan quá hạn trả lời');
    expect(await page.textContent('main')).to.not.contain(DENOUNCER.name);
    await expectAccessible(page, 'pick list');
    await tabTo(page, `#case-${w.sent.caseId}`);
    await page.keyboard.press('Space');
    await tabTo(page, 'form[method="post"] button');
    await page.keyboard.press('Enter');
    await page.waitForURL(roundUrl);
    expect(await page.textContent('main')).to.contain('Đã thêm 1 vụ việc vào đợt giám sát.');
    await expectAccessible(page, 'round page with a case');

    // A finding on the case.
    await tabTo(page, '#caseId');
    await page.keyboard.press('ArrowDown');
    await tabTo(page, '#on');
    await page.keyboard.type('05/04/2027');
    await tabTo(page, '#text');
    await page.keyboard.type('Sở chưa tổ chức xác minh nội dung tố cáo.');
    await tabTo(page, 'form[action$="/findings"] button');
    await page.keyboard.press('Enter');
    await page.waitForSelector('text=Đã ghi nhận và thêm vào diễn biến của vụ việc.');
    expect(await page.textContent('main')).to.contain('Sở chưa tổ chức xác minh nội dung tố cáo.');
    await expectAccessible(page, 'round page with a finding');

    // Proposed for questioning at the session.
    await page.focus('a[href^="/supervision/candidates/new"]');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/supervision\/candidates\/new\?/);
    await expectAccessible(page, 'proposal form');
    await tabTo(page, '#sessionId');
    await page.keyboard.press('ArrowDown');
    await tabTo(page, '#forwardingId');
    await page.keyboard.press('ArrowDown');
    await tabTo(page, '#reason');
    await page.keyboard.type('Sở quá hạn 13 ngày, đã đôn đốc nhưng chưa trả lời.');
    await tabTo(page, 'form[action="/supervision/candidates"] button');
    await page.keyboard.press('Enter');
    await page.waitForURL(roundUrl);
    expect(await page.textContent('main')).to.contain('Đã đề xuất chất vấn, giải trình.');
    expect(await page.textContent('main')).to.contain('Kỳ họp thứ 4, HĐND tỉnh khóa IX');

    // A chase letter to the agency.
    await page.focus('a[href*="/chase?forwarding="]');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/chase\?forwarding=/);
    await expectAccessible(page, 'chase letter form');
    await tabTo(page, '#message');
    await page.keyboard.type('Đề nghị báo cáo kết quả trước ngày 15/04/2027.');
    await tabTo(page, 'form[action$="/chase"] button');
    await page.keyboard.press('Enter');
    await page.waitForURL(roundUrl);
    expect(await page.textContent('main')).to.contain('Đã cấp Công văn đôn đốc số 1/CV-ĐĐ');
    expect(await page.textContent('main')).to.contain('Công văn số 1/CV-ĐĐ gửi');
    await expectAccessible(page, 'round page with a letter');

    // The session's list and the rounds list.
    await page.goto(`${base}/supervision/candidates?session=${sessionId}`);
    expect(await page.textContent('table')).to.contain('Sở quá hạn 13 ngày, đã đôn đốc nhưng chưa trả lời.');
    await expectAccessible(page, 'candidates of a session');
    await page.goto(`${base}/supervision`);
    expect(await page.textContent('table')).to.contain('Giám sát đơn tố cáo quá hạn quý II');
    await expectAccessible(page, 'rounds list with a round');

    expect(await SupervisionRoundModel.countDocuments()).to.equal(1);
    expect(await SupervisionFindingModel.countDocuments()).to.equal(1);
    expect(await QuestioningCandidateModel.countDocuments()).to.equal(1);
    expect(await ChaseLetterModel.countDocuments()).to.equal(1);
    expect(errors).to.deep.equal([]);
    await context.close();
  });
});
