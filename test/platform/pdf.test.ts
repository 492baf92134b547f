// PDFs are checked the way a reader would meet them: the bytes are opened with a real PDF reader
// (pdf.js) and the text it extracts must be the Vietnamese we put in, letter for letter.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { OPS, PDFDateString } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { extractPdfText, openPdf } from '../support/pdf.js';
import type { PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import {
  NATIONAL_MOTTO,
  NATIONAL_NAME,
  officialLetterLayout,
  renderPdf,
  streamPdf,
  vietnameseLongDate,
} from '../../server/platform/pdf/index.js';
import type {
  OfficialLetterOptions,
  PdfContent,
  PdfDocument,
  PdfFontFamily,
} from '../../server/platform/pdf/index.js';

// --- the Vietnamese under test ---------------------------------------------------------------

const VOWELS = ['a', 'ă', 'â', 'e', 'ê', 'i', 'o', 'ô', 'ơ', 'u', 'ư', 'y'];
/** No mark, huyền, sắc, hỏi, ngã, nặng, as combining characters. */
const TONES = ['', '\u0300', '\u0301', '\u0309', '\u0303', '\u0323'];

/** Every vowel with every tone, lower case, written out so a reader can see what is tested. */
const LOWER =
  'a à á ả ã ạ ă ằ ắ ẳ ẵ ặ â ầ ấ ẩ ẫ ậ e è é ẻ ẽ ẹ ê ề ế ể ễ ệ i ì í ỉ ĩ ị ' +
  'o ò ó ỏ õ ọ ô ồ ố ổ ỗ ộ ơ ờ ớ ở ỡ ợ u ù ú ủ ũ ụ ư ừ ứ ử ữ ự y ỳ ý ỷ ỹ ỵ đ';
const UPPER = LOWER.toLocaleUpperCase('vi');
const SENTENCE = `Ông Đặng Văn Ất ở Hướng Hóa gửi đơn khiếu nại; bảng chữ: ${LOWER} ${UPPER}.`;

function allVietnameseLetters(): Set<string> {
  const letters = new Set<string>(['đ', 'Đ']);
  for (const vowel of VOWELS) {
    for (const tone of TONES) {
      const letter = (vowel + tone).normalize('NFC');
      letters.add(letter);
      letters.add(letter.toLocaleUpperCase('vi'));
    }
  }
  return letters;
}

// --- reading PDFs back -----------------------------------------------------------------------

interface PlacedText {
  str: string;
  /** Horizontal centre of the run, in points from the left edge. */
  centre: number;
  /** Left edge and baseline, in points from the page's bottom-left corner. */
  x: number;
  y: number;
}

async function pageItems(pdf: PDFDocumentProxy, pageNumber: number): Promise<PlacedText[]> {
  const content = await (await pdf.getPage(pageNumber)).getTextContent();
  const placed: PlacedText[] = [];
  for (const item of content.items) {
    if (!('str' in item) || item.str.trim() === '') continue;
    const x = item.transform[4] as number;
    placed.push({ str: item.str, centre: x + item.width / 2, x, y: item.transform[5] as number });
  }
  return placed;
}

const extractText = extractPdfText;

/**
 * Character codes drawn on every page. The embedded fonts are subsets in which code 0 is the
 * font's .notdef glyph, the empty box shown for a letter the font lacks.
 */
async function drawnCharCodes(bytes: Buffer): Promise<number[]> {
  const pdf = await openPdf(bytes);
  const codes: number[] = [];
  for (let n = 1; n <= pdf.numPages; n++) {
    const ops = await (await pdf.getPage(n)).getOperatorList();
    ops.fnArray.forEach((fn, i) => {
      if (fn !== OPS.showText) return;
      const glyphs = (ops.argsArray[i] as unknown[])[0] as unknown[];
      for (const glyph of glyphs) {
        if (typeof glyph === 'object' && glyph !== null && 'originalCharCode' in glyph) {
          codes.push(glyph.originalCharCode as number);
        }
      }
    });
  }
  return codes;
}

/** PostScript names of the embedded fonts, without the subset tag ("ABCDEF+"). */
function embeddedFontNames(bytes: Buffer): string[] {
  const names = [...bytes.toString('latin1').matchAll(/\/FontName\s*\/(?:[A-Z]{6}\+)?([A-Za-z0-9-]+)/g)];
  return [...new Set(names.map((m) => m[1] ?? ''))].sort();
}

// --- fixtures --------------------------------------------------------------------------------

const CREATED_AT = new Date('2026-01-04T18:30:00Z');

function typographyDocument(font: PdfFontFamily, text: string): PdfDocument {
  return {
    info: {
      title: 'Kiểm tra chữ Việt',
      author: 'Văn phòng Đoàn ĐBQH và HĐND tỉnh Quảng Trị',
      createdAt: CREATED_AT,
    },
    defaultStyle: { font },
    content: [
      { text },
      { text, bold: true },
      { text, italics: true },
      { text, bold: true, italics: true },
    ],
  };
}

function chaseLetter(overrides: Partial<OfficialLetterOptions> = {}): OfficialLetterOptions {
  return {
    parentBody: 'Đoàn ĐBQH và HĐND tỉnh Quảng Trị',
    issuer: 'Văn phòng',
    number: '125/VP-DN',
    place: 'Quảng Trị',
    date: CREATED_AT,
    subject: 'đôn đốc giải quyết đơn của công dân',
    recipients: ['Ủy ban nhân dân huyện Hải Lăng.'],
    body: [
      'Văn phòng đề nghị Ủy ban nhân dân huyện Hải Lăng khẩn trương giải quyết đơn của bà Nguyễn Thị Hường ' +
        'và thông báo kết quả cho công dân.',
      'Trân trọng./.',
    ],
    signature: { position: ['KT. Chánh Văn phòng', 'Phó Chánh Văn phòng'], name: 'Lê Thị Ánh Tuyết' },
    distribution: ['Như trên;', 'Lưu: VT, DN.'],
    ...overrides,
  };
}

// --- tests -----------------------------------------------------------------------------------

describe('vietnameseLongDate', () => {
  it('takes the calendar day in Vietnam: 18:30 UTC on the 4th is already the 5th there', () => {
    expect(vietnameseLongDate(new Date('2026-01-04T18:30:00Z'), 'Quảng Trị')).to.equal(
      'Quảng Trị, ngày 05 tháng 01 năm 2026',
    );
  });

  it('rolls the year over in Vietnam before it does in UTC', () => {
    expect(vietnameseLongDate(new Date('2025-12-31T17:00:00Z'), 'Quảng Trị')).to.equal(
      'Quảng Trị, ngày 01 tháng 01 năm 2026',
    );
  });

  it('pads days below 10 and the months 1 and 2 only, as the decree asks', () => {
    const at = (iso: string) => vietnameseLongDate(new Date(iso), 'Đông Hà');
    expect(at('2026-02-15T03:00:00Z')).to.equal('Đông Hà, ngày 15 tháng 02 năm 2026');
    expect(at('2026-03-09T03:00:00Z')).to.equal('Đông Hà, ngày 09 tháng 3 năm 2026');
    expect(at('2026-11-20T03:00:00Z')).to.equal('Đông Hà, ngày 20 tháng 11 năm 2026');
  });

  it('refuses an invalid date', () => {
    expect(() => vietnameseLongDate(new Date('not a date'), 'Quảng Trị')).to.throw(RangeError);
  });
});

describe('PDF rendering: Vietnamese typography', function () {
  this.timeout(60_000);

  it('the test sentence holds every vowel with every tone in both cases, and đ/Đ', () => {
    const inSentence = new Set([...SENTENCE.normalize('NFC')]);
    const missing = [...allVietnameseLetters()].filter((letter) => !inSentence.has(letter));
    expect(missing).to.deep.equal([]);
    expect(allVietnameseLetters().size).to.equal(12 * 6 * 2 + 2);
  });

  for (const font of ['BeVietnamPro', 'Tinos'] as const) {
    describe(font, () => {
      let bytes: Buffer;
      before(async () => {
        bytes = await renderPdf(typographyDocument(font, SENTENCE));
      });

      it('produces a PDF', () => {
        expect(bytes.subarray(0, 5).toString('latin1')).to.equal('%PDF-');
      });

      it('gives back the sentence intact in regular, bold, italic and bold italic', async () => {
        const text = (await extractText(bytes)).normalize('NFC');
        const expected = Array.from({ length: 4 }, () => SENTENCE).join(' ').normalize('NFC');
        expect(text).to.equal(expected);
        // What readers put for a character they cannot map, and what pdfkit maps the missing glyph to.
        expect(text).not.to.include('\uFFFD');
        expect(text).not.to.include('\u0000');
      });

      it('draws every letter with a real glyph, never the missing-glyph box', async () => {
        const codes = await drawnCharCodes(bytes);
        expect(codes.length).to.be.greaterThan(4 * 200);
        expect(codes.filter((code) => code === 0)).to.have.length(0);
      });

      it(`embeds ${font} in all four styles and no other font`, () => {
        expect(embeddedFontNames(bytes)).to.deep.equal(
          [`${font}-Bold`, `${font}-BoldItalic`, `${font}-Italic`, `${font}-Regular`].sort(),
        );
      });
    });
  }

  it('would notice a letter the font cannot draw (the checks above can fail)', async () => {
    const bytes = await renderPdf(typographyDocument('BeVietnamPro', 'Chữ Hán 中'));
    expect(await drawnCharCodes(bytes)).to.include(0);
    expect(await extractText(bytes)).not.to.equal('Chữ Hán 中'.repeat(4));
  });

  it('draws text typed with combining marks with the precomposed letters', async () => {
    const bytes = await renderPdf(typographyDocument('BeVietnamPro', SENTENCE.normalize('NFD')));
    // Not normalised before comparing: the PDF's own text must already be NFC.
    const text = await extractText(bytes);
    expect(text).to.equal(Array.from({ length: 4 }, () => SENTENCE.normalize('NFC')).join(' '));
  });

  it('writes the metadata: title, author, creation date and language', async () => {
    const pdf = await openPdf(await renderPdf(typographyDocument('BeVietnamPro', 'Giấy biên nhận')));
    const info = (await pdf.getMetadata()).info as Record<string, unknown>;
    expect(info.Title).to.equal('Kiểm tra chữ Việt');
    expect(info.Author).to.equal('Văn phòng Đoàn ĐBQH và HĐND tỉnh Quảng Trị');
    expect(info.Creator).to.equal('Dân Nguyện');
    expect(info.Language).to.equal('vi');
    expect(PDFDateString.toDateObject(info.CreationDate as string)?.toISOString()).to.equal(CREATED_AT.toISOString());
  });

  it('renders the same document twice to the same bytes and leaves it unchanged', async () => {
    const doc = typographyDocument('Tinos', SENTENCE);
    // A table with a percentage width: pdfmake overwrites such widths with numbers as it lays out.
    const table: PdfContent = { table: { widths: ['30%', '*'], body: [['Số', '0012/GBN-VP']] } };
    doc.content = [table, ...(doc.content as PdfContent[])];
    const before = JSON.stringify(doc);
    const first = await renderPdf(doc);
    const second = await renderPdf(doc);
    expect(JSON.stringify(doc)).to.equal(before);
    // Nothing depends on the clock: the same input gives the same bytes, so a stored paper can be
    // checked by hash against a fresh rendering.
    expect(second.equals(first)).to.equal(true);
    expect(await extractText(first)).to.include('0012/GBN-VP');
  });

  it('opens no local file but its fonts', async () => {
    const doc: PdfDocument = { ...typographyDocument('BeVietnamPro', 'x'), content: [{ image: '/etc/hostname' }] };
    let failure: unknown;
    await renderPdf(doc).catch((err: unknown) => (failure = err));
    expect(String(failure)).to.match(/access .*denied/i);
  });
});

describe('PDF rendering: official letter layout', function () {
  this.timeout(60_000);

  it('prints the administrative header, title, body and signature', async () => {
    const bytes = await renderPdf(
      officialLetterLayout(
        chaseLetter({ title: 'Phiếu chuyển đơn', subject: 'Đơn kiến nghị của cử tri', recipients: [] }),
      ),
    );
    const text = await extractText(bytes);
    for (const expected of [
      'ĐOÀN ĐBQH VÀ HĐND TỈNH QUẢNG TRỊ',
      'VĂN PHÒNG',
      NATIONAL_NAME,
      NATIONAL_MOTTO,
      'Số: 125/VP-DN',
      'Quảng Trị, ngày 05 tháng 01 năm 2026',
      'PHIẾU CHUYỂN ĐƠN',
      'Đơn kiến nghị của cử tri',
      'KT. CHÁNH VĂN PHÒNG PHÓ CHÁNH VĂN PHÒNG',
      'Lê Thị Ánh Tuyết',
      'Nơi nhận: - Như trên; - Lưu: VT, DN.',
    ]) {
      expect(text).to.include(expected);
    }
    expect(embeddedFontNames(bytes)).to.deep.equal([
      'Tinos-Bold',
      'Tinos-BoldItalic',
      'Tinos-Italic',
      'Tinos-Regular',
    ]);
  });

  it('lays the header out like an official paper: A4, office left, motto right, number level with date', async () => {
    const pdf = await openPdf(await renderPdf(officialLetterLayout(chaseLetter())));
    const page = await pdf.getPage(1);
    const [, , width, height] = page.view;
    expect([Math.round(width ?? 0), Math.round(height ?? 0)]).to.deep.equal([595, 842]);
    const items = await pageItems(pdf, 1);
    const find = (str: string) => {
      const item = items.find((i) => i.str.includes(str));
      if (!item) throw new Error(`"${str}" not on the page`);
      return item;
    };
    const middle = width! / 2;
    for (const left of ['VĂN PHÒNG', 'Số: 125/VP-DN', 'V/v đôn đốc', 'Nơi nhận']) {
      expect(find(left).centre, left).to.be.lessThan(middle);
    }
    for (const right of [NATIONAL_NAME, NATIONAL_MOTTO, 'ngày 05 tháng 01 năm 2026', 'Lê Thị Ánh Tuyết']) {
      expect(find(right).centre, right).to.be.greaterThan(middle);
    }
    // The motto is centred under the national name, and the number sits level with the date.
    expect(Math.abs(find(NATIONAL_MOTTO).centre - find(NATIONAL_NAME).centre)).to.be.lessThan(1);
    expect(find(NATIONAL_MOTTO).y).to.be.lessThan(find(NATIONAL_NAME).y);
    expect(Math.abs(find('Số: 125/VP-DN').y - find('ngày 05 tháng 01').y)).to.be.lessThan(4);
    // Nothing closer to the left edge than the 30 mm binding margin (85 pt).
    expect(Math.min(...items.map((i) => i.x))).to.be.greaterThan(84);
  });

  it('numbers the pages from the second on', async () => {
    const long = Array.from(
      { length: 40 },
      (_, i) => `Đoạn ${i + 1}: nội dung kiến nghị của cử tri về đường giao thông nông thôn.`,
    );
    const pdf = await openPdf(await renderPdf(officialLetterLayout(chaseLetter({ body: long }))));
    expect(pdf.numPages).to.be.greaterThan(1);
    const second = await pageItems(pdf, 2);
    const top = Math.max(...second.map((i) => i.y));
    expect(second.find((i) => i.y === top)?.str).to.equal('2');
    const first = await pageItems(pdf, 1);
    expect(first.some((i) => i.str === '1')).to.equal(false);
  });
});

describe('streamPdf', function () {
  this.timeout(60_000);

  async function serve(handler: http.RequestListener): Promise<{ url: string; close: () => Promise<void> }> {
    const server = http.createServer(handler);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return {
      url: `http://127.0.0.1:${port}/`,
      close: () => new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
    };
  }

  it('sends the PDF with its type, a Vietnamese file name and no caching', async () => {
    const doc = officialLetterLayout(chaseLetter({ title: 'Giấy biên nhận' }));
    const server = await serve((_req, res) => {
      void streamPdf(doc, res, { filename: 'Giấy biên nhận 0012.pdf' });
    });
    try {
      const response = await fetch(server.url);
      expect(response.status).to.equal(200);
      expect(response.headers.get('content-type')).to.equal('application/pdf');
      expect(response.headers.get('cache-control')).to.equal('no-store');
      expect(response.headers.get('content-disposition')).to.equal(
        'inline; filename="Giay bien nhan 0012.pdf"; ' +
          "filename*=UTF-8''Gi%E1%BA%A5y%20bi%C3%AAn%20nh%E1%BA%ADn%200012.pdf",
      );
      const bytes = Buffer.from(await response.arrayBuffer());
      expect(await extractText(bytes)).to.include('GIẤY BIÊN NHẬN');
    } finally {
      await server.close();
    }
  });

  it('fails before writing anything when the document cannot be laid out', async () => {
    const broken: PdfDocument = { ...typographyDocument('BeVietnamPro', 'x'), defaultStyle: { font: 'NoSuchFont' } };
    let headersSentOnFailure: boolean | undefined;
    const server = await serve((_req, res) => {
      streamPdf(broken, res, { filename: 'x.pdf', disposition: 'attachment' }).catch(() => {
        headersSentOnFailure = res.headersSent;
        res.statusCode = 500;
        res.end('error page');
      });
    });
    try {
      const response = await fetch(server.url);
      expect(response.status).to.equal(500);
      expect(await response.text()).to.equal('error page');
      expect(headersSentOnFailure).to.equal(false);
    } finally {
      await server.close();
    }
  });
});
