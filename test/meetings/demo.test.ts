// The demo data set of voter meetings loads through the module's services, in realistic numbers,
// and only once.
import { expect } from 'chai';
import { seedDemoMeetings } from '../../scripts/demo/meetings.js';
import { SeededRandom } from '../../scripts/demo/random.js';
import { seedAgencies } from '../../server/agencies/index.js';
import { PetitionModel } from '../../server/meetings/index.js';
import { fixedClock } from '../../server/platform/clock.js';
import { useTestDatabase } from '../support/app.js';
import { actorOf, seedMeetingsWorld } from './support.js';

describe('demo voter meetings', function () {
  this.timeout(300_000);
  useTestDatabase();

  it('adds sessions, meetings and petitions, merges duplicates, compiles the past session, and runs once', async () => {
    const w = await seedMeetingsWorld();
    await seedAgencies();
    const options = { officer: await actorOf(w.officer), delegateUserId: w.delegateUser.id, rng: new SeededRandom(7), clock: fixedClock('2026-06-01T03:00:00Z') };
    const result = await seedDemoMeetings(options);
    expect(result.sessions).to.equal(3);
    expect(result.meetings).to.be.at.least(20);
    expect(result.petitions).to.be.at.least(100);
    expect(result.merged).to.be.greaterThan(0);
    expect(await PetitionModel.countDocuments({ kind: 'consolidated' })).to.be.greaterThan(0);
    expect(await PetitionModel.countDocuments({ status: 'compiled' })).to.be.greaterThan(0);
    expect(await seedDemoMeetings(options)).to.deep.equal({ sessions: 0, meetings: 0, petitions: 0, merged: 0 });
  });
});
