// The agency pages for administrators, through the real sign-in and forms with CSRF on: the list
// (search without diacritics, filters, pages by key), the form with its contact rows, deactivation
// after a confirmation, the CSV import pasted or uploaded, and the suggestion page.
import { expect } from 'chai';
import mongoose from 'mongoose';
import { seedAgencies } from '../../server/agencies/index.js';
import { seedReferenceData } from '../../server/reference/index.js';
import { buildTestApp, useTestDatabase } from '../support/app.js';
import { createTestUser } from '../support/factories.js';
import { csrfFrom, pageToken, signIn, type Agent } from '../support/http.js';

const agencies = () => mongoose.connection.collection('agencies');
const audits = (action: string) => mongoose.connection.collection('audit_events').countDocuments({ action });
const namesIn = (html: string) => [...html.matchAll(/<a class="govuk-link" href="\/admin\/agencies\/[a-f0-9]{24}">([^<]+)<\/a>/g)].map((m) => m[1]);
const idOf = async (name: string) => String((await agencies().findOne({ name }))!._id);

/** A form body as a browser sends it: a repeated name for each checked box. */
function formBody(fields: Record<string, string | string[]>): string {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) for (const v of Array.isArray(value) ? value : [value]) body.append(name, v);
  return body.toString();
}

async function postForm(agent: Agent, page: string, action: string, fields: Record<string, string | string[]>) {
  const token = await pageToken(agent, page);
  return agent.post(action).type('form').send(formBody({ _csrf: token, ...fields }));
}

const newAgency = {
  name: 'Sở Khoa học và Công nghệ tỉnh Quảng Trị',
  shortName: 'Sở KH&CN',
  level: 'province',
  parentId: '',
  fieldCodes: ['khac', 'doanh-nghiep'],
  contactEmail1: 'VanThu.SKHCN@quangtri.example.gov.vn',
  contactName1: 'Văn thư',
  contactRole1: 'to',
  contactEmail2: '',
  contactName2: '',
  contactRole2: 'to',
  contactEmail3: 'giamdoc.skhcn@quangtri.example.gov.vn',
  contactName3: '',
  contactRole3: 'head',
};

