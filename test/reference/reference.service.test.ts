// Reference data against the real database: the start-up seed (idempotent, never over an
// administrator's edit), the lookups other modules use, and the all-or-nothing import.
import { expect } from 'chai';
import mongoose from 'mongoose';
import { SYSTEM_ACTOR } from '../../server/access/index.js';
import { fixedClock } from '../../server/platform/clock.js';
import { getFields, getUnits, listActiveCommunes, listActiveDelegates, listActiveFields, seedReferenceData, unitName } from '../../server/reference/index.js';
import { createDelegate, setDelegateActive } from '../../server/reference/delegates.service.js';
import { setFieldActive } from '../../server/reference/fields.service.js';
import { readSeedUnits } from '../../server/reference/seed.js';
import { UnitImportError, importUnits, updateUnit } from '../../server/reference/units.service.js';
import { useTestDatabase } from '../support/app.js';

const units = () => mongoose.connection.collection('admin_units');
const ctx = { clock: fixedClock('2026-03-10T03:00:00Z') };

describe('reference data service', () => {
  useTestDatabase();

  it('seeds the shipped units and fields once; a second run inserts nothing', async () => {
    const shipped = readSeedUnits().length;
    const first = await seedReferenceData();
    expect(first).to.deep.equal({ unitsInserted: shipped, fieldsInserted: 15 });
    expect(await seedReferenceData()).to.deep.equal({ unitsInserted: 0, fieldsInserted: 0 });
    expect(await units().countDocuments()).to.equal(shipped);
    expect(await mongoose.connection.collection('audit_events').countDocuments({ action: 'reference.seeded' })).to.equal(1);
    const province = await units().findOne({ code: 'tinh-quang-tri' });
    expect(province).to.include({ name: 'Tỉnh Quảng Trị', level: 'province', source: 'seed' });
    expect((await units().findOne({ code: 'qt-phuong-dong-ha' }))?.nameFolded).to.equal('phuong dong ha');
  });

  it('never overwrites an administrator’s edit when seeding again', async () => {
    await seedReferenceData();
    await updateUnit(SYSTEM_ACTOR, 'qt-xa-cam-lo', { name: 'Xã Cam Lộ (đã sửa)', kind: 'xa', level: 'commune', parentCode: 'tinh-quang-tri', validFrom: '2025-07-01', validTo: null, replacedBy: [] }, ctx);
    await mongoose.connection.collection('fields').updateOne({ code: 'y-te' }, { $set: { name: 'Y tế, dược' } });
    await units().deleteOne({ code: 'qt-xa-gio-linh' });
    const again = await seedReferenceData();
    expect(again).to.deep.equal({ unitsInserted: 1, fieldsInserted: 0 });
    expect((await units().findOne({ code: 'qt-xa-cam-lo' }))?.name).to.equal('Xã Cam Lộ (đã sửa)');
    expect((await mongoose.connection.collection('fields').findOne({ code: 'y-te' }))?.name).to.equal('Y tế, dược');
  });

  it('answers other modules: communes in force today or on an old date, names by code, fields, delegates', async () => {
    await seedReferenceData();
    const today = await listActiveCommunes();
    expect(today.map((u) => u.name)).to.include.members(['Phường Đông Hà', 'Xã Cam Lộ', 'Đặc khu Cồn Cỏ']);
    expect(today.map((u) => u.name)).to.not.include('Thị trấn Cam Lộ');
    expect(today.every((u) => u.level === 'commune' && u.validTo === null)).to.equal(true);

    const before = await listActiveCommunes(new Date('2025-03-01T03:00:00Z'));
    expect(before.map((u) => u.name)).to.include('Thị trấn Cam Lộ').and.not.include('Xã Cam Lộ');
    // 1/7/2025 00:30 in Vietnam is still 30/6 in UTC: the new communes count from the Vietnam date.
    const reformMorning = await listActiveCommunes(new Date('2025-06-30T17:30:00Z'));
    expect(reformMorning.map((u) => u.code)).to.include('qt-xa-cam-lo').and.not.include('qt-cu-thi-tran-cam-lo');

    const found = await getUnits(['qt-cu-huyen-cam-lo', 'qt-xa-cam-lo', 'khong-co', '']);
    expect([...found.keys()].sort()).to.deep.equal(['qt-cu-huyen-cam-lo', 'qt-xa-cam-lo']);
    expect(found.get('qt-cu-huyen-cam-lo')).to.deep.include({ name: 'Huyện Cam Lộ', kind: 'huyen', validTo: '2025-06-30' });
    expect(await unitName('qt-dac-khu-con-co')).to.equal('Đặc khu Cồn Cỏ');
    expect(await unitName('khong-co')).to.equal(null);

    await setFieldActive(SYSTEM_ACTOR, 'khac', false, ctx);
    const fields = await listActiveFields();
    expect(fields[0]?.name).to.equal('Đất đai');
    expect(fields.map((f) => f.code)).to.not.include('khac');
    expect((await getFields(['khac', 'dat-dai'])).get('khac')).to.deep.include({ name: 'Khác', active: false });

    const id = await createDelegate(SYSTEM_ACTOR, { name: 'Trần Văn Bình', body: 'quoc-hoi', constituency: 'Đơn vị bầu cử số 1', term: 'Khoá XVI (2026–2031)', userId: null }, ctx);
    await createDelegate(SYSTEM_ACTOR, { name: 'Lê Thị An', body: 'hdnd-tinh', constituency: '', term: 'Khoá IX (2026–2031)', userId: null }, ctx);
    expect((await listActiveDelegates()).map((d) => d.name)).to.deep.equal(['Lê Thị An', 'Trần Văn Bình']);
    expect((await listActiveDelegates('quoc-hoi')).map((d) => d.id)).to.deep.equal([id]);
    await setDelegateActive(SYSTEM_ACTOR, id, false, ctx);
    expect((await listActiveDelegates()).map((d) => d.name)).to.deep.equal(['Lê Thị An']);
  });

  it('imports all rows or none, counting created, updated and unchanged', async () => {
    await seedReferenceData();
    const result = await importUnits(
      SYSTEM_ACTOR,
      [
        { code: 'qt-xa-moi-1', name: 'Xã Mới Một', kind: 'xa', level: 'commune', parentCode: 'tinh-quang-tri', validFrom: '2025-07-01', validTo: null, replacedBy: [] },
        { code: 'qt-xa-cam-lo', name: 'Xã Cam Lộ', kind: 'xa', level: 'commune', parentCode: 'tinh-quang-tri', validFrom: '2025-07-01' },
        { code: 'qt-xa-gio-linh', name: 'Xã Gio Linh (tên mới)', kind: 'xa', level: 'commune', parentCode: 'tinh-quang-tri', validFrom: '2025-07-01', validTo: null, replacedBy: [] },
      ],
      ctx,
    );
    expect(result).to.deep.equal({ created: 1, updated: 1, unchanged: 1 });
    expect((await units().findOne({ code: 'qt-xa-gio-linh' }))).to.include({ name: 'Xã Gio Linh (tên mới)', nameFolded: 'xa gio linh (ten moi)', source: 'import' });

    const count = await units().countDocuments();
    const err = await importUnits(
      SYSTEM_ACTOR,
      [
        { code: 'qt-xa-moi-2', name: 'Xã Mới Hai', kind: 'xa', level: 'commune', parentCode: 'tinh-quang-tri' },
        { code: 'qt-xa-moi-3', name: 'Xã Mới Ba', kind: 'huyen', level: 'commune', parentCode: 'tinh-quang-tri' },
        { code: { $gt: '' }, name: 'Tiêm toán tử', kind: 'xa', level: 'commune' },
        'not an object',
        { code: 'qt-xa-moi-2', name: 'Trùng', kind: 'xa', level: 'commune', parentCode: 'qt-xa-moi-4', validFrom: '01/07/2025' },
      ],
      ctx,
    ).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(UnitImportError);
    const rows = (err as UnitImportError).rowErrors.map((e) => `${e.row}:${e.field}:${e.messageKey}`);
    expect(rows).to.include.members([
      '2:kind:reference.errors.kindLevel',
      '3:code:errors.invalid',
      '4:_form:reference.errors.importRow',
      '5:validFrom:reference.errors.isoDate',
    ]);
    expect(await units().countDocuments(), 'nothing saved').to.equal(count);
    expect(await units().countDocuments({ code: 'qt-xa-moi-2' })).to.equal(0);

    const dup = await importUnits(SYSTEM_ACTOR, [
      { code: 'qt-xa-moi-5', name: 'A', kind: 'xa', level: 'commune', parentCode: 'tinh-quang-tri' },
      { code: 'QT-XA-MOI-5', name: 'B', kind: 'xa', level: 'commune', parentCode: 'tinh-quang-tri' },
    ], ctx).catch((e: unknown) => e);
    expect((dup as UnitImportError).rowErrors).to.deep.equal([{ row: 2, code: 'qt-xa-moi-5', field: 'code', messageKey: 'reference.errors.codeRepeated' }]);
  });

  it('resolves parents and successors within the imported file itself', async () => {
    const result = await importUnits(
      SYSTEM_ACTOR,
      [
        { code: 'xa-moi', name: 'Xã Mới', kind: 'xa', level: 'commune', parentCode: 'tinh-x', validFrom: '2025-07-01' },
        { code: 'huyen-cu', name: 'Huyện Cũ', kind: 'huyen', level: 'district-legacy', parentCode: 'tinh-x', validTo: '2025-06-30', replacedBy: ['xa-moi'] },
        { code: 'tinh-x', name: 'Tỉnh X', kind: 'tinh', level: 'province' },
      ],
      ctx,
    );
    expect(result).to.deep.equal({ created: 3, updated: 0, unchanged: 0 });
  });
});
