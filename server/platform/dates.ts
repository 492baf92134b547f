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

/** 05/01/2026 */
export function formatDate(value: Date | string | number | null | undefined): string {
  if (value == null || value === '') return '';
  const zoned = inOfficeZone(value);
  return zoned ? format(zoned, 'dd/MM/yyyy') : '';
}

/** 05/01/2026 14:30 */
export function formatDateTime(value: Date | string | number | null | undefined): string {
  if (value == null || value === '') return '';
  const zoned = inOfficeZone(value);
  return zoned ? format(zoned, 'dd/MM/yyyy HH:mm') : '';
}
