// Shared start-up for command-line scripts: the same configuration and database as the app.
import path from 'node:path';
import type { Config } from '../server/platform/config.js';
import { readConfigOrExit } from '../server/platform/startup.js';
import { connectDatabase, type Database } from '../server/platform/db/connect.js';
import { createLogger, type Logger } from '../server/platform/logger.js';
import { PROJECT_ROOT } from '../server/platform/paths.js';

export interface ScriptEnv {
  config: Config;
  logger: Logger;
  database: Database;
}

export async function startScript(): Promise<ScriptEnv> {
  const config = readConfigOrExit();
  const logger = createLogger(config.LOG_LEVEL);
  const database = await connectDatabase({ uri: config.MONGODB_URI, dbName: config.MONGODB_DB, dataDir: path.resolve(PROJECT_ROOT, config.DATA_DIR), logger });
  return { config, logger, database };
}

/** `--name value` pairs from argv; a flag without a value is "true". */
export function parseArgs(argv: string[]): Record<string, string> {
  const args: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (!token.startsWith('--')) continue;
    const next = argv[i + 1];
    if (next === undefined || next.startsWith('--')) args[token.slice(2)] = 'true';
    else {
      args[token.slice(2)] = next;
      i++;
    }
  }
  return args;
}
