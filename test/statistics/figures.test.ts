// Every figure of the statistics against the hand-built month in fixture.ts (worked out by hand
// there): visits, person-visits, people, group visits, cases and letters all differ, a merged case is
// counted once, a split letter is one letter, and February stays out of March.
import { expect } from 'chai';
import { loadActor } from '../../server/users/index.js';
import { computeStatistics, type Statistics } from '../../server/statistics/index.js';
import { customPeriod, monthPeriod } from '../../server/statistics/period.rules.js';
import { buildTestApp, clearDatabase, connectTestDatabase, fixedClock, useTestDatabase } from '../support/app.js';
import { createTestUser } from '../support/factories.js';
import { signIn } from '../support/http.js';
import { postWalkIn, seedIntakeReference, walkInFields } from '../support/intake.js';
import { buildFixture, FIXTURE_NOW, type Fixture } from './fixture.js';

/** Breakdown rows as { key: value } (a missing key — no host — as 'none'). */
function byKey<T>(entries: [string | null, T][]): Record<string, T> {
  return Object.fromEntries(entries.map(([k, v]) => [k ?? 'none', v]));
}

describe('statistics: figures against a hand-built fixture', function () {
  this.timeout(90_000);
  const clock = fixedClock(FIXTURE_NOW);
  let fx: Fixture;
  let march: Statistics;

  async function stats(period = monthPeriod(2026, 3)): Promise<Statistics> {
    const actor = await loadActor(fx.delegate.id);
    return computeStatistics(actor!, { kind: 'fixed', period }, 'vi', { clock, ip: '127.0.0.1', requestId: 'test' });
  }

  // Built once: the tests below only read.
  before(async () => {
    await connectTestDatabase();
    await clearDatabase();
    fx = await buildFixture(buildTestApp({ clock }).app);
    march = await stats();
  });

  it('counts visits, person-visits, people, group visits and cases separately', () => {
    expect(march.figures.reception.totals).to.deep.equal({
      visits: 5,
      personVisits: 17,
      people: 16,
      groupVisits: 1,
      groupPeople: 12,
      cases: 3,
      groupCases: 1,
    });
  });

  it('counts a split letter once and each handling outcome', () => {
    expect(march.figures.letters.totals).to.deep.equal({
      received: 4,
      eligible: 2,
      ineligible: 1,
      pending: 1,
      forwarded: 1,
      filed: 1,
      returned: 1,
      proposed: 0,
      anonymous: 1,
      split: 1,
    });
  });

  it('counts new cases without the one merged into another', () => {
    // K1, K2, K3, K5, K6, K7 (from the split), K8; K4 was merged into K1.
    expect(march.figures.cases.opened).to.equal(7);
    expect(march.figures.cases.mergedAway).to.equal(1);
    const byType = byKey(march.figures.cases.byType.map((r) => [r.key, r.cases]));
    expect(byType).to.deep.equal({ complaint: 3, petition: 2, denunciation: 2 });
  });

  it('breaks visits down by the case they now belong to: the merged visit counts as a complaint', () => {
    const byType = byKey(march.figures.reception.byType.map((r) => [r.key, [r.visits, r.personVisits, r.groupVisits, r.cases]]));
    expect(byType).to.deep.equal({ complaint: [3, 4, 0, 1], petition: [1, 12, 1, 1], denunciation: [1, 1, 0, 1] });
    const byUnit = byKey(march.figures.reception.byUnit.map((r) => [r.key, r.visits]));
    expect(byUnit).to.deep.equal({ [fx.ref.commune]: 4, [fx.ref.otherCommune]: 1 });
    const byField = byKey(march.figures.reception.byField.map((r) => [r.key, r.cases]));
    expect(byField).to.deep.equal({ [fx.ref.field]: 2, [fx.ref.otherField]: 1 });
    const byHost = byKey(march.figures.reception.byHost.map((r) => [r.key, r.visits]));
    expect(byHost).to.deep.equal({ none: 4, [fx.delegate.id]: 1 });
    expect(march.names.host(fx.delegate.id)).to.equal('Đại biểu Ngô Văn Hùng');
    const byKind = byKey(march.figures.reception.byKind.map((r) => [r.key, r.visits]));
    expect(byKind).to.deep.equal({ routine: 4, scheduled: 1 });
  });

  it('breaks letters down by source and type, the split letter once as "mixed"', () => {
    const byType = byKey(march.figures.letters.byType.map((r) => [r.key, [r.received, r.eligible, r.forwarded, r.filed, r.returned]]));
    expect(byType).to.deep.equal({ complaint: [2, 2, 1, 0, 1], mixed: [1, 0, 0, 0, 0], denunciation: [1, 0, 0, 1, 0] });
    const byChannel = byKey(march.figures.letters.byChannel.map((r) => [r.key, r.received]));
    expect(byChannel).to.deep.equal({ post: 4 });
  });

  it('breaks letters down by the commune recorded on each, the split letter once', () => {
    // L1, L3, L4 in the commune (eligible 2, forwarded 1, filed 1, returned 1); L2 in the other one.
    const byUnit = byKey(march.figures.letters.byUnit.map((r) => [r.key, [r.received, r.eligible, r.forwarded, r.filed, r.returned]]));
    expect(byUnit).to.deep.equal({ [fx.ref.commune]: [3, 2, 1, 1, 1], [fx.ref.otherCommune]: [1, 0, 0, 0, 0] });
  });

  it('puts each figure in its day of the month and leaves February out', async () => {
    expect(march.figures.series).to.have.length(31);
    const day = (d: string) => march.figures.series.find((s) => s.key === `2026-03-${d}`);
    expect(day('02')).to.deep.equal({ key: '2026-03-02', visits: 1, letters: 0, cases: 1 });
    expect(day('04')).to.deep.equal({ key: '2026-03-04', visits: 0, letters: 1, cases: 2 });
    expect(day('10')).to.deep.equal({ key: '2026-03-10', visits: 1, letters: 0, cases: 0 });
    const sum = march.figures.series.reduce((acc, s) => [acc[0]! + s.visits, acc[1]! + s.letters, acc[2]! + s.cases], [0, 0, 0]);
    expect(sum).to.deep.equal([5, 4, 7]);

    const february = await stats(monthPeriod(2026, 2));
    expect(february.figures.reception.totals.visits).to.equal(1);
    expect(february.figures.letters.totals.received).to.equal(1);
    expect(february.figures.cases.opened).to.equal(2);

    const both = await stats(customPeriod('2026-02-01', '2026-03-31'));
    expect(both.period.bucket).to.equal('month');
    expect(both.figures.series).to.deep.equal([
      { key: '2026-02', visits: 1, letters: 1, cases: 2 },
      { key: '2026-03', visits: 5, letters: 4, cases: 7 },
    ]);
    expect(both.figures.reception.totals).to.include({ visits: 6, people: 17, cases: 4 });
  });
});

