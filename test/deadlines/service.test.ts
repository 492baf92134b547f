// Deadline rules against the real database: the seed (once, never over an administrator's edit), the
// deadlines computed from the stored rule and the stored calendar, and the errors other modules get.
import { expect } from 'chai';
import mongoose from 'mongoose';
import { SYSTEM_ACTOR } from '../../server/access/index.js';
import { seedCalendar } from '../../server/calendar/index.js';
import { createSpecialDay } from '../../server/calendar/calendar.service.js';
import { handlingDeadline } from '../../server/cases/deadline.js';
import {
  DeadlineRuleModel,
  RULE_KEYS,
  computeRuleDeadline,
  explainStoredDeadline,
  extendStoredDeadline,
  getDeadlineRule,
  listActiveDeadlineRules,
  seedDeadlineRules,
  suspendStoredDeadline,
  updateDeadlineRule,
} from '../../server/deadlines/index.js';
import { fixedClock } from '../../server/platform/clock.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../server/platform/errors.js';
import { useTestDatabase } from '../support/app.js';

const clock = fixedClock('2026-01-10T03:00:00Z');
const ctx = { clock };
const at = (date: string) => new Date(`${date}T09:00:00+07:00`);
const audits = (action: string) => mongoose.connection.collection('audit_events').countDocuments({ action });
const edit = { days: 12, dayType: 'working' as const, variants: [], basis: 'Quy chế của Văn phòng', notes: 'Đã đối chiếu', confidence: 'confirmed' as const };

