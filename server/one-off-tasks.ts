// The one-off data tasks every database gets once, in order (platform/db/one-off.ts runs them at start-up).
import { retokeniseProtectedCases } from './cases/index.js';
import { retokeniseProtectedLetters } from './letters/index.js';
import type { OneOffTask } from './platform/db/one-off.js';

export const ONE_OFF_TASKS: readonly OneOffTask[] = [
  // Names in protected summaries left the words everyone searches by (cases/confidentiality.rules.ts, searchableText).
  { id: '2026-12-05 protected summaries: search words without the parties', run: async () => (await retokeniseProtectedCases()) + (await retokeniseProtectedLetters()) },
];
