// The extension point of the seeder. Two kinds of generator:
//  - per case: runs on every case bundle after intake is generated and may add documents to any
//    collection (bundle.docs) and events to its timeline (bundle.events). The forwarding module adds
//    one here: forwardings (with agency, deadline, answer) at the bundle's 'forwarded' and 'answered'
//    steps;
//  - per data set: runs once after all cases (voter meetings and their petitions, …), writing through
//    `emit`, with the same context (random stream, ids, staff, calendar).
// Generators must draw randomness only from ctx.rng so the data set stays reproducible, and must
// write documents shaped exactly as their module's models write them (see documents.ts).
import { CaseEventModel, CaseModel } from '../../server/cases/index.js';
import { LetterModel } from '../../server/letters/index.js';
import { PersonModel } from '../../server/people/index.js';
import { ReceptionModel } from '../../server/receptions/index.js';
import type { CaseBundle } from './cases.js';
import type { SeedContext } from './context.js';
import type { RawDoc } from './documents.js';

export interface CaseGenerator {
  name: string;
  enrich(bundle: CaseBundle, ctx: SeedContext): void;
}

export interface DatasetGenerator {
  name: string;
  /** Roughly how many units of work it does (for the progress bar). */
  size(ctx: SeedContext): number;
  generate(ctx: SeedContext, emit: (collection: string, doc: RawDoc) => Promise<void>, tick: () => void): Promise<void>;
}

/** A model whose collection the seeder fills: emptied by --reset, its indexes built after the load. */
export interface SeededModel {
  collection: { collectionName: string };
  schema: { indexes(): [Record<string, unknown>, Record<string, unknown>?][] };
}

export const CASE_GENERATORS: CaseGenerator[] = [
  // forwardings: to come with server/forwarding (forwardings, answers, deadlines, reminders sent).
];

export const DATASET_GENERATORS: DatasetGenerator[] = [
  // voter meetings and petitions: to come with server/meetings.
];

/** Every collection the generators write; a module that adds a generator adds its models here. */
export const SEEDED_MODELS: SeededModel[] = [CaseModel, CaseEventModel, ReceptionModel, LetterModel, PersonModel];