describe('deadline rules service', () => {
  useTestDatabase();

  it('seeds every rule of DOMAIN.md once, as stated there; a second run inserts nothing', async () => {
    expect(await seedDeadlineRules(clock)).to.deep.equal({ inserted: RULE_KEYS.length });
    expect(await seedDeadlineRules(clock)).to.deep.equal({ inserted: 0 });
    expect(await audits('deadline-rule.seeded')).to.equal(1);
    const rules = await listActiveDeadlineRules();
    expect(rules.map((r) => r.key)).to.deep.equal([...RULE_KEYS]);
    const byKey = new Map(rules.map((r) => [r.key, r]));
    expect(byKey.get('letter-handling')).to.deep.include({ days: 10, dayType: 'working', startEvent: 'received', basis: 'Thông tư 05/2021/TT-TTCP', confidence: 'verify', source: 'seed' });
    expect(byKey.get('complaint-first-round')?.variants).to.deep.equal([
      { key: 'complex', days: 45 },
      { key: 'remote', days: 45 },
      { key: 'remote-complex', days: 60 },
    ]);
    expect(byKey.get('complaint-second-round')?.variants.map((v) => v.days)).to.deep.equal([60, 60, 70]);
    expect(byKey.get('denunciation-resolution')?.variants).to.deep.equal([
      { key: 'extension-1', days: 30 },
      { key: 'extension-2', days: 30 },
    ]);
    expect(byKey.get('voter-meeting-press-notice')).to.deep.include({ days: -7, dayType: 'working', confidence: 'confirmed' });
    expect(byKey.get('voter-petitions-compile-before')).to.deep.include({ days: -15, dayType: 'calendar' });
    expect(byKey.get('voter-petition-local-answer')).to.deep.include({ confidence: 'configure' });
    expect(byKey.get('agency-answer')).to.deep.include({ days: 15, dayType: 'working', confidence: 'configure' });
    expect(byKey.get('denunciation-initial')).to.deep.include({ days: 7, dayType: 'working', confidence: 'verify' });
  });

  it('never overwrites an administrator’s edit when seeding again, and restores only a missing rule', async () => {
    await seedDeadlineRules(clock);
    await updateDeadlineRule(SYSTEM_ACTOR, 'agency-answer', { ...edit, days: 20 }, ctx);
    await DeadlineRuleModel.deleteOne({ key: 'complaint-acceptance' });
    expect(await seedDeadlineRules(clock)).to.deep.equal({ inserted: 1 });
    expect(await getDeadlineRule('agency-answer')).to.deep.include({ days: 20, source: 'admin', basis: 'Quy chế của Văn phòng' });
    expect(await getDeadlineRule('complaint-acceptance')).to.deep.include({ days: 10, source: 'seed' });
  });

  it('computes from the stored rule and the stored calendar (Tết, a make-up Saturday)', async () => {
    await seedDeadlineRules(clock);
    await seedCalendar(clock);
    // A decreed swap, entered by the administrator as the calendar page asks.
    await createSpecialDay(SYSTEM_ACTOR, { date: '2026-08-31', kind: 'day-off', name: 'Nghỉ bù (hoán đổi)', basis: 'Thông báo của Bộ Nội vụ (thử nghiệm)' }, ctx);
    await createSpecialDay(SYSTEM_ACTOR, { date: '2026-09-12', kind: 'makeup-workday', name: 'Làm bù', basis: 'Thông báo của Bộ Nội vụ (thử nghiệm)' }, ctx);

    const tet = await computeRuleDeadline('letter-handling', { startAt: at('2026-02-13') });
    expect(tet).to.deep.include({ rule: 'letter-handling', ruleName: 'Xử lý đơn (phân loại, quyết định cách xử lý)', startDate: '2026-02-13', dueDate: '2026-03-06', days: 10, variant: null, basis: 'Thông tư 05/2021/TT-TTCP' });
    expect(tet.skipped).to.have.length(11);
    expect(explainStoredDeadline(tet, 'vi')).to.equal('10 ngày làm việc kể từ 13/02/2026 (nhận đơn) → 06/03/2026 (bỏ qua 11 ngày nghỉ)');

    expect((await computeRuleDeadline('letter-handling', { startAt: at('2026-08-27') })).dueDate).to.equal('2026-09-14');
    expect((await computeRuleDeadline('complaint-first-round', { startAt: at('2026-01-05'), variant: 'complex' })).dueDate).to.equal('2026-02-23');
    expect((await computeRuleDeadline('voter-meeting-press-notice', { startAt: at('2026-09-16') })).dueDate).to.equal('2026-09-08');
    // Counting back across New Year reads the previous year's calendar.
    const back = await computeRuleDeadline('voter-meeting-press-notice', { startAt: at('2026-01-05') });
    expect(back).to.deep.include({ dueDate: '2025-12-24', days: -7 });
  });

  it('uses an edited rule for new deadlines only: what was computed stays as it was', async () => {
    await seedDeadlineRules(clock);
    const before = await handlingDeadline(at('2026-03-02'));
    expect(before).to.deep.include({ rule: 'letter-handling', dueDate: '2026-03-16', days: 10 });
    await updateDeadlineRule(SYSTEM_ACTOR, 'letter-handling', edit, ctx);
    const after = await handlingDeadline(at('2026-03-02'));
    expect(after).to.deep.include({ dueDate: '2026-03-18', days: 12, basis: 'Quy chế của Văn phòng' });
    expect(before).to.deep.include({ dueDate: '2026-03-16', days: 10, basis: 'Thông tư 05/2021/TT-TTCP' });
    const audit = (await mongoose.connection.collection('audit_events').findOne({ action: 'deadline-rule.updated' })) as unknown as { targetId: string; details: { before: unknown; after: unknown } };
    expect(audit.targetId).to.equal('letter-handling');
    expect(audit.details.before).to.deep.include({ days: 10 });
    expect(audit.details.after).to.deep.include({ days: 12 });
  });

  it('falls back to the shipped rule when the table has not been seeded yet', async () => {
    const d = await computeRuleDeadline('complaint-first-round', { startAt: at('2026-01-05') });
    expect(d).to.deep.include({ dueDate: '2026-02-04', basis: 'Luật Khiếu nại 2011, Điều 28' });
    expect(await DeadlineRuleModel.countDocuments()).to.equal(0);
  });

  it('refuses a rule an administrator took out of use, an unknown variant and an unknown rule', async () => {
    await seedDeadlineRules(clock);
    await DeadlineRuleModel.updateOne({ key: 'agency-answer' }, { $set: { active: false } });
    await expectRejected(computeRuleDeadline('agency-answer', { startAt: at('2026-03-02') }), ConflictError);
    const err = await expectRejected(computeRuleDeadline('letter-handling', { startAt: at('2026-03-02'), variant: 'complex' }), ValidationError);
    expect(err.fieldErrors).to.deep.equal({ variant: 'deadlines.errors.variantUnknown' });
    await expectRejected(computeRuleDeadline('denunciation-resolution', { startAt: at('2026-03-02'), variant: 'extension-1' }), ValidationError);
    await expectRejected(computeRuleDeadline('no-such-rule', { startAt: at('2026-03-02') }), Error);
  });

  it('extends and suspends a stored deadline against the stored calendar, refusing nonsense as form errors', async () => {
    await seedDeadlineRules(clock);
    await seedCalendar(clock);
    const d = await computeRuleDeadline('denunciation-resolution', { startAt: at('2026-03-01') });
    const extended = await extendStoredDeadline(d, { days: 30, reason: 'Vụ việc phức tạp', document: 'QĐ 12/QĐ-TTr' });
    expect(extended.next).to.deep.include({ dueDate: '2026-05-04', movedFrom: '2026-04-30' });
    expect(extended.history).to.deep.include({ dueDate: '2026-03-31' });
    const suspended = await suspendStoredDeadline(extended.next, { from: '2026-04-01', to: '2026-04-10', reason: 'Chờ giám định', document: 'QĐ 3' });
    // The unmoved last day 30/04 + 10 days = 10/05, a Sunday → Monday 11/05.
    expect(suspended.next.dueDate).to.equal('2026-05-11');
    expect(suspended.next.adjustments.map((a) => a.kind)).to.deep.equal(['extension', 'suspension']);

    const e1 = await expectRejected(extendStoredDeadline(d, { days: 0, reason: '', document: '' }), ValidationError);
    expect(e1.fieldErrors).to.deep.equal({ days: 'deadlines.errors.extensionDays' });
    const e2 = await expectRejected(suspendStoredDeadline(d, { from: '2026-04-05', to: '2026-04-01' }), ValidationError);
    expect(e2.fieldErrors).to.deep.equal({ from: 'deadlines.errors.suspensionSpan' });
    const before = await computeRuleDeadline('voter-meeting-press-notice', { startAt: at('2026-03-20') });
    const e3 = await expectRejected(extendStoredDeadline(before, { days: 3, reason: '', document: '' }), ValidationError);
    expect(e3.fieldErrors).to.deep.equal({ days: 'deadlines.errors.beforeRuleChange' });
  });

  it('checks the sign and range of days against the rule, and who may edit', async () => {
    await seedDeadlineRules(clock);
    const e1 = await expectRejected(updateDeadlineRule(SYSTEM_ACTOR, 'voter-meeting-press-notice', { ...edit, days: 7 }, ctx), ValidationError);
    expect(e1.fieldErrors).to.deep.equal({ days: 'deadlines.errors.daysBefore' });
    const e2 = await expectRejected(updateDeadlineRule(SYSTEM_ACTOR, 'letter-handling', { ...edit, days: -3 }, ctx), ValidationError);
    expect(e2.fieldErrors).to.deep.equal({ days: 'deadlines.errors.daysAfter' });
    const e3 = await expectRejected(updateDeadlineRule(SYSTEM_ACTOR, 'voter-meeting-press-notice', { ...edit, days: -7, variants: [{ key: 'complex', days: 10 }] }, ctx), ValidationError);
    expect(e3.fieldErrors).to.deep.equal({ variantComplex: 'deadlines.errors.variantsBefore' });
    const e4 = await expectRejected(updateDeadlineRule(SYSTEM_ACTOR, 'letter-handling', { ...edit, days: 4000 }, ctx), ValidationError);
    expect(e4.fieldErrors).to.deep.equal({ days: 'deadlines.errors.daysRange' });
    await expectRejected(updateDeadlineRule(SYSTEM_ACTOR, 'no-such-rule', edit, ctx), NotFoundError);
    const officer = { ...SYSTEM_ACTOR, id: 'o', role: 'officer' as const, permissions: ['cases:write' as const] };
    await expectRejected(updateDeadlineRule(officer, 'letter-handling', edit, ctx), ForbiddenError);
    expect(await getDeadlineRule('letter-handling')).to.deep.include({ days: 10, source: 'seed' });
    expect(await audits('deadline-rule.updated')).to.equal(0);
  });
});

async function expectRejected<E extends Error>(promise: Promise<unknown>, type: new (...args: never[]) => E): Promise<E> {
  try {
    await promise;
  } catch (err) {
    expect(err).to.be.instanceOf(type);
    return err as E;
  }
  throw new Error(`expected a ${type.name}`);
}
