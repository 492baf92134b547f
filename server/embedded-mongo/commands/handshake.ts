// Connection handshake and server-information commands.
//
// We advertise a single-member replica set primary: the driver then enables retryable writes and
// sends transactions (mongod refuses transactions on a standalone, and so would mongoose code
// written against a replica set). Connect with `directConnection=true` so the driver talks to this
// server only and does not try to discover other members.

import { ObjectId } from 'bson';
import { MAX_BSON_SIZE, MAX_MESSAGE_SIZE } from '../wire.js';
import type { Doc } from '../storage/types.js';
import type { CommandContext, CommandHandler } from './context.js';

export const REPLICA_SET_NAME = 'rs0';
/** MongoDB 7.0's wire version; driver 6.x accepts 8..27, driver 7.x 9..29. */
export const MAX_WIRE_VERSION = 21;
export const SERVER_VERSION = '7.0.0';
const ELECTION_ID = new ObjectId('7fffffff0000000000000001');

function helloReply(ctx: CommandContext, legacy: boolean): Doc {
  const me = `${ctx.server.host}:${ctx.server.port}`;
  return {
    helloOk: true,
    [legacy ? 'ismaster' : 'isWritablePrimary']: true,
    secondary: false,
    setName: REPLICA_SET_NAME,
    setVersion: 1,
    hosts: [me],
    primary: me,
    me,
    electionId: ELECTION_ID,
    maxBsonObjectSize: MAX_BSON_SIZE,
    maxMessageSizeBytes: MAX_MESSAGE_SIZE,
    maxWriteBatchSize: 100_000,
    localTime: new Date(),
    logicalSessionTimeoutMinutes: 30,
    connectionId: ctx.connectionId,
    minWireVersion: 0,
    maxWireVersion: MAX_WIRE_VERSION,
    readOnly: false,
    ok: 1,
  };
}

const hello: CommandHandler = (_cmd, ctx) => helloReply(ctx, false);
const isMaster: CommandHandler = (_cmd, ctx) => helloReply(ctx, true);

const buildInfo: CommandHandler = () => ({
  version: SERVER_VERSION,
  gitVersion: 'embedded',
  versionArray: [7, 0, 0, 0],
  bits: 64,
  debug: false,
  maxBsonObjectSize: MAX_BSON_SIZE,
  storageEngines: ['embedded'],
  modules: [],
  javascriptEngine: 'none',
  ok: 1,
});

const KNOWN_PARAMETERS: Doc = {
  featureCompatibilityVersion: { version: '7.0' },
  transactionLifetimeLimitSeconds: 60,
  maxTransactionLockRequestTimeoutMillis: 0,
  authenticationMechanisms: [],
};

const getParameter: CommandHandler = (cmd) => {
  const reply: Doc = {};
  const all = cmd.getParameter === '*' || (typeof cmd.getParameter === 'object' && cmd.getParameter !== null);
  for (const [k, v] of Object.entries(KNOWN_PARAMETERS)) if (all || cmd[k] !== undefined) reply[k] = v;
  return { ...reply, ok: 1 };
};

const getCmdLineOpts: CommandHandler = (_cmd, ctx) => ({
  argv: ['embedded-mongo'],
  parsed: { net: { bindIp: ctx.server.host, port: ctx.server.port }, replication: { replSet: REPLICA_SET_NAME } },
  ok: 1,
});

const hostInfo: CommandHandler = () => ({
  system: { currentTime: new Date(), hostname: 'localhost' },
  os: { type: process.platform },
  extra: {},
  ok: 1,
});

const serverStatus: CommandHandler = (_cmd, ctx) => ({
  host: `${ctx.server.host}:${ctx.server.port}`,
  version: SERVER_VERSION,
  process: 'embedded-mongo',
  pid: process.pid,
  uptime: Math.floor((Date.now() - ctx.server.startedAt.getTime()) / 1000),
  localTime: new Date(),
  connections: {},
  ok: 1,
});

const replSetGetStatus: CommandHandler = (_cmd, ctx) => ({
  set: REPLICA_SET_NAME,
  date: new Date(),
  myState: 1,
  members: [{ _id: 0, name: `${ctx.server.host}:${ctx.server.port}`, health: 1, state: 1, stateStr: 'PRIMARY', self: true }],
  ok: 1,
});

export const handshakeCommands: Record<string, CommandHandler> = {
  hello,
  isMaster,
  ismaster: isMaster,
  ping: () => ({ ok: 1 }),
  buildInfo,
  buildinfo: buildInfo,
  getParameter,
  getCmdLineOpts,
  hostInfo,
  serverStatus,
  replSetGetStatus,
  whatsmyuri: () => ({ you: 'embedded', ok: 1 }),
  connectionStatus: () => ({ authInfo: { authenticatedUsers: [], authenticatedUserRoles: [] }, ok: 1 }),
  getLog: () => ({ totalLinesWritten: 0, log: [], ok: 1 }),
  getFreeMonitoringStatus: () => ({ state: 'disabled', ok: 1 }),
  logout: () => ({ ok: 1 }),
};
