// The office sets how many agency-link lookups one address may make in the window
// (AGENCY_LINK_MAX_PER_IP): unknown tokens count as much as real ones, so guessing stops there.
import { expect } from 'chai';
import supertest from 'supertest';
import { buildTestApp, useTestDatabase } from '../support/app.js';

describe('forwarding: the agency-link lookup limit is a setting', function () {
  useTestDatabase();

  it('answers 404 to the first 3 unknown tokens and 429 in Vietnamese to the 4th when the limit is 3', async () => {
    const { app } = buildTestApp({ config: { AGENCY_LINK_MAX_PER_IP: '3' } });
    for (let n = 0; n < 3; n++) expect((await supertest(app).get(`/a/${String(n).repeat(43)}`)).status).to.equal(404);
    const res = await supertest(app).get(`/a/${'7'.repeat(43)}`);
    expect(res.status).to.equal(429);
    expect(res.text).to.contain('Bạn đã thử quá nhiều lần');
  });

  it('refuses a limit that is not a positive whole number at start-up', () => {
    expect(() => buildTestApp({ config: { AGENCY_LINK_MAX_PER_IP: '0' } })).to.throw(/AGENCY_LINK_MAX_PER_IP/);
    expect(() => buildTestApp({ config: { AGENCY_LINK_MAX_PER_IP: 'many' } })).to.throw(/AGENCY_LINK_MAX_PER_IP/);
  });
});
