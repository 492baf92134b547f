// The pure parts of the seeder and of the benchmark: arguments, percentiles, the summary of rounds,
// the verdict against targets and the printed table. No timing is asserted anywhere.
import { expect } from 'chai';
import { judge, parseBenchOptions, percentile, renderTable, summarise, type Round } from '../../scripts/bench/report.js';
import { parseSeedOptions, SeedArgumentError, vietnamToday } from '../../scripts/seed/options.js';

const NOW = new Date('2026-03-31T20:00:00Z'); // already 1 April in Vietnam

describe('seed: command-line options', function () {
  it('reads --cases, --seed, --until, --years, --reset and --batch', function () {
    const o = parseSeedOptions({ cases: '100_000', seed: '42', until: '2026-03-01', years: '5', reset: 'true', batch: '5000' }, NOW);
    expect(o).to.deep.equal({ cases: 100_000, seed: 42, until: '2026-03-01', years: 5, reset: true, batchSize: 5000, meetings: true });
  });

  it('defaults: 1000 cases, seed 1, ten years up to today in Vietnam, no reset', function () {
    expect(parseSeedOptions({}, NOW)).to.deep.equal({ cases: 1000, seed: 1, until: '2026-04-01', years: 10, reset: false, batchSize: 2000, meetings: true });
    expect(parseSeedOptions({ meetings: 'false' }, NOW).meetings).to.equal(false);
    expect(vietnamToday(new Date('2026-12-31T16:59:00Z'))).to.equal('2026-12-31');
    expect(vietnamToday(new Date('2026-12-31T17:00:00Z'))).to.equal('2027-01-01');
  });

  for (const [args, message] of [
    [{ cases: '0' }, /--cases/],
    [{ cases: 'many' }, /--cases/],
    [{ cases: '1.5' }, /--cases/],
    [{ seed: '-1' }, /--seed/],
    [{ years: '31' }, /--years/],
    [{ until: '31/03/2026' }, /--until/],
    [{ until: '2026-13-45' }, /--until/],
    [{ batch: '10' }, /--batch/],
    [{ meetings: 'no' }, /--meetings/],
  ] as [Record<string, string>, RegExp][]) {
    it(`refuses ${JSON.stringify(args)}`, function () {
      expect(() => parseSeedOptions(args, NOW)).to.throw(SeedArgumentError, message);
    });
  }
});

describe('bench: options and report', function () {
  it('reads its options, with defaults for a 100,000-case run at 10 connections', function () {
    expect(parseBenchOptions({})).to.deep.equal({ cases: 100_000, seed: 1, duration: 10, connections: 10, rounds: 3, only: [] });
    expect(parseBenchOptions({ cases: '5000', duration: '3', connections: '4', rounds: '2', only: 'search, case detail' })).to.deep.include({ cases: 5000, duration: 3, connections: 4, rounds: 2, only: ['search', 'case detail'] });
    expect(() => parseBenchOptions({ connections: '0' })).to.throw(/--connections/);
    expect(() => parseBenchOptions({ duration: 'long' })).to.throw(/--duration/);
  });

  it('percentiles by nearest rank', function () {
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i); // 1..100, unsorted
    expect(percentile(samples, 0.5)).to.equal(50);
    expect(percentile(samples, 0.95)).to.equal(95);
    expect(percentile(samples, 0.99)).to.equal(99);
    expect(percentile(samples, 1)).to.equal(100);
    expect(percentile([7], 0.95)).to.equal(7);
    expect(percentile([], 0.5)).to.be.NaN;
  });

  it('summarises rounds: median throughput, percentiles over every request, failures added up', function () {
    const round = (requests: number, seconds: number, latency: number, failureKinds: Record<string, number> = {}): Round => ({
      requests,
      seconds,
      latencies: Array.from({ length: requests }, () => latency),
      failures: Object.values(failureKinds).reduce((a, b) => a + b, 0),
      failureKinds,
    });
    const s = summarise([round(100, 10, 5, { 'HTTP 422': 1 }), round(300, 10, 7, { 'HTTP 422': 1, timeout: 1 }), round(200, 10, 6)]);
    expect(s.rps).to.equal(20);
    expect(s.p50).to.equal(6);
    expect(s.p99).to.equal(7);
    expect(s.requests).to.equal(600);
    expect(s.failures).to.equal(3);
    expect(s.failureKinds).to.deep.equal({ 'HTTP 422': 2, timeout: 1 });
  });

  it('judges a page against its baseline and its targets, naming each miss', function () {
    const page = { rps: 300, p50: 20, p95: 80, p99: 120, requests: 3000, failures: 0, failureKinds: {} };
    const baseline = { rps: 500, p50: 10, p95: 30, p99: 40, requests: 5000, failures: 0, failureKinds: {} };
    const good = judge('case list', page, baseline, { minRatio: 0.5, maxP95: 100 });
    expect(good.ratio).to.equal(0.6);
    expect(good.ok).to.equal(true);
    const slow = judge('search', { ...page, rps: 100, p95: 150, failures: 3, failureKinds: { 'HTTP 500': 2, timeout: 1 } }, baseline, { minRatio: 0.5, maxP95: 100 });
    expect(slow.ok).to.equal(false);
    expect(slow.problems).to.deep.equal(['throughput 0.20× baseline < 0.5×', 'p95 150 ms > 100 ms', '3 failed requests (HTTP 500 ×2, timeout ×1)']);
    const table = renderTable([good, slow]);
    expect(table.split('\n')).to.have.length(4);
    expect(table).to.match(/case list\s+300\s+20\.0\s+80\.0\s+120\.0\s+500\s+30\.0\s+0\.60×/);
    expect(table).to.contain('NO (throughput 0.20× baseline');
  });
});
