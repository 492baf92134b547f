// Runs once per test run: stop whatever the suite started (the shared embedded database, the
// default mongoose connection) so the process exits cleanly.
import mongoose from 'mongoose';
import { stopTestMongo } from './db.js';

export async function mochaGlobalTeardown(): Promise<void> {
  await mongoose.disconnect();
  await stopTestMongo();
}
