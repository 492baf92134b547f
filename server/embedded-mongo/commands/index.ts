// The command dispatcher: finds the handler, resolves the transaction, and turns every exception
// into a MongoDB error reply so that no input can crash or hang the server.

import { MongoServerError, toServerError } from '../errors.js';
import type { Doc } from '../storage/types.js';
import type { Transaction } from '../transactions.js';
import { adminCommands } from './admin.js';
import { aggregateCommands } from './aggregate.js';
import type { CommandContext, CommandHandler } from './context.js';
import { findAndModifyCommands } from './find-and-modify.js';
import { findCommands } from './find.js';
import { handshakeCommands } from './handshake.js';
import { indexCommands } from './indexes.js';
import { sessionCommands } from './sessions.js';
import { writeCommands } from './write.js';

const HANDLERS: Record<string, CommandHandler> = {
  ...handshakeCommands,
  ...findCommands,
  ...writeCommands,
  ...findAndModifyCommands,
  ...aggregateCommands,
  ...indexCommands,
  ...adminCommands,
  ...sessionCommands,
};

const AUTH_COMMANDS = new Set(['saslStart', 'saslContinue', 'authenticate', 'getnonce', 'createUser', 'usersInfo']);
const NO_TRANSACTION = new Set(['hello', 'isMaster', 'ismaster', 'ping', 'buildInfo', 'buildinfo', 'endSessions', 'killCursors', 'getMore']);
/** Commands a transaction may run (mongod rejects the rest with OperationNotSupportedInTransaction). */
const IN_TRANSACTION = new Set(['find', 'insert', 'update', 'delete', 'findAndModify', 'findandmodify', 'aggregate', 'distinct', 'count', 'commitTransaction', 'abortTransaction', 'getMore', 'killCursors', 'create', 'createIndexes', 'bulkWrite']);

export type BaseContext = Omit<CommandContext, 'db' | 'txn'>;

export function commandName(cmd: Doc): string {
  return Object.keys(cmd)[0] ?? '';
}

/** Runs one command and returns its reply document (never throws). */
export function runCommand(cmd: Doc, db: string, base: BaseContext): Doc {
  const name = commandName(cmd);
  const handler = Object.prototype.hasOwnProperty.call(HANDLERS, name) ? HANDLERS[name] : undefined;
  if (!handler) {
    if (AUTH_COMMANDS.has(name)) {
      return new MongoServerError('CommandNotSupported', `authentication is not supported by the embedded server ('${name}')`).toReply();
    }
    return new MongoServerError('CommandNotFound', `no such command: '${name}'`).toReply();
  }
  let txn: Transaction | null = null;
  try {
    if (!NO_TRANSACTION.has(name)) txn = base.txns.forCommand(cmd, name);
    if (txn && !IN_TRANSACTION.has(name)) {
      throw new MongoServerError('OperationNotSupportedInTransaction', `Cannot run '${name}' in a multi-document transaction.`);
    }
    return handler(cmd, { ...base, db, txn });
  } catch (err) {
    const e = toServerError(err);
    if (e.codeName === 'InternalError') base.logger.error({ err, command: name }, 'embedded-mongo: command failed unexpectedly');
    // Like mongod, an error inside a transaction aborts it.
    if (txn && txn.state === 'active' && name !== 'commitTransaction') base.txns.abort(txn);
    return e.toReply();
  }
}
