// The public holidays of a year as the starting calendar, from the Labour Code 2019 (Bộ luật Lao động,
// Điều 112 khoản 1): Tết Dương lịch 1/1; Tết Nguyên đán 5 days; Giỗ Tổ Hùng Vương 10/3 lunar; 30/4;
// 1/5; Quốc khánh 2/9 plus one adjacent day. Lunar dates come from the date-holidays package.
//
// What the law leaves to yearly decisions is approximated and must be checked by an administrator:
//  - Tết: the Prime Minister fixes the 5 days each year; we seed the common pattern, the last day of
//    the lunar year and the first four days of the new year;
//  - Quốc khánh: the adjacent day is 1/9, or 3/9 when 2/9 is a Thursday (so the break joins the weekend);
//  - compensatory days off (nghỉ bù) when a holiday falls on a Saturday or Sunday follow Điều 111
//    khoản 3 (the next working day) and are seeded;
//  - decreed swaps (đổi ngày nghỉ / làm bù on a Saturday) are decided yearly by the Government and the
//    Ministry of Home Affairs and are NOT seeded: the administrator enters them on the calendar page.
import Holidays from 'date-holidays';
import { addCalendarDays, isWeekend, weekdayOf, type IsoDate } from './working-days.rules.js';

export type SpecialDayKind = 'holiday' | 'day-off' | 'makeup-workday';

export interface SeedDay {
  date: IsoDate;
  kind: SpecialDayKind;
  name: string;
  basis: string;
}

const HOLIDAY_BASIS = 'Bộ luật Lao động 2019, Điều 112 khoản 1';
const TET_BASIS = 'Bộ luật Lao động 2019, Điều 112 khoản 1 — ngày nghỉ cụ thể do Thủ tướng quyết định hằng năm; lịch mẫu, cần đối chiếu';
const COMPENSATION_BASIS = 'Bộ luật Lao động 2019, Điều 111 khoản 3 (nghỉ bù khi ngày lễ trùng ngày nghỉ hằng tuần)';

const TET_NAMES = ['Tết Nguyên đán (ngày cuối năm âm lịch)', 'Tết Nguyên đán (mùng 1)', 'Tết Nguyên đán (mùng 2)', 'Tết Nguyên đán (mùng 3)', 'Tết Nguyên đán (mùng 4)'];

/** The Gregorian date of a lunar-calendar holiday, by its date-holidays rule ("vietnamese M-0-D"). */
let vietnam: Holidays | null = null;

function lunarDate(year: number, rule: string): IsoDate {
  vietnam ??= new Holidays('VN');
  const found = vietnam.getHolidays(year).find((h) => h.rule === rule);
  // Fail loudly rather than seed a wrong calendar if the package changes its data.
  if (!found) throw new Error(`date-holidays has no "${rule}" holiday for VN in ${year}`);
  return found.date.slice(0, 10);
}

const THURSDAY = 4;

/** The public holidays of `year`, plus the compensatory days off for those that fall on a weekend. */
export function holidaySeedFor(year: number): SeedDay[] {
  if (!Number.isInteger(year) || year < 1990 || year > 2200) throw new RangeError(`year out of range: ${year}`);
  const y = String(year);
  const lunarNewYear = lunarDate(year, 'vietnamese 1-0-1');
  const nationalDay = `${y}-09-02`;
  const holidays: SeedDay[] = [
    { date: `${y}-01-01`, kind: 'holiday', name: 'Tết Dương lịch', basis: HOLIDAY_BASIS },
    ...TET_NAMES.map((name, i) => ({ date: addCalendarDays(lunarNewYear, i - 1), kind: 'holiday' as const, name, basis: TET_BASIS })),
    { date: lunarDate(year, 'vietnamese 3-0-10'), kind: 'holiday', name: 'Giỗ Tổ Hùng Vương (10/3 âm lịch)', basis: HOLIDAY_BASIS },
    { date: `${y}-04-30`, kind: 'holiday', name: 'Ngày Chiến thắng (30/4)', basis: HOLIDAY_BASIS },
    { date: `${y}-05-01`, kind: 'holiday', name: 'Ngày Quốc tế Lao động (1/5)', basis: HOLIDAY_BASIS },
    { date: nationalDay, kind: 'holiday', name: 'Quốc khánh (2/9)', basis: HOLIDAY_BASIS },
    {
      date: weekdayOf(nationalDay) === THURSDAY ? `${y}-09-03` : `${y}-09-01`,
      kind: 'holiday',
      name: 'Quốc khánh (ngày liền kề)',
      basis: `${HOLIDAY_BASIS} — ngày liền kề do Thủ tướng quyết định; lịch mẫu, cần đối chiếu`,
    },
  ];
  holidays.sort((a, b) => a.date.localeCompare(b.date));

  const taken = new Set(holidays.map((h) => h.date));
  const compensations: SeedDay[] = [];
  for (const holiday of holidays) {
    if (!isWeekend(holiday.date)) continue;
    let day = addCalendarDays(holiday.date, 1);
    while (isWeekend(day) || taken.has(day)) day = addCalendarDays(day, 1);
    taken.add(day);
    compensations.push({ date: day, kind: 'day-off', name: `Nghỉ bù ${holiday.name}`, basis: COMPENSATION_BASIS });
  }
  return [...holidays, ...compensations].sort((a, b) => a.date.localeCompare(b.date));
}
