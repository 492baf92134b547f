// The starting calendar of a year: the Labour Code's public holidays with lunar dates from
// date-holidays, the adjacent day of Quốc khánh, and compensatory days off for weekend holidays.
import { expect } from 'chai';
import { holidaySeedFor } from '../../server/calendar/holiday-seed.js';

const datesOf = (year: number, kind?: string) => holidaySeedFor(year).filter((d) => !kind || d.kind === kind).map((d) => d.date);

describe('holiday seed', () => {
  it('lays out 2026: Tết 16–20/2, Giỗ Tổ on Sunday 26/4 with Monday off, 30/4, 1/5, 1/9 and 2/9', () => {
    expect(datesOf(2026, 'holiday')).to.deep.equal([
      '2026-01-01',
      '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20',
      '2026-04-26', '2026-04-30', '2026-05-01',
      '2026-09-01', '2026-09-02',
    ]);
    expect(datesOf(2026, 'day-off')).to.deep.equal(['2026-04-27']);
    expect(holidaySeedFor(2026).find((d) => d.date === '2026-02-17')?.name).to.equal('Tết Nguyên đán (mùng 1)');
  });

  it('takes 3/9 as the adjacent day when 2/9 is a Thursday (2027), and gives weekend Tết days their compensation', () => {
    const y2027 = datesOf(2027, 'holiday');
    expect(y2027).to.include.members(['2027-09-02', '2027-09-03']);
    expect(y2027).to.not.include('2027-09-01');
    // Tết 2027: 5/2 (Fri) to 9/2 (Tue); Saturday 6/2 and Sunday 7/2 are compensated on 10/2 and 11/2.
    expect(y2027.filter((d) => d.startsWith('2027-02'))).to.deep.equal(['2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08', '2027-02-09']);
    expect(datesOf(2027, 'day-off')).to.deep.equal(['2027-02-10', '2027-02-11', '2027-05-03']);
  });

  it('has eleven holidays every year, each with its legal basis, no make-up days, and sorted dates', () => {
    for (let year = 2024; year <= 2031; year++) {
      const days = holidaySeedFor(year);
      expect(days.filter((d) => d.kind === 'holiday'), String(year)).to.have.length(11);
      expect(days.every((d) => d.basis.includes('Bộ luật Lao động 2019'))).to.equal(true);
      expect(days.some((d) => d.kind === 'makeup-workday')).to.equal(false);
      const dates = days.map((d) => d.date);
      expect(dates).to.deep.equal([...dates].sort());
      expect(new Set(dates).size).to.equal(dates.length);
      expect(dates.every((d) => d.startsWith(`${year}-`))).to.equal(true);
    }
  });

  it('refuses a year it cannot compute', () => {
    expect(() => holidaySeedFor(1800)).to.throw(RangeError);
    expect(() => holidaySeedFor(2026.5)).to.throw(RangeError);
  });
});
