// The pure rules of agencies: the competent-agency suggestion (a table of matters), contacts, parent
// loops, and reading CSV.
import { expect } from 'chai';
import { CsvSyntaxError, detectSeparator, mapHeader, parseContacts, parseCsv, parseLevel, splitList } from '../../server/agencies/agencies-csv.js';
import { contactProblems, matchOf, normaliseEmail, suggestAgencies, wouldLoop, type AgencyCandidate, type SuggestionInput } from '../../server/agencies/agencies.rules.js';
import { foldVietnamese } from '../../server/platform/text.js';

const COMMUNE_FIELDS = ['dat-dai', 'nha-o-xay-dung', 'chinh-sach-nguoi-co-cong', 'cong-chuc-cong-vu'];

function agency(id: string, name: string, level: AgencyCandidate['level'], fieldCodes: string[], unitCodes: string[] = [], active = true): AgencyCandidate {
  return { id, name, nameFolded: foldVietnamese(name), shortName: '', level, fieldCodes, unitCodes, active };
}

const AGENCIES: AgencyCandidate[] = [
  agency('ubnd-tinh', 'UBND tỉnh', 'province', []),
  agency('thanh-tra', 'Thanh tra tỉnh', 'province', ['cong-chuc-cong-vu', 'tham-nhung-tieu-cuc']),
  agency('so-nnmt', 'Sở Nông nghiệp và Môi trường', 'province', ['dat-dai', 'tai-nguyen-moi-truong', 'nong-nghiep']),
  agency('so-xd', 'Sở Xây dựng', 'province', ['nha-o-xay-dung', 'giao-thong']),
  agency('so-yt', 'Sở Y tế', 'province', ['y-te']),
  agency('so-yt-cu', 'Sở Y tế (cũ)', 'province', ['y-te'], [], false),
  agency('cong-an', 'Công an tỉnh', 'other', ['tham-nhung-tieu-cuc', 'giao-thong']),
  agency('toa-an', 'Tòa án nhân dân tỉnh', 'other', ['tu-phap-thi-hanh-an']),
  agency('vks', 'Viện kiểm sát nhân dân tỉnh', 'other', ['tu-phap-thi-hanh-an']),
  agency('xa-cam-lo', 'UBND xã Cam Lộ', 'commune', COMMUNE_FIELDS, ['qt-xa-cam-lo']),
  agency('xa-khe-sanh', 'UBND xã Khe Sanh', 'commune', COMMUNE_FIELDS, ['qt-xa-khe-sanh']),
  agency('phuong-dong-ha', 'UBND phường Đông Hà', 'commune', [], ['qt-phuong-dong-ha']),
  agency('bo-nnmt', 'Bộ Nông nghiệp và Môi trường', 'central', ['dat-dai', 'tai-nguyen-moi-truong', 'nong-nghiep']),
  agency('bo-xd', 'Bộ Xây dựng', 'central', ['nha-o-xay-dung', 'giao-thong']),
];

interface Row {
  why: string;
  input: SuggestionInput;
  expected: string[];
}

