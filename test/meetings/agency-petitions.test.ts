// Voter petitions as the agency receives them: forwarded in bulk from the session page, approved, the
// email delivered to a real SMTP peer, the agency's link opened from that email. The agency's page
// lists each petition with how many meetings and voters raised it; the agency answers each petition
// separately, and each answer lands on its own petition (and on the originals merged into it) — as the
// office's petition pages show.
import { expect } from 'chai';
import mongoose from 'mongoose';
import { ForwardingModel, approveForwarding } from '../../server/forwarding/index.js';
import { PetitionModel, type Petition } from '../../server/meetings/index.js';
import { getUnits } from '../../server/reference/index.js';
import { seedBaseData } from '../../server/seed.js';
import { samplePdf } from '../attachments/samples.js';
import { buildTestApp, fixedClock, useTestDatabase } from '../support/app.js';
import { createTestUser } from '../support/factories.js';
import { csrfFrom, signIn, type Agent } from '../support/http.js';
import { startSmtpPeer, type SmtpPeer } from '../support/smtp.js';
import { APP_CONFIG, openAgencySession, sendPendingEmailsAndGetLink, useAgencyMail } from '../forwarding/support.js';
import { actorOf, compiledSession, forwardFormOf, seedMeetingsWorld, type CompiledSession, type MeetingsWorld } from './support.js';

const NOW = '2026-06-20T03:00:00Z';

function answer(agent: Agent, csrf: string, fields: Record<string, string>) {
  let req = agent.post('/agency/answer').field('_csrf', csrf);
  for (const [name, value] of Object.entries({ documentDate: '20/06/2026', responderName: 'Nguyễn Văn Bộ', responderPosition: 'Vụ trưởng Vụ Kế hoạch', outcome: 'resolved', expectedDate: '', competentAgency: '', ...fields })) req = req.field(name, value);
  return req.attach('files', samplePdf(100), 'Văn bản trả lời.pdf');
}

