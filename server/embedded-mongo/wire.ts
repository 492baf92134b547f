// MongoDB wire protocol framing: parsing OP_MSG and legacy OP_QUERY requests, and encoding
// OP_MSG and OP_REPLY responses. See the "MongoDB Wire Protocol" specification.

import { BSON } from 'bson';
import type { Doc } from './storage/types.js';

export const OP_REPLY = 1;
export const OP_QUERY = 2004;
export const OP_COMPRESSED = 2012;
export const OP_MSG = 2013;

export const HEADER_SIZE = 16;
/** Largest message accepted (what hello advertises as maxMessageSizeBytes). */
export const MAX_MESSAGE_SIZE = 48_000_000;
export const MAX_BSON_SIZE = 16 * 1024 * 1024;

const FLAG_CHECKSUM_PRESENT = 1 << 0;
const FLAG_MORE_TO_COME = 1 << 1;

/** Options for decoding client documents: plain JS values where lossless, BSON classes otherwise. */
const DESERIALIZE_OPTIONS = { promoteLongs: true, promoteValues: true, promoteBuffers: false, bsonRegExp: false } as const;

export class WireError extends Error {
  constructor(
    message: string,
    /** The request id, when the header could be read, so an error reply can be addressed. */
    readonly requestId: number | null,
    readonly opCode: number | null,
  ) {
    super(message);
    this.name = 'WireError';
  }
}

export interface ParsedRequest {
  opCode: typeof OP_MSG | typeof OP_QUERY;
  requestId: number;
  command: Doc;
  /** Database from `$db` (OP_MSG) or the `db.$cmd` collection name (OP_QUERY). */
  db: string;
  /** OP_MSG moreToCome: the client expects no reply. */
  moreToCome: boolean;
}

export function deserialize(buf: Uint8Array): Doc {
  return BSON.deserialize(buf, DESERIALIZE_OPTIONS);
}

/** Reads one BSON document at `offset`, checking its length against the message bounds. */
function readDocument(buf: Buffer, offset: number, end: number, requestId: number, opCode: number): { doc: Doc; next: number } {
  if (offset + 5 > end) throw new WireError('truncated BSON document', requestId, opCode);
  const size = buf.readInt32LE(offset);
  if (size < 5 || offset + size > end) throw new WireError(`invalid BSON document length ${size}`, requestId, opCode);
  try {
    return { doc: deserialize(buf.subarray(offset, offset + size)), next: offset + size };
  } catch (err) {
    throw new WireError(`invalid BSON: ${(err as Error).message}`, requestId, opCode);
  }
}

function readCString(buf: Buffer, offset: number, end: number, requestId: number, opCode: number): { value: string; next: number } {
  const zero = buf.indexOf(0, offset);
  if (zero < 0 || zero >= end) throw new WireError('unterminated C string', requestId, opCode);
  return { value: buf.toString('utf8', offset, zero), next: zero + 1 };
}

/** Parses one complete message (header included). Throws WireError on malformed input. */
export function parseMessage(buf: Buffer): ParsedRequest {
  if (buf.length < HEADER_SIZE) throw new WireError('message shorter than its header', null, null);
  const length = buf.readInt32LE(0);
  const requestId = buf.readInt32LE(4);
  const opCode = buf.readInt32LE(12);
  if (length !== buf.length) throw new WireError('message length mismatch', requestId, opCode);
  if (opCode === OP_MSG) return parseOpMsg(buf, requestId);
  if (opCode === OP_QUERY) return parseOpQuery(buf, requestId);
  if (opCode === OP_COMPRESSED) throw new WireError('compression was not negotiated', requestId, opCode);
  throw new WireError(`unsupported opCode ${opCode}`, requestId, opCode);
}