const TABLE: Row[] = [
  {
    why: 'a land complaint in Cam Lộ: the commune first (field and commune), then the field province-wide (province before ministry), then general competence',
    input: { fieldCode: 'dat-dai', unitCode: 'qt-xa-cam-lo', caseType: 'complaint' },
    expected: ['xa-cam-lo', 'so-nnmt', 'bo-nnmt', 'ubnd-tinh'],
  },
  {
    why: 'a complaint about a commune decision in a field the commune lists: that commune’s UBND, not another commune’s',
    input: { fieldCode: 'nha-o-xay-dung', unitCode: 'qt-xa-khe-sanh', caseType: 'complaint' },
    expected: ['xa-khe-sanh', 'so-xd', 'bo-xd', 'ubnd-tinh'],
  },
  {
    why: 'a complaint in a ward whose UBND has general competence: the field body first, then the ward’s UBND before the province’s',
    input: { fieldCode: 'nha-o-xay-dung', unitCode: 'qt-phuong-dong-ha', caseType: 'complaint' },
    expected: ['so-xd', 'bo-xd', 'phuong-dong-ha', 'ubnd-tinh'],
  },
  {
    why: 'a denunciation of a commune official: the commune’s UBND (which manages its officials), then the inspectorate',
    input: { fieldCode: 'cong-chuc-cong-vu', unitCode: 'qt-xa-cam-lo', caseType: 'denunciation' },
    expected: ['xa-cam-lo', 'thanh-tra', 'ubnd-tinh'],
  },
  {
    why: 'a corruption denunciation without a commune: the province’s inspectorate before the police',
    input: { fieldCode: 'tham-nhung-tieu-cuc', caseType: 'denunciation' },
    expected: ['thanh-tra', 'cong-an', 'ubnd-tinh'],
  },
  {
    why: 'a health petition: the active department only, never the deactivated one',
    input: { fieldCode: 'y-te', unitCode: 'qt-xa-cam-lo', caseType: 'petition' },
    expected: ['so-yt', 'ubnd-tinh'],
  },
  {
    why: 'a central voter petition on land: the ministry before the department',
    input: { fieldCode: 'dat-dai', caseType: 'voter-petition-central' },
    expected: ['bo-nnmt', 'so-nnmt', 'ubnd-tinh'],
  },
  {
    why: 'a local voter petition on transport: the province first, then the police, then the ministry',
    input: { fieldCode: 'giao-thong', caseType: 'voter-petition-local' },
    expected: ['so-xd', 'cong-an', 'bo-xd', 'ubnd-tinh'],
  },
  {
    why: 'a judicial matter: courts and prosecutors (alphabetically), then general competence',
    input: { fieldCode: 'tu-phap-thi-hanh-an' },
    expected: ['toa-an', 'vks', 'ubnd-tinh'],
  },
  {
    why: 'nothing known: only bodies of general competence covering the whole province',
    input: {},
    expected: ['ubnd-tinh'],
  },
  {
    why: 'only a commune known: general competence there, the commune’s body first for a complaint',
    input: { unitCode: 'qt-phuong-dong-ha', caseType: 'complaint' },
    expected: ['phuong-dong-ha', 'ubnd-tinh'],
  },
  {
    why: 'a field nobody lists: general competence only',
    input: { fieldCode: 'khac', unitCode: 'qt-xa-cam-lo', caseType: 'feedback' },
    expected: ['ubnd-tinh'],
  },
];

describe('suggesting the competent agency', () => {
  for (const row of TABLE) {
    it(row.why, () => {
      expect(suggestAgencies(AGENCIES, row.input).map((s) => s.agency.id)).to.deep.equal(row.expected);
    });
  }

  it('gives at most five, never an inactive agency, and counts each agency once', () => {
    const many = Array.from({ length: 9 }, (_, i) => agency(`s${i}`, `Sở ${i}`, 'province', ['dat-dai']));
    const result = suggestAgencies([...many, ...many, agency('off', 'A ngừng', 'province', ['dat-dai'], [], false)], { fieldCode: 'dat-dai' });
    expect(result).to.have.length(5);
    expect(result.map((s) => s.agency.id)).to.deep.equal(['s0', 's1', 's2', 's3', 's4']);
    expect(suggestAgencies(AGENCIES, { fieldCode: 'dat-dai' }, 2)).to.have.length(2);
  });

  it('says how each agency matched', () => {
    expect(suggestAgencies(AGENCIES, { fieldCode: 'dat-dai', unitCode: 'qt-xa-cam-lo' }).map((s) => s.match)).to.deep.equal(['field-commune', 'field-province', 'field-province', 'general']);
    expect(matchOf(AGENCIES.find((a) => a.id === 'xa-khe-sanh')!, { fieldCode: 'dat-dai', unitCode: 'qt-xa-cam-lo' })).to.equal(null);
    expect(matchOf(AGENCIES.find((a) => a.id === 'so-yt-cu')!, { fieldCode: 'y-te' })).to.equal(null);
  });

  it('prefers the more specialised agency among equals', () => {
    const broad = agency('broad', 'A rộng', 'province', ['dat-dai', 'y-te', 'giao-duc']);
    const narrow = agency('narrow', 'Z hẹp', 'province', ['dat-dai']);
    expect(suggestAgencies([broad, narrow], { fieldCode: 'dat-dai' }).map((s) => s.agency.id)).to.deep.equal(['narrow', 'broad']);
  });
});

