// A denunciation letter's sender is hidden from everyone without the permission — in the register, its
// search, the letter page, its full text and scans, the case page and the export — and every display
// to someone with the permission is recorded.
import { expect } from 'chai';
import mongoose from 'mongoose';
import { buildTestApp, useTestDatabase } from '../support/app.js';
import { createTestUser } from '../support/factories.js';
import { pageToken, signIn, submitForm, type Agent } from '../support/http.js';
import { seedIntakeReference } from '../support/intake.js';
import { idFrom, letterFields, postLetter } from './support.js';

const SECRET_NAME = 'Hoàng Bí Mật';
const SECRET_ID = '045085099999';
const SECRET_PHONE = '0988777666';
const SECRET_STREET = 'Số 9 hẻm Kín';

function scanPdf(): Buffer {
  return Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n', 'latin1');
}

async function text(agent: Agent, path: string): Promise<{ status: number; body: string }> {
  const res = await agent.get(path).buffer(true).parse((r, cb) => {
    const chunks: Buffer[] = [];
    r.on('data', (c: Buffer) => chunks.push(c));
    r.on('end', () => cb(null, Buffer.concat(chunks)));
  });
  return { status: res.status, body: (res.body as Buffer).toString('utf8') };
}

/** The page without the user's own search words echoed back (in the search box and in links). */
function withoutEcho(body: string, path: string): string {
  const q = new URL(path, 'http://x').searchParams.get('q');
  if (!q) return body;
  return body.split(`value="${q}"`).join('').split(`q=${encodeURIComponent(q)}`).join('');
}

function expectNoIdentity(raw: string, where: string): void {
  const body = withoutEcho(raw, where);
  for (const secret of [SECRET_NAME, SECRET_ID, SECRET_PHONE, SECRET_STREET, 'Tôi tên là', 'to-cao-scan.pdf']) expect(body, `${where}: ${secret}`).to.not.contain(secret);
}

