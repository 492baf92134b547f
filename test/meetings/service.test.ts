// The petition services against the real database: entry, merging (new, into an existing
// consolidated petition, replayed, refused, undone), compiling, what forwarding sees, and the
// forwarding module's hooks changing exactly the right petitions.
import { expect } from 'chai';
import mongoose, { trusted } from 'mongoose';
import { classifyPetition, compileSession, recordPetitions, forwardableGroups, mergePetitions, petitionForwardableProvider, PetitionModel, type Petition } from '../../server/meetings/index.js';
import { detachOriginal } from '../../server/meetings/merge.service.js';
import { withdrawPetition } from '../../server/meetings/petitions.service.js';
import { ConflictError, ValidationError } from '../../server/platform/errors.js';
import { inTransaction } from '../../server/platform/db/transaction.js';
import { useTestDatabase } from '../support/app.js';
import { addPetitions, key, makeMeeting, makeSession, seedMeetingsWorld, testContext, type MeetingsWorld } from './support.js';

const ROAD_A = 'Cử tri đề nghị sửa chữa tuyến đường liên xã bị sạt lở nghiêm trọng';
const ROAD_B = 'Đề nghị sớm sửa chữa đường liên xã sạt lở sau mưa lũ';
const CLINIC = 'Trạm y tế xã thiếu thuốc, người dân phải mua ngoài';

async function byContent(content: string): Promise<Petition> {
  const p = await PetitionModel.findOne({ content, kind: 'original' }).lean<Petition>();
  if (!p) throw new Error(`no petition ${content}`);
  return p;
}

