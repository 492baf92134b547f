// Property (embedded only): picking the first `keep` matches of a long result (a page of a sorted
// query) gives exactly the first `keep` of the full sort, ties broken by insertion order as before
// (short results are still sorted whole; the caller cuts the page).
import { expect } from 'chai';
import fc from 'fast-check';
import { parseSort, sortMatches, type Match } from '../../server/embedded-mongo/query/sort.js';

const value = fc.constantFrom<unknown>(-1, 0, 2, 2.5, 'a', 'b', '', null, undefined, new Date(1_700_000_000_000), true, [1, 'a'], { x: 1 });
const docs = fc.array(fc.record({ a: value, b: value, n: fc.record({ x: value }, { requiredKeys: [] }) }, { requiredKeys: [] }), { minLength: 0, maxLength: 300 });
const spec = fc.constantFrom({ a: 1 }, { a: -1 }, { a: 1, b: -1 }, { 'n.x': 1, a: 1 }, { b: -1, 'n.x': -1 });

describe('embedded-mongo: sorting a page of a long result (property)', function () {
  it('keeps exactly what the full sort puts first', function () {
    fc.assert(
      fc.property(docs, spec, fc.integer({ min: 1, max: 30 }), (list, sortDoc, keep) => {
        const matches = (): Match[] => list.map((doc, i) => ({ id: String(i), doc: doc as never, seq: i }));
        const sort = parseSort(sortDoc)!;
        const full = sortMatches(matches(), sort).slice(0, keep).map((m) => m.id);
        const page = sortMatches(matches(), sort, null, keep).slice(0, keep).map((m) => m.id);
        expect(page).to.deep.equal(full);
      }),
      { numRuns: 300 },
    );
  });
});
