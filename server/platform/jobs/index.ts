// The scheduler of recurring jobs (see runner.ts). The table of the app's jobs is server/jobs.ts.
export { createJobRunner, JOBS_COLLECTION } from './runner.js';
export type { JobDefinition, JobRunner, JobRunnerOptions } from './runner.js';
