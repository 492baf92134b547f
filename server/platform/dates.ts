// Display of instants in the office's time zone. Instants are stored in UTC; people read
// Vietnam time in dd/mm/yyyy, whatever the server's own zone is.
import { format } from 'date-fns';
import { TZDate } from '@date-fns/tz';

export const OFFICE_TIME_ZONE = 'Asia/Ho_Chi_Minh';
/**
 * The same zone as a fixed offset, for date expressions inside aggregations. Vietnam has kept +07:00
 * without daylight saving since 1975, so the two agree on every date the office records; the offset
 * is much cheaper for the embedded database, which resolves a zone name per document.
 */
export const OFFICE_UTC_OFFSET = '+07:00';

function inOfficeZone(value: Date | string | number): TZDate | null {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) return null;
  return new TZDate(date.getTime(), OFFICE_TIME_ZONE);
}

/** Vietnam has been on +07:00 without daylight saving since 13/06/1975; earlier instants go through the zone database. */
const FIXED_OFFSET_SINCE = Date.UTC(1975, 6, 1);
const OFFSET_MS = 7 * 3_600_000;
const two = (n: number): string => (n < 10 ? `0${n}` : String(n));

/**
 * The office-time parts of an instant. A list page shows hundreds of dates; the arithmetic on the
 * fixed offset costs a fraction of a zoned date object and a format pattern, which it equals here.
 */
function officeParts(value: Date | string | number): { date: string; time: string } | null {
  const ms = (value instanceof Date ? value : new Date(value)).getTime();
  if (Number.isNaN(ms)) return null;
  if (ms < FIXED_OFFSET_SINCE) {
    const zoned = inOfficeZone(ms);
    return zoned ? { date: format(zoned, 'dd/MM/yyyy'), time: format(zoned, 'HH:mm') } : null;
  }
  const d = new Date(ms + OFFSET_MS);
  return { date: `${two(d.getUTCDate())}/${two(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}`, time: `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}` };
}

/** 05/01/2026 */
export function formatDate(value: Date | string | number | null | undefined): string {
  if (value == null || value === '') return '';
  return officeParts(value)?.date ?? '';
}

/** 05/01/2026 14:30 */
export function formatDateTime(value: Date | string | number | null | undefined): string {
  if (value == null || value === '') return '';
  const parts = officeParts(value);
  return parts ? `${parts.date} ${parts.time}` : '';
}
