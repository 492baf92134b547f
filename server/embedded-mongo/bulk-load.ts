// Bulk loading for a tool that runs the server in its own process and writes a large data set at once
// (the seeder). Sent as insert commands, every document is serialised by the driver, parsed
// here, written to the journal and, each time the journal passes its size limit, written again in a
// snapshot of everything so far: a million documents cost several times their size in BSON work and
// disk writes. Loaded here, each document is copied as the wire would have delivered it (so what is
// stored is exactly that, and shares nothing with the caller's objects: bson-clone.ts, or a real BSON
// round trip for unusual values) and no journal record is written: the snapshot that `checkpoint()`
// writes afterwards makes the load durable. A crash before that loses the loaded documents and
// nothing else, since no journal record mentions them.
import { BSON } from 'bson';
import { cloneLikeBson } from './bson-clone.js';
import { prepareInsert } from './commands/context.js';
import { MongoServerError } from './errors.js';
import type { Engine } from './storage/engine.js';
import type { Doc, DocRecord } from './storage/types.js';
import { deserialize, MAX_BSON_SIZE } from './wire.js';

/** Serialised as the driver does by default (an undefined field is sent as null), then parsed as the wire does. */
function roundTrip(raw: object): Doc {
  const bytes = BSON.serialize(raw, { ignoreUndefined: false });
  if (bytes.length > MAX_BSON_SIZE) throw new MongoServerError('BSONObjectTooLarge', `object to insert too large. size in bytes: ${bytes.length}, max size: ${MAX_BSON_SIZE}`);
  return deserialize(bytes);
}

/**
 * Inserts `docs` into `db.collection`, all or none: a duplicate key, an over-large or malformed
 * document undoes this call's inserts and throws. Returns how many were inserted.
 */
export function bulkLoad(engine: Engine, db: string, collection: string, docs: readonly object[]): number {
  if (engine.isSystemDb(db)) throw new MongoServerError('InvalidNamespace', `cannot bulk load into the system database '${db}'`);
  const coll = engine.ensureCollection(db, collection);
  const loaded: DocRecord[] = [];
  try {
    for (const raw of docs) loaded.push(coll.insert(prepareInsert(cloneLikeBson(raw) ?? roundTrip(raw)), { unjournaled: true }));
  } catch (err) {
    for (const rec of loaded) coll.remove(rec, { trusted: true });
    throw err;
  }
  return loaded.length;
}
