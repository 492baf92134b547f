// Session and transaction commands. The transaction itself was resolved from lsid/txnNumber by
// the dispatcher before the handler runs (see TransactionManager.forCommand).

import { randomUUID } from 'node:crypto';
import { UUID } from 'bson';
import { MongoServerError } from '../errors.js';
import type { CommandHandler } from './context.js';

const commitTransaction: CommandHandler = (_cmd, ctx) => {
  if (!ctx.txn) throw new MongoServerError('NoSuchTransaction', 'commitTransaction requires a transaction (autocommit: false)', {}, ['TransientTransactionError']);
  ctx.txns.commit(ctx.txn);
  return { ok: 1 };
};

const abortTransaction: CommandHandler = (_cmd, ctx) => {
  if (!ctx.txn) throw new MongoServerError('NoSuchTransaction', 'abortTransaction requires a transaction (autocommit: false)');
  if (ctx.txn.state === 'committed') throw new MongoServerError('TransactionCommitted', 'Cannot abort a committed transaction');
  ctx.txns.abort(ctx.txn);
  return { ok: 1 };
};

const endSessions: CommandHandler = (cmd, ctx) => {
  const lsids = Array.isArray(cmd.endSessions) ? cmd.endSessions : [];
  ctx.txns.endSessions(lsids);
  return { ok: 1 };
};

const startSession: CommandHandler = () => ({
  id: { id: new UUID(randomUUID()) },
  timeoutMinutes: 30,
  ok: 1,
});

export const sessionCommands: Record<string, CommandHandler> = {
  commitTransaction,
  abortTransaction,
  endSessions,
  killSessions: endSessions,
  startSession,
  refreshSessions: () => ({ ok: 1 }),
};
