// The sentence that explains a stored deadline, read with the record's history of replaced deadlines:
// every extension and suspension names its document and is followed by the date it led to. The
// calendar is March 2027 with plain weekends (no holiday), so each date below can be counted by hand.
import { expect } from 'chai';
import type { WorkingCalendar } from '../../server/calendar/index.js';
import {
  deadlineFromRule,
  explainStoredDeadline,
  extendDeadline,
  shippedDeadlineRules,
  suspendDeadline,
  type HistoricDeadline,
  type RuleForCompute,
  type StoredDeadline,
} from '../../server/deadlines/index.js';

const CAL: WorkingCalendar = { nonWorking: new Set(), makeupWorkdays: new Set() };

function rule(key: string): RuleForCompute {
  const r = shippedDeadlineRules().get(key)!;
  return { key: r.key, name: r.name, startEvent: r.startEvent, days: r.days, dayType: r.dayType, variants: r.variants, basis: r.basis };
}

/** A deadline and its history after the given changes, applied in order as a record stores them. */
function afterChanges(start: StoredDeadline, changes: ((d: StoredDeadline) => { next: StoredDeadline; history: HistoricDeadline })[]) {
  let current = start;
  const history: HistoricDeadline[] = [];
  for (const change of changes) {
    const result = change(current);
    history.push(result.history);
    current = result.next;
  }
  return { deadline: current, history };
}

// Tuesday 02/03/2027: 15 working days → Tuesday 23/03/2027, over three weekends.
const forwarded = deadlineFromRule(rule('agency-answer'), { startAt: new Date('2027-03-02T10:00:00+07:00') }, CAL);
// Tuesday 05/01/2027: 30 calendar days → Thursday 04/02/2027.
const accepted = deadlineFromRule(rule('complaint-first-round'), { startAt: new Date('2027-01-05T10:00:00+07:00') }, CAL);

const extendByCv = (d: StoredDeadline) => extendDeadline(d, { days: 10, reason: 'Cần xác minh thực địa', document: '', documentNumber: '12/CV', documentDate: '2027-03-20' }, CAL);
const suspendByDecision = (d: StoredDeadline) =>
  suspendDeadline(d, { from: '2027-03-10', to: '2027-03-12', reason: 'Chờ giám định', documentNumber: '5/QĐ-UBND', documentDate: '2027-03-09' }, CAL);

interface Row {
  why: string;
  deadline: StoredDeadline;
  history: HistoricDeadline[];
  vi: string;
  en?: string;
}

const extended = afterChanges(forwarded, [extendByCv]);
const suspended = afterChanges(forwarded, [suspendByDecision]);
const both = afterChanges(forwarded, [suspendByDecision, extendByCv]);
const movedOnWeekend = afterChanges(accepted, [(d) => extendDeadline(d, { days: 2, reason: 'Vụ việc phức tạp', document: '', documentNumber: '7/QĐ', documentDate: '2027-02-01' }, CAL)]);
const legacy = afterChanges(forwarded, [(d) => extendDeadline(d, { days: 10, reason: 'Cần xác minh', document: 'Đề nghị gia hạn của Sở Xây dựng' }, CAL)]);

