// Search words derived again with the current rule, for records written before it changed: since
// 05/12/2026 the parties' names in a protected summary are no longer among the words everyone searches
// by (searchableText). Run once per database at start-up (platform/db/one-off.ts); safe to run again.
import type { AnyBulkWriteOperation, Collection, Document } from 'mongodb';
import { CaseModel, type Case } from './case.model.js';
import { tokensFor } from './cases.service.js';

const BATCH = 500;

interface Words {
  searchTokens: string[];
  identityTokens: string[];
}

const sameWords = (a: readonly string[], b: unknown) => Array.isArray(b) && a.length === b.length && a.every((w, i) => w === b[i]);

/**
 * Gives every protected record of the collection the words `derive` makes of it, where they differ;
 * returns how many changed. `fields` must hold what `derive` reads. Read and written through the driver:
 * the words are all that changes, nothing for mongoose to cast or validate.
 */
export async function retokeniseProtected<D>(collection: Collection, fields: Record<string, 1>, derive: (doc: D) => Words): Promise<number> {
  let changed = 0;
  let ops: AnyBulkWriteOperation<Document>[] = [];
  const flush = async () => {
    if (ops.length) await collection.bulkWrite(ops, { ordered: false });
    changed += ops.length;
    ops = [];
  };
  const cursor = collection.find({ confidential: true }, { projection: { ...fields, summary: 1, confidential: 1, searchTokens: 1, identityTokens: 1 }, batchSize: BATCH });
  for await (const doc of cursor) {
    // The documents are the model's own, read with the fields derive needs.
    const words = derive(doc as unknown as D);
    if (sameWords(words.searchTokens, doc.searchTokens) && sameWords(words.identityTokens, doc.identityTokens)) continue;
    // Only if the summary is still the one read: a record changed meanwhile got its words from that write.
    ops.push({ updateOne: { filter: { _id: doc._id, summary: doc.summary as string, confidential: true }, update: { $set: words } } });
    if (ops.length >= BATCH) await flush();
  }
  await flush();
  return changed;
}

export function retokeniseProtectedCases(): Promise<number> {
  return retokeniseProtected<Case>(CaseModel.collection, { number: 1, parties: 1 }, tokensFor);
}
