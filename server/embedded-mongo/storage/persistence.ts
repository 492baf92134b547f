// The data directory: LOCK (one server per directory), snapshot.bson (compacted state) and
// journal-<generation>.log files (changes since the snapshot). Start-up loads the snapshot and
// replays newer journals, ignoring a torn final record; compaction rotates to a new journal
// generation at a consistent point, writes a snapshot, then deletes the journals it covers.

import fs from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../commands/context.js';
import type { Engine } from './engine.js';
import { decodeFrames, encodeFrame } from './frames.js';
import { Journal } from './journal.js';
import { captureState, loadSnapshot, syncDir, writeSnapshot } from './snapshot.js';
import type { JournalOp } from './types.js';

/** Compact once the journal grows past this (start-up replays at most about this much). */
const DEFAULT_COMPACT_BYTES = 64 * 1024 * 1024;
const JOURNAL_RE = /^journal-(\d{8})\.log$/;

export interface DataDir {
  commit(ops: JournalOp[]): Promise<void>;
  compact(): Promise<void>;
  close(): Promise<void>;
}

function journalName(generation: number): string {
  return `journal-${String(generation).padStart(8, '0')}.log`;
}

/** Lock files held by this process (a LOCK with our own pid but not in here is from a previous life, e.g. pid 1 in a container). */
const heldLocks = new Set<string>();

async function acquireLock(dir: string): Promise<string> {
  const lock = path.resolve(dir, 'LOCK');
  if (heldLocks.has(lock)) throw new Error(`data directory ${dir} is in use by this process`);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fh = await fs.open(lock, 'wx');
      await fh.writeFile(String(process.pid));
      await fh.sync();
      await fh.close();
      heldLocks.add(lock);
      return lock;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number((await fs.readFile(lock, 'utf8').catch(() => '')).trim());
      if (pid > 0 && pid !== process.pid && isAlive(pid)) {
        throw new Error(`data directory ${dir} is in use by process ${pid}`, { cause: err });
      }
      await fs.rm(lock, { force: true }); // left behind by a process that died
    }
  }
  throw new Error(`could not lock data directory ${dir}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function listJournals(dir: string): Promise<{ generation: number; file: string }[]> {
  const names = await fs.readdir(dir);
  return names
    .map((n) => JOURNAL_RE.exec(n))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ generation: Number(m[1]), file: path.join(dir, m[0]) }))
    .sort((a, b) => a.generation - b.generation);
}

/** Replays one journal file; a torn tail is cut off (it was never acknowledged). */
async function replayJournal(file: string, engine: Engine, isLast: boolean, logger: Logger): Promise<number> {
  const buf = await fs.readFile(file);
  const { frames, validBytes, problem } = decodeFrames(buf);
  let ops = 0;
  for (const frame of frames) {
    for (const op of frame) {
      engine.replay(op as unknown as JournalOp);
      ops++;
    }
  }
  if (problem) {
    const dropped = buf.length - validBytes;
    logger.warn({ file, problem, droppedBytes: dropped, lastFile: isLast }, 'embedded-mongo: ignoring incomplete journal tail');
  }
  if (isLast && buf.length !== validBytes) {
    // Cut the torn record (and any preallocated space) so appends continue right after the data.
    const fh = await fs.open(file, 'r+');
    await fh.truncate(validBytes);
    await fh.sync();
    await fh.close();
  }
  return ops;
}

export async function openDataDir(dir: string, engine: Engine, logger: Logger, compactBytes = DEFAULT_COMPACT_BYTES): Promise<DataDir> {
  await fs.mkdir(dir, { recursive: true });
  const lock = await acquireLock(dir);
  try {
    await fs.rm(path.join(dir, 'snapshot.tmp'), { force: true });
    const started = Date.now();
    const snap = await loadSnapshot(dir, engine);
    const journals = await listJournals(dir);
    let replayed = 0;
    const live = journals.filter((j) => j.generation >= snap.generation);
    for (const [i, j] of live.entries()) replayed += await replayJournal(j.file, engine, i === live.length - 1, logger);
    for (const j of journals) if (j.generation < snap.generation) await fs.rm(j.file, { force: true });
    engine.takePending(); // replay records nothing, but be sure no stale ops leak into the journal
    const generation = live.length > 0 ? (live[live.length - 1] as { generation: number }).generation : snap.generation;
    const journal = await Journal.open(path.join(dir, journalName(generation)), generation);
    await syncDir(dir);
    logger.info({ dir, snapshotDocuments: snap.documents, journalOps: replayed, ms: Date.now() - started }, 'embedded-mongo: data directory loaded');
    return new DataDirImpl(dir, lock, engine, journal, logger, compactBytes);
  } catch (err) {
    heldLocks.delete(lock);
    await fs.rm(lock, { force: true });
    throw err;
  }
}

class DataDirImpl implements DataDir {
  private compacting: Promise<void> | null = null;
  private closed = false;

  constructor(
    private readonly dir: string,
    private readonly lock: string,
    private readonly engine: Engine,
    private journal: Journal,
    private readonly logger: Logger,
    private readonly compactBytes: number,
  ) {}

  commit(ops: JournalOp[]): Promise<void> {
    if (ops.length === 0) return Promise.resolve();
    if (this.closed) return Promise.reject(new Error('data directory is closed'));
    // Encoding and queueing happen synchronously: journal order = order the changes were applied.
    const done = this.journal.append(encodeFrame(ops));
    if (this.journal.size > this.compactBytes && !this.compacting) {
      this.compacting = this.runCompaction().finally(() => {
        this.compacting = null;
      });
      this.compacting.catch((err: unknown) => this.logger.error({ err }, 'embedded-mongo: compaction failed'));
    }
    return done;
  }

  /** Compacts now: waits for a compaction in flight (it may predate recent writes), then runs one. */
  async compact(): Promise<void> {
    while (this.compacting) await this.compacting.catch(() => undefined);
    this.compacting = this.runCompaction().finally(() => {
      this.compacting = null;
    });
    await this.compacting;
  }

  private async runCompaction(): Promise<void> {
    const started = Date.now();
    const old = this.journal;
    const generation = old.generation + 1;
    const next = await Journal.open(path.join(this.dir, journalName(generation)), generation);
    // From here on (synchronously) new changes go to the next journal, and the captured state
    // contains exactly the changes recorded in the older ones.
    const state = captureState(this.engine);
    this.journal = next;
    await old.close();
    await writeSnapshot(this.dir, state, generation);
    for (const j of await listJournals(this.dir)) if (j.generation < generation) await fs.rm(j.file, { force: true });
    await syncDir(this.dir);
    const documents = state.reduce((n, c) => n + c.docs.length, 0);
    this.logger.info({ documents, generation, ms: Date.now() - started }, 'embedded-mongo: journal compacted into snapshot');
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.compacting) await this.compacting.catch(() => undefined);
    await this.journal.close();
    heldLocks.delete(this.lock);
    await fs.rm(this.lock, { force: true });
  }
}