describe('confidentiality of denouncers in letters', () => {
  useTestDatabase();

  it('never shows a denouncer to an officer without the permission, and records every display to a leader', async () => {
    await seedIntakeReference();
    const { app } = buildTestApp();
    const cleared = await createTestUser({ role: 'officer', grantedPermissions: ['view-denouncer-identity'] });
    const officer = await createTestUser({ role: 'officer' });
    const leader = await createTestUser({ role: 'leader' });
    const clearedAgent = await signIn(app, cleared);

    const res = await postLetter(
      clearedAgent,
      letterFields({
        caseChoice: 'new',
        type: 'denunciation',
        name: SECRET_NAME,
        citizenId: SECRET_ID,
        phone: SECRET_PHONE,
        street: SECRET_STREET,
        summary: 'Tố cáo cán bộ địa chính xã nhận tiền khi làm sổ đỏ',
        fullText: `Tôi tên là ${SECRET_NAME}, ở ${SECRET_STREET}, xin tố cáo...`,
      }),
    );
    expect(res.status).to.equal(303);
    const letterUrl = res.headers.location!;
    const letterId = idFrom(letterUrl);
    const token = await pageToken(clearedAgent, letterUrl);
    const upload = await clearedAgent.post(`${letterUrl}/attachments`).field('_csrf', token).attach('files', scanPdf(), 'to-cao-scan.pdf');
    expect(upload.status).to.equal(303);
    const attachment = await mongoose.connection.collection('attachments').findOne({ status: 'linked' });
    expect(attachment?.confidential).to.equal(true);
    const scanUrl = `${letterUrl}/attachments/${String(attachment?._id)}`;
    const kase = await mongoose.connection.collection('cases').findOne({});
    const caseUrl = `/cases/${String(kase?._id)}`;

    // The officer: no page, search, export or file shows who wrote the letter.
    const officerAgent = await signIn(app, officer);
    const pages = [
      letterUrl,
      caseUrl,
      '/letters',
      '/letters?type=denunciation',
      '/letters?q=hoang bi mat',
      `/letters?q=${SECRET_ID}`,
      '/letters/export.csv',
      '/letters/export.csv?q=hoang',
      '/cases?q=hoang bi mat',
    ];
    for (const path of pages) {
      const page = await text(officerAgent, path);
      expect(page.status, path).to.equal(200);
      expectNoIdentity(page.body, path);
    }
    const letterPage = (await text(officerAgent, letterUrl)).body;
    expect(letterPage).to.contain('[bảo mật]');
    expect(letterPage).to.contain('Toàn văn đơn tố cáo có thể làm lộ người tố cáo');
    expect(letterPage).to.contain('Bản scan của đơn tố cáo có thể làm lộ người tố cáo');
    expect((await text(officerAgent, '/letters')).body).to.contain('[bảo mật]');
    expect((await text(officerAgent, caseUrl)).body).to.contain('[bảo mật]');
    expect((await text(officerAgent, '/letters?q=hoang bi mat')).body).to.contain('Không có đơn nào phù hợp.');
    expect((await text(officerAgent, '/letters/export.csv')).body).to.contain('[bảo mật]');
    // What the letter is about is not secret: it can still be found by its content.
    expect((await text(officerAgent, '/letters?q=dia chinh so do')).body).to.contain('nhận tiền khi làm sổ đỏ');
    const scan = await officerAgent.get(scanUrl);
    expect(scan.status).to.equal(403);
    expectNoIdentity(scan.text, 'scan');
    // The officer can still work on the letter without seeing its sender.
    const assess = await submitForm(officerAgent, letterUrl, `${letterUrl}/assessment`, { eligible: 'yes', handling: 'forward' });
    expect(assess.status).to.equal(303);
    const views = () => mongoose.connection.collection('audit_events').countDocuments({ action: 'case.identity-viewed', actorEmail: officer.email });
    expect(await views()).to.equal(0);

    // The leader sees the sender, and each display is recorded.
    const leaderViews = (where: string) => mongoose.connection.collection('audit_events').countDocuments({ action: 'case.identity-viewed', actorEmail: leader.email, 'details.where': where });
    const leaderAgent = await signIn(app, leader);
    const leaderPage = (await text(leaderAgent, letterUrl)).body;
    expect(leaderPage).to.contain(SECRET_NAME);
    expect(leaderPage).to.contain(SECRET_ID);
    expect(leaderPage).to.contain(`Tôi tên là ${SECRET_NAME}`);
    expect(leaderPage).to.contain('to-cao-scan.pdf');
    expect(await leaderViews('letter-page')).to.equal(1);
    const entry = await mongoose.connection.collection('audit_events').findOne({ actorEmail: leader.email, 'details.where': 'letter-page' });
    expect(entry).to.include({ targetType: 'letter', targetId: letterId });

    expect((await text(leaderAgent, '/letters?q=hoang bi mat')).body).to.contain(SECRET_NAME);
    expect(await leaderViews('letter-list')).to.equal(1);
    expect((await text(leaderAgent, '/letters/export.csv')).body).to.contain(SECRET_NAME);
    expect(await leaderViews('letter-export')).to.equal(1);
    expect((await leaderAgent.get(scanUrl)).status).to.equal(200);
    expect(await leaderViews('letter-scan')).to.equal(1);
    // A list that shows no denouncer records nothing.
    await leaderAgent.get('/letters?q=zzz');
    expect(await leaderViews('letter-list')).to.equal(1);
  });

  it('protects the senders of a mixed letter once a part of it turns out to be a denunciation', async () => {
    const ref = await seedIntakeReference();
    const { app } = buildTestApp();
    const officerUser = await createTestUser({ role: 'officer' });
    const agent = await signIn(app, officerUser);
    const res = await postLetter(agent, letterFields({ caseChoice: 'new', type: 'mixed', mainType: 'petition', name: SECRET_NAME, citizenId: SECRET_ID, unitCode: ref.commune }));
    const url = res.headers.location!;
    expect((await text(agent, url)).body).to.contain(SECRET_NAME);
    const split = await submitForm(agent, `${url}/split`, `${url}/split`, {
      part1Type: 'petition',
      part1Summary: 'Kiến nghị sửa đường',
      part2Type: 'denunciation',
      part2Summary: 'Tố cáo trưởng thôn thu tiền',
    });
    expect(split.status).to.equal(303);
    for (const path of [url, '/letters', `/letters?q=${SECRET_ID}`]) expectNoIdentity((await text(agent, path)).body, path);
    expect((await text(agent, url)).body).to.contain('[bảo mật]');
    const denunciation = await mongoose.connection.collection('cases').findOne({ type: 'denunciation' });
    expectNoIdentity((await text(agent, `/cases/${String(denunciation?._id)}`)).body, 'denunciation case');
  });
});
