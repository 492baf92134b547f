// Property (storage engine directly): the records an index finds holding every value of an `$all`
// (Index.recordsWithAll, which searches the rarest value's records in the others' runs, passing over
// whole chunks) are exactly those a plain test of every document finds, in index order — on indexes
// large enough that each value's run spans many chunks, ascending and descending, after deletes and
// updates have reshaped the chunks.
import { expect } from 'chai';
import fc from 'fast-check';
import { Engine } from '../../server/embedded-mongo/storage/engine.js';
import type { DocRecord } from '../../server/embedded-mongo/storage/types.js';

/** A small deterministic generator, so a few integers from fast-check describe thousands of documents. */
function lcg(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => (s = (Math.imul(s, 1_103_515_245) + 12_345) >>> 0) / 2 ** 32;
}

describe('embedded-mongo: intersecting an $all in the index equals testing every document (property)', function () {
  this.timeout(60_000);

  it('same records, same order', function () {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 ** 31 }),
        fc.integer({ min: 200, max: 4000 }),
        fc.constantFrom(3, 8, 40),
        fc.constantFrom(1, -1),
        fc.boolean(),
        fc.array(fc.integer({ min: 0, max: 45 }), { minLength: 1, maxLength: 4 }),
        (seed, count, vocabulary, dir, reverse, picks) => {
          const rnd = lcg(seed);
          // Skewed: word 0 is in most documents, the last ones in few.
          const word = (): string => `w${Math.floor(rnd() ** 2 * vocabulary)}`;
          const engine = new Engine();
          const coll = engine.ensureCollection('p', 'c');
          coll.createIndex({ key: { words: dir }, name: 'words' });
          for (let i = 0; i < count; i++) coll.insert({ _id: i, words: Array.from({ length: 1 + Math.floor(rnd() * 5) }, word) });
          for (const rec of [...coll.records.values()]) {
            const r = rnd();
            if (r < 0.1) coll.remove(rec);
            else if (r < 0.2) coll.replace(rec, { _id: rec.doc._id, words: [word(), word()] });
          }
          // Values past the vocabulary are held by no document.
          const values = picks.map((p) => `w${p}`);
          const index = coll.indexes.get('words')!;
          const found = [...index.recordsWithAll(values, reverse)].map((rec) => rec.id);
          const bySeq = [...coll.records.values()].sort((a, b) => (a.seq - b.seq) * dir);
          const holding = bySeq.filter((rec: DocRecord) => values.every((v) => (rec.doc.words as string[]).includes(v))).map((rec) => rec.id);
          expect(found).to.deep.equal(reverse ? holding.reverse() : holding);
        },
      ),
      { numRuns: 60 },
    );
  });
});
