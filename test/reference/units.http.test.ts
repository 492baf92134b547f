// The administrative-units pages for administrators, through the real sign-in and forms with CSRF on.
import { expect } from 'chai';
import mongoose from 'mongoose';
import { seedReferenceData } from '../../server/reference/index.js';
import { buildTestApp, useTestDatabase } from '../support/app.js';
import { createTestUser } from '../support/factories.js';
import { csrfFrom, pageToken, signIn, submitForm } from '../support/http.js';

const units = () => mongoose.connection.collection('admin_units');
const audits = (action: string) => mongoose.connection.collection('audit_events').countDocuments({ action });
const codesIn = (html: string) => [...html.matchAll(/<a class="govuk-link" href="\/admin\/units\/([^"]+)">/g)].map((m) => m[1]);
const namesIn = (html: string) => [...html.matchAll(/<a class="govuk-link" href="\/admin\/units\/[^"]+">([^<]+)<\/a>/g)].map((m) => m[1]);

describe('administrative units pages', () => {
  useTestDatabase();

  async function adminAgent() {
    await seedReferenceData();
    const { app } = buildTestApp();
    const admin = await createTestUser({ role: 'admin' });
    return { app, agent: await signIn(app, admin) };
  }

  it('is for administrators only, and shows the reference item in their navigation', async () => {
    const { app, agent } = await adminAgent();
    const home = await agent.get('/');
    expect(home.text).to.contain('href="/admin/units"');
    for (const role of ['officer', 'leader', 'delegate'] as const) {
      const other = await signIn(app, await createTestUser({ role }));
      expect((await other.get('/')).text, role).to.not.contain('href="/admin/units"');
      for (const path of ['/admin/units', '/admin/units/new', '/admin/units/import', '/admin/units/qt-xa-cam-lo', '/admin/fields', '/admin/delegates']) {
        expect((await other.get(path)).status, `${role} ${path}`).to.equal(403);
      }
      const token = csrfFrom((await other.get('/')).text);
      const post = await other.post('/admin/units/import').type('form').send({ _csrf: token, json: '[]' });
      expect(post.status).to.equal(403);
    }
  });

  it('lists communes by name, finds them without diacritics, and shows former units only when asked', async () => {
    const { agent } = await adminAgent();
    const list = await agent.get('/admin/units');
    expect(list.status).to.equal(200);
    expect(list.text).to.contain('Đặc khu Cồn Cỏ');
    expect(list.text).to.not.contain('Thị trấn Cam Lộ');

    const found = await agent.get('/admin/units?q=dong ha');
    expect(namesIn(found.text)).to.deep.equal(['Phường Đông Hà', 'Phường Nam Đông Hà']);
    const withFormer = await agent.get('/admin/units?q=CAM LO&legacy=on');
    expect(namesIn(withFormer.text)).to.deep.equal(['Thị trấn Cam Lộ', 'Xã Cam Lộ']);
    expect(withFormer.text).to.contain('Đã hết hiệu lực');
    const districts = await agent.get('/admin/units?level=district-legacy&legacy=on');
    expect(namesIn(districts.text)).to.include('Huyện Cam Lộ');
    expect(districts.text).to.contain('30/06/2025');

    const odd = await agent.get('/admin/units?level[$ne]=x&q[$gt]=&after=../../x&legacy=yes');
    expect(odd.status).to.equal(200);
    expect((await agent.get('/admin/units?q=.*')).text).to.contain('Không có đơn vị nào phù hợp.');
  });

  it('pages through units by key without repeating or losing any', async () => {
    const { agent } = await adminAgent();
    const expected = await units().countDocuments({ level: 'commune' });
    expect(expected).to.be.greaterThan(50);
    const first = await agent.get('/admin/units?level=commune&legacy=on');
    expect(first.text).to.contain(`${expected} đơn vị`);
    const next = /href="([^"]*after=[^"]+)" rel="next"/.exec(first.text)?.[1]?.replace(/&amp;/g, '&');
    expect(next).to.be.a('string');
    const second = await agent.get(next!);
    const all = [...codesIn(first.text), ...codesIn(second.text)];
    expect(codesIn(first.text)).to.have.length(50);
    expect(all).to.have.length(expected);
    expect(new Set(all).size).to.equal(expected);
    expect(/rel="next"/.test(second.text)).to.equal(false);
  });

  it('creates a unit, with an audit entry', async () => {
    const { agent } = await adminAgent();
    const res = await submitForm(agent, '/admin/units/new', '/admin/units', {
      code: 'QT-Xa-Thu-Nghiem',
      name: 'Xã Thử Nghiệm',
      level: 'commune',
      kind: 'xa',
      parentCode: 'tinh-quang-tri',
      validFrom: '01/07/2025',
      validTo: '',
      replacedBy: '',
    });
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal('/admin/units/qt-xa-thu-nghiem');
    const stored = await units().findOne({ code: 'qt-xa-thu-nghiem' });
    expect(stored).to.include({ name: 'Xã Thử Nghiệm', nameFolded: 'xa thu nghiem', validFrom: '2025-07-01', validTo: null, source: 'admin' });
    expect((await agent.get(res.headers.location!)).text).to.contain('Đã thêm đơn vị Xã Thử Nghiệm.');
    expect(await audits('reference.unit-created')).to.equal(1);
  });

  it('keeps what was typed and explains each problem when a unit is wrong', async () => {
    const { agent } = await adminAgent();
    const before = await units().countDocuments();
    const bad = await submitForm(agent, '/admin/units/new', '/admin/units', {
      code: 'Mã Sai!',
      name: '<b>Xã</b>',
      level: 'commune',
      kind: 'tinh',
      parentCode: 'tinh-quang-tri',
      validFrom: '32/01/2025',
    });
    expect(bad.status).to.equal(422);
    expect(bad.text).to.contain('Mã chỉ gồm chữ thường không dấu');
    expect(bad.text).to.contain('Nhập ngày đúng dạng ngày/tháng/năm');
    expect(bad.text).to.contain('value="Mã Sai!"');
    expect(bad.text).to.contain('value="32/01/2025"');
    expect(bad.text).to.contain('&lt;b&gt;Xã&lt;/b&gt;');

    const inconsistent = await submitForm(agent, '/admin/units/new', '/admin/units', {
      code: 'qt-huyen-moi',
      name: 'Huyện Mới',
      level: 'district-legacy',
      kind: 'phuong',
      parentCode: 'khong-co',
      replacedBy: 'qt-xa-cam-lo',
    });
    expect(inconsistent.status).to.equal(422);
    expect(inconsistent.text).to.contain('Loại đơn vị không phù hợp với cấp đã chọn');
    expect(inconsistent.text).to.contain('Không có đơn vị nào có mã cấp trên này');
    expect(inconsistent.text).to.contain('Đơn vị cấp huyện và thị trấn chỉ còn là đơn vị cũ');
    expect(inconsistent.text).to.contain('value="qt-xa-cam-lo"');

    const taken = await submitForm(agent, '/admin/units/new', '/admin/units', { code: 'qt-xa-cam-lo', name: 'Trùng', level: 'commune', kind: 'xa', parentCode: 'tinh-quang-tri' });
    expect(taken.status).to.equal(422);
    expect(taken.text).to.contain('Mã này đã có');
    const reserved = await submitForm(agent, '/admin/units/new', '/admin/units', { code: 'import', name: 'X', level: 'commune', kind: 'xa', parentCode: 'tinh-quang-tri' });
    expect(reserved.status).to.equal(422);
    expect(await units().countDocuments()).to.equal(before);
  });

  it('edits a unit: a commune that ceases gets an end date and its successor', async () => {
    const { agent } = await adminAgent();
    const page = await agent.get('/admin/units/qt-xa-ben-hai');
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('value="01/07/2025"');
    const res = await agent.post('/admin/units/qt-xa-ben-hai').type('form').send({
      _csrf: csrfFrom(page.text),
      name: 'Xã Bến Hải',
      level: 'commune',
      kind: 'xa',
      parentCode: 'tinh-quang-tri',
      validFrom: '01/07/2025',
      validTo: '31/12/2026',
      replacedBy: 'qt-xa-gio-linh',
      code: 'hacked', // not editable: ignored
    });
    expect(res.status).to.equal(303);
    const stored = await units().findOne({ code: 'qt-xa-ben-hai' });
    expect(stored).to.include({ validTo: '2026-12-31', source: 'admin' });
    expect(stored?.replacedBy).to.deep.equal(['qt-xa-gio-linh']);
    expect(await units().countDocuments({ code: 'hacked' })).to.equal(0);
    expect(await audits('reference.unit-updated')).to.equal(1);
    expect((await agent.get('/admin/units/khong-co')).status).to.equal(404);
  });

  it('imports JSON, reporting what was created, updated and left unchanged', async () => {
    const { agent } = await adminAgent();
    const json = JSON.stringify({
      units: [
        { code: 'qt-xa-nhap-1', name: 'Xã Nhập Một', kind: 'xa', level: 'commune', parentCode: 'tinh-quang-tri', validFrom: '2025-07-01', validTo: null, replacedBy: [] },
        { code: 'qt-xa-cam-lo', name: 'Xã Cam Lộ', kind: 'xa', level: 'commune', parentCode: 'tinh-quang-tri', validFrom: '2025-07-01', validTo: null, replacedBy: [] },
        { code: 'qt-xa-la-lay', name: 'Xã La Lay (sửa)', kind: 'xa', level: 'commune', parentCode: 'tinh-quang-tri', validFrom: '2025-07-01', validTo: null, replacedBy: [] },
      ],
    });
    const res = await submitForm(agent, '/admin/units/import', '/admin/units/import', { json: `\uFEFF${json}` });
    expect(res.status).to.equal(303);
    const list = await agent.get(res.headers.location!);
    expect(list.text).to.contain('1 đơn vị mới, 1 đơn vị cập nhật, 1 đơn vị không đổi');
    expect((await units().findOne({ code: 'qt-xa-la-lay' }))?.name).to.equal('Xã La Lay (sửa)');
    expect(await audits('reference.units-imported')).to.equal(1);
  });

  it('refuses an import with a bad row, shows the row’s problem, keeps the text and saves nothing', async () => {
    const { agent } = await adminAgent();
    const before = await units().countDocuments();
    const json = JSON.stringify([
      { code: 'qt-xa-nhap-2', name: 'Xã Nhập Hai', kind: 'xa', level: 'commune', parentCode: 'tinh-quang-tri' },
      { code: 'qt-xa-nhap-3', name: 'Xã <i>Nhập</i> Ba', kind: 'xa', level: 'commune', parentCode: 'qt-cu-huyen-cam-lo' },
    ]);
    const res = await submitForm(agent, '/admin/units/import', '/admin/units/import', { json });
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('Có 1 lỗi — chưa lưu dòng nào');
    expect(res.text).to.contain('Đơn vị đang hiệu lực phải trực thuộc tỉnh');
    expect(res.text).to.contain('qt-xa-nhap-3');
    expect(res.text).to.contain('&lt;i&gt;Nhập&lt;/i&gt;'); // the pasted text, kept and escaped
    expect(await units().countDocuments()).to.equal(before);
    expect(await units().countDocuments({ code: 'qt-xa-nhap-2' })).to.equal(0);

    for (const [text, message] of [
      ['{ not json', 'Nội dung không phải JSON hợp lệ'],
      ['{"units": []}', 'Cần một mảng các đơn vị'],
      ['', 'Vui lòng nhập thông tin này'],
    ]) {
      const r = await submitForm(agent, '/admin/units/import', '/admin/units/import', { json: text! });
      expect(r.status, text).to.equal(422);
      expect(r.text, text).to.contain(message);
    }
    // Over the import's own limit but within the body limit: the form again, with the reason.
    const long = await submitForm(agent, '/admin/units/import', '/admin/units/import', { json: 'a'.repeat(195_000) });
    expect(long.status).to.equal(422);
    expect(long.text).to.contain('Nội dung quá lớn cho một lần nhập');
    // Over the app's body limit (200 kB encoded): the app's own 413 page, nothing saved.
    const huge = await submitForm(agent, '/admin/units/import', '/admin/units/import', { json: `[${'"x",'.repeat(40_000)}"x"]` });
    expect(huge.status).to.equal(413);
    expect(huge.text).to.contain('Dữ liệu gửi lên quá lớn');
    expect(await audits('reference.units-imported')).to.equal(0);
    expect((await agent.get('/admin/units/import')).text).to.contain('Nhập danh mục đơn vị hành chính');
    expect(await pageToken(agent, '/admin/units/import')).to.be.a('string');
  });
});
