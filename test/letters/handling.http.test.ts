// After intake, over HTTP: the assessment form, splitting a mixed letter, the register's filters,
// pagination and export, and the scans of a letter.
import { expect } from 'chai';
import type { Actor } from '../../server/access/index.js';
import { assessLetter, logLetter } from '../../server/letters/index.js';
import { letterIntakeSchema } from '../../server/letters/letters.schemas.js';
import { buildTestApp, useTestDatabase } from '../support/app.js';
import { createTestUser } from '../support/factories.js';
import { csrfFrom, pageToken, signIn, submitForm, type Agent } from '../support/http.js';
import { seedIntakeReference } from '../support/intake.js';
import { actorOf, ctx, db, idFrom, letterFields, postLetter } from './support.js';

/** A tiny document that the upload parser recognises as PDF by its first bytes. */
function scanPdf(): Buffer {
  return Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n', 'latin1');
}

/** Posts files as the letter page's multipart form does: the CSRF token first, then the files. */
async function postScans(agent: Agent, letterId: string, files: { name: string; data: Buffer }[], token?: string | null) {
  const csrf = token === undefined ? await pageToken(agent, `/letters/${letterId}`) : token;
  let req = agent.post(`/letters/${letterId}/attachments`);
  if (csrf !== null) req = req.field('_csrf', csrf);
  for (const f of files) req = req.attach('files', f.data, f.name);
  return req;
}

