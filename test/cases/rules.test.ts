import { expect } from 'chai';
import fc from 'fast-check';
import { formatCaseNumber, queryWords, searchWords, visibleParties } from '../../server/cases/index.js';

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
