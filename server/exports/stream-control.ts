// Back-pressure and disconnects for long exports: the producer waits while the client is slower than
// the database, and stops as soon as the client goes away (no rows read for nobody).
import { once, type EventEmitter } from 'node:events';
import type { Writable } from 'node:stream';

/** Node's codes for a peer that went away mid-response; nothing is wrong with the export then. */
const CLIENT_GONE_CODES = new Set(['ERR_STREAM_PREMATURE_CLOSE', 'ECONNRESET', 'EPIPE', 'ERR_STREAM_DESTROYED', 'ERR_STREAM_WRITE_AFTER_END']);

export class ClientGoneError extends Error {
  readonly code = 'ERR_STREAM_PREMATURE_CLOSE';
  constructor() {
    super('the client closed the connection during an export');
  }
}

export function isClientGone(err: unknown): boolean {
  return err instanceof ClientGoneError || CLIENT_GONE_CODES.has((err as NodeJS.ErrnoException | null)?.code ?? '');
}

/**
 * A writable stream of Node's or of the `readable-stream` package (which archiver, inside exceljs,
 * uses: it has no `writableNeedDrain`, only its internal state).
 */
export interface DrainableSink extends EventEmitter {
  writableNeedDrain?: boolean;
  _writableState?: { needDrain?: boolean };
}

function needsDrain(sink: DrainableSink): boolean {
  return sink.writableNeedDrain ?? sink._writableState?.needDrain ?? false;
}

/**
 * Resolves when `sink` can take more data (at once when it can now); rejects with ClientGoneError if
 * the response `out` closes first. The listeners are removed either way: a long export waits here
 * thousands of times.
 */
export async function roomIn(sink: DrainableSink, out: Writable): Promise<void> {
  if (out.destroyed || out.writableEnded) throw new ClientGoneError();
  if (!needsDrain(sink)) return;
  const stop = new AbortController();
  const settled = (event: Promise<unknown>, outcome: 'room' | 'gone') =>
    event.then(
      () => outcome,
      () => 'stopped' as const,
    );
  try {
    const outcome = await Promise.race([settled(once(sink, 'drain', { signal: stop.signal }), 'room'), settled(once(out, 'close', { signal: stop.signal }), 'gone')]);
    if (outcome === 'gone') throw new ClientGoneError();
  } finally {
    stop.abort();
  }
}

/** Resolves when `out` can take more data; rejects with ClientGoneError if it closes first. */
export function writable(out: Writable): Promise<void> {
  return roomIn(out, out);
}
