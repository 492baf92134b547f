import { expect } from 'chai';
import fc from 'fast-check';
import { cleanText, foldVietnamese } from '../../server/platform/text.js';

describe('Vietnamese folding', () => {
  const cases: [string, string][] = [
    ['Nguyễn Văn A', 'nguyen van a'],
    ['Đường Lê Lợi', 'duong le loi'],
    ['ĐẶNG THỊ HỒNG', 'dang thi hong'],
    ['  Phường   Bến Thành ', 'phuong ben thanh'],
    ['Khiếu\u200Bnại', 'khieunai'],
    ['Ưu tiên', 'uu tien'],
  ];
  for (const [input, expected] of cases) {
    it(`folds "${input}" to "${expected}"`, () => {
      expect(foldVietnamese(input)).to.equal(expected);
    });
  }

  it('folds NFC and NFD spellings alike', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        expect(foldVietnamese(s.normalize('NFC'))).to.equal(foldVietnamese(s.normalize('NFD')));
      }),
    );
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        expect(foldVietnamese(foldVietnamese(s))).to.equal(foldVietnamese(s));
      }),
    );
  });
});

describe('cleanText', () => {
  it('normalises to NFC, strips zero-width and control characters, trims', () => {
    const nfd = 'Nguyễn'.normalize('NFD');
    expect(cleanText(` ${nfd}\u200B\u0007 `)).to.equal('Nguyễn'.normalize('NFC'));
  });

  it('keeps line breaks and tabs inside text', () => {
    expect(cleanText('dòng 1\ndòng\t2')).to.equal('dòng 1\ndòng\t2');
  });
});
