// What makes an administrative unit consistent: a table of units and the problems each must report.
import { expect } from 'chai';
import { isUnitInForce, parseCodeList, unitProblems, type UnitData, type UnitLookup } from '../../server/reference/units.rules.js';

const known: Record<string, Pick<UnitData, 'level' | 'validTo'>> = {
  'tinh-a': { level: 'province', validTo: null },
  'huyen-cu': { level: 'district-legacy', validTo: '2025-06-30' },
  'xa-moi': { level: 'commune', validTo: null },
};
const lookup: UnitLookup = (code) => known[code];

const commune = (over: Partial<UnitData> = {}): UnitData => ({
  code: 'xa-b',
  name: 'Xã B',
  kind: 'xa',
  level: 'commune',
  parentCode: 'tinh-a',
  validFrom: '2025-07-01',
  validTo: null,
  replacedBy: [],
  ...over,
});

describe('administrative unit rules', () => {
  const table: { name: string; unit: UnitData; problems: Record<string, string> }[] = [
    { name: 'a current commune under its province', unit: commune(), problems: {} },
    { name: 'a province', unit: commune({ code: 'tinh-b', kind: 'tinh', level: 'province', parentCode: null }), problems: {} },
    {
      name: 'a former township under a former district, replaced by a new commune',
      unit: commune({ code: 'tt-cu', kind: 'thi-tran', parentCode: 'huyen-cu', validFrom: null, validTo: '2025-06-30', replacedBy: ['xa-moi'] }),
      problems: {},
    },
    { name: 'a ward kind at district level', unit: commune({ kind: 'phuong', level: 'district-legacy', validFrom: null, validTo: '2025-06-30' }), problems: { kind: 'reference.errors.kindLevel' } },
    { name: 'a district still in force', unit: commune({ code: 'huyen-b', kind: 'huyen', level: 'district-legacy' }), problems: { validTo: 'reference.errors.formerUnitEnds' } },
    { name: 'a township ending after the reform', unit: commune({ kind: 'thi-tran', validTo: '2025-07-01' }), problems: { validTo: 'reference.errors.formerUnitEnds' } },
    { name: 'an end before the start', unit: commune({ validFrom: '2025-07-01', validTo: '2025-06-30' }), problems: { validTo: 'reference.errors.validRange' } },
    { name: 'a province with a parent', unit: commune({ kind: 'tinh', level: 'province', parentCode: 'tinh-a' }), problems: { parentCode: 'reference.errors.provinceHasNoParent' } },
    { name: 'a commune without a parent', unit: commune({ parentCode: null }), problems: { parentCode: 'reference.errors.parentRequired' } },
    { name: 'a commune under itself', unit: commune({ parentCode: 'xa-b' }), problems: { parentCode: 'reference.errors.parentSelf' } },
    { name: 'an unknown parent', unit: commune({ parentCode: 'khong-co' }), problems: { parentCode: 'reference.errors.parentUnknown' } },
    { name: 'a commune under a commune', unit: commune({ parentCode: 'xa-moi' }), problems: { parentCode: 'reference.errors.parentLevel' } },
    { name: 'a district under a district', unit: commune({ kind: 'huyen', level: 'district-legacy', parentCode: 'huyen-cu', validFrom: null, validTo: '2025-06-30' }), problems: { parentCode: 'reference.errors.parentLevel' } },
    { name: 'a current commune under a former district', unit: commune({ parentCode: 'huyen-cu' }), problems: { parentCode: 'reference.errors.currentUnderDistrict' } },
    { name: 'replaced by itself', unit: commune({ validFrom: null, validTo: '2025-06-30', replacedBy: ['xa-b'] }), problems: { replacedBy: 'reference.errors.replacedBySelf' } },
    { name: 'replaced by an unknown unit', unit: commune({ validFrom: null, validTo: '2025-06-30', replacedBy: ['xa-moi', 'khong-co'] }), problems: { replacedBy: 'reference.errors.replacedByUnknown' } },
    { name: 'replaced while still in force', unit: commune({ replacedBy: ['xa-moi'] }), problems: { replacedBy: 'reference.errors.replacedButCurrent' } },
  ];
  for (const c of table) {
    it(c.name, () => expect(unitProblems(c.unit, lookup)).to.deep.equal(c.problems));
  }

  it('tells whether a unit is in force on a date', () => {
    expect(isUnitInForce({ validFrom: '2025-07-01', validTo: null }, '2025-06-30')).to.equal(false);
    expect(isUnitInForce({ validFrom: '2025-07-01', validTo: null }, '2025-07-01')).to.equal(true);
    expect(isUnitInForce({ validFrom: null, validTo: '2025-06-30' }, '2025-06-30')).to.equal(true);
    expect(isUnitInForce({ validFrom: null, validTo: '2025-06-30' }, '2025-07-01')).to.equal(false);
  });

  it('reads a typed list of codes', () => {
    expect(parseCodeList(' QT-Xa-A, qt-xa-b;qt-xa-a  qt-xa-c ')).to.deep.equal(['qt-xa-a', 'qt-xa-b', 'qt-xa-c']);
    expect(parseCodeList('')).to.deep.equal([]);
  });
});
