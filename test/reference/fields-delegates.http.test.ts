// The fields and delegates pages for administrators, through the real sign-in and forms with CSRF on.
import { expect } from 'chai';
import mongoose from 'mongoose';
import { listActiveDelegates, listActiveFields, seedReferenceData } from '../../server/reference/index.js';
import { buildTestApp, useTestDatabase } from '../support/app.js';
import { createTestUser } from '../support/factories.js';
import { csrfFrom, signIn, submitForm } from '../support/http.js';

const fields = () => mongoose.connection.collection('fields');
const delegates = () => mongoose.connection.collection('delegates');
const audits = (action: string) => mongoose.connection.collection('audit_events').countDocuments({ action });

async function adminAgent() {
  const { app } = buildTestApp();
  const admin = await createTestUser({ role: 'admin' });
  return { app, agent: await signIn(app, admin) };
}

describe('fields pages', () => {
  useTestDatabase();

  it('lists the seeded fields in order', async () => {
    await seedReferenceData();
    const { agent } = await adminAgent();
    const page = await agent.get('/admin/fields');
    expect(page.status).to.equal(200);
    const names = [...page.text.matchAll(/href="\/admin\/fields\/[^"]+">([^<]+)</g)].map((m) => m[1]);
    expect(names[0]).to.equal('Đất đai');
    expect(names.at(-1)).to.equal('Khác');
    expect(names).to.include('Chế độ chính sách, người có công');
    expect(names).to.have.length(15);
  });

  it('creates and edits a field, and refuses bad input keeping what was typed', async () => {
    const { agent } = await adminAgent();
    const created = await submitForm(agent, '/admin/fields/new', '/admin/fields', { code: 'an-ninh-trat-tu', name: 'An ninh, trật tự', nameEn: 'Public order', order: '150' });
    expect(created.status).to.equal(303);
    expect(await fields().findOne({ code: 'an-ninh-trat-tu' })).to.include({ name: 'An ninh, trật tự', order: 150, active: true, source: 'admin' });

    const bad = await submitForm(agent, '/admin/fields/new', '/admin/fields', { code: 'an-ninh-trat-tu', name: '', nameEn: 'x'.repeat(121), order: 'mười' });
    expect(bad.status).to.equal(422);
    expect(bad.text).to.contain('Vui lòng nhập thông tin này');
    expect(bad.text).to.contain('Nội dung quá dài');
    expect(bad.text).to.contain('Thứ tự là một số nguyên');
    expect(bad.text).to.contain('value="mười"');
    const dup = await submitForm(agent, '/admin/fields/new', '/admin/fields', { code: 'an-ninh-trat-tu', name: 'Trùng', nameEn: 'Dup', order: '1' });
    expect(dup.status).to.equal(422);
    expect(dup.text).to.contain('Mã này đã có');

    const edit = await submitForm(agent, '/admin/fields/an-ninh-trat-tu', '/admin/fields/an-ninh-trat-tu', { name: 'An ninh trật tự', nameEn: 'Public order and security', order: '5' });
    expect(edit.status).to.equal(303);
    expect(await fields().findOne({ code: 'an-ninh-trat-tu' })).to.include({ name: 'An ninh trật tự', order: 5 });
    expect(await audits('reference.field-created')).to.equal(1);
    expect(await audits('reference.field-updated')).to.equal(1);
    expect(await fields().countDocuments()).to.equal(1);
  });

  it('deactivates a field after asking, and never deletes it', async () => {
    await seedReferenceData();
    const { agent } = await adminAgent();
    const question = await agent.get('/admin/fields/khac/deactivate');
    expect(question.status).to.equal(200);
    expect(question.text).to.contain('Ngừng dùng lĩnh vực “Khác”?');
    expect((await fields().findOne({ code: 'khac' }))?.active, 'GET changes nothing').to.equal(true);
    const res = await agent.post('/admin/fields/khac/deactivate').type('form').send({ _csrf: csrfFrom(question.text) });
    expect(res.status).to.equal(303);
    expect((await fields().findOne({ code: 'khac' }))?.active).to.equal(false);
    expect((await listActiveFields()).map((f) => f.code)).to.not.include('khac');
    expect((await agent.get('/admin/fields')).text).to.contain('Ngừng dùng');
    // A second click changes nothing and is not audited twice.
    await agent.post('/admin/fields/khac/deactivate').type('form').send({ _csrf: csrfFrom(question.text) });
    expect(await audits('reference.field-deactivated')).to.equal(1);
    const back = await submitForm(agent, '/admin/fields/khac/activate', '/admin/fields/khac/activate', {});
    expect(back.status).to.equal(303);
    expect((await fields().findOne({ code: 'khac' }))?.active).to.equal(true);
    expect((await agent.get('/admin/fields/khong-co/deactivate')).status).to.equal(404);
  });
});

describe('delegates pages', () => {
  useTestDatabase();

  const valid = { name: 'Hoàng Đức Thắng', body: 'quoc-hoi', constituency: 'Đơn vị bầu cử số 1', term: 'Khoá XVI (2026–2031)' };

  it('creates a delegate linked to a delegate account, offering only delegate accounts', async () => {
    const { agent } = await adminAgent();
    const account = await createTestUser({ role: 'delegate', name: 'Hoàng Đức Thắng' });
    const officer = await createTestUser({ role: 'officer', name: 'Cán Bộ Tiếp Dân' });
    const form = await agent.get('/admin/delegates/new');
    expect(form.text).to.contain(account.email);
    expect(form.text).to.not.contain(officer.email);

    const res = await agent.post('/admin/delegates').type('form').send({ _csrf: csrfFrom(form.text), ...valid, userId: account.id });
    expect(res.status).to.equal(303);
    const stored = await delegates().findOne({ nameFolded: 'hoang duc thang' });
    expect(String(stored?.userId)).to.equal(account.id);
    expect(stored).to.include({ body: 'quoc-hoi', active: true });
    expect((await listActiveDelegates())[0]).to.include({ userId: account.id, name: 'Hoàng Đức Thắng' });
    expect(await audits('reference.delegate-created')).to.equal(1);

    const list = await agent.get('/admin/delegates?q=hoang duc');
    expect(list.text).to.contain('Hoàng Đức Thắng');
    expect(list.text).to.contain(account.email);
    expect((await agent.get('/admin/delegates?body=hdnd-tinh')).text).to.contain('Không có đại biểu nào phù hợp.');

    const again = await submitForm(agent, '/admin/delegates/new', '/admin/delegates', { ...valid, name: 'Người Khác', userId: account.id });
    expect(again.status).to.equal(422);
    expect(again.text).to.contain('Tài khoản này đã được liên kết');
    const otherBody = await submitForm(agent, '/admin/delegates/new', '/admin/delegates', { ...valid, body: 'hdnd-tinh', userId: account.id });
    expect(otherBody.status, 'the same person may sit in both bodies').to.equal(303);
  });

  it('refuses bad input, keeping what was typed', async () => {
    const { agent } = await adminAgent();
    const officer = await createTestUser({ role: 'officer' });
    const bad = await submitForm(agent, '/admin/delegates/new', '/admin/delegates', { name: '  ', body: 'senate', constituency: '<script>x</script>', term: '', userId: officer.id });
    expect(bad.status).to.equal(422);
    expect(bad.text).to.contain('Chọn đại biểu Quốc hội hay đại biểu HĐND tỉnh');
    expect(bad.text).to.contain('value="&lt;script&gt;x&lt;/script&gt;"');
    const notDelegate = await submitForm(agent, '/admin/delegates/new', '/admin/delegates', { ...valid, userId: officer.id });
    expect(notDelegate.status).to.equal(422);
    expect(notDelegate.text).to.contain('Chọn một tài khoản đang hoạt động có vai trò đại biểu');
    const malformed = await submitForm(agent, '/admin/delegates/new', '/admin/delegates', { ...valid, userId: '{"$ne":null}' });
    expect(malformed.status).to.equal(422);
    expect(await delegates().countDocuments()).to.equal(0);
    expect((await agent.get('/admin/delegates/123')).status).to.equal(404);
    expect((await agent.get('/admin/delegates?after[$gt]=&status=x')).status).to.equal(200);
  });

  it('edits, deactivates after asking, and pages through delegates by key', async () => {
    const { agent } = await adminAgent();
    for (let i = 0; i < 26; i++) {
      await submitForm(agent, '/admin/delegates/new', '/admin/delegates', { ...valid, name: `Đại Biểu ${String(i).padStart(2, '0')}`, body: 'hdnd-tinh', userId: '' });
    }
    const first = await agent.get('/admin/delegates');
    expect(first.text).to.contain('26 đại biểu');
    const next = /href="([^"]*after=[a-f0-9]{24})"/.exec(first.text)?.[1]?.replace(/&amp;/g, '&');
    const names = (html: string) => [...html.matchAll(/>(Đại Biểu \d\d)</g)].map((m) => m[1]);
    const all = [...names(first.text), ...names((await agent.get(next!)).text)];
    expect(new Set(all).size).to.equal(26);

    const id = String((await delegates().findOne({ name: 'Đại Biểu 00' }))?._id);
    const edit = await submitForm(agent, `/admin/delegates/${id}`, `/admin/delegates/${id}`, { ...valid, name: 'Đại Biểu Không', body: 'hdnd-tinh', term: 'Khoá IX (2026–2031)', userId: '' });
    expect(edit.status).to.equal(303);
    expect(await delegates().findOne({ _id: new mongoose.Types.ObjectId(id) })).to.include({ name: 'Đại Biểu Không', term: 'Khoá IX (2026–2031)' });

    const question = await agent.get(`/admin/delegates/${id}/deactivate`);
    expect(question.text).to.contain('Ngừng theo dõi đại biểu Đại Biểu Không?');
    await agent.post(`/admin/delegates/${id}/deactivate`).type('form').send({ _csrf: csrfFrom(question.text) });
    expect((await delegates().findOne({ _id: new mongoose.Types.ObjectId(id) }))?.active).to.equal(false);
    expect((await agent.get('/admin/delegates?status=inactive')).text).to.contain('Đại Biểu Không');
    expect(await audits('reference.delegate-deactivated')).to.equal(1);
    expect(await audits('reference.delegate-updated')).to.equal(1);
  });
});
