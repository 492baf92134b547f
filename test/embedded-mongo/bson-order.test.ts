// Unit tests of the BSON comparator and the sorted list under the indexes (pure functions).
import { expect } from 'chai';
import fc from 'fast-check';
import { Binary, Long, ObjectId } from 'bson';
import { canonicalKey, compareStrings, compareValues, pathValues, EMPTY_ARRAY_KEY } from '../../server/embedded-mongo/bson-order.js';
import { SortedList } from '../../server/embedded-mongo/storage/sorted-list.js';

describe('embedded-mongo: BSON order and sorted list (unit)', function () {
  it('orders values by BSON type, then within the type', function () {
    const ascending: unknown[] = [
      EMPTY_ARRAY_KEY,
      null,
      Number.NaN,
      -1,
      Long.fromNumber(2),
      2.5,
      '',
      'a',
      'b',
      { a: 1 },
      { a: 1, b: 0 },
      { b: 0 },
      [1],
      [1, 2],
      new Binary(Buffer.from([1])),
      new Binary(Buffer.from([1, 0])),
      new ObjectId('000000000000000000000001'),
      new ObjectId('000000000000000000000002'),
      false,
      true,
      new Date(-1),
      new Date(0),
      /a/,
    ];
    for (let i = 0; i < ascending.length; i++) {
      for (let j = 0; j < ascending.length; j++) {
        expect(Math.sign(compareValues(ascending[i], ascending[j])), `${i} vs ${j}`).to.equal(Math.sign(i - j));
      }
    }
  });

  it('treats numbers of different BSON types as equal values, and missing as null', function () {
    expect(compareValues(1, Long.fromNumber(1))).to.equal(0);
    expect(compareValues(undefined, null)).to.equal(0);
    expect(canonicalKey(1)).to.equal(canonicalKey(Long.fromNumber(1)));
    expect(canonicalKey({ a: 1, b: 2 })).to.not.equal(canonicalKey({ b: 2, a: 1 }));
  });

  it('compares strings by code point (UTF-8 byte order), not UTF-16 units', function () {
    // U+FF5E (BMP, above the surrogate range) sorts before U+1F600 (astral) in UTF-8.
    expect(compareStrings('\uFF5E', '\u{1F600}')).to.equal(-1);
    expect('\uFF5E' < '\u{1F600}').to.equal(false);
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (a, b) => {
        expect(Math.sign(compareStrings(a, b))).to.equal(Math.sign(Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'))));
      }),
    );
  });

  it('collects dotted-path values through arrays like a multikey index', function () {
    const doc = { a: [{ b: 1 }, { b: [2, 3] }, { c: 1 }], e: [] };
    expect(pathValues(doc, ['a', 'b'])).to.deep.equal([1, 2, 3, undefined]);
    expect(pathValues(doc, ['e'])).to.deep.equal([EMPTY_ARRAY_KEY]);
    expect(pathValues(doc, ['zz'])).to.deep.equal([undefined]);
  });

  it('the sorted list stays ordered through random inserts and removes, and samples ranks evenly', function () {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 300 })), { maxLength: 3000 }), (ops) => {
        const list = new SortedList<number>((a, b) => a - b);
        const model: number[] = [];
        for (const [add, v] of ops) {
          if (add) {
            list.insert(v);
            model.push(v);
          } else {
            const i = model.indexOf(v);
            expect(list.remove(v)).to.equal(i >= 0);
            if (i >= 0) model.splice(i, 1);
          }
        }
        model.sort((a, b) => a - b);
        expect([...list.walk(list.start(), false)]).to.deep.equal(model);
        expect([...list.walk(list.end(), true)]).to.deep.equal([...model].reverse());
        expect(list.size).to.equal(model.length);
        const from = list.lowerBound((x) => x >= 150);
        expect([...list.walk(from, false)]).to.deep.equal(model.filter((x) => x >= 150));
        expect([...list.walk(from, true)]).to.deep.equal(model.filter((x) => x < 150).reverse());
        // A sample of ranks [a, b) takes the items at evenly spaced ranks, all of them when few.
        const a = Math.floor(model.length / 3);
        const b = model.length - a;
        for (const k of [1, 5, 1000]) {
          const take = Math.min(k, b - a);
          expect(list.sample(a, b, k)).to.deep.equal(Array.from({ length: take }, (_, i) => model[a + Math.floor((i * (b - a)) / take)]));
        }
      }),
      { numRuns: 60 },
    );
  });
});
