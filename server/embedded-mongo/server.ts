// TCP server: frames messages per connection, runs each command (one at a time per connection;
// command execution itself is synchronous, so commands from all clients are serialized and never
// see torn state), waits until the command's changes are durable, then replies.

import net from 'node:net';
import { runCommand, type BaseContext } from './commands/index.js';
import type { Logger, ServerInfo } from './commands/context.js';
import type { CursorRegistry } from './cursors.js';
import { MongoServerError } from './errors.js';
import type { Engine } from './storage/engine.js';
import type { JournalOp } from './storage/types.js';
import type { TransactionManager } from './transactions.js';
import { encodeOpMsg, encodeOpReply, HEADER_SIZE, MAX_MESSAGE_SIZE, OP_QUERY, parseMessage, WireError } from './wire.js';
import type { Doc } from './storage/types.js';

export interface Durability {
  /** Resolves once `ops` are on disk (a no-op in memory). */
  commit(ops: JournalOp[]): Promise<void>;
}

export interface WireServerDeps {
  engine: Engine;
  txns: TransactionManager;
  cursors: CursorRegistry;
  durability: Durability;
  logger: Logger;
  /** Log commands that run longer than this many ms (0 = never): what to index next. */
  slowCommandMs?: number;
}

/** The shape of a filter (its field names and operators, no values): enough to see which index is missing. */
function shapeOf(value: unknown, depth = 0): unknown {
  if (depth > 4 || value === null || typeof value !== 'object' || (value as { _bsontype?: string })._bsontype || value instanceof Date) return '?';
  if (Array.isArray(value)) return value.length && typeof value[0] === 'object' && value[0] !== null && !(value[0] as { _bsontype?: string })._bsontype ? value.slice(0, 3).map((v) => shapeOf(v, depth + 1)) : '[?]';
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, shapeOf(v, depth + 1)]));
}

let nextRequestId = 1;

class Connection {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private queue: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    readonly id: number,
    private readonly socket: net.Socket,
    private readonly server: WireServer,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', () => this.close());
    socket.on('close', () => this.close());
  }

  /** Resolves when every message received so far has been answered. */
  idle(): Promise<void> {
    return this.queue;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.chunks = [];
    this.socket.destroy();
    this.server.forget(this);
  }

  private onData(chunk: Buffer): void {
    if (this.closed) return;
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    while (this.buffered >= 4) {
      const length = this.peekLength();
      if (length < HEADER_SIZE || length > MAX_MESSAGE_SIZE) {
        // The framing is lost (or the client wants more memory than we allow): drop the connection.
        this.server.logger.warn({ connectionId: this.id, length }, 'embedded-mongo: invalid message length, closing connection');
        this.close();
        return;
      }
      if (this.buffered < length) return;
      const message = this.take(length);
      this.queue = this.queue
        .then(() => this.handle(message))
        .catch((err: unknown) => {
          this.server.logger.error({ err, connectionId: this.id }, 'embedded-mongo: connection failed');
          this.close();
        });
    }
  }

  private peekLength(): number {
    const first = this.chunks[0] as Buffer;
    if (first.length >= 4) return first.readInt32LE(0);
    return Buffer.concat(this.chunks).readInt32LE(0);
  }

  private take(length: number): Buffer {
    let first = this.chunks[0] as Buffer;
    if (first.length < length) {
      first = Buffer.concat(this.chunks);
      this.chunks = [first];
    }
    const message = first.subarray(0, length);
    if (first.length === length) this.chunks.shift();
    else this.chunks[0] = first.subarray(length);
    this.buffered -= length;
    return message;
  }

  private async handle(message: Buffer): Promise<void> {
    if (this.closed) return;
    let reply: Doc;
    let requestId: number;
    let legacy: boolean;
    let moreToCome = false;
    try {
      const req = parseMessage(message);
      requestId = req.requestId;
      legacy = req.opCode === OP_QUERY;
      moreToCome = req.moreToCome;
      const started = this.server.deps.slowCommandMs ? performance.now() : 0;
      reply = runCommand(req.command, req.db, this.server.context(this.id, message.length));
      if (started) this.server.noteSlow(req.command, req.db, performance.now() - started);
    } catch (err) {
      const wireErr = err instanceof WireError ? err : new WireError(String(err), null, null);
      this.server.logger.warn({ connectionId: this.id, err: wireErr.message }, 'embedded-mongo: malformed message');
      if (wireErr.requestId === null) {
        this.close();
        return;
      }
      requestId = wireErr.requestId;
      legacy = wireErr.opCode === OP_QUERY;
      reply = new MongoServerError('FailedToParse', `malformed message: ${wireErr.message}`).toReply();
    }
    // Everything the command changed must be durable before it is acknowledged.
    const ops = this.server.deps.engine.takePending();
    if (ops.length > 0) {
      try {
        await this.server.deps.durability.commit(ops);
      } catch (err) {
        this.server.logger.error({ err }, 'embedded-mongo: journal write failed');
        reply = new MongoServerError('InternalError', `failed to persist the write: ${(err as Error).message}`).toReply();
      }
    }
    if (moreToCome || this.closed) return;
    this.send(requestId, legacy, reply);
  }

  private send(responseTo: number, legacy: boolean, reply: Doc): void {
    let bytes: Buffer;
    try {
      const id = nextRequestId++ & 0x7fffffff;
      bytes = legacy ? encodeOpReply(id, responseTo, reply) : encodeOpMsg(id, responseTo, reply);
    } catch (err) {
      this.server.logger.error({ err }, 'embedded-mongo: could not encode reply');
      const fallback = new MongoServerError('InternalError', `could not encode reply: ${(err as Error).message}`).toReply();
      bytes = legacy ? encodeOpReply(0, responseTo, fallback) : encodeOpMsg(0, responseTo, fallback);
    }
    this.socket.write(bytes);
  }
}

