// On-disk record framing shared by the journal and snapshots:
//   [u32 payload length][u32 CRC-32 of payload][payload = one or more BSON documents]
// A frame is valid only if it is complete and its checksum matches, so a record torn by a crash
// (or a half-written tail) is recognised and never half-applied. A zero length marks the end of
// the data when the rest of the file is preallocated zeros (no frame is ever empty).

import { BSON } from 'bson';
import { crc32 } from 'node:zlib';
import { deserialize } from '../wire.js';
import type { Doc } from './types.js';

const FRAME_HEADER = 8;

export function encodeFrame(docs: Doc[]): Buffer {
  const parts = docs.map((d) => BSON.serialize(d));
  const payload = parts.length === 1 ? (parts[0] as Uint8Array) : Buffer.concat(parts);
  const header = Buffer.allocUnsafe(FRAME_HEADER);
  header.writeUInt32LE(payload.length, 0);
  header.writeUInt32LE(crc32(payload), 4);
  return Buffer.concat([header, payload]);
}

export interface DecodedFrames {
  frames: Doc[][];
  /** Bytes of `buf` covered by valid frames. */
  validBytes: number;
  /** Why decoding stopped early (null when the whole buffer was valid). */
  problem: string | null;
}

export function decodeFrames(buf: Buffer): DecodedFrames {
  const frames: Doc[][] = [];
  let offset = 0;
  while (offset < buf.length) {
    if (buf.length - offset < FRAME_HEADER) return { frames, validBytes: offset, problem: 'truncated frame header' };
    const length = buf.readUInt32LE(offset);
    if (length === 0 && isZeros(buf, offset)) return { frames, validBytes: offset, problem: null };
    const sum = buf.readUInt32LE(offset + 4);
    const start = offset + FRAME_HEADER;
    if (start + length > buf.length) return { frames, validBytes: offset, problem: 'truncated frame' };
    const payload = buf.subarray(start, start + length);
    if (crc32(payload) !== sum) return { frames, validBytes: offset, problem: 'checksum mismatch' };
    const docs: Doc[] = [];
    let p = 0;
    try {
      while (p < payload.length) {
        const size = payload.readInt32LE(p);
        if (size < 5 || p + size > payload.length) throw new Error('bad document length');
        docs.push(deserialize(payload.subarray(p, p + size)));
        p += size;
      }
    } catch (err) {
      return { frames, validBytes: offset, problem: `undecodable frame: ${(err as Error).message}` };
    }
    frames.push(docs);
    offset = start + length;
  }
  return { frames, validBytes: offset, problem: null };
}

function isZeros(buf: Buffer, from: number): boolean {
  for (let i = from; i < buf.length; i++) if (buf[i] !== 0) return false;
  return true;
}