function parseOpMsg(buf: Buffer, requestId: number): ParsedRequest {
  if (buf.length < HEADER_SIZE + 5) throw new WireError('OP_MSG too short', requestId, OP_MSG);
  const flags = buf.readUInt32LE(HEADER_SIZE);
  // Unknown "required" bits (0-15) must make us refuse the message.
  if ((flags & 0xfffc) !== 0) throw new WireError(`unsupported OP_MSG flags ${flags}`, requestId, OP_MSG);
  const end = flags & FLAG_CHECKSUM_PRESENT ? buf.length - 4 : buf.length;
  let offset = HEADER_SIZE + 4;
  let body: Doc | null = null;
  const sequences: [string, Doc[]][] = [];
  while (offset < end) {
    const kind = buf[offset];
    offset++;
    if (kind === 0) {
      if (body) throw new WireError('OP_MSG with two body sections', requestId, OP_MSG);
      const r = readDocument(buf, offset, end, requestId, OP_MSG);
      body = r.doc;
      offset = r.next;
    } else if (kind === 1) {
      if (offset + 4 > end) throw new WireError('truncated document sequence', requestId, OP_MSG);
      const size = buf.readInt32LE(offset);
      const seqEnd = offset + size;
      if (size < 5 || seqEnd > end) throw new WireError('invalid document sequence length', requestId, OP_MSG);
      const id = readCString(buf, offset + 4, seqEnd, requestId, OP_MSG);
      const docs: Doc[] = [];
      let p = id.next;
      while (p < seqEnd) {
        const r = readDocument(buf, p, seqEnd, requestId, OP_MSG);
        docs.push(r.doc);
        p = r.next;
      }
      sequences.push([id.value, docs]);
      offset = seqEnd;
    } else {
      throw new WireError(`unknown OP_MSG section kind ${String(kind)}`, requestId, OP_MSG);
    }
  }
  if (!body) throw new WireError('OP_MSG without a body section', requestId, OP_MSG);
  for (const [id, docs] of sequences) body[id] = docs;
  const db = typeof body.$db === 'string' ? body.$db : 'admin';
  return { opCode: OP_MSG, requestId, command: body, db, moreToCome: (flags & FLAG_MORE_TO_COME) !== 0 };
}

function parseOpQuery(buf: Buffer, requestId: number): ParsedRequest {
  const end = buf.length;
  const name = readCString(buf, HEADER_SIZE + 4, end, requestId, OP_QUERY);
  const queryStart = name.next + 8; // numberToSkip, numberToReturn
  const r = readDocument(buf, queryStart, end, requestId, OP_QUERY);
  let command = r.doc;
  // Legacy drivers may wrap the command as {$query: {...}, $readPreference: ...}.
  if (command.$query && typeof command.$query === 'object') command = command.$query as Doc;
  const dot = name.value.indexOf('.');
  const db = dot > 0 ? name.value.slice(0, dot) : 'admin';
  if (!name.value.endsWith('.$cmd')) throw new WireError('OP_QUERY is only supported for commands', requestId, OP_QUERY);
  return { opCode: OP_QUERY, requestId, command, db, moreToCome: false };
}

function header(length: number, requestId: number, responseTo: number, opCode: number): Buffer {
  const h = Buffer.allocUnsafe(HEADER_SIZE);
  h.writeInt32LE(length, 0);
  h.writeInt32LE(requestId, 4);
  h.writeInt32LE(responseTo, 8);
  h.writeInt32LE(opCode, 12);
  return h;
}

export function encodeOpMsg(requestId: number, responseTo: number, doc: Doc): Buffer {
  const body = BSON.serialize(doc);
  const prefix = Buffer.allocUnsafe(5);
  prefix.writeUInt32LE(0, 0); // flags
  prefix[4] = 0; // section kind 0
  return Buffer.concat([header(HEADER_SIZE + 5 + body.length, requestId, responseTo, OP_MSG), prefix, body]);
}

export function encodeOpReply(requestId: number, responseTo: number, doc: Doc): Buffer {
  const body = BSON.serialize(doc);
  const fields = Buffer.alloc(20);
  fields.writeInt32LE(8, 0); // responseFlags: AwaitCapable
  // cursorID (int64) = 0, startingFrom = 0
  fields.writeInt32LE(1, 16); // numberReturned
  return Buffer.concat([header(HEADER_SIZE + 20 + body.length, requestId, responseTo, OP_REPLY), fields, body]);
}
