// The office's forwarding numbers restart every Vietnam year ("1/PC-VP" again on 1 January): the first
// forwarding of a new year must be sent, not refused as a duplicate of last year's number 1.
import crypto from 'node:crypto';
import { expect } from 'chai';
import type { Actor } from '../../server/access/index.js';
import { AgencyModel } from '../../server/agencies/index.js';
import { openCase } from '../../server/cases/index.js';
import { approveForwarding, configureForwarding, draftForwardings, ForwardingModel } from '../../server/forwarding/index.js';
import mongoose from 'mongoose';
import { fixedClock } from '../../server/platform/clock.js';
import { syncAllIndexes } from '../../server/platform/db/connect.js';
import { inTransaction } from '../../server/platform/db/transaction.js';
import { foldVietnamese } from '../../server/platform/text.js';
import { listActiveCommunes, listActiveFields } from '../../server/reference/index.js';
import { seedBaseData } from '../../server/seed.js';
import { loadActor } from '../../server/users/index.js';
import { testConfig, useTestDatabase } from '../support/app.js';
import { createTestUser } from '../support/factories.js';

async function actor(role: 'officer' | 'leader'): Promise<Actor> {
  return (await loadActor((await createTestUser({ role })).id))!;
}

describe('forwarding: document numbers per year', function () {
  this.timeout(60_000);
  useTestDatabase();

  it('numbers 31/12 as the year’s last and 01/01 as 1 of the new year, both sent', async () => {
    configureForwarding(testConfig());
    const lastDay = new Date('2026-12-31T03:00:00Z'); // 10:00 on 31/12/2026 in Vietnam
    const firstDay = new Date('2026-12-31T17:30:00Z'); // 00:30 on 01/01/2027 in Vietnam
    await seedBaseData(fixedClock(lastDay));
    const [communes, fields] = await Promise.all([listActiveCommunes(), listActiveFields()]);
    const agency = await AgencyModel.create({ name: 'Sở Thử Nghiệm', nameFolded: foldVietnamese('Sở Thử Nghiệm'), level: 'province', contacts: [{ email: 'vanthu@so-thu.test.gov.vn', name: 'Văn thư', role: 'to' }], source: 'admin' });
    const [officer, leader] = [await actor('officer'), await actor('leader')];
    const send = async (at: Date): Promise<string> => {
      const kase = await inTransaction((session) =>
        openCase(officer, { type: 'petition', fieldCode: fields[0]!.code, unitCode: communes[0]!.code, summary: 'Kiến nghị sửa đường liên thôn', receivedAt: at, parties: [], assignedTo: null, followers: [], source: 'visit', submissionKey: null }, { clock: fixedClock(at) }, session),
      );
      const draft = await draftForwardings(
        officer,
        { items: [{ kind: 'case', id: String(kase._id) }], agencyIds: [String(agency._id)], grouping: 'per-matter', request: 'Đề nghị xem xét.', internalNote: '', sharedAttachmentIds: [], ruleKey: 'agency-answer', submissionKey: crypto.randomBytes(16).toString('hex') },
        { clock: fixedClock(at) },
      );
      await approveForwarding(leader, draft.ids[0]!, { note: '' }, { clock: fixedClock(at) });
      return draft.ids[0]!;
    };
    const a = await send(lastDay);
    const b = await send(lastDay);
    const c = await send(firstDay);
    const rows = await ForwardingModel.find({}, { documentNumber: 1, documentYear: 1, documentSeq: 1, status: 1 }).sort({ documentYear: 1, documentSeq: 1 }).lean();
    expect(rows.map((r) => [String(r._id), r.documentYear, r.documentNumber, r.status])).to.deep.equal([
      [a, 2026, '1/PC-VP', 'sent'],
      [b, 2026, '2/PC-VP', 'sent'],
      [c, 2027, '1/PC-VP', 'sent'],
    ]);
  });

  it('on a database made before the change, fills each sent forwarding’s year and drops the old unique number index', async () => {
    const forwardings = mongoose.connection.db!.collection('forwardings');
    await forwardings.createIndex({ documentNumber: 1 }, { unique: true, partialFilterExpression: { documentNumber: { $type: 'string' } } });
    const old = await ForwardingModel.create({ status: 'sent', agencyId: new mongoose.Types.ObjectId(), agencyName: 'Sở cũ', items: [{ kind: 'case', refId: 'x', label: '2026/000001', summary: 'Đơn cũ' }], ruleKey: 'agency-answer', draftedBy: { id: 'u', name: 'Cán bộ' }, documentNumber: '7/PC-VP', documentSeq: 7, documentDate: new Date('2025-12-31T17:30:00Z') });
    await forwardings.updateOne({ _id: old._id }, { $unset: { documentYear: '' } });
    await syncAllIndexes();
    expect(await forwardings.indexExists('documentNumber_1')).to.equal(false);
    expect(await forwardings.indexExists('documentYear_1_documentSeq_1')).to.equal(true);
    // 00:30 on 01/01/2026 in Vietnam: the Vietnam year, not the UTC one.
    expect((await ForwardingModel.findById(old._id).lean())?.documentYear).to.equal(2026);
  });
});
