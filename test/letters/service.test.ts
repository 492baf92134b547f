// The letter services against the real database: intake into new and existing cases, anonymous
// letters, duplicate suggestions, idempotency, splitting, assessment and merges.
import { expect } from 'chai';
import mongoose from 'mongoose';
import type { Actor } from '../../server/access/index.js';
import { mergeCases } from '../../server/cases/index.js';
import { assessLetter, logLetter, splitLetter, type LogLetterResult } from '../../server/letters/index.js';
import { assessmentSchema, letterIntakeSchema, splitSchema } from '../../server/letters/letters.schemas.js';
import { mergePeople } from '../../server/people/index.js';
import { ConflictError, ValidationError } from '../../server/platform/errors.js';
import { useTestDatabase } from '../support/app.js';
import { createTestUser } from '../support/factories.js';
import { seedIntakeReference } from '../support/intake.js';
import { actorOf, ctx, db, findCases, findEvents, findLetters, letterFields } from './support.js';

function saved(result: LogLetterResult) {
  if (result.outcome !== 'saved') throw new Error(`expected a saved letter, got ${result.outcome}`);
  return result;
}

async function expectValidation(promise: Promise<unknown>, field: string, key: string): Promise<void> {
  try {
    await promise;
  } catch (err) {
    expect(err).to.be.instanceOf(ValidationError);
    expect((err as ValidationError).fieldErrors).to.have.property(field, key);
    return;
  }
  expect.fail(`expected a validation error on ${field}`);
}