describe('agency contacts and parents', () => {
  it('accepts plausible email addresses, lower-cased, and refuses the rest', () => {
    expect(normaliseEmail('  VanThu.SYT@QuangTri.Example.GOV.vn ')).to.equal('vanthu.syt@quangtri.example.gov.vn');
    for (const bad of ['', 'vanthu', 'a@b', 'a b@c.vn', 'a@@b.vn', '<a@b.vn>', 'a@b..vn', 'a@-b.vn', 'a@b.vn; c@d.vn', 'ĐạiBiểu@qh.vn']) {
      expect(normaliseEmail(bad), bad).to.equal(null);
    }
  });

  it('needs a "to" address, each address once, at most ten', () => {
    const c = (email: string, role: 'to' | 'cc' | 'head' = 'to') => ({ email, name: '', role });
    expect(contactProblems([c('a@b.vn'), c('x@b.vn', 'cc')])).to.deep.equal([]);
    expect(contactProblems([c('a@b.vn', 'cc')]).map((p) => p.problem)).to.deep.equal(['agencies.errors.contactToRequired']);
    expect(contactProblems([c('a@b.vn'), c('a@b.vn', 'head')])).to.deep.equal([{ index: 1, problem: 'agencies.errors.contactRepeated' }]);
    expect(contactProblems(Array.from({ length: 11 }, (_, i) => c(`a${i}@b.vn`))).map((p) => p.problem)).to.deep.equal(['agencies.errors.contactsTooMany']);
  });

  it('finds a parent chain that would loop', () => {
    const parents: Record<string, string | null> = { so: 'ubnd', ubnd: null, phong: 'so', a: 'b', b: 'a' };
    const parentOf = (id: string) => parents[id];
    expect(wouldLoop('ubnd', 'phong', parentOf)).to.equal(true);
    expect(wouldLoop('so', 'so', parentOf)).to.equal(true);
    expect(wouldLoop('phong', 'ubnd', parentOf)).to.equal(false);
    expect(wouldLoop('moi', null, parentOf)).to.equal(false);
    expect(wouldLoop('moi', 'a', parentOf, 10)).to.equal(true);
  });
});

describe('reading agency CSV', () => {
  it('reads semicolons or commas, quoted fields with separators, quotes and line breaks, a BOM and CRLF', () => {
    const text = '\uFEFFname;to\r\n"Sở ""Y tế""; tỉnh";a@b.vn\r\n"Dòng\nhai";c@d.vn\r\n\r\n';
    const { separator, records } = parseCsv(text);
    expect(separator).to.equal(';');
    expect(records.map((r) => r.cells)).to.deep.equal([
      ['name', 'to'],
      ['Sở "Y tế"; tỉnh', 'a@b.vn'],
      ['Dòng\nhai', 'c@d.vn'],
    ]);
    expect(records.map((r) => r.line)).to.deep.equal([1, 2, 3]);
    const commas = parseCsv('name,to,cc\n"A, B",x@y.vn,"u@v.vn|w@v.vn"');
    expect(commas.separator).to.equal(',');
    expect(commas.records[1]!.cells).to.deep.equal(['A, B', 'x@y.vn', 'u@v.vn|w@v.vn']);
  });

  it('refuses an unclosed quote, naming the line it opened on', () => {
    expect(() => parseCsv('name;to\nA;b@c.vn\n"B;d@e.vn\n')).to.throw(CsvSyntaxError).with.property('line', 3);
  });

  it('detects the separator from the header only', () => {
    expect(detectSeparator('name;to;cc')).to.equal(';');
    expect(detectSeparator('name,to,cc')).to.equal(',');
    expect(detectSeparator('"a;b",to,cc')).to.equal(',');
    expect(detectSeparator('name')).to.equal(';');
  });

  it('maps header names in English or Vietnamese, with or without diacritics', () => {
    expect(mapHeader(['Tên cơ quan', 'Cấp', 'Lĩnh vực', 'Xã phường', 'TO', 'Đồng gửi', 'Thủ trưởng', 'Cơ quan cấp trên', 'Tên viết tắt']).columns).to.deep.equal([
      'name',
      'level',
      'fields',
      'communes',
      'to',
      'cc',
      'head',
      'parent',
      'shortName',
    ]);
    const odd = mapHeader(['name', 'email of boss', '']);
    expect(odd.unknown).to.deep.equal(['email of boss']);
    expect(odd.missing).to.deep.equal(['to']);
  });

  it('reads levels, lists and contacts', () => {
    expect(['central', 'Trung ương', 'TỈNH', 'cấp xã', 'khác', 'huyện', ''].map(parseLevel)).to.deep.equal(['central', 'central', 'province', 'commune', 'other', null, null]);
    expect(splitList(' dat-dai | y-te;;giao-duc |\nkhac')).to.deep.equal(['dat-dai', 'y-te', 'giao-duc', 'khac']);
    expect(splitList('Nhà ở, xây dựng|Y tế')).to.deep.equal(['Nhà ở, xây dựng', 'Y tế']);
    expect(parseContacts('Văn thư <VT@Soyte.example.gov.vn> | b@c.vn, không phải thư', 'cc')).to.deep.equal({
      contacts: [
        { email: 'vt@soyte.example.gov.vn', name: 'Văn thư', role: 'cc' },
        { email: 'b@c.vn', name: '', role: 'cc' },
      ],
      invalid: ['không phải thư'],
    });
  });
});