describe('meetings services', () => {
  useTestDatabase();
  let w: MeetingsWorld;
  let sessionId: string;
  let meeting1: string;
  let meeting2: string;

  beforeEach(async () => {
    w = await seedMeetingsWorld();
    sessionId = await makeSession(w.officerActor);
    meeting1 = await makeMeeting(w.officerActor, { sessionId, unitCodes: [w.commune], delegateIds: [w.delegateA] });
    meeting2 = await makeMeeting(w.officerActor, { sessionId, date: '09/05/2026', format: 'online', unitCodes: [w.commune, w.otherCommune], delegateIds: [w.delegateB] });
    await addPetitions(w.officerActor, meeting1, [
      { content: ROAD_A, fieldCode: w.field, unitCode: w.commune, voterCount: 3 },
      { content: CLINIC, fieldCode: w.otherField, unitCode: w.commune, voterCount: 2 },
    ]);
    await addPetitions(w.officerActor, meeting2, [{ content: ROAD_B, fieldCode: w.field, unitCode: w.otherCommune, voterCount: 5 }]);
  });

  it('numbers petitions per year and records each row once when the same form is sent twice', async () => {
    const codes = (await PetitionModel.find({}, { code: 1 }).sort({ code: 1 }).lean<Petition[]>()).map((p) => p.code);
    expect(codes).to.deep.equal(['KN-2026-00001', 'KN-2026-00002', 'KN-2026-00003']);
    const submissionKey = key();
    const input = { submissionKey, rows: [{ row: 1, content: 'Kiến nghị về điện sinh hoạt chập chờn', fieldCode: null, unitCode: null, voterCount: 1, competence: null }] };
    const [a, b] = await Promise.all([recordPetitions(w.officerActor, meeting1, input, testContext()), recordPetitions(w.officerActor, meeting1, input, testContext())]);
    expect(a.count + b.count).to.be.at.least(1);
    expect(await PetitionModel.countDocuments({ meetingId: new mongoose.Types.ObjectId(meeting1) })).to.equal(3);
    expect((await mongoose.connection.collection('voter_meetings').findOne({ _id: new mongoose.Types.ObjectId(meeting1) }))?.petitionCount).to.equal(3);
  });

  it('merges two originals into a new consolidated petition that counts meetings and voters and keeps both wordings', async () => {
    const a = await byContent(ROAD_A);
    const b = await byContent(ROAD_B);
    const result = await mergePetitions(w.officerActor, { submissionKey: key(), ids: [String(a._id), String(b._id)], wordingFrom: String(b._id), content: null }, testContext());
    const merged = await PetitionModel.findById(result.id).lean<Petition>();
    expect(merged).to.include({ kind: 'consolidated', content: ROAD_B, meetingCount: 2, voterCount: 8, status: 'recorded', fieldCode: w.field });
    expect(merged!.unitCodes).to.have.members([w.commune, w.otherCommune]);
    expect(merged!.originalIds.map(String)).to.have.members([String(a._id), String(b._id)]);
    expect(merged!.delegateUserIds.map(String)).to.deep.equal([w.delegateUser.id]);
    for (const original of await PetitionModel.find({ _id: trusted({ $in: [a._id, b._id] }) }).lean<Petition[]>()) {
      expect(original.status).to.equal('merged');
      expect(String(original.mergedInto)).to.equal(result.id);
    }
    expect((await byContent(ROAD_A)).content).to.equal(ROAD_A);
    const events = await mongoose.connection.collection('meeting_events').find({ action: { $in: ['petition.merged', 'petition.consolidated'] } }).toArray();
    expect(events).to.have.length(3);
  });

  it('merges a further original into an existing consolidated petition, and replays a double submission', async () => {
    const a = await byContent(ROAD_A);
    const b = await byContent(ROAD_B);
    const first = await mergePetitions(w.officerActor, { submissionKey: key(), ids: [String(a._id), String(b._id)], wordingFrom: null, content: 'Sửa chữa đường liên xã bị sạt lở' }, testContext());
    await addPetitions(w.officerActor, meeting2, [{ content: 'Kiến nghị sửa chữa đường liên xã bị sạt lở', fieldCode: w.field, voterCount: 4 }]);
    const c = await byContent('Kiến nghị sửa chữa đường liên xã bị sạt lở');
    const submissionKey = key();
    const input = { submissionKey, ids: [String(c._id), first.id], wordingFrom: null, content: null };
    const second = await mergePetitions(w.officerActor, input, testContext());
    expect(second.id).to.equal(first.id);
    const again = await mergePetitions(w.officerActor, input, testContext());
    expect(again).to.include({ id: first.id, replayed: true });
    const merged = await PetitionModel.findById(first.id).lean<Petition>();
    expect(merged).to.include({ meetingCount: 2, voterCount: 12, content: 'Sửa chữa đường liên xã bị sạt lở' });
    expect(await PetitionModel.countDocuments({ kind: 'consolidated' })).to.equal(1);
  });

  it('refuses to merge across sessions, petitions already forwarded, or a single petition, saving nothing', async () => {
    const a = await byContent(ROAD_A);
    const otherSession = await makeSession(w.officerActor, { number: '3', opensOn: '20/10/2026', closesOn: '30/11/2026' });
    const m3 = await makeMeeting(w.officerActor, { sessionId: otherSession, date: '01/10/2026', unitCodes: [w.commune], delegateIds: [w.delegateA] });
    await addPetitions(w.officerActor, m3, [{ content: ROAD_B + ' (kỳ sau)', fieldCode: w.field }]);
    const later = await byContent(ROAD_B + ' (kỳ sau)');
    const attempt = (ids: string[]) => mergePetitions(w.officerActor, { submissionKey: key(), ids, wordingFrom: null, content: null }, testContext());
    const problems: string[] = [];
    for (const ids of [[String(a._id), String(later._id)], [String(a._id), String(a._id)]]) {
      try {
        await attempt(ids);
      } catch (err) {
        expect(err).to.be.instanceOf(ValidationError);
        problems.push((err as ValidationError).fieldErrors.ids!);
      }
    }
    expect(problems).to.deep.equal(['meetings.errors.mergeSessions', 'meetings.errors.mergeTooFew']);
    expect(await PetitionModel.countDocuments({ kind: 'consolidated' })).to.equal(0);
    expect(await PetitionModel.countDocuments({ status: 'merged' })).to.equal(0);
  });

  it('takes an original back out; a consolidated petition left with one original is dissolved', async () => {
    const a = await byContent(ROAD_A);
    const b = await byContent(ROAD_B);
    const merged = await mergePetitions(w.officerActor, { submissionKey: key(), ids: [String(a._id), String(b._id)], wordingFrom: null, content: null }, testContext());
    await detachOriginal(w.officerActor, String(a._id), testContext());
    expect((await byContent(ROAD_A))).to.include({ status: 'recorded', mergedInto: null });
    expect((await byContent(ROAD_B))).to.include({ status: 'recorded', mergedInto: null });
    expect((await PetitionModel.findById(merged.id).lean<Petition>())!.status).to.equal('withdrawn');
    const load = await petitionForwardableProvider.load(w.officerActor, [merged.id], null);
    expect(load[0]!.problem).to.equal('meetings.errors.petitionWithdrawn');
  });

  it('compiles classified petitions only, and groups them by agency for the bulk forwarding', async () => {
    const a = await byContent(ROAD_A);
    const b = await byContent(ROAD_B);
    const clinic = await byContent(CLINIC);
    const merged = await mergePetitions(w.officerActor, { submissionKey: key(), ids: [String(a._id), String(b._id)], wordingFrom: null, content: null }, testContext());
    await classifyPetition(w.officerActor, merged.id, { content: ROAD_A, fieldCode: w.field, unitCode: null, competence: 'central', agencyId: w.agencyA.id }, testContext());
    await classifyPetition(w.officerActor, String(clinic._id), { content: CLINIC, fieldCode: w.otherField, unitCode: w.commune, competence: 'province', agencyId: w.agencyB.id }, testContext());
    await addPetitions(w.officerActor, meeting1, [{ content: 'Kiến nghị chưa phân loại về nước sạch' }]);
    const result = await compileSession(w.officerActor, sessionId, testContext());
    expect(result).to.deep.equal({ compiled: 2, unclassified: 1 });
    const groups = await forwardableGroups(w.officerActor, sessionId);
    expect(groups).to.deep.equal([
      { agencyId: w.agencyA.id, agencyName: w.agencyA.name, petitionIds: [merged.id] },
      { agencyId: w.agencyB.id, agencyName: w.agencyB.name, petitionIds: [String(clinic._id)] },
    ]);
  });

  it('loads petitions for forwarding with a stable label, a summary, and a problem for merged-away and withdrawn ones', async () => {
    const a = await byContent(ROAD_A);
    const b = await byContent(ROAD_B);
    const clinic = await byContent(CLINIC);
    const merged = await mergePetitions(w.officerActor, { submissionKey: key(), ids: [String(a._id), String(b._id)], wordingFrom: String(a._id), content: null }, testContext());
    await withdrawPetition(w.officerActor, String(clinic._id), { reason: 'Đã giải đáp tại buổi tiếp xúc' }, testContext());
    const unknown = new mongoose.Types.ObjectId().toHexString();
    const matters = await petitionForwardableProvider.load(w.officerActor, [merged.id, unknown, String(a._id), String(clinic._id), 'not-an-id'], null);
    expect(matters.map((m) => [m.id, m.problem])).to.deep.equal([
      [merged.id, null],
      [String(a._id), 'meetings.errors.petitionMerged'],
      [String(clinic._id), 'meetings.errors.petitionWithdrawn'],
    ]);
    const [first] = matters;
    expect(first).to.include({ kind: 'petition', label: merged.code, fieldCode: w.field, caseId: null });
    expect(first!.summary).to.contain(ROAD_A).and.contain('2 cuộc tiếp xúc cử tri, 8 lượt cử tri');
    expect(first!.unitCodes).to.have.members([w.commune, w.otherCommune]);
  });

  it('feeds forwarding, answer and evaluation back to exactly the petitions of each forwarding', async () => {
    const a = await byContent(ROAD_A);
    const b = await byContent(ROAD_B);
    const clinic = await byContent(CLINIC);
    const merged = await mergePetitions(w.officerActor, { submissionKey: key(), ids: [String(a._id), String(b._id)], wordingFrom: null, content: null }, testContext());
    const at = new Date('2026-06-20T03:00:00Z');
    const by = { id: w.officerActor.id, name: w.officerActor.name };
    const toMinistry = { by, forwardingId: 'fw-1', agencyId: w.agencyA.id, agencyName: w.agencyA.name, at };
    const toHealth = { by, forwardingId: 'fw-2', agencyId: w.agencyB.id, agencyName: w.agencyB.name, at };
    await inTransaction(async (session) => {
      await petitionForwardableProvider.onForwarded([merged.id], toMinistry, session);
      await petitionForwardableProvider.onForwarded([String(clinic._id)], toHealth, session);
    });
    // A hook called twice for the same forwarding changes nothing more.
    await inTransaction((session) => petitionForwardableProvider.onForwarded([merged.id], toMinistry, session));
    let consolidated = (await PetitionModel.findById(merged.id).lean<Petition>())!;
    expect(consolidated.status).to.equal('forwarded');
    expect(consolidated.forwardings).to.have.length(1);

    const answer = { ...toMinistry, at: new Date('2026-07-10T03:00:00Z'), outcome: 'accepted', documentNumber: '123/BGTVT-KCHT', documentDate: new Date('2026-07-09T00:00:00Z'), text: 'Bộ đã bố trí vốn sửa chữa trong năm 2026.' };
    await inTransaction((session) => petitionForwardableProvider.onAnswered([merged.id], answer, session));
    consolidated = (await PetitionModel.findById(merged.id).lean<Petition>())!;
    expect(consolidated.status).to.equal('answered');
    expect(consolidated.forwardings[0]).to.include({ answerDocumentNumber: '123/BGTVT-KCHT', answerText: answer.text });
    expect((await PetitionModel.findById(clinic._id).lean<Petition>())!.status).to.equal('forwarded');

    // An answer to another forwarding does not touch this petition.
    await inTransaction((session) => petitionForwardableProvider.onAnswered([merged.id], { ...answer, forwardingId: 'fw-other' }, session));
    expect((await PetitionModel.findById(merged.id).lean<Petition>())!.forwardings).to.have.length(1);

    await inTransaction((session) => petitionForwardableProvider.onEvaluated([merged.id], { ...toMinistry, at: new Date('2026-07-15T03:00:00Z'), verdict: 'unsatisfied', reason: 'Chưa nêu thời gian hoàn thành' }, session));
    consolidated = (await PetitionModel.findById(merged.id).lean<Petition>())!;
    expect(consolidated).to.include({ status: 'evaluated', verdict: 'unsatisfied' });
    expect(consolidated.forwardings[0]).to.include({ verdict: 'unsatisfied', verdictReason: 'Chưa nêu thời gian hoàn thành' });
    // The originals keep their own status; reports read the consolidated petition's.
    expect((await byContent(ROAD_A)).status).to.equal('merged');
    const events = await mongoose.connection.collection('meeting_events').countDocuments({ subjectId: new mongoose.Types.ObjectId(merged.id), action: { $in: ['petition.forwarded', 'petition.answered', 'petition.evaluated'] } });
    expect(events).to.equal(3);
  });

  it('refuses to classify or merge a petition once forwarded', async () => {
    const clinic = await byContent(CLINIC);
    const a = await byContent(ROAD_A);
    await inTransaction((session) => petitionForwardableProvider.onForwarded([String(clinic._id)], { by: { id: w.officerActor.id, name: 'x' }, forwardingId: 'fw-9', agencyId: w.agencyB.id, agencyName: w.agencyB.name, at: new Date() }, session));
    let refused: unknown = null;
    try {
      await classifyPetition(w.officerActor, String(clinic._id), { content: CLINIC, fieldCode: null, unitCode: null, competence: 'province', agencyId: null }, testContext());
    } catch (err) {
      refused = err;
    }
    expect(refused).to.be.instanceOf(ConflictError);
    let mergeRefused: unknown = null;
    try {
      await mergePetitions(w.officerActor, { submissionKey: key(), ids: [String(a._id), String(clinic._id)], wordingFrom: null, content: null }, testContext());
    } catch (err) {
      mergeRefused = err;
    }
    expect((mergeRefused as ValidationError).fieldErrors).to.deep.equal({ ids: 'meetings.errors.mergeNotEditable' });
  });
});
