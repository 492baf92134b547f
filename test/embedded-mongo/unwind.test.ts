// The embedded server's own $unwind of a top-level field (server/embedded-mongo/commands/unwind.ts):
// what it accepts, what it leaves to mingo, and its output — the same as mingo's for arrays, null,
// missing and [] with or without preserveNullAndEmptyArrays, and fresh copies every time.
import { expect } from 'chai';
import { Aggregator, ProcessingMode } from 'mingo';
import { mingoOptions } from '../../server/embedded-mongo/query/filter.js';
import { runUnwind, simpleUnwind } from '../../server/embedded-mongo/commands/unwind.js';
import type { Doc } from '../../server/embedded-mongo/storage/types.js';

const DOCS: Doc[] = [
  { _id: 1, tags: ['a', 'b'], keep: { x: 1 } },
  { _id: 2, tags: [] },
  { _id: 3, tags: null },
  { _id: 4 },
  { _id: 5, tags: 'solo' },
  { _id: 6, tags: [['nested'], { k: 1 }] },
];

const viaMingo = (stage: Doc) => new Aggregator([stage], mingoOptions(null, { processingMode: ProcessingMode.CLONE_INPUT })).run(structuredClone(DOCS));

describe('embedded server: $unwind of a top-level field', () => {
  const accepted: [unknown, { field: string; preserve: boolean }][] = [
    ['$tags', { field: 'tags', preserve: false }],
    [{ path: '$tags' }, { field: 'tags', preserve: false }],
    [{ path: '$tags', preserveNullAndEmptyArrays: true }, { field: 'tags', preserve: true }],
  ];
  for (const [arg, expected] of accepted) it(`runs ${JSON.stringify(arg)} itself`, () => expect(simpleUnwind({ $unwind: arg })).to.deep.equal(expected));

  const left: unknown[] = ['$a.b', 'tags', { path: '$tags', includeArrayIndex: 'i' }, { path: '$tags', preserveNullAndEmptyArrays: 'yes' }, { path: 5 }, '$$ROOT'];
  for (const arg of left) it(`leaves ${JSON.stringify(arg)} to mingo`, () => expect(simpleUnwind({ $unwind: arg })).to.equal(null));

  for (const preserve of [false, true]) {
    it(`gives what mingo gives${preserve ? ', preserving null, missing and []' : ''}`, () => {
      const stage = { $unwind: { path: '$tags', preserveNullAndEmptyArrays: preserve } };
      expect(runUnwind(DOCS, simpleUnwind(stage)!)).to.deep.equal(viaMingo(stage));
    });
  }

  it('never hands back an input document itself', () => {
    const out = runUnwind(DOCS, { field: 'tags', preserve: true });
    for (const doc of out) expect(DOCS).to.not.include(doc);
    expect(out[0]!.keep, 'nested values are shared: the caller knows only the top level is fresh').to.equal(DOCS[0]!.keep);
  });
});
