// The pure part of the benchmark: command-line options, percentiles, the summary of alternating
// rounds (page against its baseline), the verdict against the targets, and the printed table.

export interface BenchOptions {
  cases: number;
  seed: number;
  duration: number;
  connections: number;
  rounds: number;
  /** Only pages whose name contains one of these (empty = all). */
  only: string[];
}

export class BenchArgumentError extends Error {}

function whole(value: string | undefined, name: string, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value.replace(/_/g, ''));
  if (!Number.isInteger(n) || n < min || n > max) throw new BenchArgumentError(`--${name} must be a whole number from ${min} to ${max}, got '${value}'`);
  return n;
}

export function parseBenchOptions(args: Record<string, string>): BenchOptions {
  return {
    cases: whole(args.cases, 'cases', 1, 5_000_000, 100_000),
    seed: whole(args.seed, 'seed', 0, 2 ** 32 - 1, 1),
    duration: whole(args.duration, 'duration', 1, 600, 10),
    connections: whole(args.connections, 'connections', 1, 1000, 10),
    rounds: whole(args.rounds, 'rounds', 1, 20, 3),
    only: args.only && args.only !== 'true' ? args.only.split(',').map((s) => s.trim()).filter(Boolean) : [],
  };
}

/** The q-quantile (0–1) of samples by the nearest-rank method; NaN when there are none. */
export function percentile(samples: readonly number[], q: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1]!;
}

export interface Round {
  requests: number;
  seconds: number;
  /** Latency of every answered request, ms. */
  latencies: number[];
  /** Answers with an unexpected status, and connection errors or timeouts. */
  failures: number;
  /** What the failures were: 'HTTP 422', 'timeout', 'error', 'unanswered' → how many. */
  failureKinds: Record<string, number>;
}

export interface Summary {
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  requests: number;
  failures: number;
  failureKinds: Record<string, number>;
}

/** Several rounds of one side: throughput is the median of the rounds; percentiles over all requests. */
export function summarise(rounds: readonly Round[]): Summary {
  const rates = rounds.map((r) => r.requests / r.seconds);
  const all = rounds.flatMap((r) => r.latencies);
  return {
    rps: percentile(rates, 0.5),
    p50: percentile(all, 0.5),
    p95: percentile(all, 0.95),
    p99: percentile(all, 0.99),
    requests: rounds.reduce((n, r) => n + r.requests, 0),
    failures: rounds.reduce((n, r) => n + r.failures, 0),
    failureKinds: rounds.reduce<Record<string, number>>((all, r) => {
      for (const [kind, n] of Object.entries(r.failureKinds)) all[kind] = (all[kind] ?? 0) + n;
      return all;
    }, {}),
  };
}

export interface Targets {
  /** Least page/baseline throughput ratio. */
  minRatio: number;
  /** Highest p95 latency, ms. */
  maxP95: number;
}

export interface PageResult {
  name: string;
  page: Summary;
  baseline: Summary;
  ratio: number;
  targets: Targets;
  ok: boolean;
  problems: string[];
}

export function judge(name: string, page: Summary, baseline: Summary, targets: Targets): PageResult {
  const ratio = baseline.rps > 0 ? page.rps / baseline.rps : Number.NaN;
  const problems: string[] = [];
  if (!(ratio >= targets.minRatio)) problems.push(`throughput ${ratio.toFixed(2)}× baseline < ${targets.minRatio}×`);
  if (!(page.p95 <= targets.maxP95)) problems.push(`p95 ${page.p95.toFixed(0)} ms > ${targets.maxP95} ms`);
  if (page.failures > 0) {
    const kinds = Object.entries(page.failureKinds).map(([kind, n]) => `${kind} ×${n}`);
    problems.push(`${page.failures} failed requests${kinds.length ? ` (${kinds.join(', ')})` : ''}`);
  }
  return { name, page, baseline, ratio, targets, ok: problems.length === 0, problems };
}

const num = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : '–');

export function renderTable(results: readonly PageResult[]): string {
  const head = ['page', 'rps', 'p50', 'p95', 'p99', 'base rps', 'base p95', 'ratio', 'target', 'ok'];
  const rows = results.map((r) => [
    r.name,
    num(r.page.rps),
    num(r.page.p50, 1),
    num(r.page.p95, 1),
    num(r.page.p99, 1),
    num(r.baseline.rps),
    num(r.baseline.p95, 1),
    `${num(r.ratio, 2)}×`,
    `≥${r.targets.minRatio}× p95≤${r.targets.maxP95}`,
    r.ok ? 'yes' : `NO (${r.problems.join('; ')})`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 || i === cells.length - 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
