// Sessions, meetings and petitions through the real app, signed in through the real forms with CSRF
// on: the happy paths, double submissions, every kind of bad input (422, values kept, nothing saved),
// the exports, and what a delegate may see.
import ExcelJS from 'exceljs';
import { expect } from 'chai';
import mongoose from 'mongoose';
import { AssemblySessionModel, classifyPetition, compileSession, MeetingModel, PetitionModel, type Petition } from '../../server/meetings/index.js';
import type { AssemblySession } from '../../server/meetings/session.model.js';
import type { Meeting } from '../../server/meetings/meeting.model.js';
import { buildTestApp, fixedClock, useTestDatabase } from '../support/app.js';
import { pageToken, signIn, submitForm, type Agent } from '../support/http.js';
import { extractPdfText, openPdf } from '../support/pdf.js';
import { addPetitions, key, makeMeeting, makeSession, seedMeetingsWorld, testContext, type MeetingsWorld } from './support.js';

const db = () => mongoose.connection.collection.bind(mongoose.connection);

function meetingFields(w: MeetingsWorld, sessionId: string, overrides: Record<string, string | string[]> = {}): Record<string, string | string[]> {
  return {
    submissionKey: key(),
    level: 'quoc-hoi',
    timing: 'before',
    sessionId,
    topic: '',
    date: '08/05/2026',
    time: '14:00',
    format: 'online',
    place: 'Hội trường UBND tỉnh (điểm cầu chính)',
    unitCodes: [w.commune, w.otherCommune],
    delegateIds: [w.delegateA, w.delegateB],
    coOrganiser: 'Ủy ban MTTQ Việt Nam tỉnh',
    voterCount: '',
    pressNoticeOn: '',
    ...overrides,
  };
}

function bodyOf(fields: Record<string, string | string[]>, token: string): string {
  const params = new URLSearchParams({ _csrf: token });
  for (const [k, v] of Object.entries(fields)) for (const item of Array.isArray(v) ? v : [v]) params.append(k, item);
  return params.toString();
}

