// A petition's own actions over HTTP, through its page's forms with CSRF on: classification,
// withdrawal and taking an original back out of a merge. Bad input answers 422 on the petition page
// in Vietnamese with what was typed; ids that name nothing answer 404; a petition already forwarded or
// merged answers 409; a delegate is refused; and a refused request changes nothing.
import { expect } from 'chai';
import mongoose from 'mongoose';
import { AgencyModel } from '../../server/agencies/index.js';
import { mergePetitions, petitionForwardableProvider, PetitionModel, type Petition } from '../../server/meetings/index.js';
import { inTransaction } from '../../server/platform/db/transaction.js';
import { buildTestApp, fixedClock, useTestDatabase } from '../support/app.js';
import { pageToken, signIn, submitForm, type Agent } from '../support/http.js';
import { addPetitions, key, makeMeeting, makeSession, seedMeetingsWorld, testContext, type MeetingsWorld } from './support.js';

const TYPED = 'Cử tri đề nghị <b>sửa</b> cầu treo bản Khe Sanh';
const UNKNOWN_IDS = [new mongoose.Types.ObjectId().toHexString(), 'khong-co', '%24ne', 'aaaaaaaaaaaa'];

interface Snapshot {
  status: string;
  content: string;
  fieldCode: string | null;
  competence: string | null;
  agencyId: string | null;
  mergedInto: string | null;
  events: number;
}

async function snapshot(id: string): Promise<Snapshot> {
  const p = await PetitionModel.findById(id).lean<Petition>();
  const events = await mongoose.connection.collection('meeting_events').countDocuments({ subjectId: new mongoose.Types.ObjectId(id) });
  return { status: p!.status, content: p!.content, fieldCode: p!.fieldCode ?? null, competence: p!.competence ?? null, agencyId: p!.agencyId ? String(p!.agencyId) : null, mergedInto: p!.mergedInto ? String(p!.mergedInto) : null, events };
}

