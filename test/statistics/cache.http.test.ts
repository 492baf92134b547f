// A period's statistics are computed once and shared for STATISTICS_CACHE_SECONDS: a visit recorded
// through this app shows at once (the models drop the copy), a write by another instance (here, straight
// into the collection, as another process would) shows once the time has passed, and the page says when
// its figures were computed.
import { expect } from 'chai';
import type { Express } from 'express';
import mongoose from 'mongoose';
import { buildTestApp, clearDatabase, connectTestDatabase } from '../support/app.js';
import { csrfFrom, signIn, type Agent } from '../support/http.js';
import { postWalkIn, walkInFields } from '../support/intake.js';
import { buildFixture, FIXTURE_NOW, type Fixture } from './fixture.js';

const visitsOf = (html: string): number => Number(/Lượt tiếp\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*(\d+)\s*<\/dd>/.exec(html)?.[1]);
const computedAt = (html: string): string | undefined => /Số liệu tính lúc ([^<]+)\./.exec(html)?.[1];

describe('statistics: figures kept for a while, dropped on a write', function () {
  this.timeout(120_000);
  let now = new Date(FIXTURE_NOW);
  const clock = { now: () => now };
  let app: Express;
  let fx: Fixture;
  let reader: Agent;

  before(async () => {
    await connectTestDatabase();
    await clearDatabase();
    app = buildTestApp({ clock, config: { STATISTICS_CACHE_SECONDS: '60' } }).app;
    fx = await buildFixture(app);
    reader = await signIn(app, fx.delegate);
  });

  it('serves the copy until another instance’s write is older than the configured time, and says when it was computed', async () => {
    const first = (await reader.get('/statistics')).text;
    expect(visitsOf(first)).to.equal(5);
    expect(computedAt(first)).to.equal('20/03/2026 10:00');

    const receptions = mongoose.connection.collection('receptions');
    const march = await receptions.findOne({ receivedAt: { $gte: new Date('2026-03-01T00:00:00+07:00') } });
    await receptions.insertOne({ ...march!, _id: new mongoose.Types.ObjectId(), submissionKey: 'another-instance' });

    now = new Date(now.getTime() + 59_000);
    const kept = (await reader.get('/statistics')).text;
    expect(visitsOf(kept), 'the copy made 59 s ago').to.equal(5);
    expect(computedAt(kept)).to.equal('20/03/2026 10:00');

    now = new Date(now.getTime() + 2 * 60_000);
    const later = (await reader.get('/statistics')).text;
    expect(visitsOf(later), 'computed again after 60 s').to.equal(6);
    expect(computedAt(later)).to.equal('20/03/2026 10:02');
  });

  it('keeps one copy of the figures per language: in English they are in English, and Vietnamese again after', async () => {
    const language = async (lang: 'vi' | 'en') => {
      const res = await reader.post('/language').type('form').send({ _csrf: csrfFrom((await reader.get('/')).text), lang });
      expect(res.status).to.equal(303);
    };
    expect((await reader.get('/statistics')).text).to.contain('Cách tính: lượt tiếp là số lần tiếp');
    await language('en');
    const en = (await reader.get('/statistics')).text;
    expect(en).to.contain('How figures are counted: visits are receptions').and.not.contain('Cách tính: lượt tiếp');
    await language('vi');
    expect((await reader.get('/statistics')).text).to.contain('Cách tính: lượt tiếp là số lần tiếp').and.not.contain('How figures are counted');
  });

  it('shows a visit recorded through the app at once', async () => {
    expect(visitsOf((await reader.get('/statistics')).text)).to.equal(6);
    const res = await postWalkIn(fx.agent, walkInFields({ unitCode: fx.ref.commune, fieldCode: fx.ref.field, date: '13/03/2026', name: 'Trương Văn Khải', citizenId: '', caseChoice: fx.cases.K2, type: 'petition' }));
    expect(res.status, res.text.slice(0, 400)).to.equal(303);
    expect(visitsOf((await reader.get('/statistics')).text)).to.equal(7);
  });
});
