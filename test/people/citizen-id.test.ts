import { expect } from 'chai';
import { citizenIdProblem, normaliseCitizenId } from '../../server/people/index.js';

describe('citizen ID numbers (CCCD)', () => {
  const table: [string, string | null][] = [
    ['001090012345', null], // Hà Nội, male born 1990
    ['079305001234', null], // TP.HCM, female born 2005
    ['045188000001', null], // Quảng Trị, female born 1988
    ['00109001234', 'format'], // 11 digits
    ['0010900123456', 'format'],
    ['00109001234a', 'format'],
    ['003090012345', 'province'], // 003 is not a province code
    ['099090012345', 'province'],
    ['001399012345', 'birth-year'], // born 2099: in the future
    ['001690012345', 'birth-year'], // century digit 6 → 22nd century
  ];
  for (const [id, expected] of table) {
    it(`${id} → ${expected ?? 'valid'}`, () => {
      expect(citizenIdProblem(id, 2026)).to.equal(expected);
    });
  }

  it('accepts numbers typed with spaces, dots or dashes', () => {
    expect(normaliseCitizenId('001 090.012-345')).to.equal('001090012345');
  });
});
