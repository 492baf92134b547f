// The calendar against the real database: seeding once per year without undoing administrators'
// changes, the calendar other modules load, and deadlines computed with it.
import { expect } from 'chai';
import mongoose from 'mongoose';
import { SYSTEM_ACTOR, type Actor } from '../../server/access/index.js';
import { computeDeadline, computeDeadlineFor, loadWorkingCalendar, seedCalendar } from '../../server/calendar/index.js';
import { createSpecialDay, deleteSpecialDay, updateSpecialDay } from '../../server/calendar/calendar.service.js';
import { fixedClock } from '../../server/platform/clock.js';
import { ForbiddenError, ValidationError } from '../../server/platform/errors.js';
import { useTestDatabase } from '../support/app.js';

const days = () => mongoose.connection.collection('calendar_days');
const audits = (action: string) => mongoose.connection.collection('audit_events').countDocuments({ action });
const officer: Actor = { ...SYSTEM_ACTOR, id: 'officer-1', role: 'officer', permissions: ['cases:read-all', 'cases:write'] };

describe('calendar service', () => {
  useTestDatabase();
  const clock = fixedClock('2026-03-10T03:00:00Z');
  const ctx = { clock };

  it('seeds the current and next year once, and a second run changes nothing', async () => {
    const first = await seedCalendar(clock);
    expect(first.years).to.deep.equal([2026, 2027]);
    expect(first.inserted).to.equal(await days().countDocuments());
    expect(await days().countDocuments({ date: '2026-02-17', kind: 'holiday', source: 'seed' })).to.equal(1);
    expect(await days().countDocuments({ date: { $gte: '2027-01-01', $lte: '2027-12-31' } })).to.be.greaterThan(10);
    const again = await seedCalendar(clock);
    expect(again).to.deep.equal({ years: [], inserted: 0 });
    expect(await days().countDocuments()).to.equal(first.inserted);
    expect(await audits('calendar.seeded')).to.equal(2);
  });

  it('takes the year from the Vietnam date: 18:00 UTC on 31/12/2026 seeds 2027 and 2028', async () => {
    const result = await seedCalendar(fixedClock('2026-12-31T18:00:00Z'));
    expect(result.years).to.deep.equal([2027, 2028]);
    expect(await days().countDocuments({ date: { $lt: '2027-01-01' } })).to.equal(0);
  });

  it('never brings back what an administrator changed or deleted', async () => {
    await seedCalendar(clock);
    await updateSpecialDay(SYSTEM_ACTOR, '2026-09-01', { date: '2026-09-03', kind: 'holiday', name: 'Quốc khánh (nghỉ thêm, theo thông báo)', basis: 'Thông báo mẫu' }, ctx);
    await deleteSpecialDay(SYSTEM_ACTOR, '2026-04-27', ctx);
    await days().deleteMany({ date: { $gte: '2027-01-01' } }); // as if 2027 was still to come…
    await mongoose.connection.collection('calendar_seeds').deleteOne({ _id: 2027 as never });
    await seedCalendar(clock);
    expect(await days().countDocuments({ date: '2026-09-01' })).to.equal(0);
    expect(await days().countDocuments({ date: '2026-04-27' })).to.equal(0);
    expect((await days().findOne({ date: '2026-09-03' }))?.source).to.equal('admin');
    expect(await days().countDocuments({ date: '2027-02-06' }), 'the missing year is seeded').to.equal(1);
  });

  it('seeds once when several instances start together', async () => {
    const results = await Promise.all([seedCalendar(clock), seedCalendar(clock), seedCalendar(clock)]);
    const total = await days().countDocuments();
    expect(results.reduce((sum, r) => sum + r.inserted, 0)).to.equal(total);
    expect(await audits('calendar.seeded')).to.equal(2);
  });

  it('loads the calendar for a range of years and computes deadlines with it', async () => {
    await seedCalendar(clock);
    await createSpecialDay(SYSTEM_ACTOR, { date: '2026-02-28', kind: 'makeup-workday', name: 'Làm bù (thử)', basis: '' }, ctx);
    const cal = await loadWorkingCalendar(2026, 2026);
    expect(cal.nonWorking.has('2026-02-17')).to.equal(true);
    expect(cal.nonWorking.has('2027-02-06')).to.equal(false);
    expect([...cal.makeupWorkdays]).to.deep.equal(['2026-02-28']);

    // 10 working days from Tuesday 10/2/2026: 11–13/2, then Tết, 23–27/2, Saturday 28/2 worked, Monday 2/3.
    const d = await computeDeadlineFor({ startAt: new Date('2026-02-10T02:00:00Z'), days: 10, dayType: 'working', startEvent: 'letter-received' });
    expect(d.dueDate).to.equal('2026-03-02');
    expect(d.skipped).to.include('2026-02-17').and.not.include('2026-02-28');
  });

  it('reaches into years beyond the first guess when a count runs long', async () => {
    await seedCalendar(clock);
    await seedCalendar(fixedClock('2028-01-05T03:00:00Z'));
    const d = await computeDeadlineFor({ startAt: new Date('2026-12-01T02:00:00Z'), days: 300, dayType: 'working', startEvent: 'x' });
    const cal = await loadWorkingCalendar(2026, 2029);
    expect(d.dueDate).to.equal(computeDeadline({ startAt: new Date('2026-12-01T02:00:00Z'), days: 300, dayType: 'working', startEvent: 'x' }, cal).dueDate);
    expect(d.skipped).to.include('2028-01-01');
  });

  it('refuses bad special days and people without the permission', async () => {
    const err = await createSpecialDay(SYSTEM_ACTOR, { date: '2026-03-11', kind: 'makeup-workday', name: 'Thứ Tư làm bù?', basis: '' }, ctx).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(ValidationError);
    expect((err as ValidationError).fieldErrors).to.deep.equal({ kind: 'calendar.errors.makeupOnWeekday' });
    await createSpecialDay(SYSTEM_ACTOR, { date: '2026-03-12', kind: 'day-off', name: 'Nghỉ', basis: '' }, ctx);
    const dup = await createSpecialDay(SYSTEM_ACTOR, { date: '2026-03-12', kind: 'holiday', name: 'Trùng', basis: '' }, ctx).catch((e: unknown) => e);
    expect((dup as ValidationError).fieldErrors).to.deep.equal({ date: 'calendar.errors.dateTaken' });
    const denied = await createSpecialDay(officer, { date: '2026-03-13', kind: 'day-off', name: 'Nghỉ', basis: '' }, ctx).catch((e: unknown) => e);
    expect(denied).to.be.instanceOf(ForbiddenError);
    expect(await days().countDocuments()).to.equal(1);
    expect(await audits('calendar.day-created')).to.equal(1);
  });
});
