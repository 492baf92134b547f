// How every entry point (the app, the worker, scripts) reads its configuration: the project's .env
// file if there is one (variables already set in the environment win; Node ≥ 20.12 reads it itself),
// then the validated settings — or the full list of problems and exit code 2.
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, loadConfig, type Config } from './config.js';
import { PROJECT_ROOT } from './paths.js';

export function readConfigOrExit(): Config {
  const file = path.join(PROJECT_ROOT, '.env');
  if (fs.existsSync(file)) process.loadEnvFile(file);
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
}
