// The pure rules of attachments, as tables of cases.
import { expect } from 'chai';
import {
  allowedType,
  asciiFileName,
  cleanFileName,
  contentDispositionFor,
  downloadName,
  megabytes,
} from '../../server/attachments/attachments.rules.js';

describe('attachments: rules', () => {
  describe('allowedType', () => {
    const cases: [string, { ext: string; mime: string } | undefined, string | null][] = [
      ['PDF', { ext: 'pdf', mime: 'application/pdf' }, 'application/pdf'],
      ['JPEG', { ext: 'jpg', mime: 'image/jpeg' }, 'image/jpeg'],
      ['PNG', { ext: 'png', mime: 'image/png' }, 'image/png'],
      ['DOCX', { ext: 'docx', mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' }, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
      ['XLSX', { ext: 'xlsx', mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
      ['macro-enabled Word', { ext: 'docm', mime: 'application/vnd.ms-word.document.macroenabled.12' }, null],
      ['a plain ZIP', { ext: 'zip', mime: 'application/zip' }, null],
      ['a Windows program', { ext: 'exe', mime: 'application/x-msdownload' }, null],
      ['GIF', { ext: 'gif', mime: 'image/gif' }, null],
      ['a known extension with a foreign MIME type', { ext: 'pdf', mime: 'text/html' }, null],
      ['a prototype key', { ext: 'constructor', mime: 'application/pdf' }, null],
      ['an unrecognised file', undefined, null],
    ];
    for (const [label, detected, contentType] of cases) {
      it(`${contentType ? 'accepts' : 'refuses'} ${label}`, () => {
        expect(allowedType(detected)?.contentType ?? null).to.equal(contentType);
      });
    }
  });

  describe('cleanFileName', () => {
    const long = `${'a'.repeat(300)}.pdf`;
    const cases: [string, string, string][] = [
      ['keeps a Vietnamese name', 'Đơn khiếu nại số 1.pdf', 'Đơn khiếu nại số 1.pdf'],
      ['turns NFD into NFC', 'Nguyễn'.normalize('NFD') + '.pdf', 'Nguyễn.pdf'],
      ['drops a Windows folder', 'C:\\fakepath\\đơn.pdf', 'đơn.pdf'],
      ['drops a Unix folder and dot-dot', '../../etc/passwd', 'passwd'],
      ['removes control characters', 'don\u0000\u0007\u001B[31m.pdf', 'don[31m.pdf'],
      ['removes C1 control characters', 'don\u0085\u009B.pdf', 'don.pdf'],
      ['removes bidirectional overrides', 'hoso\u202Efdp.exe', 'hosofdp.exe'],
      ['removes zero-width characters', 'đơn\u200B\uFEFF.pdf', 'đơn.pdf'],
      ['collapses spaces and line breaks', '  biên   bản\r\nhọp .pdf ', 'biên bản họp .pdf'],
      ['gives nothing for dots only', '..', ''],
      ['gives nothing for an empty name', '', ''],
      ['shortens to 255 characters, keeping the extension', long, `${'a'.repeat(251)}.pdf`],
    ];
    for (const [label, raw, expected] of cases) {
      it(label, () => {
        expect(cleanFileName(raw)).to.equal(expected);
      });
    }

    it('never splits a character outside the BMP when shortening', () => {
      const name = cleanFileName(`${'😀'.repeat(300)}.pdf`);
      expect(Array.from(name)).to.have.length(255);
      expect(name.endsWith('.pdf')).to.equal(true);
      // No lone surrogate left by cutting a pair in two.
    expect(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(name)).to.equal(false);
    });
  });

  describe('downloadName', () => {
    const cases: [string, string, string][] = [
      ['Đơn.pdf', 'pdf', 'Đơn.pdf'],
      ['SCAN.PDF', 'pdf', 'SCAN.PDF'],
      ['anh.jpeg', 'jpg', 'anh.jpeg'],
      ['anh.JPG', 'jpg', 'anh.JPG'],
      ['scan.pdf', 'png', 'scan.pdf.png'],
      ['bao-cao', 'xlsx', 'bao-cao.xlsx'],
      ['', 'docx', 'tep-dinh-kem.docx'],
      ['.pdf', 'pdf', '.pdf.pdf'],
    ];
    for (const [original, extension, expected] of cases) {
      it(`names "${original}" (${extension}) "${expected}"`, () => {
        expect(downloadName(original, extension)).to.equal(expected);
      });
    }
  });

  describe('Content-Disposition', () => {
    it('folds Vietnamese to ASCII for the fallback', () => {
      expect(asciiFileName('Đơn khiếu nại của ông Đặng.pdf')).to.equal('Don khieu nai cua ong Dang.pdf');
      expect(asciiFileName('a"b\\c%d€.pdf')).to.equal('a_b_c_d_.pdf');
    });

    it('encodes the UTF-8 name as an RFC 8187 ext-value', () => {
      expect(contentDispositionFor("Báo cáo (quý 1) 'mới'*.xlsx")).to.equal(
        `attachment; filename="Bao cao (quy 1) 'moi'*.xlsx"; filename*=UTF-8''B%C3%A1o%20c%C3%A1o%20%28qu%C3%BD%201%29%20%27m%E1%BB%9Bi%27%2A.xlsx`,
      );
    });
  });

  describe('megabytes', () => {
    it('writes a limit the way each language writes numbers', () => {
      expect(megabytes(20 * 1024 * 1024, 'vi')).to.equal('20');
      expect(megabytes(2.5 * 1024 * 1024, 'vi')).to.equal('2,5');
      expect(megabytes(2.5 * 1024 * 1024, 'en')).to.equal('2.5');
      expect(megabytes(1024 * 1024 * 1024, 'en')).to.equal('1024');
    });
  });
});
