// Agencies against the real database: the sample seed (once, never over an administrator's edit), the
// admin use cases with their audit, the all-or-nothing CSV import, the lookups for the forwarding
// module and the competent-agency suggestion.
import { expect } from 'chai';
import mongoose from 'mongoose';
import { SYSTEM_ACTOR, type Actor } from '../../server/access/index.js';
import {
  AgencyImportError,
  createAgency,
  getAgencies,
  getAgency,
  importAgencies,
  listActiveAgencies,
  seedAgencies,
  setAgencyActive,
  suggestCompetentAgencies,
  updateAgency,
} from '../../server/agencies/index.js';
import { readSampleAgencies } from '../../server/agencies/seed.js';
import type { AgencyInput } from '../../server/agencies/agencies.schemas.js';
import { fixedClock } from '../../server/platform/clock.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../../server/platform/errors.js';
import { seedReferenceData } from '../../server/reference/index.js';
import { useTestDatabase } from '../support/app.js';

const clock = fixedClock('2026-03-10T03:00:00Z');
const ctx = { clock };
const agencies = () => mongoose.connection.collection('agencies');

interface StoredContact {
  email: string;
  name: string;
  role: string;
}
/** The contacts of a stored agency, read through the raw driver. */
const contactsOf = (doc: unknown): StoredContact[] => (doc as { contacts: StoredContact[] }).contacts;
const detailsOf = (doc: unknown) => (doc as { details: { before: unknown; after: unknown } }).details;
const audits = (action: string) => mongoose.connection.collection('audit_events').countDocuments({ action });
const idOf = async (name: string) => String((await agencies().findOne({ name }))!._id);
const officer: Actor = { ...SYSTEM_ACTOR, id: 'officer', role: 'officer', permissions: ['cases:read-all', 'cases:write'] };
const delegate: Actor = { ...SYSTEM_ACTOR, id: 'delegate', role: 'delegate', permissions: ['cases:read-own', 'reports:read'] };

function input(overrides: Partial<AgencyInput> = {}): AgencyInput {
  return {
    name: 'Sở Văn hóa, Thể thao và Du lịch tỉnh Quảng Trị',
    shortName: 'Sở VHTTDL',
    level: 'province',
    parentId: null,
    fieldCodes: ['khac'],
    unitCodes: [],
    contacts: [{ email: 'vanthu.svhttdl@quangtri.example.gov.vn', name: 'Văn thư', role: 'to' }],
    ...overrides,
  };
}

async function rejected<E extends Error>(promise: Promise<unknown>, type: new (...args: never[]) => E): Promise<E> {
  try {
    await promise;
  } catch (err) {
    expect(err).to.be.instanceOf(type);
    return err as E;
  }
  throw new Error(`expected a ${type.name}`);
}