describe('statistics: periods in Vietnam time', () => {
  useTestDatabase();

  it('puts a visit at 06:30 on 1 April (23:30 UTC on 31 March) in April', async () => {
    const clock = fixedClock('2026-04-02T03:00:00.000Z');
    await seedIntakeReference();
    const officer = await createTestUser({ role: 'officer' });
    const delegate = await createTestUser({ role: 'delegate' });
    const agent = await signIn(buildTestApp({ clock }).app, officer);
    const saved = await postWalkIn(agent, walkInFields({ date: '01/04/2026', time: '06:30', caseChoice: 'new' }));
    expect(saved.status).to.equal(303);
    const actor = await loadActor(delegate.id);
    const ctx = { clock, ip: '127.0.0.1', requestId: 'test' };
    const march = await computeStatistics(actor!, { kind: 'fixed', period: monthPeriod(2026, 3) }, 'vi', ctx);
    const april = await computeStatistics(actor!, { kind: 'fixed', period: monthPeriod(2026, 4) }, 'vi', ctx);
    expect(march.figures.reception.totals.visits).to.equal(0);
    expect(april.figures.reception.totals.visits).to.equal(1);
    expect(april.figures.series.find((s) => s.key === '2026-04-01')?.visits).to.equal(1);
  });

  it('refuses statistics to a user without reports:read', async () => {
    const officer = await createTestUser({ role: 'officer' });
    const actor = await loadActor(officer.id);
    const ctx = { clock: fixedClock(FIXTURE_NOW), ip: '127.0.0.1', requestId: 'test' };
    let error: unknown = null;
    await computeStatistics(actor!, { kind: 'fixed', period: monthPeriod(2026, 3) }, 'vi', ctx).catch((err: unknown) => (error = err));
    expect(error).to.have.property('status', 403);
  });
});
