// A round's scope by agency: agencies chosen when the round is planned and added later (unknown,
// inactive or malformed ones refused, the same one twice kept once, nothing after the conclusion);
// the rounds list filtered by agency (with the status, for a delegate, across keyset pages) and the
// pick list filtered by agency.
import { expect } from 'chai';
import mongoose from 'mongoose';
import { AgencyModel } from '../../server/agencies/index.js';
import { DelegateModel } from '../../server/reference/index.js';
import { foldVietnamese } from '../../server/platform/text.js';
import { SupervisionRoundModel } from '../../server/supervision/index.js';
import { useTestDatabase } from '../support/app.js';
import { csrfFrom } from '../support/http.js';
import { createUserAgent, planRound, post, supervisionWorld, type SupervisionWorld } from './support.js';

async function makeAgency(name: string, active = true): Promise<string> {
  const agency = await AgencyModel.create({ name, nameFolded: foldVietnamese(name), level: 'province', contacts: [{ email: `vanthu-${foldVietnamese(name).replace(/\W+/g, '')}@test.gov.vn`, name: 'Văn thư', role: 'to' }], source: 'admin', active });
  return String(agency._id);
}

/** The ids of the rounds a list page links to, in the order shown. */
function roundLinks(html: string): string[] {
  return [...html.matchAll(/<a class="govuk-link" href="\/supervision\/([a-f0-9]{24})">/g)].map((m) => m[1]!);
}