export class WireServer {
  private readonly tcp: net.Server;
  private readonly connections = new Set<Connection>();
  private nextConnectionId = 1;
  private info: ServerInfo = { host: '127.0.0.1', port: 0, startedAt: new Date() };

  constructor(readonly deps: WireServerDeps) {
    this.tcp = net.createServer((socket) => {
      const conn = new Connection(this.nextConnectionId++, socket, this);
      this.connections.add(conn);
    });
    this.tcp.on('error', (err) => deps.logger.error({ err }, 'embedded-mongo: server socket error'));
  }

  get logger(): Logger {
    return this.deps.logger;
  }

  context(connectionId: number, messageSize: number): BaseContext {
    return {
      engine: this.deps.engine,
      txns: this.deps.txns,
      cursors: this.deps.cursors,
      connectionId,
      server: this.info,
      logger: this.deps.logger,
      messageSize,
    };
  }

  noteSlow(command: Doc, db: string, ms: number): void {
    if (ms < (this.deps.slowCommandMs ?? 0)) return;
    const name = Object.keys(command)[0] ?? '?';
    const pipeline = Array.isArray(command.pipeline) ? command.pipeline : null;
    this.logger.warn(
      { ms: Math.round(ms), command: name, ns: `${db}.${String(command[name])}`, filter: shapeOf(command.filter ?? command.query ?? pipeline?.[0]), sort: shapeOf(command.sort) },
      'embedded-mongo: slow command',
    );
  }

  forget(conn: Connection): void {
    this.connections.delete(conn);
  }

  listen(host: string, port: number): Promise<{ host: string; port: number }> {
    return new Promise((resolve, reject) => {
      const onError = (err: Error): void => reject(err);
      this.tcp.once('error', onError);
      this.tcp.listen(port, host, () => {
        this.tcp.off('error', onError);
        const addr = this.tcp.address() as net.AddressInfo;
        this.info = { host, port: addr.port, startedAt: new Date() };
        resolve({ host, port: addr.port });
      });
    });
  }

  /** Stops accepting, lets in-flight commands finish (and persist), then drops every connection. */
  async close(): Promise<void> {
    const closing = new Promise<void>((resolve) => this.tcp.close(() => resolve()));
    await Promise.all([...this.connections].map((c) => c.idle()));
    for (const c of [...this.connections]) c.close();
    await closing;
  }

  get connectionCount(): number {
    return this.connections.size;
  }
}
