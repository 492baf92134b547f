// find/findAndModify projections, evaluated by mingo (which also returns fresh objects, so stored
// documents are never handed out for mutation).

import { Query } from 'mingo';
import { isPlainObject } from '../bson-order.js';
import { MongoServerError } from '../errors.js';
import type { Doc } from '../storage/types.js';
import { mingoOptions } from './filter.js';

export function projectDocs(docs: Doc[], projection: Doc | undefined | null): Doc[] {
  if (!projection || Object.keys(projection).length === 0 || docs.length === 0) return docs;
  if (!isPlainObject(projection)) throw new MongoServerError('TypeMismatch', 'projection must be an object');
  for (const [k, v] of Object.entries(projection)) {
    if (k.endsWith('.$')) throw new MongoServerError('BadValue', `positional projection '${k}' is not supported by the embedded server`);
    if (isPlainObject(v) && '$meta' in v) throw new MongoServerError('BadValue', '$meta projection is not supported by the embedded server');
  }
  return new Query({}, mingoOptions()).find<Doc>(docs, projection).all();
}
