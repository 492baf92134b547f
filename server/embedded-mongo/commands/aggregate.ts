// aggregate: leading $match/$sort/$skip/$limit run through the query planner (so they use
// indexes), the rest of the pipeline through mingo. $lookup/$graphLookup/$unionWith read other
// collections of the same database (as the transaction sees them).

import { Aggregator, ProcessingMode } from 'mingo';
import * as pipelineOperators from 'mingo/operators/pipeline';
import { cloneDeep } from 'mingo/util';
import { isPlainObject } from '../bson-order.js';
import { badValue, MongoServerError } from '../errors.js';
import { compareValues } from '../bson-order.js';
import { mingoOptions, validateFilter } from '../query/filter.js';
import { coveredCount } from '../query/planner.js';
import { parseSort, type SortSpec } from '../query/sort.js';
import type { Doc } from '../storage/types.js';
import { allDocs, cursorReply, find, optionalDoc, optionalNumber, type CommandContext, type CommandHandler } from './context.js';
import { equalityLookup, runEqualityLookup } from './lookup.js';
import { compileGroup } from '../query/group.js';
import { runUnwind, simpleUnwind } from './unwind.js';

/** Stages that never modify their input documents in place (so no defensive copy is needed). */
const READ_ONLY_STAGES = new Set(['$match', '$sort', '$skip', '$limit', '$count', '$group', '$sortByCount', '$project', '$sample', '$facet', '$bucket', '$bucketAuto']);
const REFUSED_STAGES: Record<string, string> = {
  $out: '$out is not supported by the embedded server',
  $merge: '$merge is not supported by the embedded server',
  $changeStream: 'change streams are not supported by the embedded server',
  $geoNear: 'geo queries are not supported by the embedded server',
  $search: '$search is not supported by the embedded server',
  $currentOp: '$currentOp is not supported by the embedded server',
  $listSessions: '$listSessions is not supported by the embedded server',
  $collStats: '$collStats is not supported by the embedded server',
  $indexStats: '$indexStats is not supported by the embedded server',
};

function stageName(stage: Doc): string {
  const keys = Object.keys(stage);
  if (keys.length !== 1) throw new MongoServerError('Location40323', 'A pipeline stage specification object must contain exactly one field.');
  return keys[0] as string;
}

function validatePipeline(pipeline: Doc[], depth = 0): void {
  for (const stage of pipeline) {
    const name = stageName(stage);
    const reason = REFUSED_STAGES[name];
    if (reason) throw new MongoServerError('CommandNotSupported', reason);
    if (!Object.prototype.hasOwnProperty.call(pipelineOperators, name)) {
      throw new MongoServerError('Location40324', `Unrecognized pipeline stage name: '${name}'`);
    }
    const arg = stage[name];
    if (name === '$match') validateFilter(arg);
    if (name === '$facet' && isPlainObject(arg)) {
      for (const sub of Object.values(arg)) {
        if (!Array.isArray(sub)) continue;
        if (sub.some((s) => isPlainObject(s) && '$facet' in s)) throw new MongoServerError('Location40600', '$facet is not allowed to be used within a $facet stage');
        validatePipeline(sub as Doc[], depth + 1);
      }
    }
    if ((name === '$lookup' || name === '$unionWith') && isPlainObject(arg) && Array.isArray(arg.pipeline) && depth < 5) {
      validatePipeline(arg.pipeline as Doc[], depth + 1);
    }
  }
}

/** Splits off a leading [$match]* [$sort]? [$skip]? [$limit]? prefix the planner can run. */
function splitPrefix(pipeline: Doc[]): { filter: Doc; sort: SortSpec | null; skip: number; limit: number; rest: Doc[] } {
  const matches: Doc[] = [];
  let i = 0;
  while (i < pipeline.length && isPlainObject(pipeline[i]?.$match)) {
    matches.push((pipeline[i] as Doc).$match as Doc);
    i++;
  }
  let sort: SortSpec | null = null;
  let skip = 0;
  let limit = 0;
  if (i < pipeline.length && isPlainObject(pipeline[i]?.$sort)) {
    sort = parseSort((pipeline[i] as Doc).$sort);
    i++;
  }
  if (i < pipeline.length && typeof pipeline[i]?.$skip === 'number' && (pipeline[i] as Doc).$skip as number >= 0) {
    skip = (pipeline[i] as Doc).$skip as number;
    i++;
  }
  if (i < pipeline.length && typeof pipeline[i]?.$limit === 'number' && (pipeline[i] as Doc).$limit as number > 0) {
    limit = (pipeline[i] as Doc).$limit as number;
    i++;
  }
  const filter = matches.length === 0 ? {} : matches.length === 1 ? (matches[0] as Doc) : { $and: matches };
  return { filter, sort, skip, limit, rest: pipeline.slice(i) };
}

