// A denunciation's filer is hidden from everyone without the permission, in every page and search.
import { expect } from 'chai';
import mongoose from 'mongoose';
import { buildTestApp, useTestDatabase } from '../support/app.js';
import { createTestUser } from '../support/factories.js';
import { signIn } from '../support/http.js';
import { postWalkIn, seedIntakeReference, walkInFields } from '../support/intake.js';

describe('confidentiality of denouncers at reception', () => {
  useTestDatabase();

  it('shows "[bảo mật]" instead of the denouncer to officers without the permission, and logs every view by those with it', async () => {
    await seedIntakeReference();
    const { app } = buildTestApp();
    const officer = await createTestUser({ role: 'officer' });
    const cleared = await createTestUser({ role: 'officer', grantedPermissions: ['view-denouncer-identity'] });
    const leader = await createTestUser({ role: 'leader' });
    const clearedAgent = await signIn(app, cleared);

    // Logged by an officer who may see identities; the denouncer's name is distinctive.
    const res = await postWalkIn(
      clearedAgent,
      walkInFields({ type: 'denunciation', name: 'Hoàng Bí Mật', citizenId: '045085099999', content: 'Tố cáo cán bộ địa chính xã nhận tiền khi làm sổ đỏ' }),
    );
    expect(res.status).to.equal(303);
    const caseUrl = res.headers.location!;

    const officerAgent = await signIn(app, officer);
    for (const path of [caseUrl, '/cases', '/receptions']) {
      const page = await officerAgent.get(path);
      expect(page.status, path).to.equal(200);
      expect(page.text, path).to.not.contain('Hoàng Bí Mật');
      expect(page.text, path).to.not.contain('045085099999');
    }
    // Searching by the denouncer's name or ID number finds nothing (the search box shows what was typed).
    for (const path of ['/cases?q=hoang bi mat', '/cases?q=045085099999', '/receptions?q=hoang']) {
      const page = await officerAgent.get(path);
      expect(page.text, path).to.match(/>0 (vụ việc|lượt tiếp)</);
    }
    expect((await officerAgent.get(caseUrl)).text).to.contain('[bảo mật]');
    expect((await officerAgent.get('/cases?q=hoang bi mat')).text).to.contain('Không có vụ việc nào phù hợp.');
    // The content is not secret; the case can still be found by what it is about.
    expect((await officerAgent.get('/cases?q=dia chinh so do')).text).to.contain('nhận tiền khi làm sổ đỏ');

    // A repeat visit by the same ID number is not revealed to the officer as a duplicate of a denunciation.
    const repeat = await postWalkIn(officerAgent, walkInFields({ type: 'petition', name: 'Hoàng Bí Mật', citizenId: '045085099999', content: 'Kiến nghị về đường điện' }));
    expect(repeat.status).to.equal(303);

    const views = () => mongoose.connection.collection('audit_events').countDocuments({ action: 'case.identity-viewed', actorEmail: leader.email });
    const leaderAgent = await signIn(app, leader);
    const leaderPage = await leaderAgent.get(caseUrl);
    expect(leaderPage.text).to.contain('Hoàng Bí Mật');
    expect(await views()).to.equal(1);
    const search = await leaderAgent.get('/cases?q=hoang bi mat');
    expect(search.text).to.contain('2026/000001');
    expect(search.text).to.contain('Hoàng Bí Mật');
    expect(await views()).to.equal(2);
    // A list that shows no denouncer records nothing.
    await leaderAgent.get('/cases?q=zzz');
    expect(await views()).to.equal(2);
  });
});