describe('meetings: the agency’s link page for forwarded voter petitions', function () {
  this.timeout(60_000);
  useTestDatabase();
  let peer: SmtpPeer;
  let w: MeetingsWorld;
  let fx: CompiledSession;
  let app: ReturnType<typeof buildTestApp>['app'];
  let officer: Agent;
  let agency: Agent;

  before(async () => {
    peer = await startSmtpPeer();
    useAgencyMail(peer);
  });
  after(async () => {
    await peer.stop();
  });

  beforeEach(async () => {
    peer.clear();
    const clock = fixedClock(NOW);
    await seedBaseData(clock);
    w = await seedMeetingsWorld();
    fx = await compiledSession(w);
    app = buildTestApp({ clock, config: APP_CONFIG }).app;
    officer = await signIn(app, w.officer);
    const res = await officer.post(`/meetings/sessions/${fx.sessionId}/forward`).type('form').send(await forwardFormOf(officer, fx.sessionId));
    expect(res.status).to.equal(303);
    const leader = await actorOf(await createTestUser({ role: 'leader', name: 'Phạm Văn Lãnh Đạo' }));
    for (const f of await ForwardingModel.find({}, { _id: 1 }).lean()) await approveForwarding(leader, String(f._id), { note: '' }, { clock });
    const link = await sendPendingEmailsAndGetLink(peer, clock, 'bgtvt@example.gov.vn');
    agency = await openAgencySession(app, link.path);
  });

  /** The agency's items in page order (their positions are what the answer form refers to). */
  async function itemsOfAgencyA(): Promise<{ refId: string; label: string }[]> {
    const f = await ForwardingModel.findOne({ agencyId: new mongoose.Types.ObjectId(w.agencyA.id) }).lean();
    return f!.items.map((i) => ({ refId: i.refId, label: i.label }));
  }

  it('lists each petition with its wording and the number of meetings and voters that raised it, and no one else’s', async () => {
    const page = await agency.get('/agency');
    expect(page.status).to.equal(200);
    const [road, bridge] = await Promise.all([PetitionModel.findById(fx.road).lean<Petition>(), PetitionModel.findById(fx.bridge).lean<Petition>()]);
    const units = await getUnits([w.commune, w.otherCommune]);
    const [x, y] = [units.get(w.commune)!.name, units.get(w.otherCommune)!.name];
    expect(page.text).to.contain(road!.code).and.contain(`Đề nghị nâng cấp quốc lộ 9 đoạn qua thị trấn (2 cuộc tiếp xúc cử tri, 11 lượt cử tri; ${x}, ${y})`);
    expect(page.text).to.contain(bridge!.code).and.contain(`Đề nghị sửa cầu vượt lũ trên quốc lộ 15D (1 cuộc tiếp xúc cử tri, 3 lượt cử tri; ${x})`);
    // The other agency's petition, and the originals' own wording, are not on this page.
    expect(page.text).to.not.contain('trạm y tế').and.not.contain('đã xuống cấp');
    // In the answer form, one box per petition, labelled with its code, in the order of the list.
    const items = await itemsOfAgencyA();
    items.forEach((item, i) => expect(page.text).to.match(new RegExp(`name="matters" type="checkbox" value="${i + 1}"[^>]*>\\s*<label[^>]*>\\s*${item.label}`)));
  });

  it('records an answer per petition, and each office petition page shows only its own answer', async () => {
    const items = await itemsOfAgencyA();
    const position = (refId: string) => String(items.findIndex((i) => i.refId === refId) + 1);
    const csrf = csrfFrom((await agency.get('/agency')).text);
    const first = await answer(agency, csrf, { submissionKey: 'a'.repeat(32), documentNumber: '88/BGTVT-KCHT', matters: position(fx.road), text: 'Bộ đã bố trí vốn nâng cấp quốc lộ 9 trong năm 2026.' });
    expect(first.status, first.text.slice(0, 300)).to.equal(303);
    const second = await answer(agency, csrf, { submissionKey: 'b'.repeat(32), documentNumber: '91/BGTVT-KHĐT', matters: position(fx.bridge), text: 'Cầu vượt lũ quốc lộ 15D được đưa vào kế hoạch sửa chữa quý III.' });
    expect(second.status).to.equal(303);

    const statuses = Object.fromEntries((await PetitionModel.find({}).lean<Petition[]>()).map((p) => [String(p._id), p.status]));
    expect([statuses[fx.road], statuses[fx.bridge], statuses[fx.clinic]]).to.deep.equal(['answered', 'answered', 'forwarded']);

    const road = (await officer.get(`/meetings/petitions/${fx.road}`)).text;
    expect(road).to.contain('88/BGTVT-KCHT').and.contain('Bộ đã bố trí vốn nâng cấp quốc lộ 9 trong năm 2026.');
    expect(road).to.not.contain('91/BGTVT-KHĐT');
    const bridge = (await officer.get(`/meetings/petitions/${fx.bridge}`)).text;
    expect(bridge).to.contain('91/BGTVT-KHĐT').and.contain('kế hoạch sửa chữa quý III');
    expect(bridge).to.not.contain('88/BGTVT-KCHT');
    // An original merged into the road petition reports its answer too, for the voters who raised it.
    for (const original of fx.roadOriginals) {
      const text = (await officer.get(`/meetings/petitions/${original}`)).text;
      expect(text, original).to.contain('88/BGTVT-KCHT').and.not.contain('91/BGTVT-KHĐT');
    }
    const clinic = (await officer.get(`/meetings/petitions/${fx.clinic}`)).text;
    expect(clinic).to.contain(w.agencyB.name).and.not.contain('88/BGTVT-KCHT').and.not.contain('91/BGTVT-KHĐT');

    // The agency's page marks both petitions answered.
    const page = await agency.get('/agency');
    expect(page.text.match(/govuk-tag--green">Đã trả lời</g) ?? []).to.have.length(2);
  });
});