const ROWS: Row[] = [
  {
    why: 'no change: the rule, the start and the end',
    deadline: forwarded,
    history: [],
    vi: '15 ngày làm việc kể từ 02/03/2027 (chuyển đơn) → 23/03/2027 (bỏ qua 6 ngày nghỉ)',
    en: '15 working days from 02/03/2027 (forwarded) → 23/03/2027 (6 non-working days skipped)',
  },
  {
    why: 'an extension: its document and the date it led to, after the original date',
    ...extended,
    vi: '15 ngày làm việc kể từ 02/03/2027 (chuyển đơn) → 23/03/2027 (bỏ qua 6 ngày nghỉ); gia hạn thêm 10 ngày làm việc (văn bản số 12/CV ngày 20/03/2027) → 06/04/2027 (bỏ qua 4 ngày nghỉ)',
    en: '15 working days from 02/03/2027 (forwarded) → 23/03/2027 (6 non-working days skipped); extended by 10 working days (document no. 12/CV of 20/03/2027) → 06/04/2027 (4 non-working days skipped)',
  },
  {
    why: 'a suspension of three working days (Wednesday to Friday) adds three working days',
    ...suspended,
    vi: '15 ngày làm việc kể từ 02/03/2027 (chuyển đơn) → 23/03/2027 (bỏ qua 6 ngày nghỉ); tạm đình chỉ từ 10/03/2027 đến 12/03/2027, cộng thêm 3 ngày làm việc (văn bản số 5/QĐ-UBND ngày 09/03/2027) → 26/03/2027',
    en: '15 working days from 02/03/2027 (forwarded) → 23/03/2027 (6 non-working days skipped); suspended from 10/03/2027 to 12/03/2027, adding 3 working days (document no. 5/QĐ-UBND of 09/03/2027) → 26/03/2027',
  },
  {
    why: 'a suspension then an extension: each step from the date the previous one reached',
    ...both,
    vi: '15 ngày làm việc kể từ 02/03/2027 (chuyển đơn) → 23/03/2027 (bỏ qua 6 ngày nghỉ); tạm đình chỉ từ 10/03/2027 đến 12/03/2027, cộng thêm 3 ngày làm việc (văn bản số 5/QĐ-UBND ngày 09/03/2027) → 26/03/2027; gia hạn thêm 10 ngày làm việc (văn bản số 12/CV ngày 20/03/2027) → 09/04/2027 (bỏ qua 4 ngày nghỉ)',
  },
  {
    why: 'a calendar-day extension ending on a Saturday moves to Monday, and says so for that step',
    ...movedOnWeekend,
    vi: '30 ngày kể từ 05/01/2027 (thụ lý) → 04/02/2027; gia hạn thêm 2 ngày (văn bản số 7/QĐ ngày 01/02/2027) → 08/02/2027 (ngày cuối 06/02/2027 là ngày nghỉ nên chuyển sang ngày làm việc tiếp theo)',
    en: '30 days from 05/01/2027 (accepted) → 04/02/2027; extended by 2 days (document no. 7/QĐ of 01/02/2027) → 08/02/2027 (the last day, 06/02/2027, is not a working day, so it moves to the next working day)',
  },
  {
    why: 'an older change without number and date cites its free-text document as written',
    ...legacy,
    vi: '15 ngày làm việc kể từ 02/03/2027 (chuyển đơn) → 23/03/2027 (bỏ qua 6 ngày nghỉ); gia hạn thêm 10 ngày làm việc (Đề nghị gia hạn của Sở Xây dựng) → 06/04/2027 (bỏ qua 4 ngày nghỉ)',
  },
  {
    why: 'without the history only the final date can be given, after every change',
    deadline: both.deadline,
    history: [],
    vi: '15 ngày làm việc kể từ 02/03/2027 (chuyển đơn); tạm đình chỉ từ 10/03/2027 đến 12/03/2027, cộng thêm 3 ngày làm việc (văn bản số 5/QĐ-UBND ngày 09/03/2027); gia hạn thêm 10 ngày làm việc (văn bản số 12/CV ngày 20/03/2027) → 09/04/2027 (bỏ qua 10 ngày nghỉ)',
  },
  {
    why: 'a history missing a step is not trusted for the dates in between',
    deadline: both.deadline,
    history: both.history.slice(1),
    vi: '15 ngày làm việc kể từ 02/03/2027 (chuyển đơn); tạm đình chỉ từ 10/03/2027 đến 12/03/2027, cộng thêm 3 ngày làm việc (văn bản số 5/QĐ-UBND ngày 09/03/2027); gia hạn thêm 10 ngày làm việc (văn bản số 12/CV ngày 20/03/2027) → 09/04/2027 (bỏ qua 10 ngày nghỉ)',
  },
];

describe('explaining a stored deadline with its history', () => {
  for (const row of ROWS) {
    it(row.why, () => {
      expect(explainStoredDeadline(row.deadline, 'vi', row.history)).to.equal(row.vi);
      if (row.en) expect(explainStoredDeadline(row.deadline, 'en', row.history)).to.equal(row.en);
    });
  }

  it('the dates it states are the ones the arithmetic stored', () => {
    expect(extended.deadline.dueDate).to.equal('2027-04-06');
    expect(suspended.deadline.dueDate).to.equal('2027-03-26');
    expect(both.deadline.dueDate).to.equal('2027-04-09');
    expect(movedOnWeekend.deadline).to.deep.include({ dueDate: '2027-02-08', movedFrom: '2027-02-06' });
    expect(extended.deadline.adjustments[0]).to.deep.include({ documentNumber: '12/CV', documentDate: '2027-03-20', reason: 'Cần xác minh thực địa' });
  });
});
