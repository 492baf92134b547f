// Forwarding a session's compiled petitions in bulk: exactly one forwarding per target agency carrying
// its petitions (with the competence's answer rule), nothing twice when repeated, and the agency's
// answer and the office's evaluation flowing back to exactly the petitions they concern.
import { expect } from 'chai';
import { trusted } from 'mongoose';
import { ForwardingLinkModel, ForwardingModel, approveForwarding, evaluateForwarding, submitAnswer } from '../../server/forwarding/index.js';
import { classifyPetition, compileSession, forwardCompiledPetitions, PetitionModel, type Petition } from '../../server/meetings/index.js';
import { seedBaseData } from '../../server/seed.js';
import { storeUpload } from '../../server/attachments/index.js';
import { Readable } from 'node:stream';
import { samplePdf } from '../attachments/samples.js';
import { useTestDatabase } from '../support/app.js';
import { createTestUser } from '../support/factories.js';
import { actorOf, addPetitions, key, makeMeeting, makeSession, seedMeetingsWorld, testContext, type MeetingsWorld } from './support.js';

describe('meetings: bulk forwarding of compiled petitions', function () {
  this.timeout(60_000);
  useTestDatabase();
  let w: MeetingsWorld;
  let sessionId: string;

  beforeEach(async () => {
    await seedBaseData(testContext().clock);
    w = await seedMeetingsWorld();
    sessionId = await makeSession(w.officerActor);
    const meetingId = await makeMeeting(w.officerActor, { sessionId, unitCodes: [w.commune], delegateIds: [w.delegateA] });
    await addPetitions(w.officerActor, meetingId, [
      { content: 'Đề nghị nâng cấp quốc lộ 9 đoạn qua thị trấn', fieldCode: w.field, unitCode: w.commune, voterCount: 6 },
      { content: 'Đề nghị sửa cầu vượt lũ trên quốc lộ 15D', fieldCode: w.field, unitCode: w.commune, voterCount: 3 },
      { content: 'Đề nghị bổ sung bác sĩ cho trạm y tế xã', fieldCode: w.otherField, unitCode: w.commune, voterCount: 4 },
    ]);
    const [road, bridge, clinic] = await PetitionModel.find({}).sort({ code: 1 }).lean<Petition[]>();
    await classifyPetition(w.officerActor, String(road!._id), { content: road!.content, fieldCode: w.field, unitCode: w.commune, competence: 'central', agencyId: w.agencyA.id }, testContext());
    await classifyPetition(w.officerActor, String(bridge!._id), { content: bridge!.content, fieldCode: w.field, unitCode: w.commune, competence: 'central', agencyId: w.agencyA.id }, testContext());
    await classifyPetition(w.officerActor, String(clinic!._id), { content: clinic!.content, fieldCode: w.otherField, unitCode: w.commune, competence: 'province', agencyId: w.agencyB.id }, testContext());
    await compileSession(w.officerActor, sessionId, testContext());
  });

  it('creates one forwarding per agency with its petitions, once (a repeat replays, a new form finds nothing left), and the answers reach the right petitions', async () => {
    const submissionKey = key();
    const first = await forwardCompiledPetitions(w.officerActor, sessionId, { submissionKey }, testContext('2026-06-20T03:00:00Z'));
    expect(first).to.deep.include({ forwardings: 2, petitions: 3, replayed: false });
    // The same form again finds what it wrote; a new form finds nothing left to forward.
    const replay = await forwardCompiledPetitions(w.officerActor, sessionId, { submissionKey }, testContext('2026-06-20T03:00:00Z'));
    expect(replay).to.deep.include({ forwardings: 2, petitions: 3, replayed: true });
    let again: unknown = null;
    try {
      await forwardCompiledPetitions(w.officerActor, sessionId, { submissionKey: key() }, testContext('2026-06-20T03:00:00Z'));
    } catch (err) {
      again = err;
    }
    expect(again, 'nothing left to forward').to.have.property('status', 409);
    const forwardings = await ForwardingModel.find().sort({ agencyName: 1 }).lean();
    expect(forwardings).to.have.length(2);
    const byAgency = new Map(forwardings.map((f) => [String(f.agencyId), f]));
    const ministry = byAgency.get(w.agencyA.id)!;
    const health = byAgency.get(w.agencyB.id)!;
    expect(ministry.items.map((i) => i.kind)).to.deep.equal(['petition', 'petition']);
    expect(ministry.ruleKey).to.equal('voter-petition-central-answer');
    expect(health.items).to.have.length(1);
    expect(health.ruleKey).to.equal('voter-petition-local-answer');
    expect(ministry.caseIds).to.deep.equal([]);

    // A leader approves; the petitions are then with their agencies.
    const leader = await actorOf(await createTestUser({ role: 'leader' }));
    await approveForwarding(leader, String(ministry._id), { note: '' }, testContext('2026-06-21T03:00:00Z'));
    await approveForwarding(leader, String(health._id), { note: '' }, testContext('2026-06-21T03:00:00Z'));
    const sent = await ForwardingModel.findById(ministry._id).lean();
    // 60 calendar days from 21/06/2026 (the central answer rule): 20/08/2026.
    expect(sent!.deadline!.dueDate).to.equal('2026-08-20');
    const forwardedPetitions = await PetitionModel.find({ status: 'forwarded' }).lean<Petition[]>();
    expect(forwardedPetitions).to.have.length(3);

    // The ministry answers the first petition only.
    const link = await ForwardingLinkModel.findOne({ forwardingId: ministry._id }).lean();
    const upload = await storeUpload({ uploader: { kind: 'agency', id: String(ministry._id) }, originalName: 'tra-loi.pdf', content: Readable.from(samplePdf()) });
    const at = new Date('2026-07-10T03:00:00Z');
    await submitAnswer(
      { forwardingId: String(ministry._id), linkId: String(link!._id) },
      { submissionKey: key(), responderName: 'Nguyễn Văn Bộ', responderPosition: 'Vụ trưởng', documentNumber: '88/BGTVT-KCHT', documentDate: '2026-07-09', outcome: 'resolved', expectedDate: null, competentAgency: null, text: 'Bộ đã bố trí vốn nâng cấp quốc lộ 9 trong năm 2026.', matters: [1] },
      [upload.id],
      { at, ip: '127.0.0.1', userAgent: 'test' },
    );
    const petitions = await PetitionModel.find({ _id: trusted({ $in: ministry.items.map((i) => i.refId) }) }).sort({ code: 1 }).lean<Petition[]>();
    expect(petitions.map((p) => p.status)).to.deep.equal(['answered', 'forwarded']);
    expect((await PetitionModel.findById(health.items[0]!.refId).lean<Petition>())!.status).to.equal('forwarded');

    // The office judges that answer satisfactory: that petition is settled; the forwarding stays open for the other.
    const result = await evaluateForwarding(w.officerActor, String(ministry._id), { verdicts: [{ refId: ministry.items[0]!.refId, verdict: 'satisfied', reason: null }], nextStep: null }, testContext('2026-07-12T03:00:00Z'));
    expect(result.status).to.equal('acknowledged');
    const settled = await PetitionModel.findById(ministry.items[0]!.refId).lean<Petition>();
    expect(settled).to.include({ status: 'evaluated', verdict: 'satisfied' });
  });
});