describe('meetings: classifying, withdrawing and detaching petitions over HTTP', function () {
  this.timeout(60_000);
  useTestDatabase();
  let w: MeetingsWorld;
  let app: ReturnType<typeof buildTestApp>['app'];
  let officer: Agent;
  let ids: string[];
  let inactiveAgencyId: string;

  beforeEach(async () => {
    w = await seedMeetingsWorld();
    app = buildTestApp({ clock: fixedClock('2026-05-09T03:00:00Z') }).app;
    officer = await signIn(app, w.officer);
    const sessionId = await makeSession(w.officerActor);
    const meetingId = await makeMeeting(w.officerActor, { sessionId, unitCodes: [w.commune], delegateIds: [w.delegateA] });
    await addPetitions(w.officerActor, meetingId, [
      { content: 'Đề nghị sửa cầu treo bản Khe Sanh bị hư hỏng', fieldCode: w.field, unitCode: w.commune, voterCount: 4 },
      { content: 'Sửa chữa cầu treo Khe Sanh đã xuống cấp', fieldCode: w.field, unitCode: w.commune, voterCount: 2 },
      { content: 'Cầu treo Khe Sanh hư hỏng cần sửa gấp', fieldCode: w.field, unitCode: w.commune, voterCount: 1 },
    ]);
    ids = (await PetitionModel.find({}).sort({ code: 1 }).lean<Petition[]>()).map((p) => String(p._id));
    const [inactive] = await AgencyModel.create([{ name: 'Sở Giao thông cũ (đã sáp nhập)', nameFolded: 'so giao thong cu', level: 'province', fieldCodes: [], unitCodes: [], contacts: [{ email: 'sgtcu@example.gov.vn', name: '', role: 'to' }], source: 'admin', active: false }]);
    inactiveAgencyId = String(inactive!._id);
  });

  const classification = (overrides: Record<string, string> = {}) => ({ content: TYPED, fieldCode: w.field, unitCode: w.commune, competence: 'central', agencyId: w.agencyA.id, ...overrides });

  it('classifies a petition from its page: the wording, competence and agency are saved and shown', async () => {
    const res = await submitForm(officer, `/meetings/petitions/${ids[0]}`, `/meetings/petitions/${ids[0]}/classification`, classification());
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal(`/meetings/petitions/${ids[0]}`);
    const page = await officer.get(res.headers.location!);
    expect(page.text).to.contain('Đã lưu phân loại.').and.contain(w.agencyA.name);
    expect(page.text).to.contain('Cử tri đề nghị &lt;b&gt;sửa&lt;/b&gt; cầu treo bản Khe Sanh');
    const saved = await snapshot(ids[0]!);
    expect(saved).to.deep.include({ status: 'classified', content: TYPED, competence: 'central', agencyId: w.agencyA.id });
  });

  const badClassifications: [string, () => Record<string, string>, string, string][] = [
    ['an agency id that does not exist', () => ({ agencyId: new mongoose.Types.ObjectId().toHexString() }), 'agencyId', 'Chọn cơ quan đang hoạt động trong danh sách'],
    ['the id of something that is not an agency (a user)', () => ({ agencyId: w.officer.id }), 'agencyId', 'Chọn cơ quan đang hoạt động trong danh sách'],
    ['an agency that is no longer active', () => ({ agencyId: inactiveAgencyId }), 'agencyId', 'Chọn cơ quan đang hoạt động trong danh sách'],
    ['a malformed agency id', () => ({ agencyId: 'so-y-te' }), 'agencyId', 'Chọn cơ quan đang hoạt động trong danh sách'],
    ['an operator as the agency', () => ({ agencyId: '{"$ne":null}' }), 'agencyId', 'Chọn cơ quan đang hoạt động trong danh sách'],
    ['bracket syntax instead of the wording', () => ({ content: '', 'content[$ne]': 'x' }), 'content', 'Vui lòng nhập thông tin này'],
    ['a wording of invisible characters only', () => ({ content: ' \u200B\u200D ' }), 'content', 'Vui lòng nhập thông tin này'],
    ['an over-long wording', () => ({ content: `${TYPED} ${'x'.repeat(2100)}` }), 'content', 'Nội dung quá dài'],
    ['an unknown field', () => ({ fieldCode: 'khong-co' }), 'fieldCode', 'Chọn lĩnh vực trong danh sách'],
    ['an unknown commune', () => ({ unitCode: 'khong-co' }), 'unitCode', 'Chọn xã, phường trong danh sách'],
    ['an unknown competence', () => ({ competence: 'galaxy' }), 'competence', 'Chọn thẩm quyền trong danh sách'],
  ];
  for (const [label, change, field, message] of badClassifications) {
    it(`refuses a classification with ${label}: 422 in Vietnamese, what was typed kept, nothing saved`, async () => {
      const before = await snapshot(ids[0]!);
      const fields = classification(change());
      const res = await submitForm(officer, `/meetings/petitions/${ids[0]}`, `/meetings/petitions/${ids[0]}/classification`, fields);
      expect(res.status).to.equal(422);
      expect(res.text).to.contain('Có lỗi cần sửa').and.contain(`href="#${field}"`).and.contain(message);
      if (field !== 'content') expect(res.text).to.contain('Cử tri đề nghị &lt;b&gt;sửa&lt;/b&gt; cầu treo bản Khe Sanh</textarea>');
      if (field !== 'competence') expect(res.text).to.match(/<option value="central" selected>/);
      expect(res.text).to.not.contain('<b>sửa</b>');
      expect(await snapshot(ids[0]!)).to.deep.equal(before);
    });
  }

  it('answers 404 for classifying, withdrawing or detaching a petition that does not exist or a malformed id', async () => {
    const token = await pageToken(officer, `/meetings/petitions/${ids[0]}`);
    for (const id of UNKNOWN_IDS) {
      for (const [action, body] of [
        ['classification', classification()],
        ['withdraw', { reason: 'Đã trả lời tại chỗ' }],
        ['detach', {}],
      ] as const) {
        const res = await officer.post(`/meetings/petitions/${id}/${action}`).type('form').send({ _csrf: token, ...body });
        expect(res.status, `${action} ${id}`).to.equal(404);
        expect(res.text).to.contain('Không tìm thấy kiến nghị');
      }
      expect((await officer.get(`/meetings/petitions/${id}`)).status, id).to.equal(404);
    }
    expect(await mongoose.connection.collection('meeting_events').countDocuments({ action: { $in: ['petition.classified', 'petition.withdrawn', 'petition.detached'] } })).to.equal(0);
  });

  it('refuses to classify or withdraw a petition already forwarded (409), changing nothing', async () => {
    await inTransaction((s) =>
      petitionForwardableProvider.onForwarded([ids[0]!], { by: { id: w.officer.id, name: 'x' }, forwardingId: 'fw-1', agencyId: w.agencyA.id, agencyName: w.agencyA.name, at: new Date('2026-05-09T03:00:00Z') }, s),
    );
    const before = await snapshot(ids[0]!);
    expect(before.status).to.equal('forwarded');
    const page = await officer.get(`/meetings/petitions/${ids[0]}`);
    // The forms are not offered any more…
    expect(page.text).to.not.contain(`action="/meetings/petitions/${ids[0]}/classification"`);
    // …and a form kept open in another tab is refused.
    const token = await pageToken(officer, `/meetings/petitions/${ids[1]}`);
    const classify = await officer.post(`/meetings/petitions/${ids[0]}/classification`).type('form').send({ _csrf: token, ...classification() });
    expect(classify.status).to.equal(409);
    expect(classify.text).to.contain('Kiến nghị đã chuyển hoặc không chuyển nên không sửa được');
    const withdraw = await officer.post(`/meetings/petitions/${ids[0]}/withdraw`).type('form').send({ _csrf: token, reason: 'Nhầm' });
    expect(withdraw.status).to.equal(409);
    expect(await snapshot(ids[0]!)).to.deep.equal(before);
  });

  it('refuses a delegate (403) for each of the three actions, changing nothing', async () => {
    const before = await snapshot(ids[0]!);
    const delegate = await signIn(app, w.delegateUser);
    // The delegate attended the meeting, so the page is theirs to read — but without the forms.
    const page = await delegate.get(`/meetings/petitions/${ids[0]}`);
    expect(page.status).to.equal(200);
    expect(page.text).to.not.contain('/classification"');
    const token = await pageToken(delegate, `/meetings/petitions/${ids[0]}`);
    for (const [action, body] of [
      ['classification', classification()],
      ['withdraw', { reason: 'Đã trả lời tại chỗ' }],
      ['detach', {}],
    ] as const) {
      const res = await delegate.post(`/meetings/petitions/${ids[0]}/${action}`).type('form').send({ _csrf: token, ...body });
      expect(res.status, action).to.equal(403);
    }
    expect(await snapshot(ids[0]!)).to.deep.equal(before);
  });

  it('withdraws a petition with its reason, recorded in its history; a second withdrawal is refused (409)', async () => {
    const res = await submitForm(officer, `/meetings/petitions/${ids[1]}`, `/meetings/petitions/${ids[1]}/withdraw`, { reason: 'Đã được giải đáp tại buổi tiếp xúc' });
    expect(res.status).to.equal(303);
    const page = await officer.get(res.headers.location!);
    expect(page.text).to.contain('Kiến nghị sẽ không được chuyển.');
    const p = await PetitionModel.findById(ids[1]).lean<Petition>();
    expect(p!.status).to.equal('withdrawn');
    const event = await mongoose.connection.collection('meeting_events').findOne({ subjectId: new mongoose.Types.ObjectId(ids[1]), action: 'petition.withdrawn' });
    expect(event?.details).to.deep.equal({ reason: 'Đã được giải đáp tại buổi tiếp xúc' });
    const again = await submitForm(officer, `/meetings/petitions/${ids[2]}`, `/meetings/petitions/${ids[1]}/withdraw`, { reason: 'Lần nữa' });
    expect(again.status).to.equal(409);
  });

  const badReasons: [string, Record<string, string>, string][] = [
    ['no reason', { reason: '' }, 'Vui lòng nhập thông tin này'],
    ['a reason of spaces and zero-width characters', { reason: '  \u200B ' }, 'Vui lòng nhập thông tin này'],
    ['an operator instead of the reason', { 'reason[$ne]': 'x' }, 'Vui lòng nhập thông tin này'],
    ['an over-long reason', { reason: `<script>alert(1)</script>${'y'.repeat(600)}` }, 'Nội dung quá dài'],
  ];
  for (const [label, body, message] of badReasons) {
    it(`refuses a withdrawal with ${label}: 422, the reason kept, nothing saved`, async () => {
      const before = await snapshot(ids[1]!);
      const res = await submitForm(officer, `/meetings/petitions/${ids[1]}`, `/meetings/petitions/${ids[1]}/withdraw`, body);
      expect(res.status).to.equal(422);
      expect(res.text).to.contain('href="#reason"').and.contain(message);
      if (body.reason?.startsWith('<script>')) {
        expect(res.text).to.contain('value="&lt;script&gt;alert(1)&lt;/script&gt;yyy');
        expect(res.text).to.not.contain('<script>alert(1)</script>');
      }
      expect(await snapshot(ids[1]!)).to.deep.equal(before);
    });
  }

  describe('taking an original back out of a merge', () => {
    let consolidatedId: string;
    beforeEach(async () => {
      consolidatedId = (await mergePetitions(w.officerActor, { submissionKey: key(), ids: [ids[0]!, ids[1]!, ids[2]!], wordingFrom: ids[0]!, content: null }, testContext())).id;
    });

    it('detaches one original (the merged petition keeps the others), then dissolves a merge left with one', async () => {
      const first = await submitForm(officer, `/meetings/petitions/${consolidatedId}`, `/meetings/petitions/${ids[0]}/detach`, {});
      expect(first.status).to.equal(303);
      expect(first.headers.location).to.equal(`/meetings/petitions/${ids[0]}`);
      expect((await officer.get(first.headers.location!)).text).to.contain('Đã tách kiến nghị.');
      expect(await snapshot(ids[0]!)).to.deep.include({ status: 'recorded', mergedInto: null });
      const merged = await PetitionModel.findById(consolidatedId).lean<Petition>();
      expect(merged!.originalIds.map(String)).to.have.members([ids[1], ids[2]]);
      expect(merged!.voterCount).to.equal(3);
      const page = await officer.get(`/meetings/petitions/${consolidatedId}`);
      expect(page.text).to.contain('Các kiến nghị gốc (2)');

      const second = await submitForm(officer, `/meetings/petitions/${consolidatedId}`, `/meetings/petitions/${ids[1]}/detach`, {});
      expect(second.status).to.equal(303);
      expect(await snapshot(ids[2]!)).to.deep.include({ status: 'recorded', mergedInto: null });
      expect((await PetitionModel.findById(consolidatedId).lean<Petition>())!.status).to.equal('withdrawn');
    });

    it('refuses to detach a petition that is not in a merge (409), changing nothing', async () => {
      const token = await pageToken(officer, `/meetings/petitions/${consolidatedId}`);
      await submitForm(officer, `/meetings/petitions/${consolidatedId}`, `/meetings/petitions/${ids[0]}/detach`, {});
      const before = await snapshot(ids[0]!);
      for (const id of [ids[0], consolidatedId]) {
        const res = await officer.post(`/meetings/petitions/${id}/detach`).type('form').send({ _csrf: token });
        expect(res.status, id).to.equal(409);
        expect(res.text).to.contain('Kiến nghị này không nằm trong kiến nghị đã gộp');
      }
      expect(await snapshot(ids[0]!)).to.deep.equal(before);
    });

    it('refuses to detach an original once its merged petition was forwarded (409), changing nothing', async () => {
      await inTransaction((s) =>
        petitionForwardableProvider.onForwarded([consolidatedId], { by: { id: w.officer.id, name: 'x' }, forwardingId: 'fw-2', agencyId: w.agencyA.id, agencyName: w.agencyA.name, at: new Date('2026-05-09T03:00:00Z') }, s),
      );
      const page = await officer.get(`/meetings/petitions/${consolidatedId}`);
      expect(page.text).to.not.contain('/detach"');
      const before = await snapshot(ids[0]!);
      const token = await pageToken(officer, `/meetings/petitions/${consolidatedId}`);
      const res = await officer.post(`/meetings/petitions/${ids[0]}/detach`).type('form').send({ _csrf: token });
      expect(res.status).to.equal(409);
      expect(res.text).to.contain('Kiến nghị đã chuyển hoặc không chuyển nên không sửa được');
      expect(await snapshot(ids[0]!)).to.deep.equal(before);
      expect((await PetitionModel.findById(consolidatedId).lean<Petition>())!.originalIds).to.have.length(3);
    });

    it('refuses to classify an original merged into another petition (409)', async () => {
      const before = await snapshot(ids[1]!);
      const token = await pageToken(officer, `/meetings/petitions/${consolidatedId}`);
      const res = await officer.post(`/meetings/petitions/${ids[1]}/classification`).type('form').send({ _csrf: token, ...classification() });
      expect(res.status).to.equal(409);
      expect(res.text).to.contain('Kiến nghị đã được gộp vào kiến nghị khác');
      expect(await snapshot(ids[1]!)).to.deep.equal(before);
    });
  });
});
