// Back-pressure and disconnects for long exports: the producer waits while the client is slower than
// the database, and stops as soon as the client goes away (no rows read for nobody).
import { once } from 'node:events';
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

/** Resolves when `out` can take more data; rejects with ClientGoneError if it closes first. */
export async function writable(out: Writable): Promise<void> {
  if (out.destroyed || out.writableEnded) throw new ClientGoneError();
  if (!out.writableNeedDrain) return;
  const closed = once(out, 'close').then(() => {
    throw new ClientGoneError();
  });
  await Promise.race([once(out, 'drain'), closed]);
}