describe('meetings over HTTP', () => {
  useTestDatabase();
  let w: MeetingsWorld;
  let app: ReturnType<typeof buildTestApp>['app'];
  let officer: Agent;
  let sessionId: string;

  beforeEach(async function () {
    this.timeout(60_000);
    w = await seedMeetingsWorld();
    // 30 April 2026: a meeting on 8 May is already past its press-notice deadline (28 April).
    app = buildTestApp({ clock: fixedClock('2026-04-30T03:00:00Z') }).app;
    officer = await signIn(app, w.officer);
    sessionId = await makeSession(w.officerActor);
  });

  async function postMeeting(fields: Record<string, string | string[]>) {
    const token = await pageToken(officer, '/meetings/new');
    return officer.post('/meetings').type('form').send(bodyOf(fields, token));
  }

  it('records a session through its form once, however often it is sent, with its compile deadlines', async () => {
    const token = await pageToken(officer, '/meetings/sessions/new');
    const fields = { _csrf: token, submissionKey: key(), body: 'quoc-hoi', term: 'XVI', number: '3', opensOn: '20/10/2026', closesOn: '30/11/2026' };
    const [a, b] = await Promise.all([officer.post('/meetings/sessions').type('form').send(fields), officer.post('/meetings/sessions').type('form').send(fields)]);
    expect([a.status, b.status]).to.deep.equal([303, 303]);
    expect(a.headers.location).to.equal(b.headers.location);
    expect(await db()('assembly_sessions').countDocuments()).to.equal(2);
    const page = await officer.get(a.headers.location!);
    expect(page.text).to.contain('Kỳ họp thứ 3, Quốc hội khóa XVI');
    // 20/10 − 15 days = 05/10 (Monday); 30/11 + 15 days = 15/12 (Tuesday).
    expect(page.text).to.contain('05/10/2026').and.contain('15/12/2026');
  });

  const badSessions: [string, Record<string, string>, string, string][] = [
    ['a closing day before the opening', { closesOn: '01/05/2026' }, 'closesOn', 'Ngày bế mạc phải sau ngày khai mạc'],
    ['an impossible date', { opensOn: '31/02/2026' }, 'opensOn', 'Nhập ngày đúng dạng'],
    ['no session number', { number: '' }, 'number', 'Nhập số kỳ họp'],
    ['an unknown body', { body: 'senate' }, 'body', 'Chọn Quốc hội hoặc HĐND tỉnh'],
    ['a session that exists already', { number: '2', term: 'XVI' }, 'number', 'Kỳ họp này đã có'],
    ['an operator instead of a term', { 'term[$ne]': 'x', term: '' }, 'term', 'Vui lòng nhập thông tin này'],
  ];
  for (const [label, change, field, message] of badSessions) {
    it(`refuses a session with ${label}: 422, values kept, nothing saved`, async () => {
      const res = await submitForm(officer, '/meetings/sessions/new', '/meetings/sessions', { submissionKey: key(), body: 'quoc-hoi', term: '<b>XVI</b>', number: '7', opensOn: '20/10/2026', closesOn: '30/11/2026', ...change });
      expect(res.status).to.equal(422);
      expect(res.text).to.contain(`href="#${field}"`).and.contain(message);
      if (!('term' in change)) expect(res.text).to.contain('value="&lt;b&gt;XVI&lt;/b&gt;"');
      else expect(res.text).to.contain('value="20/10/2026"');
      expect(await db()('assembly_sessions').countDocuments()).to.equal(1);
    });
  }

  it('records an online meeting with its connected sites and warns that the press notice is late', async () => {
    const res = await postMeeting(meetingFields(w, sessionId));
    expect(res.status, res.text.slice(0, 500)).to.equal(303);
    const page = await officer.get(res.headers.location!);
    expect(page.text).to.contain('Đã lưu cuộc tiếp xúc cử tri.');
    // 7 working days before Friday 08/05/2026 (30/04 and 01/05 are holidays in the seeded calendar or not): a date in April.
    expect(page.text).to.match(/Đã quá hạn đăng thông báo tiếp xúc cử tri \(\d\d\/04\/2026\)/);
    expect(page.text).to.contain('2 điểm cầu').and.contain('Trần Thị Bảy (Đơn vị 2)');
    const meeting = await MeetingModel.findOne({}).lean<Meeting>();
    expect(meeting?.pressNotice.rule).to.equal('voter-meeting-press-notice');
    expect(meeting?.delegateUserIds.map(String)).to.deep.equal([w.delegateUser.id]);
  });

  it('records one meeting when the same form is sent twice at once', async () => {
    const token = await pageToken(officer, '/meetings/new');
    const body = bodyOf(meetingFields(w, sessionId), token);
    const [a, b] = await Promise.all([officer.post('/meetings').type('form').send(body), officer.post('/meetings').type('form').send(body)]);
    expect([a.status, b.status]).to.deep.equal([303, 303]);
    expect(a.headers.location).to.equal(b.headers.location);
    expect(await db()('voter_meetings').countDocuments()).to.equal(1);
  });

  const badMeetings: [string, Record<string, string | string[]>, string, string][] = [
    ['no place', { place: ' \u200B ' }, 'place', 'Vui lòng nhập thông tin này'],
    ['no connected site', { unitCodes: [] }, 'unitCodes', 'Chọn các xã, phường là điểm cầu'],
    ['an unknown commune', { unitCodes: ['khong-co'] }, 'unitCodes', 'Chọn xã, phường trong danh sách'],
    ['no delegate', { delegateIds: [] }, 'delegateIds', 'Chọn ít nhất một đại biểu tham dự'],
    ['a People’s Council delegate at a National Assembly meeting', { delegateIds: ['DELEGATE_COUNCIL'] }, 'delegateIds', 'không thuộc cấp của cuộc tiếp xúc'],
    ['a delegate that does not exist', { delegateIds: ['64b7f0000000000000000000'] }, 'delegateIds', 'Chọn đại biểu trong danh sách'],
    ['a "before" meeting after the opening', { date: '25/05/2026' }, 'date', 'phải diễn ra trước ngày khai mạc'],
    ['no session for a meeting before one', { sessionId: '' }, 'sessionId', 'Chọn kỳ họp'],
    ['an operator as the session', { sessionId: '{"$ne":null}' }, 'sessionId', 'Chọn kỳ họp trong danh sách'],
    ['a thematic meeting without a theme', { timing: 'thematic' }, 'topic', 'Nhập chuyên đề'],
    ['a time that is not a time', { time: '25:99' }, 'time', 'Nhập giờ đúng dạng'],
    ['voters that are not a number', { voterCount: 'nhiều' }, 'voterCount', 'số nguyên dương'],
    ['an over-long place', { place: 'x'.repeat(700) }, 'place', 'Nội dung quá dài'],
  ];
  for (const [label, change, field, message] of badMeetings) {
    it(`refuses a meeting with ${label}: 422, values kept, nothing saved`, async () => {
      const fixed = Object.fromEntries(Object.entries(change).map(([k, v]) => [k, Array.isArray(v) ? v.map((x) => (x === 'DELEGATE_COUNCIL' ? w.delegateCouncil : x)) : v]));
      const res = await postMeeting(meetingFields(w, sessionId, { coOrganiser: 'MTTQ <script>alert(1)</script>', ...fixed }));
      expect(res.status).to.equal(422);
      expect(res.text).to.contain(`href="#${field}"`).and.contain(message);
      expect(res.text).to.contain('MTTQ &lt;script&gt;alert(1)&lt;/script&gt;');
      expect(res.text).to.not.contain('<script>alert(1)</script>');
      if (field !== 'unitCodes') expect(res.text).to.match(new RegExp(`value="${w.otherCommune}"[^>]*checked`));
      expect(await db()('voter_meetings').countDocuments()).to.equal(0);
    });
  }

  describe('petitions of a meeting', () => {
    let meetingId: string;
    beforeEach(async () => {
      meetingId = await makeMeeting(w.officerActor, { sessionId, unitCodes: [w.commune], delegateIds: [w.delegateA] });
    });
    const entry = (overrides: Record<string, string> = {}) => ({
      submissionKey: key(),
      rows: '10',
      content1: 'Đề nghị sửa chữa đường liên xã bị sạt lở',
      fieldCode1: w.field,
      unitCode1: w.commune,
      voterCount1: '3',
      competence1: 'central',
      content2: 'Trạm y tế thiếu thuốc',
      voterCount2: '',
      ...overrides,
    });

    it('saves the filled rows, skips the empty ones, and records them once when sent twice', async () => {
      const token = await pageToken(officer, `/meetings/${meetingId}/petitions/new`);
      const fields = { ...entry(), _csrf: token, action: 'save' };
      const [a, b] = await Promise.all([officer.post(`/meetings/${meetingId}/petitions`).type('form').send(fields), officer.post(`/meetings/${meetingId}/petitions`).type('form').send(fields)]);
      expect([a.status, b.status]).to.deep.equal([303, 303]);
      const saved = await PetitionModel.find({}).sort({ code: 1 }).lean<Petition[]>();
      expect(saved.map((p) => [p.content, p.voterCount, p.competence])).to.deep.equal([
        ['Đề nghị sửa chữa đường liên xã bị sạt lở', 3, 'central'],
        ['Trạm y tế thiếu thuốc', 1, null],
      ]);
      const page = await officer.get(`/meetings/${meetingId}`);
      expect(page.text).to.contain('KN-2026-00001').and.contain('Trạm y tế thiếu thuốc');
    });

    it('adds empty rows without saving, keeping what was typed (the form without JavaScript)', async () => {
      const res = await submitForm(officer, `/meetings/${meetingId}/petitions/new`, `/meetings/${meetingId}/petitions`, { ...entry(), action: 'more' });
      expect(res.status).to.equal(200);
      expect(res.text).to.contain('id="content20"').and.not.contain('id="content21"');
      expect(res.text).to.contain('Đề nghị sửa chữa đường liên xã bị sạt lở</textarea>');
      expect(await PetitionModel.countDocuments()).to.equal(0);
    });

    const badRows: [string, Record<string, string>, string, string][] = [
      ['a row begun without content', { content2: '', voterCount2: '4' }, 'content2', 'Nhập nội dung kiến nghị của dòng này'],
      ['no row at all', { content1: '', fieldCode1: '', unitCode1: '', voterCount1: '', competence1: '', content2: '', content3: '' }, 'content1', 'Nhập ít nhất một kiến nghị'],
      ['an unknown field', { fieldCode2: 'khong-co' }, 'fieldCode2', 'Chọn lĩnh vực trong danh sách'],
      ['an unknown commune', { unitCode2: 'khong-co' }, 'unitCode2', 'Chọn xã, phường trong danh sách'],
      ['voters that are not a number', { voterCount1: '-3' }, 'voterCount1', 'số nguyên dương'],
      ['an unknown competence', { competence2: 'world' }, 'competence2', 'Chọn thẩm quyền trong danh sách'],
      ['an over-long petition', { content2: 'y'.repeat(4100) }, 'content2', 'Nội dung quá dài'],
    ];
    for (const [label, change, field, message] of badRows) {
      it(`refuses petitions with ${label}: 422, every row kept, nothing saved`, async () => {
        const res = await submitForm(officer, `/meetings/${meetingId}/petitions/new`, `/meetings/${meetingId}/petitions`, { ...entry(), content3: 'Kiến nghị <b>thứ ba</b>', ...change, action: 'save' });
        expect(res.status).to.equal(422);
        expect(res.text).to.contain(`href="#${field}"`).and.contain(message);
        if (!('content3' in change)) expect(res.text).to.contain('Kiến nghị &lt;b&gt;thứ ba&lt;/b&gt;</textarea>');
        else expect(res.text).to.contain('name="rows" value="10"');
        expect(await PetitionModel.countDocuments()).to.equal(0);
      });
    }

    it('treats a bracketed operator key (content2[$gt]) as an unknown field: the typed rows are saved as plain text', async () => {
      // Bodies are parsed flat, so "content2[$gt]" is just a name the form does not have; row 2 keeps its own text.
      const res = await submitForm(officer, `/meetings/${meetingId}/petitions/new`, `/meetings/${meetingId}/petitions`, { ...entry(), content3: 'Kiến nghị <b>thứ ba</b>', 'content2[$gt]': '', action: 'save' });
      expect(res.status).to.equal(303);
      const saved = await PetitionModel.find({}).sort({ code: 1 }).lean<Petition[]>();
      expect(saved.map((p) => p.content)).to.deep.equal(['Đề nghị sửa chữa đường liên xã bị sạt lở', 'Trạm y tế thiếu thuốc', 'Kiến nghị <b>thứ ba</b>']);
    });

    it('answers 404 for a meeting that does not exist, and 403 to a delegate', async () => {
      const missing = await submitForm(officer, `/meetings/${meetingId}/petitions/new`, '/meetings/64b7f0000000000000000000/petitions', { ...entry(), action: 'save' });
      expect(missing.status).to.equal(404);
      const delegate = await signIn(app, w.delegateUser);
      expect((await delegate.get(`/meetings/${meetingId}/petitions/new`)).status).to.equal(403);
    });

    it('merges petitions from the session page form, and refuses a single one with 422', async () => {
      await addPetitions(w.officerActor, meetingId, [
        { content: 'Đề nghị sửa chữa đường liên xã bị sạt lở', fieldCode: w.field },
        { content: 'Sửa chữa tuyến đường liên xã sạt lở nghiêm trọng', fieldCode: w.field },
      ]);
      const [a, b] = await PetitionModel.find({}).sort({ code: 1 }).lean<Petition[]>();
      const page = await officer.get(`/meetings/sessions/${sessionId}`);
      expect(page.text).to.contain('Gợi ý gộp (1 nhóm)');
      const single = await submitForm(officer, `/meetings/sessions/${sessionId}`, `/meetings/sessions/${sessionId}/merge`, { submissionKey: key(), ids: String(a!._id) });
      expect(single.status).to.equal(422);
      expect(single.text).to.contain('Chọn ít nhất hai kiến nghị để gộp');
      const token = await pageToken(officer, `/meetings/sessions/${sessionId}`);
      const merged = await officer.post(`/meetings/sessions/${sessionId}/merge`).type('form').send(bodyOf({ submissionKey: key(), ids: [String(a!._id), String(b!._id)], wordingFrom: String(b!._id), content: '' }, token));
      expect(merged.status).to.equal(303);
      const detail = await officer.get(merged.headers.location!);
      expect(detail.text).to.contain('Đã gộp thành kiến nghị KN-2026-00003.');
      expect(detail.text).to.contain('Các kiến nghị gốc (2)').and.contain('2 lượt cử tri');
    });
  });

  it('exports the compiled list as XLSX and PDF in the official layout', async () => {
    const meetingId = await makeMeeting(w.officerActor, { sessionId, unitCodes: [w.commune], delegateIds: [w.delegateA] });
    await addPetitions(w.officerActor, meetingId, [
      { content: '=HYPERLINK("http://x") Đề nghị nâng cấp quốc lộ qua địa bàn', fieldCode: w.field, unitCode: w.commune, voterCount: 6 },
      { content: 'Kiến nghị cấp tỉnh, không thuộc danh sách trung ương', fieldCode: w.field },
    ]);
    const [road, local] = await PetitionModel.find({}).sort({ code: 1 }).lean<Petition[]>();
    await classifyPetition(w.officerActor, String(road!._id), { content: road!.content, fieldCode: w.field, unitCode: w.commune, competence: 'central', agencyId: w.agencyA.id }, testContext());
    await classifyPetition(w.officerActor, String(local!._id), { content: local!.content, fieldCode: w.field, unitCode: null, competence: 'province', agencyId: w.agencyB.id }, testContext());
    await compileSession(w.officerActor, sessionId, testContext());

    const xlsx = await officer.get(`/meetings/sessions/${sessionId}/compiled.xlsx?competence=central`).buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });
    expect(xlsx.status).to.equal(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Uint8Array.from(xlsx.body as Buffer).buffer);
    const sheet = book.worksheets[0]!;
    const values = (n: number) => (sheet.getRow(n).values as unknown[]).slice(1);
    expect(values(3)[0]).to.equal('TỔNG HỢP KIẾN NGHỊ CỬ TRI');
    expect(values(6)).to.deep.equal(['STT', 'Mã', 'Nội dung kiến nghị', 'Lĩnh vực', 'Địa phương', 'Số cuộc TXCT', 'Số lượt cử tri', 'Cơ quan giải quyết']);
    const row = values(7);
    expect(row[0]).to.equal(1);
    expect(row[2]).to.equal('=HYPERLINK("http://x") Đề nghị nâng cấp quốc lộ qua địa bàn');
    expect(sheet.getRow(7).getCell(3).type).to.equal(ExcelJS.ValueType.String);
    expect(row[5]).to.equal(1);
    expect(row[6]).to.equal(6);
    expect(row[7]).to.equal(w.agencyA.name);
    expect(sheet.rowCount).to.equal(8);

    const pdf = await officer.get(`/meetings/sessions/${sessionId}/compiled.pdf?competence=province`).buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });
    expect(pdf.status).to.equal(200);
    const text = await extractPdfText(pdf.body as Buffer);
    expect(text).to.contain('TỔNG HỢP KIẾN NGHỊ CỬ TRI').and.contain('thuộc thẩm quyền giải quyết của cấp tỉnh');
    expect(text).to.contain('Kiến nghị cấp tỉnh, không thuộc danh sách trung ương').and.contain('Sở Y tế');
    expect(text).to.not.contain('nâng cấp quốc lộ');
    expect((await officer.get(`/meetings/sessions/${sessionId}/compiled.pdf?competence=galaxy`)).status).to.equal(404);
  });

  it('shows a delegate only their own meetings, and prints their one-page summary', async () => {
    const mine = await makeMeeting(w.officerActor, { sessionId, place: 'Nhà văn hóa thôn 3', unitCodes: [w.commune], delegateIds: [w.delegateA] });
    const other = await makeMeeting(w.officerActor, { sessionId, place: 'Hội trường phường', unitCodes: [w.otherCommune], delegateIds: [w.delegateB] });
    await addPetitions(w.officerActor, mine, Array.from({ length: 20 }, (_, i) => ({ content: `Kiến nghị số ${i + 1} của cử tri thôn 3 về giao thông nông thôn`, fieldCode: w.field })));
    await addPetitions(w.officerActor, other, [{ content: 'Kiến nghị của phường khác' }]);
    const delegate = await signIn(app, w.delegateUser);
    const list = await delegate.get('/meetings');
    expect(list.text).to.contain('Nhà văn hóa thôn 3').and.not.contain('Hội trường phường');
    expect((await delegate.get(`/meetings/${other}`)).status).to.equal(404);
    const otherPetition = await PetitionModel.findOne({ meetingId: new mongoose.Types.ObjectId(other) }).lean<Petition>();
    expect((await delegate.get(`/meetings/petitions/${String(otherPetition!._id)}`)).status).to.equal(404);
    const page = await delegate.get('/meetings/mine');
    expect(page.text).to.contain('1 cuộc tiếp xúc; 20 kiến nghị').and.not.contain('Kiến nghị của phường khác');
    const pdf = await delegate.get('/meetings/mine/summary.pdf').buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });
    expect(pdf.status).to.equal(200);
    expect((await openPdf(pdf.body as Buffer)).numPages).to.equal(1);
    const text = await extractPdfText(pdf.body as Buffer);
    expect(text).to.contain('Phạm Quốc Đại').and.contain('và 6 kiến nghị khác');
    expect((await officer.get('/meetings/mine')).status).to.equal(403);
  });

  it('completes a meeting after it took place, and edits a session, through the same forms', async () => {
    const meetingId = await makeMeeting(w.officerActor, { sessionId, unitCodes: [w.commune], delegateIds: [w.delegateA] });
    const form = await officer.get(`/meetings/${meetingId}/edit`);
    expect(form.status).to.equal(200);
    expect(form.text).to.contain('value="08/05/2026"').and.contain('Hội trường UBND xã');
    const token = await pageToken(officer, `/meetings/${meetingId}/edit`);
    const res = await officer.post(`/meetings/${meetingId}`).type('form').send(bodyOf(meetingFields(w, sessionId, { format: 'in-person', unitCodes: [w.commune], delegateIds: [w.delegateA], voterCount: '215', pressNoticeOn: '27/04/2026' }), token));
    expect(res.status).to.equal(303);
    const page = await officer.get(`/meetings/${meetingId}`);
    expect(page.text).to.contain('215').and.contain('Đã đăng đúng hạn');
    expect(await db()('voter_meetings').countDocuments()).to.equal(1);
    const sessionForm = await officer.get(`/meetings/sessions/${sessionId}/edit`);
    expect(sessionForm.status).to.equal(200);
    const edited = await submitForm(officer, `/meetings/sessions/${sessionId}/edit`, `/meetings/sessions/${sessionId}`, { submissionKey: key(), body: 'quoc-hoi', term: 'XVI', number: '2', opensOn: '21/05/2026', closesOn: '15/06/2026' });
    expect(edited.status).to.equal(303);
    expect((await AssemblySessionModel.findById(sessionId).lean<AssemblySession>())?.compileBefore.dueDate).to.equal('2026-05-06');
  });

  it('shows the session report to an officer and to a delegate', async () => {
    const meetingId = await makeMeeting(w.officerActor, { sessionId, unitCodes: [w.commune], delegateIds: [w.delegateA] });
    await addPetitions(w.officerActor, meetingId, [{ content: 'Kiến nghị về nước sạch', voterCount: 7 }]);
    for (const agent of [officer, await signIn(app, w.delegateUser)]) {
      const res = await agent.get(`/meetings/sessions/${sessionId}/report`);
      expect(res.status).to.equal(200);
      expect(res.text).to.contain('Cử tri nêu 1 kiến nghị (7 lượt cử tri)');
      expect(res.text).to.contain('Đơn vị 1');
    }
  });
});
