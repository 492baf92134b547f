// An officer enters a meeting's petitions in a real browser: rows added in the page, a row begun
// without its text refused with everything kept, then saved — with an accessibility check on every page.
import { expect } from 'chai';
import { PetitionModel } from '../../server/meetings/index.js';
import { buildTestApp, fixedClock, useTestDatabase } from '../support/app.js';
import { expectAccessible, signInInBrowser, useBrowser } from '../support/browser.js';
import { makeMeeting, makeSession, seedMeetingsWorld } from './support.js';

describe('browser: entering the petitions of a voter meeting', function () {
  this.timeout(120_000);
  useTestDatabase();
  const session = useBrowser(() => buildTestApp({ clock: fixedClock('2026-04-30T03:00:00Z') }).app);

  it('adds rows in the page, keeps every row through an error, saves, and passes the accessibility check', async () => {
    const w = await seedMeetingsWorld();
    const sessionId = await makeSession(w.officerActor);
    const meetingId = await makeMeeting(w.officerActor, { sessionId, unitCodes: [w.commune], delegateIds: [w.delegateA] });
    const context = await session.browser.newContext({ locale: 'vi-VN' });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    const base = session.server.baseUrl;
    await signInInBrowser(page, base, w.officer);

    await page.goto(`${base}/meetings/${meetingId}`);
    await expectAccessible(page, 'meeting page');
    await page.click('text=Nhập kiến nghị');
    await page.waitForURL(`**/meetings/${meetingId}/petitions/new`);
    await expectAccessible(page, 'petition entry form');

    // The first row has focus: the officer types at once.
    await page.keyboard.type('Đề nghị sửa chữa tuyến đường liên xã bị sạt lở');
    await page.selectOption('#fieldCode1', w.field);
    await page.selectOption('#unitCode1', w.commune);
    await page.fill('#voterCount1', '4');
    await page.fill('#voterCount2', '2'); // a row begun without its text

    // "More rows" adds rows in the page (JavaScript), without sending the form.
    await page.click('button[value="more"]');
    await page.waitForSelector('#content20');
    expect(await page.inputValue('#content1')).to.equal('Đề nghị sửa chữa tuyến đường liên xã bị sạt lở');
    expect(await page.inputValue('#voterCount11')).to.equal('');
    await page.fill('#content15', 'Trạm y tế xã thiếu thuốc');
    await page.click('button[value="save"]');

    await page.waitForSelector('.govuk-error-summary');
    expect(await page.textContent('.govuk-error-summary')).to.contain('Nhập nội dung kiến nghị của dòng này');
    expect(await page.inputValue('#content1')).to.equal('Đề nghị sửa chữa tuyến đường liên xã bị sạt lở');
    expect(await page.inputValue('#content15')).to.equal('Trạm y tế xã thiếu thuốc');
    expect(await page.inputValue('#fieldCode1')).to.equal(w.field);
    expect(await PetitionModel.countDocuments()).to.equal(0);
    await expectAccessible(page, 'petition entry form with errors');

    await page.click('.govuk-error-summary a[href="#content2"]');
    await page.keyboard.type('Hỗ trợ người dân vùng lũ sửa nhà');
    await page.click('button[value="save"]');
    await page.waitForURL(new RegExp(`/meetings/${meetingId}#petitions$`));
    const main = await page.textContent('main');
    expect(main).to.contain('Đã lưu 3 kiến nghị.');
    expect(main).to.contain('Hỗ trợ người dân vùng lũ sửa nhà').and.contain('Trạm y tế xã thiếu thuốc');
    await expectAccessible(page, 'meeting page with petitions');

    await page.click('text=KN-2026-00001');
    await page.waitForSelector('#classify');
    await expectAccessible(page, 'petition page');
    await page.goto(`${base}/meetings/sessions/${sessionId}`);
    await expectAccessible(page, 'session page');
    await page.goto(`${base}/meetings/sessions/${sessionId}/report`);
    await expectAccessible(page, 'session report');
    await page.goto(`${base}/meetings`);
    expect(await page.getAttribute('a[data-export-format="csv"]', 'href')).to.equal('/meetings/export.csv?session=&level=&timing=');
    await expectAccessible(page, 'meetings list with its export links');
    expect(errors).to.deep.equal([]);
    await context.close();
  });
});
