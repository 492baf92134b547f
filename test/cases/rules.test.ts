import { expect } from 'chai';
import fc from 'fast-check';
import { formatCaseNumber, queryWords, searchWords, visibleParties, visibleText } from '../../server/cases/index.js';
import { tokensFor } from '../../server/cases/cases.service.js';
import { letterTokens } from '../../server/letters/letters.rules.js';

describe('case numbers', () => {
  it('are the year and a six-digit sequence', () => {
    expect(formatCaseNumber(2026, 123)).to.equal('2026/000123');
    expect(formatCaseNumber(2027, 1)).to.equal('2027/000001');
  });
});

describe('search words', () => {
  it('fold and split Vietnamese text', () => {
    expect(searchWords('Nguyễn Văn A', 'Đường Lê Lợi, P.Đông Hà')).to.deep.equal(['nguyen', 'van', 'a', 'duong', 'le', 'loi', 'p', 'dong', 'ha']);
  });

  it('make any query find the words it was built from, whatever the diacritics', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('Nguyễn', 'Thị', 'Đào', 'Hương', 'khiếu', 'nại', 'đất', 'đai', 'Bến', 'Thành'), { minLength: 1, maxLength: 6 }), (words) => {
        const indexed = new Set(searchWords(words.join(' ')));
        for (const q of queryWords(words.join(' ').normalize('NFD'))) expect(indexed.has(q)).to.equal(true);
      }),
    );
  });

  it('limit a query to ten words', () => {
    expect(queryWords('a b c d e f g h i j k l')).to.have.length(10);
  });
});

describe('confidentiality of denunciation filers', () => {
  const parties = [{ personId: 'p1', role: 'filer', name: 'Trần Văn Tố', citizenId: '001090012345' }];

  it('hides name and ID from users without the permission', () => {
    expect(visibleParties(parties, true, false)).to.deep.equal([{ personId: null, role: 'filer', name: null, citizenId: null, hidden: true, notices: null }]);
  });

  it('shows them to users with the permission', () => {
    expect(visibleParties(parties, true, true)[0]).to.include({ name: 'Trần Văn Tố', hidden: false });
  });

  it('shows everyone on cases that are not confidential', () => {
    expect(visibleParties(parties, false, false)[0]).to.include({ name: 'Trần Văn Tố', citizenId: '001090012345' });
  });
});

describe('free text of a protected record (visibleText)', () => {
  const people = [
    { name: 'Trần Văn Tố', citizenId: '001090012345' },
    { name: 'Lê Thị Cùng', citizenId: null },
  ];
  const text = 'Ông TRAN VAN TO (CCCD 001090012345) cùng bà Lê Thị Cùng tố cáo cán bộ địa chính';
  const cases: [string, boolean, boolean, string][] = [
    ['denunciation, reader without the right: every party blanked, however spelled', true, false, 'Ông [đã ẩn] (CCCD [đã ẩn]) cùng bà [đã ẩn] tố cáo cán bộ địa chính'],
    ['denunciation, reader with the right: as typed', true, true, text],
    ['not protected: as typed for everyone', false, false, text],
  ];
  for (const [name, confidential, maySee, expected] of cases) {
    it(name, () => expect(visibleText(text, people, confidential, maySee)).to.equal(expected));
  }

  it('leaves a text that names nobody as it is', () => {
    expect(visibleText('Tố cáo cán bộ địa chính nhận tiền', people, true, false)).to.equal('Tố cáo cán bộ địa chính nhận tiền');
  });
});

describe('search words of a protected record', () => {
  const parties = [{ name: 'Trần Văn Tố', citizenId: '001090012345' }];
  const summary = 'Ông Trần Văn Tố (CCCD 001090012345) tố cáo cán bộ địa chính xã';

  it('keep the parties out of the words everyone searches, summary included, and give them to the identity words', () => {
    const closed = tokensFor({ number: '2026/000007', summary, confidential: true, parties });
    expect(closed.searchTokens).to.include.members(['2026', '000007', 'ong', 'cccd', 'to', 'cao', 'can', 'bo', 'dia', 'chinh', 'xa']);
    expect(closed.searchTokens).to.not.include.members(['tran']);
    expect(closed.searchTokens).to.not.include('van');
    expect(closed.searchTokens).to.not.include('001090012345');
    expect(closed.identityTokens).to.have.members(['tran', 'van', 'to', '001090012345']);
    const letter = letterTokens({ summary, forwardedBy: null, caseNumbers: ['2026/000007'], confidential: true, senders: parties });
    expect(letter.searchTokens).to.not.include('tran');
    expect(letter.searchTokens).to.not.include('001090012345');
    expect(letter.identityTokens).to.include.members(['tran', '001090012345']);
  });

  it('keep everything searchable on an open record', () => {
    const open = tokensFor({ number: '2026/000008', summary, confidential: false, parties });
    expect(open.searchTokens).to.include.members(['tran', 'van', 'to', '001090012345', 'cao']);
    expect(open.identityTokens).to.deep.equal([]);
  });
});
