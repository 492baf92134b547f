// npm run seed -- --cases N --seed S [--until YYYY-MM-DD] [--years 10] [--reset] [--batch 2000]
// A large, reproducible, invented data set for performance work: ten years of an office's intake
// (people, visits, letters, cases with their timelines and deadlines) written straight into the
// database in batches. The same seed, case count and end date give the same documents.
import { seedBaseData } from '../server/seed.js';
import { systemClock } from '../server/platform/clock.js';
import { parseArgs, startScript } from './bootstrap.js';
import { parseSeedOptions, SeedArgumentError } from './seed/options.js';
import { seedDataset, SeedRefusedError } from './seed/run.js';

async function main(): Promise<void> {
  let options;
  try {
    options = parseSeedOptions(parseArgs(process.argv.slice(2)), new Date());
  } catch (err) {
    if (!(err instanceof SeedArgumentError)) throw err;
    console.error(err.message);
    process.exit(2);
  }
  const { database, logger } = await startScript();
  try {
    const db = database.connection.db;
    if (!db) throw new Error('the database is not connected');
    await seedBaseData(systemClock);
    const result = await seedDataset(options, db, { progress: true, uri: database.uri, embedded: database.embedded });
    logger.info({ ...result, seed: options.seed, until: options.until }, `seeded ${result.cases} cases (${result.casesPerSecond} cases/s including index builds)`);
  } catch (err) {
    if (!(err instanceof SeedRefusedError)) throw err;
    console.error(err.message);
    process.exitCode = 2;
  } finally {
    await database.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
