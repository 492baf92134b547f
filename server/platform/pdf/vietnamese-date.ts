// The place-and-date line of an administrative document: "Quảng Trị, ngày 05 tháng 01 năm 2026".
// The calendar day is the one in Vietnam, whatever the server's zone. Following Nghị định
// 30/2020/NĐ-CP, days below 10 and the months 1 and 2 take a leading zero, and the other months do
// not ("tháng 3"): a "1" or "2" written alone could later be turned into 11 or 12 by hand.
import { TZDate } from '@date-fns/tz';
import { OFFICE_TIME_ZONE } from '../dates.js';

function twoDigits(n: number): string {
  return String(n).padStart(2, '0');
}

export function vietnameseLongDate(date: Date, place: string): string {
  if (Number.isNaN(date.getTime())) throw new RangeError('vietnameseLongDate: invalid date');
  const zoned = new TZDate(date.getTime(), OFFICE_TIME_ZONE);
  const day = twoDigits(zoned.getDate());
  const monthNumber = zoned.getMonth() + 1;
  const month = monthNumber <= 2 ? twoDigits(monthNumber) : String(monthNumber);
  return `${place.trim()}, ngày ${day} tháng ${month} năm ${zoned.getFullYear()}`;
}
