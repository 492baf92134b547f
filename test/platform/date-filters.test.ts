// Which date boxes of a list filter were typed but cannot be read (and so are not applied).
import { expect } from 'chai';
import { unreadableDates } from '../../server/platform/http/date-filters.js';

describe('list filters: unreadable dates', () => {
  const cases: [string, unknown, Record<string, string>][] = [
    ['nothing typed', {}, {}],
    ['readable dates, typed or from a link', { from: '05/12/2026', to: '2026-12-31' }, {}],
    ['empty and blank boxes', { from: '', to: '   ' }, {}],
    ['an impossible day', { from: '31/02/2026' }, { from: '31/02/2026' }],
    ['words and half dates', { from: 'hôm qua', to: '12/2026' }, { from: 'hôm qua', to: '12/2026' }],
    ['spaces around are dropped', { to: ' 99/99/9999 ' }, { to: '99/99/9999' }],
    ['a long text, cut to what the list reads', { from: 'x'.repeat(500) }, { from: 'x'.repeat(20) }],
    ['a long date-like text is not read either', { from: `05/12/2026${' '.repeat(5)}${'9'.repeat(10)}` }, { from: '05/12/2026     99999' }],
    ['operator syntax and repeated parameters are not text: left alone', { from: { $gt: '' }, to: ['01/01/2026', 'x'] }, {}],
    ['other parameters are not looked at', { q: '31/02/2026' }, {}],
    ['no query at all', undefined, {}],
  ];
  for (const [why, query, expected] of cases) {
    it(why, () => {
      const found = unreadableDates(query);
      expect(found.typed).to.deep.equal(expected);
      expect(found.errors).to.deep.equal(Object.fromEntries(Object.keys(expected).map((name) => [name, 'app.dateNotApplied'])));
    });
  }

  it('looks at the parameters it is given', () => {
    expect(unreadableDates({ from: 'x', since: 'y' }, ['since']).typed).to.deep.equal({ since: 'y' });
  });
});
