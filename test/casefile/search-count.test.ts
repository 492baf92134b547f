// A word search counts its matches up to SEARCH_COUNT_LIMIT: past it the list says "more than 1,000"
// (and the export promises no row total), below it the count is exact. Lists without words are exact.
import { expect } from 'chai';
import mongoose from 'mongoose';
import { SEARCH_COUNT_LIMIT } from '../../server/cases/cases.queries.js';
import { systemClock } from '../../server/platform/clock.js';
import { seedBaseData } from '../../server/seed.js';
import { parseSeedOptions } from '../../scripts/seed/options.js';
import { seedDataset } from '../../scripts/seed/run.js';
import { buildTestApp, useTestDatabase } from '../support/app.js';
import { createTestUser } from '../support/factories.js';
import { signIn } from '../support/http.js';

describe('case list: the count of a word search', function () {
  this.timeout(180_000);
  useTestDatabase();

  it('says "more than 1000" past the limit, counts exactly below it and without words', async () => {
    await seedBaseData(systemClock);
    // A year of cases up to 31/03/2026: about three quarters numbered 2025/…, the rest 2026/….
    await seedDataset({ ...parseSeedOptions({ cases: '1500', seed: '9', until: '2026-03-31', years: '1', meetings: 'false' }, new Date()), reset: true }, mongoose.connection.db!);
    const cases = mongoose.connection.db!.collection('cases');
    const of2025 = await cases.countDocuments({ searchTokens: '2025' });
    const of2026 = await cases.countDocuments({ searchTokens: '2026' });
    expect(of2025).to.be.greaterThan(SEARCH_COUNT_LIMIT);
    expect(of2026).to.be.within(1, SEARCH_COUNT_LIMIT);

    const agent = await signIn(buildTestApp().app, await createTestUser({ role: 'officer' }));
    const status = (html: string) => /role="status">([^<]*)</.exec(html)?.[1];
    const many = await agent.get('/cases?q=2025');
    expect(many.status).to.equal(200);
    expect(status(many.text)).to.equal('Hơn 1000 vụ việc — hãy thêm từ hoặc bộ lọc để thu hẹp');
    expect(many.text).to.contain('Hơn 1000 dòng theo bộ lọc hiện tại');
    expect(many.text).to.contain('data-export-total="0"');
    const some = await agent.get('/cases?q=2026');
    expect(status(some.text)).to.equal(`${of2026} vụ việc`);
    expect(some.text).to.contain(`data-export-total="${of2026}"`);
    expect(status((await agent.get('/cases')).text)).to.equal('1500 vụ việc');
  });
});
