// The reference-list cache: one load shared by concurrent callers, kept for the configured time on the
// app's clock, dropped when its collection is written through a model, never kept when set to 0 and
// never keeping a failed load. And through the app: the fields select shows an admin's rename at once.
import { expect } from 'chai';
import { configureCaches, invalidateCachesOf, referenceCache } from '../../server/platform/cache.js';
import { fixedClock } from '../../server/platform/clock.js';
import { FieldModel, listActiveFields } from '../../server/reference/index.js';
import { seedBaseData } from '../../server/seed.js';
import { buildTestApp, useTestDatabase } from '../support/app.js';
import { createTestUser } from '../support/factories.js';
import { signIn } from '../support/http.js';

describe('platform: reference cache', () => {
  let now = new Date('2027-03-01T03:00:00Z');
  const clock = { now: () => now };
  afterEach(() => configureCaches({ seconds: {}, clock: fixedClock(now) }));

  it('shares one load, keeps it for the configured seconds, and loads again after them', async () => {
    configureCaches({ seconds: { reference: 30 }, clock });
    let loads = 0;
    const cache = referenceCache(['t_things'], (kind: string) => Promise.resolve(`${kind}#${++loads}`));
    expect(await Promise.all([cache.get('a'), cache.get('a'), cache.get('b')])).to.deep.equal(['a#1', 'a#1', 'b#2']);
    now = new Date(now.getTime() + 29_000);
    expect(await cache.get('a')).to.equal('a#1');
    now = new Date(now.getTime() + 1_000);
    expect(await cache.get('a')).to.equal('a#3');
    invalidateCachesOf('t_other');
    expect(await cache.get('a')).to.equal('a#3');
    invalidateCachesOf('t_things');
    expect(await cache.get('a')).to.equal('a#4');
  });

  it('keeps nothing at 0 seconds, and never keeps a failed load', async () => {
    let loads = 0;
    const cache = referenceCache(['t_things'], () => {
      loads += 1;
      return loads === 2 ? Promise.reject(new Error('database unavailable')) : Promise.resolve(loads);
    });
    configureCaches({ seconds: {}, clock });
    expect([await cache.get(), await cache.get().catch((e: Error) => e.message)]).to.deep.equal([1, 'database unavailable']);
    configureCaches({ seconds: { reference: 30 }, clock });
    expect(await cache.get()).to.equal(3);
    expect(await cache.get()).to.equal(3);
  });

  it('keeps each kind for its own seconds, and never serves a copy made after the instant asked about', async () => {
    configureCaches({ seconds: { reference: 30, figures: 0 }, clock });
    let loads = 0;
    const load = (asOf: Date) => Promise.resolve(`${asOf.toISOString()}#${++loads}`);
    const figures = referenceCache(['t_things'], load, { key: () => 'period', kind: 'figures', asOf: (at) => at });
    const t0 = now;
    expect([await figures.get(t0), await figures.get(t0)]).to.deep.equal([`${t0.toISOString()}#1`, `${t0.toISOString()}#2`]);
    configureCaches({ seconds: { figures: 60 }, clock });
    const later = new Date(t0.getTime() + 59_000);
    expect(await figures.get(t0)).to.equal(`${t0.toISOString()}#3`);
    expect(await figures.get(later), 'made 59 s before: still served').to.equal(`${t0.toISOString()}#3`);
    const earlier = new Date(t0.getTime() - 1_000);
    expect(await figures.get(earlier), 'made after the instant asked about').to.equal(`${earlier.toISOString()}#4`);
    expect(await figures.get(new Date(earlier.getTime() + 60_000)), 'made 60 s before').to.equal(`${new Date(earlier.getTime() + 60_000).toISOString()}#5`);
  });

  describe('through the models and the app', () => {
    useTestDatabase();

    it('drops the fields list when a field is written through its model, so the case filters show the new name at once', async () => {
      const { app } = buildTestApp({ config: { REFERENCE_CACHE_SECONDS: '600' } });
      await seedBaseData(fixedClock(now));
      const [first] = await listActiveFields();
      const agent = await signIn(app, await createTestUser({ role: 'officer' }));
      expect((await agent.get('/cases')).text).to.contain(`>${first!.name}</option>`);
      await FieldModel.updateOne({ code: first!.code }, { $set: { name: 'Lĩnh vực đã đổi tên' } });
      const page = (await agent.get('/cases')).text;
      expect(page).to.contain('>Lĩnh vực đã đổi tên</option>');
      expect(page).to.not.contain(`>${first!.name}</option>`);
    });
  });
});