describe('agency pages', () => {
  useTestDatabase();

  async function adminAgent() {
    await seedReferenceData();
    await seedAgencies();
    const { app } = buildTestApp();
    const admin = await createTestUser({ role: 'admin' });
    return { app, agent: await signIn(app, admin) };
  }

  it('is for administrators only, and found under the reference-data navigation', async () => {
    const { app, agent } = await adminAgent();
    const units = await agent.get('/admin/units');
    expect(units.text).to.contain('href="/admin/agencies"');
    expect(units.text).to.contain('href="/admin/deadline-rules"');
    const id = await idOf('Sở Y tế tỉnh Quảng Trị');
    for (const role of ['officer', 'leader', 'delegate'] as const) {
      const other = await signIn(app, await createTestUser({ role }));
      for (const path of ['/admin/agencies', '/admin/agencies/new', '/admin/agencies/import', '/admin/agencies/suggest', `/admin/agencies/${id}`, `/admin/agencies/${id}/deactivate`]) {
        expect((await other.get(path)).status, `${role} ${path}`).to.equal(403);
      }
      const token = csrfFrom((await other.get('/')).text);
      expect((await other.post(`/admin/agencies/${id}/deactivate`).type('form').send({ _csrf: token })).status).to.equal(403);
      expect((await other.post('/admin/agencies/import').type('form').send({ _csrf: token, csv: 'name;to\nA;a@b.vn' })).status).to.equal(403);
    }
    expect(await agencies().countDocuments({ active: false })).to.equal(0);
  });

  it('finds agencies without diacritics and filters by level, field and status', async () => {
    const { agent } = await adminAgent();
    const list = await agent.get('/admin/agencies');
    expect(list.status).to.equal(200);
    expect(list.text).to.contain('18 cơ quan');
    expect(namesIn((await agent.get('/admin/agencies?q=so y te')).text)).to.deep.equal(['Sở Y tế tỉnh Quảng Trị']);
    expect(namesIn((await agent.get('/admin/agencies?q=CAM LO')).text)).to.deep.equal(['Ủy ban nhân dân xã Cam Lộ']);
    expect(namesIn((await agent.get('/admin/agencies?level=central')).text)).to.deep.equal(['Bộ Nông nghiệp và Môi trường', 'Bộ Xây dựng']);
    expect(namesIn((await agent.get('/admin/agencies?field=tu-phap-thi-hanh-an')).text)).to.deep.equal(['Tòa án nhân dân tỉnh Quảng Trị', 'Viện kiểm sát nhân dân tỉnh Quảng Trị']);
    await agencies().updateOne({ name: 'Bộ Xây dựng' }, { $set: { active: false } });
    expect(namesIn((await agent.get('/admin/agencies?status=inactive')).text)).to.deep.equal(['Bộ Xây dựng']);
    const odd = await agent.get('/admin/agencies?q[$ne]=x&level[$gt]=&field=../x&status=all&after=zzz');
    expect(odd.status).to.equal(200);
    expect(namesIn((await agent.get('/admin/agencies?q=.*')).text)).to.deep.equal([]);
  });

  it('pages through agencies by key without repeating or losing any', async () => {
    const { agent } = await adminAgent();
    const rows = Array.from({ length: 12 }, (_, i) => `Cơ quan thử ${String(i).padStart(2, '0')};tinh;t${i}@thu.example.gov.vn`);
    const imported = await postForm(agent, '/admin/agencies/import', '/admin/agencies/import', { csv: ['name;level;to', ...rows].join('\n') });
    expect(imported.status).to.equal(303);
    const total = await agencies().countDocuments();
    expect(total).to.equal(30);
    const first = await agent.get('/admin/agencies');
    const next = /href="([^"]*after=[^"]+)" rel="next"/.exec(first.text)?.[1]?.replace(/&amp;/g, '&');
    expect(next).to.be.a('string');
    const second = await agent.get(next!);
    const all = [...namesIn(first.text), ...namesIn(second.text)];
    expect(namesIn(first.text)).to.have.length(25);
    expect(new Set(all).size).to.equal(total);
    expect(/rel="next"/.test(second.text)).to.equal(false);
  });

  it('creates an agency from the form, ignoring blank contact rows, audited', async () => {
    const { agent } = await adminAgent();
    const res = await postForm(agent, '/admin/agencies/new', '/admin/agencies', { ...newAgency, parentId: await idOf('Ủy ban nhân dân tỉnh Quảng Trị') });
    expect(res.status, res.text.slice(0, 300)).to.equal(303);
    const stored = await agencies().findOne({ name: newAgency.name });
    expect(res.headers.location).to.equal(`/admin/agencies/${String(stored?._id)}`);
    expect(stored).to.deep.include({ nameFolded: 'so khoa hoc va cong nghe tinh quang tri', level: 'province', fieldCodes: ['khac', 'doanh-nghiep'], unitCodes: [], source: 'admin', active: true });
    expect(stored?.contacts).to.deep.equal([
      { email: 'vanthu.skhcn@quangtri.example.gov.vn', name: 'Văn thư', role: 'to' },
      { email: 'giamdoc.skhcn@quangtri.example.gov.vn', name: '', role: 'head' },
    ]);
    const page = await agent.get(res.headers.location!);
    expect(page.text).to.contain('Đã thêm cơ quan Sở Khoa học và Công nghệ tỉnh Quảng Trị.');
    expect(page.text).to.match(/value="doanh-nghiep" checked/);
    expect(await audits('agency.created')).to.equal(1);
  });

  it('keeps every typed value, checked boxes included, and explains each problem', async () => {
    const { agent } = await adminAgent();
    const before = await agencies().countDocuments();
    const bad = await postForm(agent, '/admin/agencies/new', '/admin/agencies', {
      ...newAgency,
      name: '<b>Sở</b>',
      level: 'district',
      unitCodes: ['qt-xa-cam-lo', 'tinh-quang-tri'],
      contactEmail1: 'không phải thư',
      contactName2: 'Người không có địa chỉ',
      contactEmail3: 'x@y.example.gov.vn',
      contactRole3: 'boss',
    });
    expect(bad.status).to.equal(422);
    expect(bad.text).to.contain('govuk-error-summary');
    expect(bad.text).to.contain('Chọn cấp của cơ quan.');
    expect(bad.text).to.contain('Nhập địa chỉ thư điện tử đúng dạng');
    expect(bad.text).to.contain('Vui lòng nhập thông tin này');
    expect(bad.text).to.contain('Chọn vai trò của địa chỉ.');
    expect(bad.text).to.contain('value="không phải thư"');
    expect(bad.text).to.contain('value="Người không có địa chỉ"');
    expect(bad.text).to.contain('&lt;b&gt;Sở&lt;/b&gt;');
    expect(bad.text).to.match(/value="doanh-nghiep" checked/);
    expect(bad.text).to.match(/value="qt-xa-cam-lo" checked/);

    const noTo = await postForm(agent, '/admin/agencies/new', '/admin/agencies', { ...newAgency, contactRole1: 'cc' });
    expect(noTo.status).to.equal(422);
    expect(noTo.text).to.contain('Cần ít nhất một địa chỉ “Nơi nhận”.');
    const repeated = await postForm(agent, '/admin/agencies/new', '/admin/agencies', { ...newAgency, contactEmail3: 'VANTHU.SKHCN@quangtri.example.gov.vn' });
    expect(repeated.status).to.equal(422);
    expect(repeated.text).to.contain('Địa chỉ này đã có ở dòng khác.');
    const province = await postForm(agent, '/admin/agencies/new', '/admin/agencies', { ...newAgency, unitCodes: 'tinh-quang-tri' });
    expect(province.status).to.equal(422);
    expect(province.text).to.contain('Có xã, phường không có trong danh mục');
    const taken = await postForm(agent, '/admin/agencies/new', '/admin/agencies', { ...newAgency, name: 'SO Y TE tinh Quang Tri' });
    expect(taken.status).to.equal(422);
    expect(taken.text).to.contain('Đã có cơ quan mang tên này.');
    const operators = await postForm(agent, '/admin/agencies/new', '/admin/agencies', { ...newAgency, 'name[$ne]': 'x', name: '', parentId: 'zzz' });
    expect(operators.status).to.equal(422);
    expect(await agencies().countDocuments()).to.equal(before);
  });

  it('edits an agency and refuses to make it its own ancestor', async () => {
    const { agent } = await adminAgent();
    const province = await idOf('Ủy ban nhân dân tỉnh Quảng Trị');
    const health = await idOf('Sở Y tế tỉnh Quảng Trị');
    const page = await agent.get(`/admin/agencies/${health}`);
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('value="vanthu.syt@quangtri.example.gov.vn"');
    expect(page.text).to.match(/value="y-te" checked/);
    expect(page.text).to.not.contain(`<option value="${health}"`);
    const saved = await agent.post(`/admin/agencies/${health}`).type('form').send(formBody({
      _csrf: csrfFrom(page.text),
      name: 'Sở Y tế tỉnh Quảng Trị',
      shortName: 'SYT',
      level: 'province',
      parentId: province,
      fieldCodes: 'y-te',
      unitCodes: ['qt-phuong-dong-ha', 'qt-phuong-dong-hoi'],
      contactEmail1: 'tiepnhan.syt@quangtri.example.gov.vn',
      contactRole1: 'to',
    }));
    expect(saved.status).to.equal(303);
    expect(await agencies().findOne({ name: 'Sở Y tế tỉnh Quảng Trị' })).to.deep.include({ shortName: 'SYT', unitCodes: ['qt-phuong-dong-ha', 'qt-phuong-dong-hoi'], source: 'admin' });

    const loop = await postForm(agent, `/admin/agencies/${province}`, `/admin/agencies/${province}`, { ...newAgency, name: 'Ủy ban nhân dân tỉnh Quảng Trị', parentId: health });
    expect(loop.status).to.equal(422);
    expect(loop.text).to.contain('tạo vòng lặp');
    expect((await agent.get(`/admin/agencies/${new mongoose.Types.ObjectId().toHexString()}`)).status).to.equal(404);
    expect((await agent.get('/admin/agencies/not-an-id')).status).to.equal(404);
  });

  it('shows a row for every address an imported agency has, so saving the form keeps them all', async () => {
    const { agent } = await adminAgent();
    const cc = Array.from({ length: 6 }, (_, i) => `cc${i}@sct.example.gov.vn`).join('|');
    const imported = await postForm(agent, '/admin/agencies/import', '/admin/agencies/import', { csv: `name;level;to;cc\nSở Công Thương;tinh;vt@sct.example.gov.vn;${cc}\n` });
    expect(imported.status).to.equal(303);
    const id = await idOf('Sở Công Thương');
    const page = await agent.get(`/admin/agencies/${id}`);
    expect(page.text).to.contain('id="contactEmail8"');
    expect(page.text).to.not.contain('id="contactEmail9"');
    expect(page.text).to.contain('value="cc5@sct.example.gov.vn"');
    const fields: Record<string, string> = { name: 'Sở Công Thương', level: 'province' };
    for (const m of page.text.matchAll(/name="(contact(?:Email|Name)\d+)"[^>]*value="([^"]*)"/g)) fields[m[1]!] = m[2]!;
    for (let i = 1; i <= 7; i++) fields[`contactRole${i}`] = i === 1 ? 'to' : 'cc';
    const saved = await agent.post(`/admin/agencies/${id}`).type('form').send(formBody({ _csrf: csrfFrom(page.text), ...fields }));
    expect(saved.status).to.equal(303);
    expect(((await agencies().findOne({ _id: new mongoose.Types.ObjectId(id) })) as unknown as { contacts: unknown[] }).contacts).to.have.length(7);
  });

  it('deactivates only after a confirmation page, and reactivates', async () => {
    const { agent } = await adminAgent();
    const id = await idOf('Bộ Xây dựng');
    const confirm = await agent.get(`/admin/agencies/${id}/deactivate`);
    expect(confirm.status).to.equal(200);
    expect(confirm.text).to.contain('Ngừng dùng cơ quan “Bộ Xây dựng”?');
    expect((await agencies().findOne({ name: 'Bộ Xây dựng' }))?.active).to.equal(true);
    const res = await agent.post(`/admin/agencies/${id}/deactivate`).type('form').send({ _csrf: csrfFrom(confirm.text) });
    expect(res.status).to.equal(303);
    expect((await agent.get('/admin/agencies')).text).to.contain('Đã ngừng dùng cơ quan Bộ Xây dựng.');
    expect((await agencies().findOne({ name: 'Bộ Xây dựng' }))?.active).to.equal(false);
    const back = await agent.post(`/admin/agencies/${id}/activate`).type('form').send({ _csrf: await pageToken(agent, `/admin/agencies/${id}/activate`) });
    expect(back.status).to.equal(303);
    expect((await agencies().findOne({ name: 'Bộ Xây dựng' }))?.active).to.equal(true);
    expect([await audits('agency.deactivated'), await audits('agency.activated')]).to.deep.equal([1, 1]);
    expect(await agencies().countDocuments()).to.equal(18);
  });

  it('imports pasted CSV, and refuses a wrong one whole, listing the problems and keeping the text', async () => {
    const { agent } = await adminAgent();
    const page = await agent.get('/admin/agencies/import');
    expect(page.text).to.contain('enctype="multipart/form-data"');
    expect(page.text.indexOf('name="_csrf"')).to.be.lessThan(page.text.indexOf('name="file"'));
    expect(page.text).to.contain('name;shortName;level;parent;fields;communes;to;cc;head');
    const good = await agent.post('/admin/agencies/import').type('form').send({ _csrf: csrfFrom(page.text), csv: 'name;level;to\nSở Công Thương tỉnh Quảng Trị;tinh;vanthu.sct@quangtri.example.gov.vn\n' });
    expect(good.status).to.equal(303);
    expect((await agent.get('/admin/agencies')).text).to.contain('Đã nhập danh sách: 1 cơ quan mới, 0 cơ quan cập nhật, 0 cơ quan không đổi.');

    const text = 'name;level;to\nCơ quan A;huyện;a@b.example.gov.vn\nCơ quan B;tinh;<script>x</script>\n';
    const bad = await agent.post('/admin/agencies/import').type('form').send({ _csrf: await pageToken(agent, '/admin/agencies/import'), csv: text });
    expect(bad.status).to.equal(422);
    expect(bad.text).to.contain('Có 2 lỗi — chưa lưu dòng nào');
    expect(bad.text).to.contain('Chọn cấp của cơ quan.');
    expect(bad.text).to.contain('Cơ quan B;tinh;&lt;script&gt;x&lt;/script&gt;');
    const empty = await agent.post('/admin/agencies/import').type('form').send({ _csrf: await pageToken(agent, '/admin/agencies/import'), csv: '  ' });
    expect(empty.status).to.equal(422);
    expect(await agencies().countDocuments()).to.equal(19);
  });

  it('imports an uploaded CSV file (CSRF token first), and refuses a file too large, not UTF-8 or without a token', async () => {
    const { agent } = await adminAgent();
    const csv = Buffer.from('\uFEFFname;level;to\r\n"Sở Văn hóa, Thể thao và Du lịch";tinh;vt.svhttdl@quangtri.example.gov.vn\r\n', 'utf8');
    const ok = await agent.post('/admin/agencies/import').field('_csrf', await pageToken(agent, '/admin/agencies/import')).field('csv', '').attach('file', csv, 'co-quan.csv');
    expect(ok.status, ok.text.slice(0, 300)).to.equal(303);
    expect(await agencies().countDocuments({ name: 'Sở Văn hóa, Thể thao và Du lịch' })).to.equal(1);

    const latin1 = Buffer.from('name;level;to\nS\xf4 Y t\xea;tinh;a@b.example.gov.vn\n', 'latin1');
    const notUtf8 = await agent.post('/admin/agencies/import').field('_csrf', await pageToken(agent, '/admin/agencies/import')).attach('file', latin1, 'co-quan.csv');
    expect(notUtf8.status).to.equal(422);
    expect(notUtf8.text).to.contain('Tệp không phải văn bản UTF-8');

    const big = Buffer.alloc(1_100_000, 'a');
    const tooLarge = await agent.post('/admin/agencies/import').field('_csrf', await pageToken(agent, '/admin/agencies/import')).attach('file', big, 'lon.csv');
    expect(tooLarge.status).to.equal(422);
    expect(tooLarge.text).to.contain('Tệp quá lớn');

    const noToken = await agent.post('/admin/agencies/import').attach('file', csv, 'co-quan.csv');
    expect(noToken.status).to.equal(403);
    const tokenLast = await agent.post('/admin/agencies/import').attach('file', csv, 'co-quan.csv').field('_csrf', await pageToken(agent, '/admin/agencies/import'));
    expect(tokenLast.status).to.equal(403);
    expect(await agencies().countDocuments()).to.equal(19);
  });

  it('shows the suggested agencies for a matter, best first', async () => {
    const { agent } = await adminAgent();
    const empty = await agent.get('/admin/agencies/suggest');
    expect(empty.status).to.equal(200);
    expect(empty.text).to.not.contain('id="suggestions"');
    const res = await agent.get('/admin/agencies/suggest?type=complaint&field=dat-dai&unit=qt-xa-cam-lo');
    const list = res.text.slice(res.text.indexOf('id="suggestions"'));
    expect(namesIn(list)).to.deep.equal(['Ủy ban nhân dân xã Cam Lộ', 'Sở Nông nghiệp và Môi trường tỉnh Quảng Trị', 'Bộ Nông nghiệp và Môi trường', 'Ủy ban nhân dân tỉnh Quảng Trị']);
    expect(list).to.contain('đúng lĩnh vực, phụ trách xã, phường này');
    expect((await agent.get('/admin/agencies/suggest?type=x&field[$ne]=1&unit=../../')).status).to.equal(200);
  });
});
