// The periodic report's section on forwarded matters, from hand-built figures: a forwarding of a case
// carries one letter, a forwarding of voter petitions a whole list, so the sentences call forwardings
// letters ("đơn") only while the period holds no list, and otherwise count them as "lượt" and say how
// many of them were lists.
import { expect } from 'chai';
import { performanceRow, PETITIONS_KEY, type AgencyTally } from '../../server/statistics/agency-performance.rules.js';
import type { KeyedForwardingRow } from '../../server/statistics/forwarding-figures.queries.js';
import { forwardingsSection } from '../../server/statistics/report.content.js';
import { testTranslator } from '../support/app.js';

const DAY = 86_400_000;

function tally(forwarded: number, answered: number, late: number, overdue: number, days: number[]): AgencyTally {
  return { agencyId: 'a', agencyName: 'A', forwarded, answered, late, overdue, durations: days.map((d) => d * DAY), evaluatedItems: 0, unsatisfiedItems: 0 };
}

function figures(rows: { key: string; tally: AgencyTally }[], total: AgencyTally) {
  const byType: KeyedForwardingRow[] = rows.map((r) => ({ ...performanceRow(r.tally), key: r.key }));
  return { total: performanceRow(total), byAgency: [], byType, byField: [], byUnit: [] };
}

const noTables = () => [];

/** Five letters and two lists of petitions: the same figures in both languages. */
const lettersAndLists = figures(
  [
    { key: 'complaint', tally: tally(5, 3, 1, 1, [3, 4, 20]) },
    { key: PETITIONS_KEY, tally: tally(2, 1, 0, 0, [9]) },
  ],
  tally(7, 4, 1, 1, [3, 4, 9, 20]),
);

describe('statistics: the report’s section on forwarded matters', () => {
  const table = [
    {
      name: 'letters only: every forwarding is a letter',
      lang: 'vi',
      f: figures([{ key: 'complaint', tally: tally(8, 4, 1, 2, [2, 5, 10, 30]) }], tally(8, 4, 1, 2, [2, 5, 10, 30])),
      heading: 'IV. KẾT QUẢ GIẢI QUYẾT ĐƠN ĐÃ CHUYỂN',
      paragraphs: [
        'Trong kỳ, Văn phòng đã chuyển 8 đơn đến cơ quan có thẩm quyền. Đến nay: 3 đơn được trả lời đúng hạn, 1 đơn được trả lời quá hạn, 2 đơn đã quá hạn mà chưa được trả lời, 2 đơn chưa đến hạn trả lời.',
        'Thời gian trả lời trung bình là 11,8 ngày (trung vị 7,5 ngày), tính trên 4 đơn đã được trả lời.',
      ],
    },
    {
      name: 'letters and lists of petitions: forwardings, of which so many lists',
      lang: 'vi',
      f: lettersAndLists,
      heading: 'IV. KẾT QUẢ GIẢI QUYẾT ĐƠN, KIẾN NGHỊ ĐÃ CHUYỂN',
      paragraphs: [
        'Trong kỳ, Văn phòng đã chuyển đến cơ quan có thẩm quyền 7 lượt, gồm 5 lượt chuyển đơn và 2 lượt chuyển danh sách kiến nghị của cử tri. Đến nay: 3 lượt được trả lời đúng hạn, 1 lượt được trả lời quá hạn, 1 lượt đã quá hạn mà chưa được trả lời, 2 lượt chưa đến hạn trả lời.',
        'Thời gian trả lời trung bình là 9,0 ngày (trung vị 6,5 ngày), tính trên 4 lượt đã được trả lời.',
      ],
    },
    {
      name: 'lists only, none answered yet',
      lang: 'vi',
      f: figures([{ key: PETITIONS_KEY, tally: tally(2, 0, 0, 0, []) }], tally(2, 0, 0, 0, [])),
      heading: 'IV. KẾT QUẢ GIẢI QUYẾT ĐƠN, KIẾN NGHỊ ĐÃ CHUYỂN',
      paragraphs: [
        'Trong kỳ, Văn phòng đã chuyển đến cơ quan có thẩm quyền 2 lượt, gồm 0 lượt chuyển đơn và 2 lượt chuyển danh sách kiến nghị của cử tri. Đến nay: 0 lượt được trả lời đúng hạn, 0 lượt được trả lời quá hạn, 0 lượt đã quá hạn mà chưa được trả lời, 2 lượt chưa đến hạn trả lời.',
        'Chưa có cơ quan nào trả lời các đơn, kiến nghị chuyển trong kỳ.',
      ],
    },
    {
      name: 'letters and lists, in English',
      lang: 'en',
      f: lettersAndLists,
      heading: 'IV. RESULTS OF FORWARDED MATTERS AND PETITIONS',
      paragraphs: [
        'In the period the office sent 7 forwardings to competent agencies: 5 of letters and 2 of lists of voters’ petitions. So far: answered on time, 3; answered late, 1; overdue and unanswered, 1; not yet due, 2.',
        'Agencies took 9.0 days on average to answer (median 6.5 days), over 4 answered forwardings.',
      ],
    },
  ] as const;

  for (const row of table) {
    it(row.name, () => {
      const section = forwardingsSection(testTranslator().t(row.lang), row.f, noTables);
      expect(section.heading).to.equal(row.heading);
      expect(section.paragraphs).to.deep.equal(row.paragraphs);
    });
  }

  it('names its worksheet within the 31 characters a sheet name holds, in both languages', () => {
    for (const lang of ['vi', 'en'] as const) {
      const name = `4. ${forwardingsSection(testTranslator().t(lang), table[0].f, noTables).shortName}`;
      expect(name.length, name).to.be.at.most(31);
    }
  });
});
