// A denunciation's summary, a visit's words and a letter's summary are typed by officers and may name
// the filer. Readers who may not see the filers get those names and ID numbers blanked wherever the
// text appears — the case list, the case page, the registers and their files — as the work queues and
// the agencies' pages already did; readers with the right see the text as typed. Sending the case
// page's classification form back as shown keeps the stored summary (the blanks are not saved).
import { expect } from 'chai';
import { CaseModel } from '../../server/cases/index.js';
import { buildTestApp, useTestDatabase } from '../support/app.js';
import { createTestUser } from '../support/factories.js';
import { signIn, submitForm } from '../support/http.js';
import { postWalkIn, seedIntakeReference, walkInFields } from '../support/intake.js';
import { csvRows, download } from '../exports/support.js';
import { letterFields, postLetter } from '../letters/support.js';

const NAMED = 'Ông Trần Văn Tố (CCCD 001090012345) tố cáo cán bộ địa chính xã nhận tiền khi cấp sổ';
const BLANKED = 'Ông [đã ẩn] (CCCD [đã ẩn]) tố cáo cán bộ địa chính xã nhận tiền khi cấp sổ';

describe('protected free text: the filer’s name blanked for readers who may not see it', () => {
  useTestDatabase();

  async function setUp() {
    const ref = await seedIntakeReference();
    const { app } = buildTestApp();
    const officer = await signIn(app, await createTestUser({ role: 'officer' }));
    const trusted = await signIn(app, await createTestUser({ role: 'officer', grantedPermissions: ['view-denouncer-identity'] }));
    const res = await postWalkIn(officer, walkInFields({ unitCode: ref.commune, fieldCode: ref.field, caseChoice: 'new', type: 'denunciation', name: 'Trần Văn Tố', citizenId: '001090012345', content: NAMED }));
    expect(res.status, res.text.slice(0, 300)).to.equal(303);
    const url = res.headers.location!;
    return { ref, officer, trusted, url, id: url.split('/').pop()! };
  }

  it('blanks the case summary and the visit’s words on the lists, the case page and the files', async () => {
    const { officer, trusted, url } = await setUp();
    for (const path of ['/cases', url, '/receptions']) {
      const page = (await officer.get(path)).text;
      expect(page, path).to.contain(BLANKED);
      expect(page, path).to.not.contain('Trần Văn Tố');

      expect(page, path).to.not.contain('001090012345');
      expect((await trusted.get(path)).text, path).to.contain(NAMED);
    }
    const caseFile = csvRows((await download(officer, '/cases/export.csv')).body);
    expect(caseFile[1]).to.include(BLANKED);
    const visitFile = csvRows((await download(officer, '/receptions/export.csv')).body);
    expect(visitFile[1]).to.include(BLANKED);
    expect(csvRows((await download(trusted, '/cases/export.csv')).body)[1]).to.include(NAMED);
  });

  it('blanks a protected letter’s summary on the letter register', async () => {
    const { ref, officer, trusted } = await setUp();
    const res = await postLetter(officer, letterFields({ unitCode: ref.commune, fieldCode: ref.field, type: 'denunciation', name: 'Trần Văn Tố', citizenId: '001090012345', summary: NAMED, caseChoice: 'new' }));
    expect(res.status, res.text.slice(0, 300)).to.equal(303);
    const register = (await officer.get('/letters')).text;
    expect(register).to.contain(BLANKED);
    expect(register).to.not.contain('Trần Văn Tố');
    expect((await trusted.get('/letters')).text).to.contain(NAMED);
  });

  it('does not find a protected case or letter by the filer’s name or CCCD in its summary, for readers who may not see it', async () => {
    const { ref, officer, trusted } = await setUp();
    // The filers are never among the words everyone searches; their names in the summaries no longer either.
    const letter = await postLetter(officer, letterFields({ unitCode: ref.commune, fieldCode: ref.field, type: 'denunciation', name: 'Trần Văn Tố', citizenId: '001090012345', summary: NAMED, caseChoice: 'new' }));
    expect(letter.status, letter.text.slice(0, 300)).to.equal(303);
    for (const path of ['/cases?q=tran+van+to', '/letters?q=tran+van+to', '/cases?q=001090012345']) {
      expect((await officer.get(path)).text, path).to.not.contain('tố cáo cán bộ địa chính');
      expect((await trusted.get(path)).text, path).to.contain(NAMED);
    }
    // The words of the summary that name nobody still find it, for everyone.
    expect((await officer.get('/cases?q=dia+chinh+nhan+tien')).text).to.contain(BLANKED);
  });

  it('keeps the stored summary when the classification form comes back as shown; an edit saves what the officer saw', async () => {
    const { ref, officer, url, id } = await setUp();
    const page = (await officer.get(url)).text;
    expect(page).to.contain(`>${BLANKED}</textarea>`);
    const form = { type: 'denunciation', fieldCode: ref.field, unitCode: ref.commune };
    const same = await submitForm(officer, url, `${url}/classify`, { ...form, summary: BLANKED });
    expect(same.status).to.equal(303);
    expect((await CaseModel.findById(id).lean())!.summary).to.equal(NAMED);

    const edited = await submitForm(officer, url, `${url}/classify`, { ...form, summary: `${BLANKED}; đã có đơn lần 2` });
    expect(edited.status).to.equal(303);
    expect((await CaseModel.findById(id).lean())!.summary).to.equal(`${BLANKED}; đã có đơn lần 2`);
  });
});