describe('letter services', () => {
  useTestDatabase();
  let ref: Awaited<ReturnType<typeof seedIntakeReference>>;
  let officer: Actor;

  const log = (overrides: Record<string, string> = {}, actor?: Actor) => logLetter(actor ?? officer, letterIntakeSchema.parse(letterFields(overrides)), ctx);

  beforeEach(async () => {
    ref = await seedIntakeReference();
    officer = await actorOf(await createTestUser({ role: 'officer', name: 'Phan Thị Thư' }));
  });

  it('logs a letter into a new case with the sender, the handling deadline and a timeline event', async () => {
    const result = saved(await log({ caseChoice: 'new', unitCode: ref.commune, fieldCode: ref.field, fullText: 'Kính gửi ...' }));
    expect(result.newCase).to.equal(true);
    const [letter] = await findLetters({ _id: new mongoose.Types.ObjectId(result.letterId) });
    const [kase] = await findCases({ _id: new mongoose.Types.ObjectId(result.caseId) });
    expect(kase).to.include({ type: 'complaint', status: 'received', letterCount: 1, visitCount: 0, confidential: false, unitCode: ref.commune, fieldCode: ref.field });
    expect(kase?.parties).to.have.length(1);
    expect(kase?.parties[0]).to.include({ name: 'Trần Văn Bình', role: 'filer', citizenId: '045090054321' });
    expect(letter).to.include({ channel: 'post', type: 'complaint', anonymous: false, confidential: false, fullText: 'Kính gửi ...', handling: null });
    expect(letter?.caseNumbers).to.deep.equal([kase?.number]);
    expect(letter?.senders[0]).to.include({ name: 'Trần Văn Bình', citizenId: '045090054321' });
    expect(letter?.eligibility?.eligible).to.equal(null);
    // The letter carries its case's deadline: 10 working days from Monday 02/03/2026.
    expect(letter?.handlingDeadline).to.deep.equal(kase?.handlingDeadline);
    expect(letter?.handlingDeadline?.dueDate).to.equal('2026-03-16');
    const events = await findEvents({ caseId: kase?._id });
    expect(events.map((e) => e.type)).to.deep.equal(['case.opened']);
    expect(events[0]?.data).to.include({ source: 'letter' });
    expect(await db().collection('people').countDocuments()).to.equal(1);
  });

  it('adds a letter to an existing case: one case, one person, two letters', async () => {
    const first = saved(await log({ caseChoice: 'new' }));
    const second = saved(await log({ caseChoice: first.caseId, summary: 'Đơn nhắc lại, chưa được giải quyết', channel: 'email' }));
    expect(second.newCase).to.equal(false);
    expect(second.caseId).to.equal(first.caseId);
    const [kase] = await findCases();
    expect(kase?.letterCount).to.equal(2);
    expect(await db().collection('cases').countDocuments()).to.equal(1);
    expect(await db().collection('people').countDocuments()).to.equal(1);
    const events = await findEvents({ caseId: kase?._id });
    expect(events.map((e) => e.type)).to.deep.equal(['case.opened', 'case.letter-added']);
  });

  it('logs an anonymous letter with no senders and no person', async () => {
    const result = saved(await log({ caseChoice: 'new', anonymous: '1', name: '', citizenId: '', phone: '', street: '', type: 'denunciation', summary: 'Tố cáo cán bộ thu tiền sai quy định' }));
    const letter = await db().collection('letters').findOne({});
    expect(letter).to.include({ anonymous: true, confidential: true, type: 'denunciation' });
    expect(letter?.senders).to.deep.equal([]);
    const kase = await db().collection('cases').findOne({ _id: new mongoose.Types.ObjectId(result.caseId) });
    expect(kase?.parties).to.deep.equal([]);
    expect(await db().collection('people').countDocuments()).to.equal(0);
  });

  it('refuses an anonymous letter that names a sender, and a named letter without a name', () => {
    const both = letterIntakeSchema.safeParse(letterFields({ anonymous: '1' }));
    expect(both.success).to.equal(false);
    expect(both.error?.issues.map((i) => [i.path.join('.'), i.message])).to.deep.include(['anonymous', 'letters.errors.anonymousWithSender']);
    const neither = letterIntakeSchema.safeParse(letterFields({ name: '  ' }));
    expect(neither.error?.issues.map((i) => [i.path.join('.'), i.message])).to.deep.include(['name', 'letters.errors.nameOrAnonymous']);
  });

  it('suggests the case with the same ID number, then adds the letter to the one chosen', async () => {
    const first = saved(await log({ caseChoice: 'new' }));
    const again = await log({ summary: 'Đề nghị cấp lại giấy chứng nhận quyền sử dụng đất bị mất', type: 'petition' });
    expect(again.outcome).to.equal('possible-duplicates');
    if (again.outcome !== 'possible-duplicates') return;
    expect(again.candidates.map((c) => [c.id, c.reason])).to.deep.equal([[first.caseId, 'citizen-id']]);
    expect(await db().collection('letters').countDocuments()).to.equal(1);
  });

  it('suggests a case with similar folded text in the same commune and field, and not in another field', async () => {
    const summary = 'Khiếu nại việc bồi thường đất nông nghiệp khi làm đường tránh quốc lộ';
    const first = saved(await log({ caseChoice: 'new', citizenId: '', unitCode: ref.commune, fieldCode: ref.field, summary }));
    const similar = await log({ name: 'Lê Văn Cường', citizenId: '', unitCode: ref.commune, fieldCode: ref.field, summary: 'KHIEU NAI viec boi thuong dat nong nghiep lam duong tranh' });
    expect(similar.outcome).to.equal('possible-duplicates');
    if (similar.outcome === 'possible-duplicates') expect(similar.candidates.map((c) => [c.id, c.reason])).to.deep.equal([[first.caseId, 'similar-text']]);
    const elsewhere = await log({ name: 'Lê Văn Cường', citizenId: '', unitCode: ref.commune, fieldCode: ref.otherField, summary });
    expect(elsewhere.outcome).to.equal('saved');
  });

  it('does not offer open cases to a denunciation, and refuses to put a denouncer on one', async () => {
    const open = saved(await log({ caseChoice: 'new' }));
    const denunciation = await log({ type: 'denunciation', summary: 'Tố cáo cán bộ xây dựng nhận tiền' });
    // The only match by ID number is an open complaint: nothing to suggest, a new protected case is opened.
    expect(denunciation.outcome).to.equal('saved');
    const kase = await db().collection('cases').findOne({ _id: new mongoose.Types.ObjectId(saved(denunciation).caseId) });
    expect(kase).to.include({ type: 'denunciation', confidential: true });
    await expectValidation(log({ type: 'denunciation', caseChoice: open.caseId }), 'caseChoice', 'letters.errors.denunciationIntoOpenCase');
  });

  it('refuses a case that does not exist or that the user may not see, with the same message', async () => {
    await expectValidation(log({ caseChoice: '64b7f0000000000000000000' }), 'caseChoice', 'letters.errors.caseUnknown');
    const someoneElses = saved(await log({ caseChoice: 'new' }));
    // A delegate given the right to write sees only the cases they follow.
    const delegate = await actorOf(await createTestUser({ role: 'delegate', grantedPermissions: ['cases:write'] }));
    await expectValidation(log({ caseChoice: someoneElses.caseId, citizenId: '' }, delegate), 'caseChoice', 'letters.errors.caseUnknown');
    expect(await db().collection('letters').countDocuments()).to.equal(1);
  });

  it('is idempotent by submission key, one after the other and at the same time', async () => {
    const input = letterIntakeSchema.parse(letterFields({ caseChoice: 'new', cosigner1Name: 'Trần Thị Cúc', cosigner1CitizenId: '045190054322' }));
    const first = saved(await logLetter(officer, input, ctx));
    const again = saved(await logLetter(officer, input, ctx));
    expect(again).to.include({ letterId: first.letterId, caseId: first.caseId, replayed: true });

    const twin = letterIntakeSchema.parse(letterFields({ caseChoice: 'new', name: 'Hồ Văn Đôi', citizenId: '045091000777' }));
    const [a, b] = (await Promise.all([logLetter(officer, twin, ctx), logLetter(officer, twin, ctx)])).map(saved);
    expect(a!.letterId).to.equal(b!.letterId);
    expect(a!.caseId).to.equal(b!.caseId);
    expect(await db().collection('letters').countDocuments()).to.equal(2);
    expect(await db().collection('cases').countDocuments()).to.equal(2);
    expect(await db().collection('people').countDocuments({ citizenId: '045091000777' })).to.equal(1);
  });

  it('splits a mixed letter: the first part reclassifies its case, the others open cases with the same senders', async () => {
    const result = saved(await log({ caseChoice: 'new', type: 'mixed', mainType: 'complaint', unitCode: ref.commune, summary: 'Khiếu nại thu hồi đất; tố cáo cán bộ; kiến nghị làm đường' }));
    const split = splitSchema.parse({
      part1Type: 'complaint',
      part1FieldCode: ref.field,
      part1Summary: 'Khiếu nại quyết định thu hồi đất',
      part2Type: 'denunciation',
      part2Summary: 'Tố cáo cán bộ địa chính nhận tiền',
      part3Type: 'petition',
      part3FieldCode: ref.otherField,
      part3Summary: 'Kiến nghị làm đường liên thôn',
    });
    const { caseNumbers } = await splitLetter(officer, result.letterId, split, ctx);
    expect(caseNumbers).to.have.length(3);
    const letter = await db().collection('letters').findOne({});
    expect(letter?.caseIds).to.have.length(3);
    expect(letter?.caseNumbers).to.deep.equal(caseNumbers);
    expect(letter?.confidential).to.equal(true);
    // The sender is now searchable only by those allowed to see denouncers.
    expect(letter?.searchTokens).to.not.include('binh');
    expect(letter?.identityTokens).to.include('binh');
    const cases = await findCases();
    expect(cases.map((c) => [c.type, c.summary, c.letterCount, c.unitCode])).to.deep.equal([
      ['complaint', 'Khiếu nại quyết định thu hồi đất', 1, ref.commune],
      ['denunciation', 'Tố cáo cán bộ địa chính nhận tiền', 1, ref.commune],
      ['petition', 'Kiến nghị làm đường liên thôn', 1, ref.commune],
    ]);
    // One part denounces someone, so the sender is protected on every part: it is the same person.
    expect(cases.map((c) => c.confidential)).to.deep.equal([true, true, true]);
    for (const c of cases) expect(c.searchTokens).to.not.include('binh');
    for (const c of cases) expect(c.parties.map((p) => p.name)).to.deep.equal(['Trần Văn Bình']);
    const events = await findEvents();
    const typesOf = (id: unknown) => events.filter((e) => String(e.caseId) === String(id)).map((e) => e.type);
    expect(typesOf(cases[0]!._id)).to.deep.equal(['case.opened', 'case.reclassified', 'case.letter-split']);
    expect(typesOf(cases[1]!._id)).to.deep.equal(['case.opened', 'case.split-from-letter']);
    expect(typesOf(cases[2]!._id)).to.deep.equal(['case.opened', 'case.split-from-letter']);
    // A second split, and a split of a letter that is not mixed, are refused.
    try {
      await splitLetter(officer, result.letterId, split, ctx);
      expect.fail('split twice');
    } catch (err) {
      expect(err).to.be.instanceOf(ConflictError);
      expect((err as ConflictError).messageKey).to.equal('letters.errors.alreadySplit');
    }
    const plain = saved(await log({ caseChoice: 'new', citizenId: '', name: 'Mai Văn Em' }));
    try {
      await splitLetter(officer, plain.letterId, split, ctx);
      expect.fail('split a plain letter');
    } catch (err) {
      expect((err as ConflictError).messageKey).to.equal('letters.errors.notMixed');
    }
  });

  it('lets only someone who may see denouncers split a protected letter into parts none of which is a denunciation', async () => {
    const result = saved(await log({ caseChoice: 'new', type: 'mixed', mainType: 'denunciation', summary: 'Tố cáo và kiến nghị' }));
    const split = splitSchema.parse({ part1Type: 'petition', part1Summary: 'Kiến nghị A', part2Type: 'feedback', part2Summary: 'Phản ánh B' });
    await expectValidation(splitLetter(officer, result.letterId, split, ctx), 'part1Type', 'letters.errors.splitDropsProtection');
    expect(await db().collection('cases').countDocuments()).to.equal(1);
  });

  it('assesses a letter: filing moves its case to "filed"; reconsidering needs a reason', async () => {
    const result = saved(await log({ caseChoice: 'new' }));
    await assessLetter(officer, result.letterId, assessmentSchema.parse({ eligible: 'no', reasons: ['already-guided'], handling: 'file' }), ctx);
    let kase = await db().collection('cases').findOne({});
    expect(kase?.status).to.equal('filed');
    let [letter] = await findLetters();
    expect(letter?.eligibility).to.include({ eligible: false });
    expect(letter?.eligibility?.reasons).to.deep.equal(['already-guided']);
    expect(letter?.handling).to.equal('file');

    const forward = assessmentSchema.parse({ eligible: 'yes', handling: 'forward' });
    await expectValidation(assessLetter(officer, result.letterId, forward, ctx), 'note', 'letters.errors.noteRequired');
    await assessLetter(officer, result.letterId, { ...forward, note: 'Người gửi bổ sung quyết định bị khiếu nại' }, ctx);
    kase = await db().collection('cases').findOne({});
    expect(kase?.status).to.equal('in-progress');
    [letter] = await findLetters();
    expect(letter?.eligibility).to.include({ eligible: true, note: 'Người gửi bổ sung quyết định bị khiếu nại' });
    const events = await findEvents({ caseId: kase?._id });
    expect(events.map((e) => e.type)).to.deep.equal(['case.opened', 'case.letter-assessed', 'case.status-changed', 'case.letter-assessed', 'case.status-changed']);
    expect(events[3]?.data).to.include({ handling: 'forward', eligible: true });
    expect(events[4]?.data).to.include({ from: 'filed', to: 'in-progress' });

    await expectValidation(
      assessLetter(officer, result.letterId, assessmentSchema.parse({ eligible: 'no', reasons: 'no-conduct-named', handling: 'file' }), ctx),
      'reasons',
      'letters.errors.assessment.reason-not-applicable',
    );
  });

  it('follows merges: letters move to the kept case, senders to the kept person', async () => {
    const a = saved(await log({ caseChoice: 'new', citizenId: '', name: 'Ngô Văn Phúc' }));
    const b = saved(await log({ caseChoice: 'new', citizenId: '045092000888', name: 'Ngô Văn Phúc', summary: 'Đơn khác' }));
    await mergeCases(officer, a.caseId, b.caseId, 'cùng một việc', ctx);
    for (const l of await findLetters()) {
      expect(l.caseIds.map(String)).to.deep.equal([b.caseId]);
      expect(l.caseNumbers).to.deep.equal([b.caseNumber]);
    }
    const people = await db().collection('people').find({}).toArray();
    const withId = people.find((p) => p.citizenId)!;
    const withoutId = people.find((p) => !p.citizenId)!;
    await mergePeople(officer, String(withoutId._id), String(withId._id), ctx);
    for (const l of await findLetters()) {
      expect(l.senders.map((s) => [String(s.personId), s.citizenId])).to.deep.equal([[String(withId._id), '045092000888']]);
      expect(l.searchTokens).to.include('045092000888');
    }
  });
});
