// What the composition root hands to routers and jobs. Built once in main.ts (or by a test).
import type mongoose from 'mongoose';
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import type { Translator } from './i18n.js';
import type { Logger } from './logger.js';

export interface AppDeps {
  config: Config;
  clock: Clock;
  logger: Logger;
  connection: mongoose.Connection;
  translator: Translator;
}
