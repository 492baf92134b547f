// Snapshots: the whole catalog (collections, index definitions, documents) in one file of frames,
// written to a temporary name, fsynced and atomically renamed into place. The capture is taken
// synchronously (stored documents are immutable, so it holds references, not copies) and written
// in chunks so the server keeps serving while it is written.

import fs from 'node:fs/promises';
import path from 'node:path';
import type { Engine } from './engine.js';
import { decodeFrames, encodeFrame } from './frames.js';
import type { Doc, IndexSpec } from './types.js';

const DOCS_PER_FRAME = 1000;
const SNAPSHOT_VERSION = 1;

export interface CapturedCollection {
  db: string;
  name: string;
  options: Doc;
  indexes: IndexSpec[];
  docs: Doc[];
}

export function captureState(engine: Engine): CapturedCollection[] {
  return engine.allCollections().map((c) => ({
    db: c.db,
    name: c.name,
    options: c.options,
    indexes: [...c.indexes.values()].filter((i) => i.name !== '_id_').map((i) => i.spec),
    docs: [...c.records.values()].map((r) => r.doc),
  }));
}

/** Writes `state` as the snapshot covering every journal generation below `generation`. */
export async function writeSnapshot(dir: string, state: CapturedCollection[], generation: number): Promise<void> {
  const tmp = path.join(dir, 'snapshot.tmp');
  const fh = await fs.open(tmp, 'w');
  let documents = 0;
  try {
    await fh.write(encodeFrame([{ t: 'header', version: SNAPSHOT_VERSION, generation, createdAt: new Date() }]));
    for (const c of state) {
      await fh.write(encodeFrame([{ t: 'coll', db: c.db, coll: c.name, options: c.options, indexes: c.indexes }]));
      for (let i = 0; i < c.docs.length; i += DOCS_PER_FRAME) {
        const chunk = c.docs.slice(i, i + DOCS_PER_FRAME);
        await fh.write(encodeFrame([{ t: 'docs', db: c.db, coll: c.name }, ...chunk]));
        documents += chunk.length;
      }
    }
    await fh.write(encodeFrame([{ t: 'end', collections: state.length, documents }]));
    await fh.sync();
  } finally {
    await fh.close();
  }
  await fs.rename(tmp, path.join(dir, 'snapshot.bson'));
  await syncDir(dir);
}

export async function syncDir(dir: string): Promise<void> {
  const d = await fs.open(dir, 'r');
  try {
    await d.sync();
  } finally {
    await d.close();
  }
}

/**
 * Loads snapshot.bson into the engine; returns its generation (0 when there is none).
 * A damaged snapshot is fatal: it was renamed into place only once complete, so damage means
 * something else went wrong and silently starting empty would lose data.
 */
export async function loadSnapshot(dir: string, engine: Engine): Promise<{ generation: number; documents: number }> {
  const file = path.join(dir, 'snapshot.bson');
  let buf: Buffer;
  try {
    buf = await fs.readFile(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { generation: 0, documents: 0 };
    throw err;
  }
  const { frames, problem } = decodeFrames(buf);
  const header = frames[0]?.[0];
  const end = frames[frames.length - 1]?.[0];
  if (problem || header?.t !== 'header' || end?.t !== 'end') {
    throw new Error(`snapshot ${file} is damaged (${problem ?? 'missing header or end marker'}); refusing to start`);
  }
  let documents = 0;
  const pendingIndexes: [string, string, IndexSpec[]][] = [];
  for (const frame of frames.slice(1, -1)) {
    const meta = frame[0] as Doc;
    if (meta.t === 'coll') {
      engine.ensureCollection(String(meta.db), String(meta.coll), (meta.options as Doc | undefined) ?? {}, true);
      pendingIndexes.push([String(meta.db), String(meta.coll), (meta.indexes as IndexSpec[] | undefined) ?? []]);
    } else if (meta.t === 'docs') {
      const coll = engine.ensureCollection(String(meta.db), String(meta.coll), {}, true);
      for (let i = 1; i < frame.length; i++) coll.insert(frame[i] as Doc, { trusted: true });
      documents += frame.length - 1;
    }
  }
  // Building indexes after loading the documents avoids re-sorting on every insert.
  for (const [db, name, specs] of pendingIndexes) {
    const coll = engine.ensureCollection(db, name, {}, true);
    for (const spec of specs) if (!coll.indexes.has(spec.name)) coll.createIndex(spec, { trusted: true });
  }
  return { generation: Number(header.generation), documents };
}
