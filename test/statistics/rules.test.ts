// Pure rules of the statistics: periods (tables of cases), their buckets, the filters' validation,
// and the chart geometry.
import { expect } from 'chai';
import { barChart, lineChart, niceTicks, shortLabel } from '../../server/statistics/charts.rules.js';
import { bucketKeys, bucketLabel, customPeriod, halfPeriod, monthPeriod, quarterPeriod, sinceSessionPeriod, yearPeriod } from '../../server/statistics/period.rules.js';
import { parsePeriodQuery } from '../../server/statistics/statistics.schemas.js';
import { ValidationError } from '../../server/platform/errors.js';

describe('statistics: periods', () => {
  const table = [
    { name: 'February of a leap year', period: monthPeriod(2028, 2), from: '2028-02-01', to: '2028-02-29', bucket: 'day' },
    { name: 'February', period: monthPeriod(2026, 2), from: '2026-02-01', to: '2026-02-28', bucket: 'day' },
    { name: 'December', period: monthPeriod(2026, 12), from: '2026-12-01', to: '2026-12-31', bucket: 'day' },
    { name: 'quarter 1', period: quarterPeriod(2026, 1), from: '2026-01-01', to: '2026-03-31', bucket: 'month' },
    { name: 'quarter 4', period: quarterPeriod(2026, 4), from: '2026-10-01', to: '2026-12-31', bucket: 'month' },
    { name: 'first half', period: halfPeriod(2026, 1), from: '2026-01-01', to: '2026-06-30', bucket: 'month' },
    { name: 'second half', period: halfPeriod(2026, 2), from: '2026-07-01', to: '2026-12-31', bucket: 'month' },
    { name: 'year', period: yearPeriod(2026), from: '2026-01-01', to: '2026-12-31', bucket: 'month' },
    { name: 'one day', period: customPeriod('2026-03-05', '2026-03-05'), from: '2026-03-05', to: '2026-03-05', bucket: 'day' },
    { name: 'since a session', period: sinceSessionPeriod({ body: 'quoc-hoi', term: 'XVI', number: 2, closesOn: '2026-06-20' }, '2026-07-10'), from: '2026-06-21', to: '2026-07-10', bucket: 'day' },
  ] as const;
  for (const row of table) {
    it(row.name, () => {
      expect([row.period.from, row.period.to, row.period.bucket]).to.deep.equal([row.from, row.to, row.bucket]);
      // Instants: midnight in Vietnam (17:00 UTC the day before), end exclusive.
      expect(row.period.start.toISOString()).to.equal(new Date(`${row.from}T00:00:00+07:00`).toISOString());
      expect(row.period.end.getTime() - new Date(`${row.to}T00:00:00+07:00`).getTime()).to.equal(86_400_000);
    });
  }

  it('lists every bucket, including empty ones', () => {
    expect(bucketKeys(quarterPeriod(2026, 4))).to.deep.equal(['2026-10', '2026-11', '2026-12']);
    expect(bucketKeys(customPeriod('2025-11-15', '2026-02-01'))).to.deep.equal(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(bucketKeys(monthPeriod(2026, 2))).to.have.length(28);
    expect(bucketLabel('2026-03-05')).to.equal('05/03');
    expect(bucketLabel('2026-03')).to.equal('03/2026');
  });

  const today = '2026-08-15';
  const ok: [Record<string, string>, string, string][] = [
    [{}, '2026-08-01', '2026-08-31'],
    [{ period: 'quarter' }, '2026-07-01', '2026-09-30'],
    [{ period: 'half' }, '2026-07-01', '2026-12-31'],
    [{ period: 'year', year: '2025' }, '2025-01-01', '2025-12-31'],
    [{ period: 'month', year: ' 2026 ', month: '2' }, '2026-02-01', '2026-02-28'],
    [{ period: 'custom', from: '1/3/2026', to: '2026-03-31' }, '2026-03-01', '2026-03-31'],
    [{ period: 'month', year: '', month: '' }, '2026-08-01', '2026-08-31'],
  ];
  for (const [query, from, to] of ok) {
    it(`reads ${JSON.stringify(query)}`, () => {
      const request = parsePeriodQuery(query, today);
      expect(request.kind).to.equal('fixed');
      if (request.kind === 'fixed') expect([request.period.from, request.period.to]).to.deep.equal([from, to]);
    });
  }

  const bad: [Record<string, unknown>, Record<string, string>][] = [
    [{ period: 'custom', from: '30/02/2026', to: '01/03/2026' }, { from: 'statistics.errors.date' }],
    [{ period: 'custom', from: '02/03/2026', to: '01/03/2026' }, { to: 'statistics.errors.reversed' }],
    [{ period: 'custom', to: '01/03/2026' }, { from: 'statistics.errors.fromRequired' }],
    [{ period: 'custom', from: '01/01/2010', to: '01/02/2020' }, { to: 'statistics.errors.tooLong' }],
    [{ period: 'fortnight' }, { period: 'statistics.errors.period' }],
    [{ year: '1999' }, { year: 'statistics.errors.year' }],
    [{ year: '20x6' }, { year: 'statistics.errors.year' }],
    [{ quarter: '5', period: 'quarter' }, { quarter: 'statistics.errors.quarter' }],
    [{ half: '3' }, { half: 'statistics.errors.half' }],
    [{ month: ['1', '2'] }, { month: 'statistics.errors.month' }],
    [{ from: 'x'.repeat(500), period: 'custom', to: '01/01/2026' }, { from: 'statistics.errors.date' }],
  ];
  for (const [query, errors] of bad) {
    it(`refuses ${JSON.stringify(query).slice(0, 80)}`, () => {
      let caught: unknown = null;
      try {
        parsePeriodQuery(query, today);
      } catch (err) {
        caught = err;
      }
      expect(caught).to.be.instanceOf(ValidationError);
      expect((caught as ValidationError).fieldErrors).to.deep.equal(errors);
    });
  }
});

describe('statistics: chart geometry', () => {
  it('picks round axis ticks', () => {
    expect(niceTicks(0)).to.deep.equal([0, 1]);
    expect(niceTicks(4)).to.deep.equal([0, 1, 2, 3, 4]);
    expect(niceTicks(17)).to.deep.equal([0, 5, 10, 15, 20]);
    expect(niceTicks(230)).to.deep.equal([0, 100, 200, 300]);
  });

  it('scales bars to the largest value, leaves zeros out and folds the long tail into "others"', () => {
    const chart = barChart([{ label: 'A', value: 10 }, { label: 'B', value: 5 }, { label: 'C', value: 0 }], 'Còn lại');
    expect(chart.bars.map((b) => [b.label, b.value])).to.deep.equal([['A', 10], ['B', 5]]);
    expect(chart.bars[0]!.width).to.equal(2 * chart.bars[1]!.width);
    expect(chart.folded).to.equal(false);
    const many = barChart(Array.from({ length: 14 }, (_, i) => ({ label: `Xã ${i}`, value: 20 - i })), 'Còn lại');
    expect(many.bars).to.have.length(10);
    expect(many.bars[9]).to.include({ label: 'Còn lại', value: [11, 10, 9, 8, 7].reduce((a, b) => a + b, 0) });
    expect(many.folded).to.equal(true);
    expect(shortLabel('Chế độ chính sách đối với người có công với cách mạng')).to.have.length(30);
  });

  it('places the line chart’s points within the plot', () => {
    const chart = lineChart(['01/03', '02/03', '03/03'], [{ name: 'Lượt tiếp', values: [0, 4, 2] }, { name: 'Đơn', values: [1, 1, 1] }]);
    const [first, second] = chart.series;
    expect(first!.markers.map((m) => m.x)).to.deep.equal([chart.plot.left, (chart.plot.left + chart.plot.right) / 2, chart.plot.right]);
    expect(first!.markers[0]!.y).to.equal(chart.plot.bottom);
    expect(first!.markers[1]!.y).to.equal(chart.plot.top);
    expect(second!.style).to.equal(1);
    expect(chart.yTicks.map((t) => t.value)).to.deep.equal([0, 1, 2, 3, 4]);
  });
});
