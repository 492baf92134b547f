// The citizen's receipt: a real PDF whose text reads right, and never a denouncer's identity for a
// user who may not see it.
import { expect } from 'chai';
import type supertest from 'supertest';
import { buildTestApp, useTestDatabase } from '../support/app.js';
import { createTestUser } from '../support/factories.js';
import { signIn } from '../support/http.js';
import { postWalkIn, seedIntakeReference, walkInFields } from '../support/intake.js';
import { extractPdfText } from '../support/pdf.js';

function binary(res: supertest.Response, callback: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => callback(null, Buffer.concat(chunks)));
}

describe('receipt for the citizen (giấy biên nhận)', () => {
  useTestDatabase();

  it('prints the case number, the citizen and the handling deadline with intact diacritics', async () => {
    const ref = await seedIntakeReference();
    const { app } = buildTestApp();
    const officer = await createTestUser({ role: 'officer', name: 'Lê Thị Tiếp' });
    const agent = await signIn(app, officer);
    const saved = await postWalkIn(agent, walkInFields({ name: 'Nguyễn Thị Ngọc Ánh', unitCode: ref.commune, street: 'Thôn Đông' }));
    const res = await agent.get(`${saved.headers.location!}/receipt.pdf`).buffer(true).parse(binary);
    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.equal('application/pdf');
    expect(res.headers['cache-control']).to.contain('no-store');
    const text = await extractPdfText(res.body as Buffer);
    for (const expected of ['GIẤY BIÊN NHẬN', 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 'Nguyễn Thị Ngọc Ánh', '045090012345', 'Thôn Đông', '2026/000001', '16/03/2026', 'Lê Thị Tiếp', 'Khiếu nại quyết định thu hồi đất']) {
      expect(text).to.contain(expected);
    }
  });

  it('is refused for a denunciation to an officer who may not see denouncers', async () => {
    await seedIntakeReference();
    const { app } = buildTestApp();
    const cleared = await createTestUser({ role: 'officer', grantedPermissions: ['view-denouncer-identity'] });
    const officer = await createTestUser({ role: 'officer' });
    const saved = await postWalkIn(await signIn(app, cleared), walkInFields({ type: 'denunciation', name: 'Hoàng Bí Mật' }));
    const agent = await signIn(app, officer);
    const page = await agent.get(saved.headers.location!);
    expect(page.text).to.not.contain('receipt.pdf');
    const res = await agent.get(`${saved.headers.location!}/receipt.pdf`);
    expect(res.status).to.equal(403);
    expect(res.text).to.not.contain('Hoàng Bí Mật');
  });

  it('answers 404 for a case that does not exist', async () => {
    const { app } = buildTestApp();
    const agent = await signIn(app, await createTestUser({ role: 'officer' }));
    expect((await agent.get('/cases/64b7f0000000000000000000/receipt.pdf')).status).to.equal(404);
    expect((await agent.get('/cases/nope/receipt.pdf')).status).to.equal(404);
  });
});
