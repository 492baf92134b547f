// The report on a session's answers against a fixture built by hand: three meetings, six petitions,
// three of them merged, one withdrawn, three forwarded, answered and evaluated through the forwarding
// hooks. Every figure below is counted by hand in the comments.
import { expect } from 'chai';
import { classifyPetition, compileSession, mergePetitions, petitionForwardableProvider, PetitionModel, type Petition } from '../../server/meetings/index.js';
import { withdrawPetition } from '../../server/meetings/petitions.service.js';
import { sessionReport } from '../../server/meetings/report.queries.js';
import { sessionReportPdf } from '../../server/meetings/report-documents.js';
import { emptyCounts, type Counts } from '../../server/meetings/report.rules.js';
import { inTransaction } from '../../server/platform/db/transaction.js';
import { useTestDatabase } from '../support/app.js';
import { extractPdfText } from '../support/pdf.js';
import { renderPdf } from '../../server/platform/pdf/index.js';
import { addPetitions, key, makeMeeting, makeSession, seedMeetingsWorld, testContext, type MeetingsWorld } from './support.js';

const counts = (c: Partial<Counts>): Counts => ({ ...emptyCounts(), ...c });

describe('meetings: the session report', () => {
  useTestDatabase();
  let w: MeetingsWorld;
  let sessionId: string;

  const id = async (content: string) => String((await PetitionModel.findOne({ content }).lean<Petition>())!._id);

  beforeEach(async function () {
    this.timeout(60_000);
    w = await seedMeetingsWorld();
    const ctx = testContext();
    sessionId = await makeSession(w.officerActor);
    const X = w.commune;
    const Y = w.otherCommune;
    // M1: delegate A (Đơn vị 1) in X. M2: delegate B (Đơn vị 2) online with X and Y. M3: both, in Y.
    const m1 = await makeMeeting(w.officerActor, { sessionId, unitCodes: [X], delegateIds: [w.delegateA] });
    const m2 = await makeMeeting(w.officerActor, { sessionId, date: '09/05/2026', format: 'online', unitCodes: [X, Y], delegateIds: [w.delegateB] });
    const m3 = await makeMeeting(w.officerActor, { sessionId, date: '10/05/2026', unitCodes: [Y], delegateIds: [w.delegateA, w.delegateB] });
    await addPetitions(w.officerActor, m1, [
      { content: 'P1 sửa chữa đường liên xã sạt lở', fieldCode: w.field, unitCode: X, voterCount: 3 },
      { content: 'P2 trạm y tế thiếu thuốc', fieldCode: w.otherField, unitCode: X, voterCount: 2 },
      { content: 'P3 hỏi về lịch cắt điện', voterCount: 1 },
    ]);
    await addPetitions(w.officerActor, m2, [
      { content: 'P4 đường liên xã sạt lở cần sửa', fieldCode: w.field, unitCode: Y, voterCount: 5 },
      { content: 'P5 trường học xuống cấp', fieldCode: w.otherField, unitCode: Y, voterCount: 4 },
    ]);
    await addPetitions(w.officerActor, m3, [{ content: 'P6 sửa đường liên xã bị sạt lở', fieldCode: w.field, unitCode: Y, voterCount: 2 }]);

    const road = await mergePetitions(w.officerActor, { submissionKey: key(), ids: [await id('P1 sửa chữa đường liên xã sạt lở'), await id('P4 đường liên xã sạt lở cần sửa'), await id('P6 sửa đường liên xã bị sạt lở')], wordingFrom: null, content: 'C sửa chữa đường liên xã bị sạt lở' }, ctx);
    const p2 = await id('P2 trạm y tế thiếu thuốc');
    const p5 = await id('P5 trường học xuống cấp');
    await classifyPetition(w.officerActor, road.id, { content: 'C sửa chữa đường liên xã bị sạt lở', fieldCode: w.field, unitCode: null, competence: 'central', agencyId: w.agencyA.id }, ctx);
    await classifyPetition(w.officerActor, p2, { content: 'P2 trạm y tế thiếu thuốc', fieldCode: w.otherField, unitCode: X, competence: 'province', agencyId: w.agencyB.id }, ctx);
    await classifyPetition(w.officerActor, p5, { content: 'P5 trường học xuống cấp', fieldCode: w.otherField, unitCode: Y, competence: 'province', agencyId: w.agencyB.id }, ctx);
    await withdrawPetition(w.officerActor, await id('P3 hỏi về lịch cắt điện'), { reason: 'Đã giải đáp tại buổi tiếp xúc' }, ctx);
    await compileSession(w.officerActor, sessionId, ctx);

    const at = new Date('2026-06-20T03:00:00Z');
    const fw = (forwardingId: string, agency: { id: string; name: string }) => ({ by: { id: 'agency-link', name: agency.name }, forwardingId, agencyId: agency.id, agencyName: agency.name, at });
    const answer = { outcome: 'resolved', documentNumber: '125', documentDate: at, text: 'Đã trả lời' };
    await inTransaction(async (s) => {
      await petitionForwardableProvider.onForwarded([road.id], fw('fw-1', w.agencyA), s);
      await petitionForwardableProvider.onForwarded([p2, p5], fw('fw-2', w.agencyB), s);
      await petitionForwardableProvider.onAnswered([road.id], { ...fw('fw-1', w.agencyA), ...answer }, s);
      await petitionForwardableProvider.onAnswered([p2], { ...fw('fw-2', w.agencyB), ...answer }, s);
      await petitionForwardableProvider.onEvaluated([road.id], { ...fw('fw-1', w.agencyA), verdict: 'satisfied', reason: null }, s);
      await petitionForwardableProvider.onEvaluated([p2], { ...fw('fw-2', w.agencyB), verdict: 'unsatisfied', reason: 'Chưa rõ thời gian' }, s);
    });
  });

  it('counts what voters raised, what was merged, and the list as sent', async () => {
    const report = await sessionReport(w.officerActor, sessionId, {}, new Date('2026-07-01T03:00:00Z'));
    const f = report.figures;
    // Six originals, 3+2+1+5+4+2 = 17 voters; P1, P4, P6 merged into one.
    expect({ raised: f.raised, voters: f.raisedVoters, merged: f.merged, consolidated: f.consolidated }).to.deep.equal({ raised: 6, voters: 17, merged: 3, consolidated: 1 });
    // Listed: C (10 voters, satisfied), P2 (2, unsatisfied), P3 (1, withdrawn), P5 (4, forwarded only).
    expect(f.listed).to.deep.equal(counts({ petitions: 4, voters: 17, forwarded: 3, answered: 2, satisfied: 1, unsatisfied: 1, withdrawn: 1 }));
    expect(report.listed.map((r) => r.content.slice(0, 2))).to.have.members(['C ', 'P2', 'P3', 'P5']);
  });

  it('counts by field and by agency over the list as sent', async () => {
    const f = (await sessionReport(w.officerActor, sessionId, {}, new Date('2026-07-01T03:00:00Z'))).figures;
    const byField = Object.fromEntries(f.byField.map((r) => [r.fieldCode ?? 'none', r.counts]));
    expect(byField).to.deep.equal({
      none: counts({ petitions: 1, voters: 1, withdrawn: 1 }),
      [w.field]: counts({ petitions: 1, voters: 10, forwarded: 1, answered: 1, satisfied: 1 }),
      [w.otherField]: counts({ petitions: 2, voters: 6, forwarded: 2, answered: 1, unsatisfied: 1 }),
    });
    const byAgency = Object.fromEntries(f.byAgency.map((r) => [r.agencyName ?? 'none', r.counts]));
    expect(byAgency).to.deep.equal({
      none: counts({ petitions: 1, voters: 1, withdrawn: 1 }),
      [w.agencyA.name]: counts({ petitions: 1, voters: 10, forwarded: 1, answered: 1, satisfied: 1 }),
      [w.agencyB.name]: counts({ petitions: 2, voters: 6, forwarded: 2, answered: 1, unsatisfied: 1 }),
    });
  });

  it('counts per delegate group and per commune what voters raised, in the state of the merged petition', async () => {
    const f = (await sessionReport(w.officerActor, sessionId, {}, new Date('2026-07-01T03:00:00Z'))).figures;
    // Đơn vị 1 was at M1 (P1 ✓, P2 ✗, P3 withdrawn) and M3 (P6 ✓): 4 petitions, 3+2+1+2 = 8 voters.
    // Đơn vị 2 was at M2 (P4 ✓, P5 forwarded) and M3 (P6 ✓): 3 petitions, 5+4+2 = 11 voters.
    expect(Object.fromEntries(f.byGroup.map((r) => [r.group, r.counts]))).to.deep.equal({
      'Đơn vị 1': counts({ petitions: 4, voters: 8, forwarded: 3, answered: 3, satisfied: 2, unsatisfied: 1, withdrawn: 1 }),
      'Đơn vị 2': counts({ petitions: 3, voters: 11, forwarded: 3, answered: 2, satisfied: 2 }),
    });
    // X: P1 ✓ (3), P2 ✗ (2). Y: P4 ✓ (5), P5 forwarded (4), P6 ✓ (2). No commune: P3 (1).
    expect(Object.fromEntries(f.byCommune.map((r) => [r.unitCode ?? 'none', r.counts]))).to.deep.equal({
      [w.commune]: counts({ petitions: 2, voters: 5, forwarded: 2, answered: 2, satisfied: 1, unsatisfied: 1 }),
      [w.otherCommune]: counts({ petitions: 3, voters: 11, forwarded: 3, answered: 2, satisfied: 2 }),
      none: counts({ petitions: 1, voters: 1, withdrawn: 1 }),
    });
  });

  it('lists for one delegate group the petitions its voters raised, with the merged petition’s answer, on screen and on paper', async () => {
    const report = await sessionReport(w.officerActor, sessionId, { group: 'Đơn vị 2' }, new Date('2026-07-01T03:00:00Z'));
    expect(report.focus!.rows.map((r) => r.content.slice(0, 2))).to.have.members(['P4', 'P5', 'P6']);
    const p4 = report.focus!.rows.find((r) => r.content.startsWith('P4'))!;
    expect(p4).to.include({ state: 'satisfied', agencyName: w.agencyA.name });
    expect(p4.answers[0]).to.include({ documentNumber: '125', verdict: 'satisfied' });
    const text = await extractPdfText(await renderPdf(sessionReportPdf(report, { parentBody: 'Đoàn ĐBQH và HĐND tỉnh Quảng Trị', name: 'Văn phòng Đoàn ĐBQH và HĐND tỉnh', place: 'Quảng Trị' }, new Date('2026-07-01T03:00:00Z'))));
    expect(text).to.contain('Tổ đại biểu Đơn vị 2');
    expect(text).to.contain('P4 đường liên xã sạt lở cần sửa');
    expect(text).to.contain('văn bản số 125 ngày 20/06/2026');
    expect(text).to.not.contain('P2 trạm y tế');
  });
});