describe('agencies service', () => {
  useTestDatabase();
  beforeEach(async () => {
    await seedReferenceData();
  });

  describe('sample seed', () => {
    it('loads the whole sample once, with parents linked and addresses in lower case; a second run changes nothing', async () => {
      const shipped = readSampleAgencies().length;
      expect(await seedAgencies(clock)).to.deep.equal({ inserted: shipped, skipped: 0 });
      expect(await seedAgencies(clock)).to.deep.equal({ inserted: 0, skipped: 0 });
      expect(await agencies().countDocuments()).to.equal(shipped);
      expect(await audits('agency.seeded')).to.equal(1);
      const health = await agencies().findOne({ name: 'Sở Y tế tỉnh Quảng Trị' });
      expect(health).to.deep.include({ level: 'province', fieldCodes: ['y-te'], unitCodes: [], active: true, source: 'seed' });
      expect(String(health?.parentId)).to.equal(await idOf('Ủy ban nhân dân tỉnh Quảng Trị'));
      for (const a of await agencies().find().toArray()) {
        expect(contactsOf(a).some((c) => c.role === 'to'), String(a.name)).to.equal(true);
        for (const c of contactsOf(a)) expect(c.email).to.match(/@([a-z0-9-]+\.)*example\.gov\.vn$/);
      }
      const names = (await agencies().find().toArray()).map((a) => a.name as string);
      expect(names).to.include.members([
        'Thanh tra tỉnh Quảng Trị',
        'Sở Nông nghiệp và Môi trường tỉnh Quảng Trị',
        'Sở Xây dựng tỉnh Quảng Trị',
        'Sở Giáo dục và Đào tạo tỉnh Quảng Trị',
        'Sở Nội vụ tỉnh Quảng Trị',
        'Sở Tài chính tỉnh Quảng Trị',
        'Công an tỉnh Quảng Trị',
        'Tòa án nhân dân tỉnh Quảng Trị',
        'Viện kiểm sát nhân dân tỉnh Quảng Trị',
        'Ủy ban nhân dân xã Cam Lộ',
        'Bộ Nông nghiệp và Môi trường',
      ]);
      expect(await agencies().countDocuments({ level: 'central' })).to.equal(2);
    });

    it('never brings back an agency an administrator renamed, and never mixes the sample into an existing list', async () => {
      await seedAgencies(clock);
      const id = await idOf('Sở Y tế tỉnh Quảng Trị');
      const current = (await getAgency(id))!;
      await updateAgency(SYSTEM_ACTOR, id, input({ name: 'Sở Y tế Quảng Trị', level: 'province', fieldCodes: ['y-te'], contacts: current.contacts }), ctx);
      expect(await seedAgencies(clock)).to.deep.equal({ inserted: 0, skipped: 0 });
      expect(await agencies().countDocuments({ name: 'Sở Y tế tỉnh Quảng Trị' })).to.equal(0);

      await mongoose.connection.collection('agency_seeds').deleteMany({});
      await agencies().deleteMany({ name: { $ne: 'Sở Y tế Quảng Trị' } });
      expect(await seedAgencies(clock)).to.deep.equal({ inserted: 0, skipped: 0 });
      expect(await agencies().countDocuments()).to.equal(1);
    });

    it('leaves out sample rows that name a commune no longer in force, instead of failing start-up', async () => {
      await mongoose.connection.collection('admin_units').updateOne({ code: 'qt-xa-khe-sanh' }, { $set: { validTo: '2026-01-01' } });
      const result = await seedAgencies(clock);
      expect(result.skipped).to.equal(1);
      expect(result.inserted).to.equal(readSampleAgencies().length - 1);
      expect(await agencies().countDocuments({ name: 'Ủy ban nhân dân xã Khe Sanh' })).to.equal(0);
    });
  });

  describe('admin use cases', () => {
    it('creates, edits, deactivates and reactivates an agency, each audited', async () => {
      const id = await createAgency(SYSTEM_ACTOR, input(), ctx);
      expect(await agencies().findOne({ name: 'Sở Văn hóa, Thể thao và Du lịch tỉnh Quảng Trị' })).to.deep.include({ nameFolded: 'so van hoa, the thao va du lich tinh quang tri', source: 'admin', active: true });
      const parent = await createAgency(SYSTEM_ACTOR, input({ name: 'UBND tỉnh', fieldCodes: [] }), ctx);
      await updateAgency(SYSTEM_ACTOR, id, input({ parentId: parent, unitCodes: ['qt-xa-cam-lo'] }), ctx);
      expect((await getAgency(id))!).to.deep.include({ parentId: parent, unitCodes: ['qt-xa-cam-lo'] });
      await setAgencyActive(SYSTEM_ACTOR, id, false, ctx);
      await setAgencyActive(SYSTEM_ACTOR, id, false, ctx); // no change, no second audit entry
      expect((await getAgency(id))!.active).to.equal(false);
      await setAgencyActive(SYSTEM_ACTOR, id, true, ctx);
      expect([await audits('agency.created'), await audits('agency.updated'), await audits('agency.deactivated'), await audits('agency.activated')]).to.deep.equal([2, 1, 1, 1]);
      const updated = await mongoose.connection.collection('audit_events').findOne({ action: 'agency.updated' });
      expect(detailsOf(updated).before).to.deep.include({ parentId: null });
      expect(detailsOf(updated).after).to.deep.include({ parentId: parent });
    });

    it('refuses a second agency of the same name, typed differently', async () => {
      await createAgency(SYSTEM_ACTOR, input(), ctx);
      const err = await rejected(createAgency(SYSTEM_ACTOR, input({ name: 'SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH TỈNH QUẢNG TRỊ' }), ctx), ValidationError);
      expect(err.fieldErrors).to.deep.equal({ name: 'agencies.errors.nameTaken' });
      expect(await agencies().countDocuments()).to.equal(1);
    });

    it('refuses unknown fields and communes, an unknown parent, itself or a descendant as parent', async () => {
      const a = await createAgency(SYSTEM_ACTOR, input({ name: 'A' }), ctx);
      const b = await createAgency(SYSTEM_ACTOR, input({ name: 'B', parentId: a }), ctx);
      const c = await createAgency(SYSTEM_ACTOR, input({ name: 'C', parentId: b }), ctx);
      const bad = await rejected(createAgency(SYSTEM_ACTOR, input({ name: 'D', fieldCodes: ['khong-co'], unitCodes: ['tinh-quang-tri'], parentId: new mongoose.Types.ObjectId().toHexString() }), ctx), ValidationError);
      expect(bad.fieldErrors).to.deep.equal({ fieldCodes: 'agencies.errors.fieldUnknown', unitCodes: 'agencies.errors.communeUnknown', parentId: 'agencies.errors.parentUnknown' });
      expect((await rejected(updateAgency(SYSTEM_ACTOR, a, input({ name: 'A', parentId: c }), ctx), ValidationError)).fieldErrors).to.deep.equal({ parentId: 'agencies.errors.parentLoop' });
      expect((await rejected(updateAgency(SYSTEM_ACTOR, a, input({ name: 'A', parentId: a }), ctx), ValidationError)).fieldErrors).to.deep.equal({ parentId: 'agencies.errors.parentSelf' });
      await rejected(updateAgency(SYSTEM_ACTOR, new mongoose.Types.ObjectId().toHexString(), input(), ctx), NotFoundError);
      await rejected(setAgencyActive(SYSTEM_ACTOR, 'not-an-id', false, ctx), NotFoundError);
      await rejected(createAgency(officer, input({ name: 'E' }), ctx), ForbiddenError);
      expect(await agencies().countDocuments()).to.equal(3);
    });
  });

  describe('CSV import', () => {
    const header = 'name;shortName;level;parent;fields;communes;to;cc;head';

    it('creates and updates by name, linking parents in the same file, and keeps unchanged rows as they are', async () => {
      const csv = [
        header,
        'Ủy ban nhân dân tỉnh Quảng Trị;UBND tỉnh;Tỉnh;;;;vanthu@ubnd.example.gov.vn;;Chủ tịch <chutich@ubnd.example.gov.vn>',
        'Sở Y tế tỉnh Quảng Trị;Sở Y tế;province;Uy ban nhan dan tinh Quang Tri;Y tế;;vanthu@syt.example.gov.vn;;',
        '"Ủy ban nhân dân xã Cam Lộ";;Cấp xã;Ủy ban nhân dân tỉnh Quảng Trị;dat-dai|Nhà ở, xây dựng;"Xã Cam Lộ";VanThu@CamLo.example.gov.vn;"a@camlo.example.gov.vn|b@camlo.example.gov.vn";',
      ].join('\r\n');
      expect(await importAgencies(SYSTEM_ACTOR, `\uFEFF${csv}`, ctx)).to.deep.equal({ created: 3, updated: 0, unchanged: 0 });
      const commune = await agencies().findOne({ name: 'Ủy ban nhân dân xã Cam Lộ' });
      expect(commune).to.deep.include({ level: 'commune', fieldCodes: ['dat-dai', 'nha-o-xay-dung'], unitCodes: ['qt-xa-cam-lo'], source: 'import', active: true });
      expect(contactsOf(commune).map((c) => `${c.role}:${c.email}`)).to.deep.equal(['to:vanthu@camlo.example.gov.vn', 'cc:a@camlo.example.gov.vn', 'cc:b@camlo.example.gov.vn']);
      expect(String(commune?.parentId)).to.equal(await idOf('Ủy ban nhân dân tỉnh Quảng Trị'));

      // Deactivated agencies stay deactivated; a changed row is replaced, the others are left alone.
      await setAgencyActive(SYSTEM_ACTOR, await idOf('Sở Y tế tỉnh Quảng Trị'), false, ctx);
      const again = csv.replace('vanthu@syt.example.gov.vn', 'tiepnhan@syt.example.gov.vn');
      expect(await importAgencies(SYSTEM_ACTOR, again, ctx)).to.deep.equal({ created: 0, updated: 1, unchanged: 2 });
      expect(await agencies().findOne({ name: 'Sở Y tế tỉnh Quảng Trị' })).to.deep.include({ active: false });
      expect(contactsOf(await agencies().findOne({ name: 'Sở Y tế tỉnh Quảng Trị' }))[0]?.email).to.equal('tiepnhan@syt.example.gov.vn');
      expect(await audits('agency.imported')).to.equal(2);
    });

    it('accepts commas as separators and Vietnamese column names', async () => {
      const csv = 'Tên cơ quan,Cấp,Lĩnh vực,Gửi\n"Sở Xây dựng, tỉnh Quảng Trị",tinh,"nha-o-xay-dung|giao-thong",vt@sxd.example.gov.vn\n';
      expect(await importAgencies(SYSTEM_ACTOR, csv, ctx)).to.deep.equal({ created: 1, updated: 0, unchanged: 0 });
      expect(await agencies().findOne({ name: 'Sở Xây dựng, tỉnh Quảng Trị' })).to.deep.include({ fieldCodes: ['nha-o-xay-dung', 'giao-thong'] });
    });

    it('refuses the whole file and reports every problem by line', async () => {
      await createAgency(SYSTEM_ACTOR, input({ name: 'Cơ quan đã có' }), ctx);
      const csv = [
        header,
        'Cơ quan tốt;;province;;;;a@b.example.gov.vn;;',
        ';;province;;;;a@b.example.gov.vn;;',
        'Cơ quan sai cấp;;huyện;;;;a@b.example.gov.vn;;',
        'Cơ quan sai lĩnh vực;;province;;khong-co;Xã Không Có;a@b.example.gov.vn;;',
        'Cơ quan sai thư;;province;;;;không phải thư;;',
        'Cơ quan thiếu nơi nhận;;province;;;;;cc@b.example.gov.vn;',
        'Cơ quan tốt;;province;;;;c@d.example.gov.vn;;',
        'Cơ quan mồ côi;;province;Không có cấp trên này;;;a@b.example.gov.vn;;',
        'Vòng A;;province;Vòng B;;;a@b.example.gov.vn;;',
        'Vòng B;;province;Vòng A;;;a@b.example.gov.vn;;',
        'Thừa ô;;province;;;;a@b.example.gov.vn;;;extra',
      ].join('\n');
      const err = await rejected(importAgencies(SYSTEM_ACTOR, csv, ctx), AgencyImportError);
      expect(err.fieldErrors).to.deep.equal({ csv: 'agencies.errors.importRows' });
      const found = err.rowErrors.map((e) => `${e.row} ${e.field} ${e.messageKey}`);
      expect(found).to.not.include('6 to agencies.errors.contactToRequired');
      expect(found).to.include.members([
        '3 name errors.required',
        '4 level agencies.errors.level',
        '5 fields agencies.errors.fieldUnknown',
        '5 communes agencies.errors.communeUnknown',
        '6 to agencies.errors.email',
        '7 to agencies.errors.contactToRequired',
        '8 name agencies.errors.nameRepeated',
        '9 parent agencies.errors.parentUnknown',
        '10 parent agencies.errors.parentLoop',
        '11 parent agencies.errors.parentLoop',
        '12 — agencies.errors.csvCellCount',
      ]);
      expect(await agencies().countDocuments()).to.equal(1);
      expect(await audits('agency.imported')).to.equal(0);
    });

    it('refuses a bad header, an unclosed quote, and a file with no agency', async () => {
      const header1 = await rejected(importAgencies(SYSTEM_ACTOR, 'name;email;cấp\nA;a@b.vn;tinh', ctx), AgencyImportError);
      expect(header1.rowErrors.map((e) => `${e.row} ${e.field} ${e.messageKey}`)).to.deep.equal(['1 email agencies.errors.csvUnknownColumn', '1 to agencies.errors.csvMissingColumn']);
      const quote = await rejected(importAgencies(SYSTEM_ACTOR, 'name;to;level\n"A;a@b.vn;tinh\n', ctx), AgencyImportError);
      expect(quote.rowErrors).to.deep.equal([{ row: 2, name: '', field: '—', messageKey: 'agencies.errors.csvQuote' }]);
      expect((await rejected(importAgencies(SYSTEM_ACTOR, 'name;to;level\n\n', ctx), ValidationError)).fieldErrors).to.deep.equal({ csv: 'agencies.errors.importEmpty' });
      await rejected(importAgencies(officer, 'name;to;level\nA;a@b.vn;tinh', ctx), ForbiddenError);
    });
  });

  describe('for the forwarding module', () => {
    it('looks agencies up by id, and lists the active ones by name', async () => {
      await seedAgencies(clock);
      const id = await idOf('Sở Y tế tỉnh Quảng Trị');
      const health = await getAgency(id);
      expect(health).to.deep.include({ id, name: 'Sở Y tế tỉnh Quảng Trị', shortName: 'Sở Y tế', level: 'province', active: true });
      expect(health?.contacts.find((c) => c.role === 'to')?.email).to.equal('vanthu.syt@quangtri.example.gov.vn');
      expect(await getAgency('nope')).to.equal(null);
      expect(await getAgency(new mongoose.Types.ObjectId().toHexString())).to.equal(null);
      const both = await getAgencies([id, await idOf('Bộ Xây dựng'), 'nope', id]);
      expect([...both.values()].map((a) => a.name).sort()).to.deep.equal(['Bộ Xây dựng', 'Sở Y tế tỉnh Quảng Trị']);

      await setAgencyActive(SYSTEM_ACTOR, id, false, ctx);
      const active = await listActiveAgencies();
      expect(active.map((a) => a.name)).to.not.include('Sở Y tế tỉnh Quảng Trị');
      const folded = active.map((a) => fold(a.name));
      expect(folded).to.deep.equal([...folded].sort());
      expect((await listActiveAgencies({ level: 'central' })).map((a) => a.name)).to.deep.equal(['Bộ Nông nghiệp và Môi trường', 'Bộ Xây dựng']);
      expect((await listActiveAgencies({ fieldCode: 'tu-phap-thi-hanh-an' })).map((a) => a.shortName)).to.deep.equal(['TAND tỉnh', 'VKSND tỉnh']);
      expect((await getAgency(id))?.active).to.equal(false);
    });

    it('suggests the competent agencies for a matter from the stored list', async () => {
      await seedAgencies(clock);
      const names = async (i: Parameters<typeof suggestCompetentAgencies>[1]) => (await suggestCompetentAgencies(officer, i)).map((s) => s.agency.name);
      expect(await names({ fieldCode: 'dat-dai', unitCode: 'qt-xa-cam-lo', caseType: 'complaint' })).to.deep.equal([
        'Ủy ban nhân dân xã Cam Lộ',
        'Sở Nông nghiệp và Môi trường tỉnh Quảng Trị',
        'Bộ Nông nghiệp và Môi trường',
        'Ủy ban nhân dân tỉnh Quảng Trị',
      ]);
      expect(await names({ fieldCode: 'dat-dai', caseType: 'voter-petition-central' })).to.deep.equal([
        'Bộ Nông nghiệp và Môi trường',
        'Sở Nông nghiệp và Môi trường tỉnh Quảng Trị',
        'Ủy ban nhân dân tỉnh Quảng Trị',
      ]);
      await setAgencyActive(SYSTEM_ACTOR, await idOf('Ủy ban nhân dân xã Cam Lộ'), false, ctx);
      const after = await suggestCompetentAgencies(officer, { fieldCode: 'dat-dai', unitCode: 'qt-xa-cam-lo', caseType: 'complaint' });
      expect(after.map((s) => s.agency.name)).to.not.include('Ủy ban nhân dân xã Cam Lộ');
      expect(after[0]).to.deep.include({ match: 'field-province' });
      expect(after[0]!.agency.contacts.length).to.be.greaterThan(0);
      await rejected(suggestCompetentAgencies(delegate, { fieldCode: 'dat-dai' }), ForbiddenError);
    });
  });
});

function fold(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[đĐ]/g, 'd').toLowerCase();
}
