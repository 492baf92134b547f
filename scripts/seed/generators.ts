// The extension points of the seeder. Two kinds of generator:
//  - per case: runs on every case bundle after intake is generated and may add documents to any
//    collection (bundle.docs) and events to its timeline (bundle.events) — the forwardings, with their
//    agency, deadline, link, answer and evaluation, at the bundle's 'forwarded' and 'answered' steps;
//    written raw, in batches, like the cases;
//  - per data set: runs once after all cases are written and indexed, through the modules' own
//    services (voter meetings and their petitions), with the same context (random stream, staff,
//    calendar, agencies).
// Generators must draw randomness only from ctx.rng so the data set stays reproducible, and raw
// documents must be shaped exactly as their module's models write them (see documents.ts).
import { CaseEventModel, CaseModel } from '../../server/cases/index.js';
import { ForwardingAnswerModel, ForwardingLinkModel, ForwardingModel } from '../../server/forwarding/index.js';
import { LetterModel } from '../../server/letters/index.js';
import { AssemblySessionModel, MeetingModel, PetitionModel } from '../../server/meetings/index.js';
import { PersonModel } from '../../server/people/index.js';
import { ReceptionModel } from '../../server/receptions/index.js';
import type { CaseBundle } from './cases.js';
import type { SeedContext } from './context.js';
import { ForwardingSeries, seedForwardings } from './forwardings.js';
import { meetingsGenerator } from './meetings.js';

export interface CaseGenerator {
  name: string;
  enrich(bundle: CaseBundle, ctx: SeedContext): void;
  /** Counters the app must continue from (name → last number used). */
  counters(): Map<string, number>;
}

export interface DatasetGenerator {
  name: string;
  /** Roughly how many units of work it does (for the progress bar). */
  size(ctx: SeedContext): number;
  generate(ctx: SeedContext, tick: () => void): Promise<void>;
}

/** A model whose collection the seeder fills: emptied by --reset, its indexes built after the load. */
export interface SeededModel {
  collection: { collectionName: string };
  schema: { indexes(): [Record<string, unknown>, Record<string, unknown>?][] };
}

/** Fresh generators for one run (they keep numbering state). */
export function createCaseGenerators(): CaseGenerator[] {
  const forwardings = new ForwardingSeries();
  return [
    {
      name: 'forwardings',
      enrich: (bundle, ctx) => seedForwardings(ctx, bundle, forwardings),
      counters: () => new Map([...forwardings.counters()].map(([year, seq]) => [`forwarding-document:${year}`, seq])),
    },
  ];
}

export const DATASET_GENERATORS: DatasetGenerator[] = [meetingsGenerator];

/** Every collection the generators write; a module that adds a generator adds its models here. */
export const SEEDED_MODELS: SeededModel[] = [
  CaseModel,
  CaseEventModel,
  ReceptionModel,
  LetterModel,
  PersonModel,
  ForwardingModel,
  ForwardingAnswerModel,
  ForwardingLinkModel,
  AssemblySessionModel,
  MeetingModel,
  PetitionModel,
];
