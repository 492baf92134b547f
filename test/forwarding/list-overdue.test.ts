// The forwardings list marks the ones past their deadline with no answer (a red "Quá hạn" tag and the
// days late) and `?overdue=1` lists only those: not a draft, not one answered, not one still in time,
// and not one whose due date is today.
import { expect } from 'chai';
import { ForwardingModel } from '../../server/forwarding/index.js';
import { seedBaseData } from '../../server/seed.js';
import { buildTestApp, fixedClock, useTestDatabase } from '../support/app.js';
import { createTestUser, type TestUser } from '../support/factories.js';
import { signIn, type Agent } from '../support/http.js';
import { approve, draftOne, makeAgency, openCase } from './office.js';
import { START } from './support.js';

/** The list's table row of one slip (by its number, or by the case number of a draft). */
function rowOf(html: string, text: string): string {
  const rows = html.split('<tr class="govuk-table__row">').slice(1);
  const found = rows.filter((r) => r.includes(text));
  expect(found, `rows with ${text}`).to.have.length(1);
  return found[0]!;
}

const OVERDUE_TAG = /govuk-tag--red[^>]*>\s*Quá hạn\s*</;

describe('forwarding: the list marks overdue forwardings', function () {
  this.timeout(60_000);
  useTestDatabase();

  it('marks only the forwarding past its deadline without an answer, and ?overdue=1 lists only it', async () => {
    const clock = fixedClock(START); // Tuesday 02/03/2027, 10:00 in Vietnam
    const { app } = buildTestApp({ clock });
    await seedBaseData(clock);
    const agencyId = await makeAgency('Sở Y tế thử', 'vanthu@syt.test.gov.vn');
    const officerUser: TestUser = await createTestUser({ role: 'officer', name: 'Lê Văn Chuyên' });
    const leaderUser = await createTestUser({ role: 'leader', name: 'Phạm Thị Duyệt' });
    let officer: Agent = await signIn(app, officerUser);
    let leader = await signIn(app, leaderUser, { nowMs: clock.now().getTime() });

    // Sent today, due Tuesday 23/03/2027 (15 working days): late from Wednesday 24/03.
    const late = await draftOne(officer, await openCase(officer, 'Khiếu nại việc trạm y tế xã thu tiền khám sai quy định'), { agencyIds: agencyId });
    await approve(leader, late);
    // Sent today and answered before the deadline: never late.
    const answered = await draftOne(officer, await openCase(officer, 'Kiến nghị bố trí thêm bác sĩ cho trạm y tế xã'), { agencyIds: agencyId });
    await approve(leader, answered);
    await ForwardingModel.updateOne({ _id: answered }, { $set: { status: 'answered', 'items.0.answered': true, answerCount: 1, firstAnsweredAt: clock.now(), lastAnsweredAt: clock.now() } });
    const deadlines = await ForwardingModel.find({}, { deadline: 1, documentNumber: 1 }).sort({ documentNumber: 1 }).lean();
    expect(deadlines.map((f) => [f.documentNumber, f.deadline?.dueDate])).to.deep.equal([
      ['1/PC-VP', '2027-03-23'],
      ['2/PC-VP', '2027-03-23'],
    ]);

    // Sent on Monday 22/03: still in time on the 26th. A draft never has a deadline.
    clock.set('2027-03-22T03:00:00Z');
    officer = await signIn(app, officerUser);
    leader = await signIn(app, leaderUser, { nowMs: clock.now().getTime() });
    const inTime = await draftOne(officer, await openCase(officer, 'Phản ánh tình trạng thiếu thuốc bảo hiểm y tế'), { agencyIds: agencyId });
    await approve(leader, inTime);
    const draftCase = await openCase(officer, 'Kiến nghị sửa chữa nhà trạm y tế xuống cấp');
    await draftOne(officer, draftCase, { agencyIds: agencyId });
    const draftLabel = (await ForwardingModel.findOne({ status: 'awaiting-approval' }).lean())!.items[0]!.label;

    // The last minute of the due date: nothing is late yet.
    clock.set('2027-03-23T16:59:00Z');
    officer = await signIn(app, officerUser);
    const onDueDate = await officer.get('/forwardings?overdue=1');
    expect(onDueDate.status).to.equal(200);
    expect(onDueDate.text).to.include('Không có phiếu chuyển đơn nào phù hợp.');
    expect(rowOf((await officer.get('/forwardings')).text, '>1/PC-VP<')).to.not.match(OVERDUE_TAG);

    // Friday 26/03, 10:00: the first is three days late (counted from the end of 23/03).
    clock.set('2027-03-26T03:00:00Z');
    officer = await signIn(app, officerUser);
    const all = await officer.get('/forwardings');
    expect(all.status).to.equal(200);
    const lateRow = rowOf(all.text, '>1/PC-VP<');
    expect(lateRow).to.match(OVERDUE_TAG);
    expect(lateRow).to.include('Quá hạn 3 ngày');
    for (const text of ['>2/PC-VP<', '>3/PC-VP<', draftLabel]) {
      const row = rowOf(all.text, text);
      expect(row, text).to.not.match(OVERDUE_TAG);
      expect(row, text).to.not.include('Quá hạn');
    }

    const overdue = await officer.get('/forwardings?overdue=1');
    expect(overdue.status).to.equal(200);
    expect(overdue.text).to.match(/name="overdue" type="checkbox" value="1" checked/);
    expect(rowOf(overdue.text, '>1/PC-VP<')).to.include('Quá hạn 3 ngày');
    for (const text of ['>2/PC-VP<', '>3/PC-VP<', draftLabel]) expect(overdue.text, text).to.not.include(text);
    // The forwarding's own page says it too.
    const detail = await officer.get(`/forwardings/${late}`);
    expect(detail.text).to.match(OVERDUE_TAG);
    expect(detail.text).to.include('Quá hạn 3 ngày');
    expect((await officer.get(`/forwardings/${inTime}`)).text).to.not.match(OVERDUE_TAG);
  });
});