describe('supervision: scope by agency and the list filtered by agency', function () {
  this.timeout(90_000);
  useTestDatabase();
  let w: SupervisionWorld;
  let B: string;
  let C: string;

  beforeEach(async () => {
    w = await supervisionWorld();
    B = await makeAgency('Sở Xây dựng (thử)');
    C = await makeAgency('UBND xã Thử Nghiệm');
  });

  it('plans rounds over agencies and lists each under the agencies in its scope, with the other filters', async () => {
    const A = w.sent.agencyId;
    const r1 = await planRound(w.officer, { staffIds: w.sent.officer.id, agencyIds: [A, B], title: 'Giám sát hai sở' });
    const r2 = await planRound(w.officer, { staffIds: w.sent.officer.id, agencyIds: C, title: 'Giám sát UBND xã' });
    const r3 = await planRound(w.officer, { staffIds: w.sent.officer.id, title: 'Giám sát chưa chọn cơ quan' });
    const saved = await SupervisionRoundModel.findById(r1).lean();
    expect(saved!.agencies.map((a) => [String(a.agencyId), a.name])).to.deep.equal([
      [A, w.sent.agencyName],
      [B, 'Sở Xây dựng (thử)'],
    ]);
    const detail = await w.officer.get(`/supervision/${r1}`);
    expect(detail.text).to.contain(`${w.sent.agencyName}; Sở Xây dựng (thử)`);

    const all = await w.officer.get('/supervision');
    expect(roundLinks(all.text)).to.deep.equal([r3, r2, r1]);
    expect(all.text).to.contain('0 vụ việc, 2 cơ quan');
    expect(roundLinks((await w.officer.get(`/supervision?agency=${A}`)).text)).to.deep.equal([r1]);
    expect(roundLinks((await w.officer.get(`/supervision?agency=${B}`)).text)).to.deep.equal([r1]);
    expect(roundLinks((await w.officer.get(`/supervision?agency=${C}`)).text)).to.deep.equal([r2]);
    const none = await w.officer.get(`/supervision?agency=${new mongoose.Types.ObjectId().toHexString()}`);
    expect(roundLinks(none.text)).to.deep.equal([]);
    expect(none.text).to.contain('Không có đợt giám sát nào phù hợp.');
    // The chosen agency stays selected in the filter.
    expect((await w.officer.get(`/supervision?agency=${B}`)).text).to.match(new RegExp(`<option value="${B}" selected`));

    // Filters that cannot be read are ignored, never an error or an operator reaching the database.
    for (const odd of ['agency=nonsense', 'agency[$ne]=x', 'agency=%24ne', `agency=${A}&agency=${B}`, 'status[$ne]=planned', 'mine[$gt]=']) {
      const res = await w.officer.get(`/supervision?${odd}`);
      expect(res.status, odd).to.equal(200);
      expect(roundLinks(res.text), odd).to.deep.equal([r3, r2, r1]);
    }

    // Agency and status together.
    expect((await post(w.officer, `/supervision/${r1}`, `/supervision/${r1}/start`, {})).status).to.equal(303);
    expect(roundLinks((await w.officer.get(`/supervision?agency=${A}&status=planned`)).text)).to.deep.equal([]);
    expect(roundLinks((await w.officer.get(`/supervision?agency=${A}&status=in-progress`)).text)).to.deep.equal([r1]);

    // A delegate's list is their own rounds only, whatever the agency filter says.
    const member = await createUserAgent(w.app, 'delegate', 'Hồ Văn Đại Biểu');
    const [record] = await DelegateModel.create([{ userId: new mongoose.Types.ObjectId(member.user.id), name: 'Hồ Văn Đại Biểu', nameFolded: 'ho van dai bieu', body: 'hdnd-tinh', term: 'IX' }]);
    const r4 = await planRound(w.officer, { delegateIds: String(record!._id), agencyIds: C, title: 'Giám sát có đại biểu' });
    expect(roundLinks((await member.agent.get(`/supervision?agency=${C}`)).text)).to.deep.equal([r4]);
    expect(roundLinks((await member.agent.get(`/supervision?agency=${A}`)).text)).to.deep.equal([]);
    expect(roundLinks((await w.officer.get(`/supervision?agency=${C}`)).text)).to.deep.equal([r4, r2]);
  });

  it('adds agencies to the scope: refuses unknown, inactive and malformed ones with the page in Vietnamese; keeps one of each; stops at the conclusion', async () => {
    const A = w.sent.agencyId;
    const id = await planRound(w.officer, { staffIds: w.sent.officer.id, agencyIds: A });
    const scope = async () => (await SupervisionRoundModel.findById(id).lean())!.agencies.map((a) => String(a.agencyId));

    expect((await post(w.officer, `/supervision/${id}`, `/supervision/${id}/agencies`, { agencyId: B })).status).to.equal(303);
    expect(await scope()).to.deep.equal([A, B]);
    expect((await post(w.officer, `/supervision/${id}`, `/supervision/${id}/agencies`, { agencyId: B })).status).to.equal(303);
    expect(await scope()).to.deep.equal([A, B]);

    // A double click adds it once.
    const page = await w.officer.get(`/supervision/${id}`);
    const twice = await Promise.all([0, 1].map(() => w.officer.post(`/supervision/${id}/agencies`).type('form').send({ _csrf: csrfFrom(page.text), agencyId: C })));
    expect(twice.map((r) => r.status)).to.deep.equal([303, 303]);
    expect(await scope()).to.deep.equal([A, B, C]);
    expect(roundLinks((await w.officer.get(`/supervision?agency=${C}`)).text)).to.deep.equal([id]);

    const inactive = await makeAgency('Sở đã giải thể', false);
    const refusals: [Record<string, string>, string][] = [
      [{ agencyId: new mongoose.Types.ObjectId().toHexString() }, 'Cơ quan được chọn không tồn tại hoặc đã ngừng hoạt động.'],
      [{ agencyId: inactive }, 'Cơ quan được chọn không tồn tại hoặc đã ngừng hoạt động.'],
      [{ agencyId: 'không-phải-mã' }, 'Cơ quan được chọn không tồn tại hoặc đã ngừng hoạt động.'],
      // Bracket syntax is not nesting here: the field is simply missing.
      [{ 'agencyId[$ne]': '' }, 'Vui lòng nhập thông tin này'],
      [{}, 'Vui lòng nhập thông tin này'],
    ];
    for (const [fields, message] of refusals) {
      const res = await post(w.officer, `/supervision/${id}`, `/supervision/${id}/agencies`, fields);
      expect(res.status, JSON.stringify(fields)).to.equal(422);
      expect(res.text, JSON.stringify(fields)).to.contain(message);
      expect(res.text).to.contain('Có lỗi cần sửa');
      expect(res.text).to.contain('href="#agencyId"');
      expect(res.text).to.contain('id="agencyId-error"'); // the message at the select itself
    }
    expect(await scope()).to.deep.equal([A, B, C]);

    // Planning with an inactive agency saves nothing and keeps the ticks.
    const form = await w.officer.get('/supervision/new');
    expect(form.text).to.not.contain(inactive); // not offered
    const submissionKey = /name="submissionKey" value="([a-f0-9]{32})"/.exec(form.text)![1]!;
    const bad = await w.officer.post('/supervision').type('form').send({ _csrf: csrfFrom(form.text), submissionKey, title: 'Giám sát', basis: 'QĐ 1', startsOn: '01/04/2027', endsOn: '30/04/2027', staffIds: w.sent.officer.id, agencyIds: [B, inactive] });
    expect(bad.status).to.equal(422);
    expect(bad.text).to.contain('Cơ quan được chọn không tồn tại hoặc đã ngừng hoạt động.');
    expect(bad.text).to.match(new RegExp(`value="${B}" checked`));
    expect(await SupervisionRoundModel.countDocuments()).to.equal(1);

    // Concluded: the scope no longer changes.
    expect((await post(w.officer, `/supervision/${id}`, `/supervision/${id}/start`, {})).status).to.equal(303);
    expect((await post(w.leader, `/supervision/${id}`, `/supervision/${id}/conclude`, { conclusionOn: '05/04/2027', conclusion: 'Kết luận.' })).status).to.equal(303);
    const late = await post(w.officer, `/supervision/${id}`, `/supervision/${id}/agencies`, { agencyId: await makeAgency('Sở Y tế (thử)') });
    expect(late.status).to.equal(409);
    expect(late.text).to.contain('Đợt giám sát đã kết luận; không thể thay đổi.');
    expect(await scope()).to.deep.equal([A, B, C]);
  });

  it('filters the pick list by the agency the cases were forwarded to', async () => {
    const id = await planRound(w.officer, { staffIds: w.sent.officer.id });
    const mine = await w.officer.get(`/supervision/${id}/cases?agency=${w.sent.agencyId}`);
    expect(mine.text).to.contain(`value="${w.sent.caseId}"`);
    expect(mine.text).to.match(new RegExp(`<option value="${w.sent.agencyId}" selected`));
    const other = await w.officer.get(`/supervision/${id}/cases?agency=${B}`);
    expect(other.text).to.not.contain(`value="${w.sent.caseId}"`);
    expect(other.text).to.contain('Không có vụ việc nào phù hợp.');
    for (const odd of ['agency[$ne]=x', 'agency=nonsense', 'reason[$in]=overdue', 'reason=khác']) {
      const res = await w.officer.get(`/supervision/${id}/cases?${odd}`);
      expect(res.status, odd).to.equal(200);
      expect(res.text, odd).to.contain(`value="${w.sent.caseId}"`);
    }
  });

  it('pages the list by key when filtered by agency: every round once, newest first, ties by id', async () => {
    const A = new mongoose.Types.ObjectId(w.sent.agencyId);
    const other = new mongoose.Types.ObjectId(B);
    const base = new Date('2027-04-01T03:00:00Z').getTime();
    // 33 rounds under agency A, several created at the same instant, and 5 under another agency.
    const docs = Array.from({ length: 38 }, (_, i) => ({
      title: `Đợt ${String(i + 1).padStart(2, '0')}`,
      basis: 'Kế hoạch số 1/KH',
      startsOn: '2027-04-01',
      endsOn: '2027-04-30',
      status: 'planned',
      members: [],
      memberUserIds: [],
      agencies: [{ agencyId: i < 33 ? A : other, name: 'x' }],
      cases: [],
      conclusion: null,
      startedAt: null,
      createdBy: { id: w.sent.officer.id, name: 'Lê Văn Chuyên Viên' },
      submissionKey: `k${i}`,
      createdAt: new Date(base + Math.floor(i / 4) * 60_000),
      updatedAt: new Date(base),
    }));
    await SupervisionRoundModel.collection.insertMany(docs);
    const expected = (await SupervisionRoundModel.find({ 'agencies.agencyId': A }, { _id: 1 }).sort({ createdAt: -1, _id: -1 }).lean()).map((r) => String(r._id));
    expect(expected).to.have.length(33);

    const first = await w.officer.get(`/supervision?agency=${String(A)}`);
    const page1 = roundLinks(first.text);
    expect(page1).to.have.length(30);
    const next = /href="(\/supervision\?status=&agency=[a-f0-9]{24}&mine=&after=\d{13}_[a-f0-9]{24})"/.exec(first.text);
    expect(next, 'a link to the next page that keeps the agency').to.not.equal(null);
    const second = await w.officer.get(next![1]!);
    const page2 = roundLinks(second.text);
    expect(page2).to.have.length(3);
    expect(second.text).to.not.contain('Trang sau');
    expect([...page1, ...page2]).to.deep.equal(expected);
  });
});
