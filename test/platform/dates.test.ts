// Display dates in Vietnam time: the fixed +07:00 arithmetic must agree with the zone database on
// every instant since mid-1975, and earlier instants (other offsets then) go through the database.
import { expect } from 'chai';
import { format } from 'date-fns';
import { TZDate } from '@date-fns/tz';
import { formatDate, formatDateTime, OFFICE_TIME_ZONE } from '../../server/platform/dates.js';

const zoned = (ms: number, pattern: string) => format(new TZDate(ms, OFFICE_TIME_ZONE), pattern);

describe('office dates (dd/mm/yyyy, Vietnam time)', function () {
  const cases: [string, Date | string | number | null | undefined, string, string][] = [
    ['midnight in Vietnam is the previous UTC evening', new Date('2026-01-04T17:00:00Z'), '05/01/2026', '05/01/2026 00:00'],
    ['one minute before midnight', new Date('2026-01-04T16:59:00Z'), '04/01/2026', '04/01/2026 23:59'],
    ['end of year rolls over', new Date('2025-12-31T17:30:00Z'), '01/01/2026', '01/01/2026 00:30'],
    ['29 February', new Date('2024-02-29T03:05:00Z'), '29/02/2024', '29/02/2024 10:05'],
    ['an ISO string', '2026-03-08T01:02:00.000Z', '08/03/2026', '08/03/2026 08:02'],
    ['epoch milliseconds', Date.UTC(2026, 11, 4, 20, 0), '05/12/2026', '05/12/2026 03:00'],
    ['nothing', null, '', ''],
    ['not a date', 'tomorrow', '', ''],
  ];
  for (const [name, value, date, dateTime] of cases) {
    it(name, function () {
      expect(formatDate(value)).to.equal(date);
      expect(formatDateTime(value)).to.equal(dateTime);
    });
  }

  it('agrees with the zone database every 7 hours 13 minutes from 1975 to 2040', function () {
    for (let ms = Date.UTC(1975, 6, 1); ms < Date.UTC(2040, 0, 1); ms += (7 * 60 + 13) * 60_000) {
      expect(formatDateTime(ms), new Date(ms).toISOString()).to.equal(zoned(ms, 'dd/MM/yyyy HH:mm'));
    }
  });

  it('before mid-1975 uses the offset of the time (+08:00 in the south in 1960)', function () {
    const ms = Date.UTC(1960, 0, 1, 16, 30);
    expect(formatDateTime(ms)).to.equal(zoned(ms, 'dd/MM/yyyy HH:mm'));
    expect(formatDate(ms)).to.equal('02/01/1960');
  });
});