describe('letters after intake, over HTTP', () => {
  useTestDatabase();
  let ref: Awaited<ReturnType<typeof seedIntakeReference>>;
  let agent: Agent;
  let officer: Actor;

  beforeEach(async () => {
    ref = await seedIntakeReference();
    const user = await createTestUser({ role: 'officer' });
    officer = await actorOf(user);
    agent = await signIn(buildTestApp().app, user);
  });

  it('saves an assessment through the form, and answers a bad one with 422 and the values kept', async () => {
    const res = await postLetter(agent, letterFields({ caseChoice: 'new' }));
    const url = res.headers.location!;
    const page = await agent.get(url);
    expect(page.text).to.contain('Xem xét điều kiện và hướng xử lý');
    expect(page.text).to.contain('Đơn khiếu nại không nêu quyết định hành chính');
    expect(page.text).to.not.contain('Đơn tố cáo không nêu hành vi vi phạm');

    const bad = await submitForm(agent, url, `${url}/assessment`, { eligible: 'no', handling: 'forward', note: 'Ghi chú <b>thử</b>' });
    expect(bad.status).to.equal(422);
    expect(bad.text).to.contain('href="#reasons"');
    expect(bad.text).to.contain('Chọn ít nhất một lý do');
    expect(bad.text).to.contain('Đơn không đủ điều kiện xử lý chỉ có thể lưu đơn hoặc trả đơn và hướng dẫn');
    expect(bad.text).to.contain('Ghi chú &lt;b&gt;thử&lt;/b&gt;');
    const unknownReason = await submitForm(agent, url, `${url}/assessment`, { eligible: 'no', reasons: 'bribery', handling: 'file' });
    expect(unknownReason.status).to.equal(422);
    expect(unknownReason.text).to.contain('Lý do không hợp lệ');

    const token = await pageToken(agent, url);
    const good = await agent
      .post(`${url}/assessment`)
      .type('form')
      .send(`_csrf=${encodeURIComponent(token)}&eligible=no&reasons=no-decision-named&reasons=already-guided&handling=return-with-guidance&note=`);
    expect(good.status).to.equal(303);
    const after = await agent.get(url);
    expect(after.text).to.contain('Đã lưu kết quả xem xét đơn.');
    expect(after.text).to.contain('Không đủ điều kiện xử lý');
    expect((await db().collection('cases').findOne({}))?.status).to.equal('returned');
    const casePage = await agent.get(`/cases/${String((await db().collection('cases').findOne({}))?._id)}`);
    expect(casePage.text).to.contain('Xem xét đơn: trả đơn và hướng dẫn');
    expect(casePage.text).to.contain('Đã trả đơn, hướng dẫn');
  });

  it('splits a mixed letter through the form: refuses one part, then makes three cases', async () => {
    const res = await postLetter(agent, letterFields({ caseChoice: 'new', type: 'mixed', mainType: 'complaint', unitCode: ref.commune }));
    const url = res.headers.location!;
    expect((await agent.get(url)).text).to.contain('Tách đơn thành các vụ việc');
    const form = await agent.get(`${url}/split`);
    expect(form.status).to.equal(200);
    expect(form.text).to.contain('Nội dung 1 (vụ việc 2026/000001)');
    const one = await submitForm(agent, `${url}/split`, `${url}/split`, { part1Type: 'complaint', part1Summary: 'Khiếu nại <phần> một' });
    expect(one.status).to.equal(422);
    expect(one.text).to.contain('Cần ít nhất 2 nội dung để tách đơn');
    expect(one.text).to.contain('Khiếu nại &lt;phần&gt; một');
    const halfRow = await submitForm(agent, `${url}/split`, `${url}/split`, { part1Type: 'complaint', part1Summary: 'A', part2Summary: 'B' });
    expect(halfRow.status).to.equal(422);
    expect(halfRow.text).to.contain('href="#part2Type"');
    const mixedPart = await submitForm(agent, `${url}/split`, `${url}/split`, { part1Type: 'mixed', part1Summary: 'A', part2Type: 'petition', part2Summary: 'B' });
    expect(mixedPart.status).to.equal(422);
    expect(await db().collection('cases').countDocuments()).to.equal(1);

    const done = await submitForm(agent, `${url}/split`, `${url}/split`, {
      part1Type: 'complaint',
      part1FieldCode: ref.field,
      part1Summary: 'Khiếu nại quyết định xử phạt',
      part2Type: 'petition',
      part2Summary: 'Kiến nghị cấp phép xây dựng',
      part3Type: 'feedback',
      part3Summary: 'Phản ánh tiếng ồn công trường',
    });
    expect(done.status).to.equal(303);
    const page = await agent.get(url);
    expect(page.text).to.contain('Đã tách đơn; các vụ việc: 2026/000001, 2026/000002, 2026/000003.');
    for (const n of ['2026/000001', '2026/000002', '2026/000003']) expect(page.text).to.contain(n);
    expect(page.text).to.not.contain('/split"');
    expect((await agent.get(`${url}/split`)).status).to.equal(409);
    const again = await submitForm(agent, url, `${url}/split`, { part1Type: 'complaint', part1Summary: 'A', part2Type: 'petition', part2Summary: 'B' });
    expect(again.status).to.equal(409);
    expect(await db().collection('cases').countDocuments()).to.equal(3);
  });

  it('filters the register, searches without diacritics, pages by key and counts', async () => {
    const make = (fields: Record<string, string>) => logLetter(officer, letterIntakeSchema.parse(letterFields({ caseChoice: 'new', citizenId: '', ...fields })), ctx);
    for (let i = 1; i <= 26; i++) await make({ name: `Người Gửi ${i}`, date: `${String((i % 20) + 1).padStart(2, '0')}/04/2026`, summary: `Kiến nghị số ${i} về đường giao thông` });
    const email = await make({ name: 'Đặng Thị Hường', channel: 'email', type: 'petition', date: '15/05/2026', summary: 'Phản ánh ô nhiễm nguồn nước' });
    if (email.outcome === 'saved') await assessLetter(officer, email.letterId, { eligible: false, reasons: ['already-guided'], hasEvidence: false, handling: 'file', note: null }, ctx);

    const countAt = async (path: string) => Number(/role="status">\s*(\d+) đơn/.exec((await agent.get(path)).text)?.[1]);
    const first = await agent.get('/letters');
    expect(await countAt('/letters')).to.equal(27);
    expect(first.text).to.contain('Đặng Thị Hường'); // newest first
    const rows = (html: string) => (html.match(/<tr class="govuk-table__row">/g) ?? []).length - 1;
    expect(rows(first.text)).to.equal(25);
    const next = /href="(\/letters\?[^"]*after=[a-f0-9]{24})"/.exec(first.text)?.[1]?.replace(/&amp;/g, '&');
    expect(next).to.be.a('string');
    const second = await agent.get(next!);
    expect(rows(second.text)).to.equal(2);
    expect(second.text).to.not.contain('Đặng Thị Hường');

    expect(await countAt('/letters?q=dang thi huong')).to.equal(1);
    expect(await countAt('/letters?q=O NHIEM nuoc')).to.equal(1);
    expect(await countAt('/letters?channel=email')).to.equal(1);
    expect(await countAt('/letters?channel=post')).to.equal(26);
    expect(await countAt('/letters?type=petition')).to.equal(1);
    expect(await countAt('/letters?eligible=no')).to.equal(1);
    expect(await countAt('/letters?eligible=pending')).to.equal(26);
    expect(await countAt('/letters?handling=file')).to.equal(1);
    expect(await countAt('/letters?handling=none')).to.equal(26);
    expect(await countAt('/letters?from=2026-04-01&to=2026-04-05')).to.equal(9); // day 1 once (i = 20), days 2–5 twice (i and i + 20)
    expect((await agent.get('/letters?q=zzz')).text).to.contain('Không có đơn nào phù hợp.');
    // Malformed filters and operator syntax in the query string are ignored, never an error.
    for (const path of ['/letters?channel[$ne]=x', '/letters?q[$gt]=', '/letters?after=abc', '/letters?from=99-99&eligible=maybe', '/letters?q=.*']) {
      expect((await agent.get(path)).status, path).to.equal(200);
    }
    // A date that cannot be read is not applied, and the page says so under its box, keeping it.
    const unread = await agent.get('/letters?from=99-99');
    expect(unread.text).to.contain('Không đọc được ngày này').and.to.contain('value="99-99"');
    expect(await countAt('/letters?from=99-99')).to.equal(await countAt('/letters'));
  });

  it('exports the register as CSV that Excel reads, with the filters applied', async () => {
    await postLetter(agent, letterFields({ caseChoice: 'new', summary: '=HYPERLINK("http://x") khiếu nại' }));
    await postLetter(agent, letterFields({ caseChoice: 'new', citizenId: '', name: 'Lò Văn Sáu', channel: 'email' }));
    const res = await agent.get('/letters/export.csv?channel=post').buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.contain('text/csv');
    const body = res.body as Buffer;
    expect([...body.subarray(0, 3)]).to.deep.equal([0xef, 0xbb, 0xbf]);
    const text = body.toString('utf8');
    expect(text).to.contain('Ngày nhận đơn');
    expect(text).to.contain('Trần Văn Bình');
    expect(text).to.not.contain('Lò Văn Sáu');
    expect(text).to.contain("'=HYPERLINK");
  });

  it('attaches scans to a letter and lets its readers download them; refuses a file that is not a document', async () => {
    const res = await postLetter(agent, letterFields({ caseChoice: 'new' }));
    const letterId = idFrom(res.headers.location);
    const page = await agent.get(`/letters/${letterId}`);
    expect(page.text).to.contain('enctype="multipart/form-data"');
    expect(csrfFrom(page.text)).to.be.a('string');

    const noToken = await postScans(agent, letterId, [{ name: 'scan.pdf', data: scanPdf() }], null);
    expect(noToken.status).to.equal(403);
    const noFile = await postScans(agent, letterId, []);
    expect(noFile.status).to.equal(422);
    expect(noFile.text).to.contain('Chọn ít nhất một tệp');
    const refused = await postScans(agent, letterId, [{ name: 'virus.pdf', data: Buffer.from('MZ\x90\x00 not a pdf at all', 'latin1') }]);
    expect(refused.status).to.be.within(400, 499);
    expect(refused.text).to.contain('Chỉ nhận tệp PDF');
    expect(await db().collection('attachments').countDocuments({ status: 'linked' })).to.equal(0);

    const ok = await postScans(agent, letterId, [{ name: 'Đơn khiếu nại.pdf', data: scanPdf() }]);
    expect(ok.status, ok.text.slice(0, 300)).to.equal(303);
    const after = await agent.get(`/letters/${letterId}`);
    expect(after.text).to.contain('Đã đính kèm 1 tệp.');
    expect(after.text).to.contain('Đơn khiếu nại.pdf');
    const link = /href="(\/letters\/[a-f0-9]{24}\/attachments\/[a-f0-9]{24})"/.exec(after.text)?.[1];
    const download = await agent.get(link!);
    expect(download.status).to.equal(200);
    expect(download.headers['content-disposition']).to.match(/^attachment/);
    const letter = await db().collection('letters').findOne({});
    expect(letter?.attachmentIds).to.have.length(1);
    const kase = await db().collection('cases').findOne({});
    expect(await db().collection('case_events').countDocuments({ caseId: kase?._id, type: 'case.letter-scans-added' })).to.equal(1);
    // Another letter's scan is not reachable through this letter.
    const other = idFrom((await postLetter(agent, letterFields({ caseChoice: 'new', citizenId: '', name: 'Khác' }))).headers.location);
    expect((await agent.get(link!.replace(letterId, other))).status).to.equal(404);
  });
});
