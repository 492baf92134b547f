// The bulk forwarding of a session's compiled petitions over HTTP: the session page's "Chuyển kiến
// nghị đến N cơ quan" button makes exactly one forwarding per agency carrying its petitions; the same
// form sent twice at once, or again later, makes nothing more; and every refusal (a delegate, a
// session that does not exist, a tampered form, an agency deactivated meanwhile, nothing left to
// forward) answers a 4xx in Vietnamese and writes nothing.
import { expect } from 'chai';
import mongoose from 'mongoose';
import { AgencyModel } from '../../server/agencies/index.js';
import { ForwardingModel } from '../../server/forwarding/index.js';
import { seedBaseData } from '../../server/seed.js';
import { buildTestApp, fixedClock, useTestDatabase } from '../support/app.js';
import { csrfFrom, signIn, type Agent } from '../support/http.js';
import { compiledSession, forwardFormOf, key, seedMeetingsWorld, testContext, type CompiledSession, type MeetingsWorld } from './support.js';

const forwardings = () => mongoose.connection.collection('forwardings').countDocuments({});

describe('meetings: forwarding compiled petitions from the session page over HTTP', function () {
  this.timeout(60_000);
  useTestDatabase();
  let w: MeetingsWorld;
  let fx: CompiledSession;
  let app: ReturnType<typeof buildTestApp>['app'];
  let officer: Agent;

  beforeEach(async () => {
    await seedBaseData(testContext().clock);
    w = await seedMeetingsWorld();
    fx = await compiledSession(w);
    app = buildTestApp({ clock: fixedClock('2026-06-20T03:00:00Z') }).app;
    officer = await signIn(app, w.officer);
  });

  it('offers one forwarding per agency and creates exactly that: each agency’s petitions on its own forwarding', async () => {
    const page = await officer.get(`/meetings/sessions/${fx.sessionId}`);
    expect(page.text).to.contain('Chuyển kiến nghị đến 2 cơ quan');
    expect(page.text).to.contain(`${w.agencyA.name}: 2 kiến nghị`).and.contain(`${w.agencyB.name}: 1 kiến nghị`);

    const res = await officer.post(`/meetings/sessions/${fx.sessionId}/forward`).type('form').send(await forwardFormOf(officer, fx.sessionId));
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal(`/meetings/sessions/${fx.sessionId}#compile`);
    const after = await officer.get(res.headers.location!);
    expect(after.text).to.contain('Đã lập 2 phiếu chuyển cho 3 kiến nghị, chờ lãnh đạo phê duyệt.');
    expect(after.text).to.not.contain('Chuyển kiến nghị đến');

    const sent = await ForwardingModel.find({}).lean();
    expect(sent).to.have.length(2);
    const byAgency = new Map(sent.map((f) => [String(f.agencyId), f]));
    expect(byAgency.get(w.agencyA.id)!.items.map((i) => [i.kind, i.refId])).to.have.deep.members([
      ['petition', fx.bridge],
      ['petition', fx.road],
    ]);
    expect(byAgency.get(w.agencyA.id)!.ruleKey).to.equal('voter-petition-central-answer');
    expect(byAgency.get(w.agencyB.id)!.items.map((i) => i.refId)).to.deep.equal([fx.clinic]);
    expect(byAgency.get(w.agencyB.id)!.ruleKey).to.equal('voter-petition-local-answer');
    // The merged-away originals are never forwarded themselves.
    expect(sent.flatMap((f) => f.items.map((i) => i.refId))).to.not.include.members(fx.roadOriginals);
  });

  it('creates the forwardings once when the form is sent twice at once, and nothing when it is sent again later', async () => {
    const form = await forwardFormOf(officer, fx.sessionId);
    const [a, b] = await Promise.all([
      officer.post(`/meetings/sessions/${fx.sessionId}/forward`).type('form').send(form),
      officer.post(`/meetings/sessions/${fx.sessionId}/forward`).type('form').send(form),
    ]);
    expect([a.status, b.status]).to.deep.equal([303, 303]);
    expect(await forwardings()).to.equal(2);
    // A retry of the same form later (the browser's back button, a lost answer): the same page, nothing new.
    const again = await officer.post(`/meetings/sessions/${fx.sessionId}/forward`).type('form').send(form);
    expect(again.status).to.equal(303);
    expect(again.headers.location).to.equal(`/meetings/sessions/${fx.sessionId}#compile`);
    expect(await forwardings()).to.equal(2);
    const page = await officer.get(again.headers.location!);
    expect(page.text.match(/Đã lập 2 phiếu chuyển/g) ?? []).to.have.length(1);
  });

  it('refuses a new form once everything is forwarded (409: nothing left), writing nothing', async () => {
    const form = await forwardFormOf(officer, fx.sessionId);
    expect((await officer.post(`/meetings/sessions/${fx.sessionId}/forward`).type('form').send(form)).status).to.equal(303);
    const fresh = await officer.post(`/meetings/sessions/${fx.sessionId}/forward`).type('form').send({ ...form, submissionKey: key() });
    expect(fresh.status).to.equal(409);
    expect(fresh.text).to.contain('Không còn kiến nghị đã tổng hợp nào chờ chuyển.');
    expect(await forwardings()).to.equal(2);
  });

  it('refuses the whole batch when an agency was deactivated after classification (409, naming it), writing nothing', async () => {
    const form = await forwardFormOf(officer, fx.sessionId);
    await AgencyModel.updateOne({ _id: new mongoose.Types.ObjectId(w.agencyB.id) }, { $set: { active: false } });
    const res = await officer.post(`/meetings/sessions/${fx.sessionId}/forward`).type('form').send(form);
    expect(res.status).to.equal(409);
    expect(res.text).to.contain(`${w.agencyB.name} không còn hoạt động`);
    expect(await forwardings()).to.equal(0);
  });

  it('answers 404 for a session that does not exist or a malformed id, and 422 for a tampered form key, writing nothing', async () => {
    const form = await forwardFormOf(officer, fx.sessionId);
    for (const id of [new mongoose.Types.ObjectId().toHexString(), 'khong-co', '%24ne']) {
      const res = await officer.post(`/meetings/sessions/${id}/forward`).type('form').send({ ...form, submissionKey: key() });
      expect(res.status, id).to.equal(404);
      expect(res.text).to.contain('Không tìm thấy kỳ họp');
    }
    for (const body of [{ _csrf: form._csrf }, { _csrf: form._csrf, submissionKey: '{"$ne":null}' }, { _csrf: form._csrf, 'submissionKey[$ne]': 'x' }]) {
      const res = await officer.post(`/meetings/sessions/${fx.sessionId}/forward`).type('form').send(body);
      expect(res.status, JSON.stringify(body)).to.equal(422);
      expect(res.text).to.contain('Dữ liệu chưa hợp lệ');
    }
    expect(await forwardings()).to.equal(0);
  });

  it('refuses a delegate (403) and a request without the form token (403), writing nothing', async () => {
    const delegate = await signIn(app, w.delegateUser);
    const page = await delegate.get(`/meetings/sessions/${fx.sessionId}`);
    expect(page.status).to.equal(200);
    expect(page.text).to.not.contain('/forward"');
    const refused = await delegate.post(`/meetings/sessions/${fx.sessionId}/forward`).type('form').send({ _csrf: csrfFrom(page.text), submissionKey: key() });
    expect(refused.status).to.equal(403);
    const noToken = await officer.post(`/meetings/sessions/${fx.sessionId}/forward`).type('form').send({ submissionKey: key() });
    expect(noToken.status).to.equal(403);
    expect(await forwardings()).to.equal(0);
  });
});