/**
 * `[{$group: {_id: <constant>, n: {$sum: 1}}}]` — what countDocuments sends — answered without
 * grouping every document.
 */
function countShortcut(rest: Doc[], count: number): Doc[] | null {
  if (rest.length !== 1) return null;
  const group = rest[0]?.$group;
  if (!isPlainObject(group)) return null;
  const entries = Object.entries(group);
  if (entries.length !== 2) return null;
  const id = group._id;
  if (id !== null && typeof id !== 'number') return null;
  const acc = entries.find(([k]) => k !== '_id');
  if (!acc || !isPlainObject(acc[1]) || Object.keys(acc[1]).length !== 1 || acc[1].$sum !== 1) return null;
  return count === 0 ? [] : [{ _id: id, [acc[0]]: count }];
}

/** Sub-pipelines of a $facet run over the same documents: they count as stages of their own. */
function facetStages(stage: Doc): Doc[] {
  const arg = stage.$facet;
  return isPlainObject(arg) ? Object.values(arg).flatMap((sub) => (Array.isArray(sub) ? (sub as Doc[]) : [])) : [];
}

function needsCopies(pipeline: Doc[]): boolean {
  return pipeline.some((s) => !READ_ONLY_STAGES.has(stageName(s)) || needsCopies(facetStages(s)));
}

/**
 * Stages that write at most the top level of the documents they are given ($unwind of a top-level
 * field) or build new ones ($project): harmless on documents whose top level is a fresh copy, as the
 * output of our own $lookup is — so no deep copy of every input (and of every joined document) is made.
 */
function safeOnFreshCopies(stages: Doc[]): boolean {
  return stages.every((s) => {
    const name = stageName(s);
    if (name === '$facet') return safeOnFreshCopies(facetStages(s));
    if (READ_ONLY_STAGES.has(name) || name === '$project') return true;
    if (name !== '$unwind') return false;
    const arg = s.$unwind;
    const path = typeof arg === 'string' ? arg : isPlainObject(arg) ? arg.path : null;
    return typeof path === 'string' && path.startsWith('$') && !path.includes('.');
  });
}

export function runPipeline(ctx: CommandContext, collName: string | null, pipeline: Doc[], options: { collation?: Doc | null; variables?: Doc }): Doc[] {
  validatePipeline(pipeline);
  const coll = collName === null ? undefined : ctx.engine.getCollection(ctx.db, collName);
  const { filter, sort, skip, limit, rest } = splitPrefix(pipeline);
  // countDocuments({}) outside a transaction: the collection's size, without visiting every document.
  // …and with a filter the index bounds fully express, the number of index entries in them.
  if (coll && !ctx.txn && skip === 0 && limit === 0 && countShortcut(rest, 0)) {
    const n = Object.keys(filter).length === 0 ? coll.records.size : coveredCount(coll, filter, compareValues);
    if (n !== null) return countShortcut(rest, n) as Doc[];
  }
  const input = collName === null ? [] : find(ctx, coll, filter, { sort, skip, limit, collation: options.collation }).matches.map((m) => m.doc);
  if (rest.length === 0) return input;
  const counted = countShortcut(rest, input.length);
  if (counted) return counted;
  return runStages(ctx, rest, input, options, 'stored');
}

/**
 * Who owns the documents a stage is given: the stored documents themselves (nothing may write to
 * them), copies at their top level (our $lookup's output, or a facet's shallow copies), or copies.
 */
type Ownership = 'stored' | 'top' | 'all';
type PipelineOptions = { collation?: Doc | null; variables?: Doc };

/**
 * Plain equality $lookups, $facets, $unwinds of a top-level field and the $groups group.ts compiles
 * run here; the stages between them go to mingo.
 */
