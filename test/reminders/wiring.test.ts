// The citizen's notices are wired into the changes they report: a walk-in with the citizen's email
// queues the receipt notice in the intake's own transaction, sending the forwarding queues the
// forwarding notice; a denunciation whose filer declined queues neither, and one whose filer was not
// asked is not saved at all.
import { expect } from 'chai';
import { trusted } from 'mongoose';
import { AgencyModel } from '../../server/agencies/index.js';
import { ForwardingModel } from '../../server/forwarding/index.js';
import { OutboxMessageModel } from '../../server/notifications/index.js';
import { foldVietnamese } from '../../server/platform/text.js';
import { listActiveCommunes, listActiveFields } from '../../server/reference/index.js';
import { seedBaseData } from '../../server/seed.js';
import { buildTestApp, fixedClock, useTestDatabase } from '../support/app.js';
import { createTestUser } from '../support/factories.js';
import { csrfFrom, signIn } from '../support/http.js';
import { postWalkIn, walkInFields } from '../support/intake.js';

const clock = fixedClock(new Date('2027-03-02T03:00:00Z'));

describe('citizen notices: wired into intake and forwarding', function () {
  this.timeout(60_000);
  useTestDatabase();

  it('a walk-in with an email gets the receipt, then the forwarding notice; a denunciation whose filer declined gets none', async () => {
    const app = buildTestApp({ clock, config: { FORWARDING_APPROVAL: 'none' } }).app;
    await seedBaseData(clock);
    const agency = await AgencyModel.create({ name: 'Sở Thử Thông Báo', nameFolded: foldVietnamese('Sở Thử Thông Báo'), level: 'province', contacts: [{ email: 'vt@so.test.gov.vn', name: '', role: 'to' }], source: 'admin' });
    const officer = await signIn(app, await createTestUser({ role: 'officer' }));
    const [communes, fields] = await Promise.all([listActiveCommunes(), listActiveFields()]);
    const common = { date: '01/03/2027', unitCode: communes[0]!.code, fieldCode: fields[0]!.code, caseChoice: 'new', citizenId: '' };

    const complaint = await postWalkIn(officer, walkInFields({ ...common, name: 'Võ Thị Có Thư', email: 'cothu@example.vn', content: 'Khiếu nại việc chậm cấp giấy chứng nhận quyền sử dụng đất' }));
    expect(complaint.status).to.equal(303);
    const caseId = /\/cases\/([a-f0-9]{24})/.exec(complaint.headers.location ?? '')![1]!;
    const receipt = await OutboxMessageModel.findOne({ key: `citizen:${caseId}:received:` }).lean();
    expect(receipt, 'receipt notice').to.not.equal(null);
    expect(receipt!.to.map((m) => m.email)).to.deep.equal(['cothu@example.vn']);

    const denouncer = { ...common, type: 'denunciation', name: 'Đặng Văn Tố Giác', email: 'togiac@example.vn', content: 'Tố cáo cán bộ xã nhận tiền của người dân khi làm thủ tục' };
    const unasked = await postWalkIn(officer, walkInFields(denouncer));
    expect(unasked.status, 'a denouncer with an email must be asked').to.equal(422);
    expect(unasked.text).to.include('hãy hỏi và ghi rõ người tố cáo có đồng ý nhận thông báo qua email hay không');
    const denunciation = await postWalkIn(officer, walkInFields({ ...denouncer, notices: 'no' }));
    expect(denunciation.status).to.equal(303);
    expect(await OutboxMessageModel.countDocuments({ recipients: 'togiac@example.vn' })).to.equal(0);

    const form = await officer.get(`/forwardings/new?case=${caseId}`);
    const key = /name="submissionKey" value="([^"]+)"/.exec(form.text)![1]!;
    const sent = await officer.post('/forwardings').type('form').send({ _csrf: csrfFrom(form.text), submissionKey: key, caseIds: caseId, agencyIds: String(agency._id) });
    expect(sent.status).to.equal(303);
    const forwarding = await ForwardingModel.findOne().lean();
    expect(forwarding!.status).to.equal('sent');
    const notices = await OutboxMessageModel.find({ key: trusted({ $regex: `^citizen:${caseId}:` }) }).lean();
    expect(notices.map((n) => n.key).sort()).to.deep.equal([`citizen:${caseId}:forwarded:${String(forwarding!._id)}`, `citizen:${caseId}:received:`].sort());
  });
});
