// Property: the bulk load's copy of a document (bson-clone.ts) is what a BSON round trip gives back —
// the same bytes once serialised again (so the same types, values, -0, NaN and key order), ObjectIds of
// the server's own bson, and no object shared with the original — whenever it does not hand the
// document to the round trip; and it does hand over every value it does not know.
import { expect } from 'chai';
import fc from 'fast-check';
import { Binary, BSON, Decimal128, ObjectId } from 'bson';
import mongoose from 'mongoose';
import { cloneLikeBson } from '../../server/embedded-mongo/bson-clone.js';
import { deserialize } from '../../server/embedded-mongo/wire.js';

const roundTrip = (doc: object) => deserialize(BSON.serialize(doc, { ignoreUndefined: false }));
const bytes = (doc: object) => Buffer.from(BSON.serialize(doc, { ignoreUndefined: false })).toString('hex');

/** Every object reachable from `value` (arrays, plain objects, dates, ObjectIds). */
function objectsIn(value: unknown, out = new Set<unknown>()): Set<unknown> {
  if (value === null || typeof value !== 'object' || out.has(value)) return out;
  out.add(value);
  if (Array.isArray(value) || Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null) {
    for (const v of Object.values(value)) objectsIn(v, out);
  }
  return out;
}

function objectIdsIn(value: unknown, out: unknown[] = []): unknown[] {
  if (value === null || typeof value !== 'object') return out;
  if ((value as { _bsontype?: string })._bsontype === 'ObjectId') out.push(value);
  else if (!(value instanceof Date)) for (const v of Object.values(value)) objectIdsIn(v, out);
  return out;
}

const key = fc.oneof(fc.constantFrom('_id', 'a', 'tên', '0', '10', '$x', 'a.b', 'nul\0key', 'lone\uD800'), fc.string({ maxLength: 6 }));
const leaf = fc.oneof(
  fc.constantFrom(null, undefined, true, false, 0, -0, NaN, Infinity, -Infinity, 2 ** 31, -(2 ** 31) - 1, 2 ** 53 + 2, 0.1),
  fc.integer(),
  fc.double(),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 6 }),
  fc.constantFrom('Nguyễn Thị Ánh', '\uD800', 'a\uDC00', '😀 thư', ''),
  fc.date(),
  fc.uint8Array({ minLength: 12, maxLength: 12 }).map((b) => new ObjectId(b)),
  fc.uint8Array({ minLength: 12, maxLength: 12 }).map((b) => new mongoose.Types.ObjectId(b)),
  // Values only the round trip handles.
  fc.constantFrom<unknown>(10n, new Map([['a', 1]]), /ab+c/i, Buffer.from('xy'), new Binary(Buffer.from('z')), Decimal128.fromString('1.5'), () => 1, { toBSON: () => ({ x: 1 }) }, new (class Thing {})(), new Date(NaN)),
);
const { doc } = fc.letrec<{ value: unknown; doc: Record<string, unknown> }>((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, fc.array(tie('value'), { maxLength: 4 }), tie('doc')),
  doc: fc.dictionary(key, tie('value'), { maxKeys: 5 }),
}));

describe('embedded-mongo: the bulk load’s copy equals a BSON round trip (property)', function () {
  this.timeout(60_000);

  it('gives the round trip’s document, or hands the document to it', function () {
    let copied = 0;
    fc.assert(
      fc.property(doc, (d) => {
        let expected: Record<string, unknown>;
        try {
          expected = roundTrip(d);
        } catch {
          // The round trip refuses it (a NUL in a key, say): the copy must not accept it either.
          expect(cloneLikeBson(d)).to.equal(null);
          return;
        }
        const copy = cloneLikeBson(d);
        if (copy === null) return;
        copied++;
        expect(bytes(copy)).to.equal(bytes(expected));
        expect(copy).to.deep.equal(expected);
        for (const id of objectIdsIn(copy)) expect(id).to.be.instanceOf(ObjectId);
        const original = objectsIn(d);
        for (const o of objectsIn(copy)) expect(original.has(o)).to.equal(false);
      }),
      { numRuns: 2000 },
    );
    // Most generated documents hold only plain values: the property must have compared many copies.
    expect(copied).to.be.greaterThan(200);
  });

  const handedOver: [string, unknown][] = [
    ['a bigint', 10n],
    ['a Map', new Map([['a', 1]])],
    ['a RegExp', /x/],
    ['a Buffer', Buffer.from('x')],
    ['a Binary', new Binary(Buffer.from('x'))],
    ['a Decimal128', Decimal128.fromString('1')],
    ['a function', () => 1],
    ['an object with toBSON', { toBSON: () => 1 }],
    ['a class instance', new (class Thing {})()],
    ['an invalid date', new Date(NaN)],
    ['a lone surrogate', 'x\uDBFF'],
    ['a surrogate pair', '😀'],
    ['a very long string', 'a'.repeat(3_000_000)],
  ];
  for (const [name, value] of handedOver) {
    it(`hands ${name} to the round trip`, function () {
      expect(cloneLikeBson({ a: [{ b: value }] })).to.equal(null);
    });
  }

  it('hands over a nesting deeper than its limit, and an array or date given as the document', function () {
    let deep: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < 70; i++) deep = { next: deep };
    expect(cloneLikeBson(deep)).to.equal(null);
    expect(cloneLikeBson([1, 2])).to.equal(null);
    expect(cloneLikeBson(new Date(0))).to.equal(null);
  });
});