function runStages(ctx: CommandContext, stages: Doc[], input: Doc[], options: PipelineOptions, owned: Ownership): Doc[] {
  let docs = input;
  let segment: Doc[] = [];
  for (const stage of stages) {
    const lookup = equalityLookup(stage);
    const facet = lookup ? null : nativeFacet(stage);
    const unwind = lookup || facet ? null : simpleUnwind(stage);
    // Grouping under a collation compares strings by it: left to mingo.
    const group = lookup || facet || unwind || options.collation || !('$group' in stage) ? null : compileGroup(stage.$group);
    if (!lookup && !facet && !unwind && !group) {
      segment.push(stage);
      continue;
    }
    docs = runWithMingo(ctx, segment, docs, options, owned);
    segment = [];
    if (unwind) {
      docs = runUnwind(docs, unwind);
      owned = 'top';
    } else if (group) {
      const grouped = group(docs);
      // Values outside what group.ts knows: the same stage through mingo (it only read its input).
      docs = grouped ?? runWithMingo(ctx, [stage], docs, options, owned);
      // New documents, but their values (a pushed sub-document, an id) may be the stored ones.
      if (grouped) owned = 'top';
    } else if (lookup) {
      docs = runEqualityLookup(ctx, docs, lookup);
      owned = 'top';
    } else if (facet) {
      docs = [runFacet(ctx, facet, docs, options, owned)];
      owned = 'all';
    }
  }
  return runWithMingo(ctx, segment, docs, options, owned);
}

/** A $facet whose sub-pipelines are lists of stages ($facet within $facet was refused by validatePipeline). */
function nativeFacet(stage: Doc): Record<string, Doc[]> | null {
  const arg = stage.$facet;
  if (!isPlainObject(arg) || Object.keys(arg).length === 0) return null;
  for (const sub of Object.values(arg)) {
    if (!Array.isArray(sub) || !sub.every(isPlainObject) || sub.some((s) => '$facet' in s)) return null;
  }
  return arg as Record<string, Doc[]>;
}

/**
 * Each sub-pipeline over the same documents. mingo's own $facet deep-copies every document for every
 * sub-pipeline; here a read-only sub-pipeline ($group, $count, $match…) reads them as they are, and
 * one that only writes their top level ($unwind of a top-level field, $project) gets shallow copies.
 */
function runFacet(ctx: CommandContext, spec: Record<string, Doc[]>, docs: Doc[], options: PipelineOptions, owned: Ownership): Doc {
  const out: Doc = {};
  for (const [name, sub] of Object.entries(spec)) {
    if (!needsCopies(sub)) out[name] = runStages(ctx, sub, docs, options, owned);
    else if (safeOnFreshCopies(sub)) out[name] = runStages(ctx, sub, docs.map((d) => ({ ...d })), options, 'top');
    else out[name] = runStages(ctx, sub, docs, options, owned === 'all' ? 'stored' : owned);
  }
  return out;
}

function runWithMingo(ctx: CommandContext, stages: Doc[], input: Doc[], options: PipelineOptions, owned: Ownership): Doc[] {
  if (stages.length === 0) return input;
  const copy = needsCopies(stages) && owned !== 'all' && !(owned === 'top' && safeOnFreshCopies(stages));
  const resolver = (name: string): Doc[] => {
    const docs = allDocs(ctx, ctx.engine.getCollection(ctx.db, name));
    return copy ? docs.map((d) => cloneDeep<Doc>(d)) : docs;
  };
  const agg = new Aggregator(
    stages,
    mingoOptions(options.collation, {
      collectionResolver: resolver,
      processingMode: copy ? ProcessingMode.CLONE_INPUT : ProcessingMode.CLONE_OFF,
      ...(options.variables ? { variables: options.variables } : {}),
    }),
  );
  return agg.run<Doc>(input);
}

const aggregate: CommandHandler = (cmd, ctx) => {
  const target = cmd.aggregate;
  const collName = typeof target === 'string' ? target : null;
  if (collName === null && target !== 1) throw badValue("BSON field 'aggregate' must be a collection name or 1");
  const pipeline = cmd.pipeline;
  if (!Array.isArray(pipeline) || !pipeline.every(isPlainObject)) throw badValue("'pipeline' option must be specified as an array");
  if (cmd.explain === true) throw new MongoServerError('CommandNotSupported', 'aggregate explain is not supported by the embedded server');
  const cursorOpt = optionalDoc(cmd, 'cursor');
  if (!cursorOpt) throw new MongoServerError('FailedToParse', "The 'cursor' option is required, except for aggregate with the explain argument");
  const docs = runPipeline(ctx, collName, pipeline, { collation: optionalDoc(cmd, 'collation'), variables: optionalDoc(cmd, 'let') });
  const ns = `${ctx.db}.${collName ?? '$cmd.aggregate'}`;
  return cursorReply(ns, ctx.cursors.firstBatch(ns, docs, optionalNumber(cursorOpt, 'batchSize')), true);
};

export const aggregateCommands: Record<string, CommandHandler> = { aggregate };
