// Which petitions are suggested as saying the same thing, and what merging adds up to: tables of real
// wordings (the same road, the same clinic, in different voters' words) against different subjects.
import { expect } from 'chai';
import { aggregateOriginals, mergeProblem, mergeSuggestions, petitionWords, similarity, type Mergeable } from '../../server/meetings/merge.rules.js';

const ROAD_A = 'Cử tri đề nghị sửa chữa tuyến đường liên xã bị sạt lở nghiêm trọng';
const ROAD_B = 'Đề nghị sớm sửa chữa đường liên xã sạt lở sau mưa lũ';
const ROAD_C = 'Kiến nghị các cấp quan tâm sửa chữa tuyến đường liên xã bị sạt lở';
const CLINIC_A = 'Trạm y tế xã thiếu thuốc, người dân phải mua ngoài';
const CLINIC_B = 'Cử tri phản ánh trạm y tế xã thiếu thuốc điều trị, người dân phải mua thuốc bên ngoài';
const OTHER_ROAD = 'Đề nghị nâng cấp đường giao thông nông thôn thôn 3 đã xuống cấp';

describe('merge rules: petition words and similarity', () => {
  it('folds the text and leaves out the framing words', () => {
    expect(petitionWords('Cử tri đề nghị sửa chữa Đường liên xã')).to.deep.equal(['sua', 'chua', 'duong', 'lien', 'xa']);
    expect(petitionWords('  ')).to.deep.equal([]);
  });

  const pairs: [string, string, string, (score: number) => boolean][] = [
    ['the same road in two wordings', ROAD_A, ROAD_B, (s) => s >= 0.5],
    ['the same road in a third wording', ROAD_A, ROAD_C, (s) => s >= 0.8],
    ['the same clinic, one wording longer', CLINIC_A, CLINIC_B, (s) => s >= 0.5],
    ['a road repair and another road upgrade', ROAD_A, OTHER_ROAD, (s) => s < 0.5],
    ['a road and a clinic', ROAD_B, CLINIC_A, (s) => s < 0.3],
    ['identical texts', ROAD_A, ROAD_A, (s) => s === 1],
    ['a text too short to compare', 'Đường xấu', 'Đường xấu', (s) => s === 0],
  ];
  for (const [label, a, b, check] of pairs) {
    it(`scores ${label}`, () => {
      const score = similarity(petitionWords(a), petitionWords(b));
      expect(check(score), `score ${score}`).to.equal(true);
      expect(similarity(petitionWords(b), petitionWords(a))).to.equal(score);
    });
  }
});

describe('merge rules: suggestions', () => {
  const p = (id: string, text: string, fieldCode: string | null = 'giao-thong', status: Mergeable['status'] = 'recorded'): Mergeable => ({ id, fieldCode, words: petitionWords(text), status });

  const cases: { label: string; petitions: Mergeable[]; expected: string[][] }[] = [
    { label: 'three wordings of one road in one group', petitions: [p('1', ROAD_A), p('2', OTHER_ROAD), p('3', ROAD_B), p('4', ROAD_C)], expected: [['1', '3', '4']] },
    { label: 'two groups, largest first', petitions: [p('1', CLINIC_A, 'y-te'), p('2', ROAD_A), p('3', ROAD_B), p('4', CLINIC_B, 'y-te'), p('5', ROAD_C)], expected: [['2', '3', '5'], ['1', '4']] },
    { label: 'never across fields', petitions: [p('1', ROAD_A, 'giao-thong'), p('2', ROAD_B, 'nong-nghiep')], expected: [] },
    { label: 'never without a field', petitions: [p('1', ROAD_A, null), p('2', ROAD_B, null)], expected: [] },
    { label: 'not petitions already forwarded or merged away', petitions: [p('1', ROAD_A), p('2', ROAD_B, 'giao-thong', 'forwarded'), p('3', ROAD_C, 'giao-thong', 'merged')], expected: [] },
    { label: 'a compiled petition still counts', petitions: [p('1', ROAD_A, 'giao-thong', 'compiled'), p('2', ROAD_C)], expected: [['1', '2']] },
    { label: 'nothing alike', petitions: [p('1', ROAD_A), p('2', OTHER_ROAD)], expected: [] },
  ];
  for (const c of cases) {
    it(c.label, () => {
      expect(mergeSuggestions(c.petitions).map((g) => g.ids)).to.deep.equal(c.expected);
    });
  }

  it('reports the weakest link that joined the group', () => {
    const [group] = mergeSuggestions([p('1', ROAD_A), p('2', ROAD_B), p('3', ROAD_C)]);
    const scores = [similarity(petitionWords(ROAD_A), petitionWords(ROAD_C)), similarity(petitionWords(ROAD_B), petitionWords(ROAD_C)), similarity(petitionWords(ROAD_A), petitionWords(ROAD_B))].sort();
    expect(group!.score).to.be.at.most(scores[2]!);
    expect(group!.score).to.be.at.least(0.5);
  });
});

describe('merge rules: what may be merged, and what it adds up to', () => {
  const c = (id: string, extra: Partial<Parameters<typeof mergeProblem>[0][number]> = {}) => ({ id, kind: 'original' as const, level: 'quoc-hoi', sessionId: 's1', status: 'recorded' as const, ...extra });
  const cases: [string, Parameters<typeof mergeProblem>[0], string | null][] = [
    ['two originals of one session', [c('a'), c('b')], null],
    ['a single petition', [c('a')], 'meetings.errors.mergeTooFew'],
    ['the same petition twice', [c('a'), c('a')], 'meetings.errors.mergeTooFew'],
    ['one already forwarded', [c('a'), c('b', { status: 'forwarded' })], 'meetings.errors.mergeNotEditable'],
    ['one merged away already', [c('a'), c('b', { status: 'merged' })], 'meetings.errors.mergeNotEditable'],
    ['National Assembly with People’s Council', [c('a'), c('b', { level: 'hdnd-tinh' })], 'meetings.errors.mergeLevels'],
    ['two sessions', [c('a'), c('b', { sessionId: 's2' })], 'meetings.errors.mergeSessions'],
    ['a consolidated petition with a new original', [c('a', { kind: 'consolidated' as never }), c('b', { status: 'compiled' })], null],
  ];
  for (const [label, petitions, problem] of cases) {
    it(`${label}: ${problem ?? 'allowed'}`, () => {
      expect(mergeProblem(petitions)).to.equal(problem);
    });
  }

  it('counts distinct meetings and localities and every voter', () => {
    expect(
      aggregateOriginals([
        { meetingId: 'm1', voterCount: 3, unitCode: 'x1', delegateUserIds: ['u1'] },
        { meetingId: 'm2', voterCount: 5, unitCode: 'x2', delegateUserIds: ['u1', 'u2'] },
        { meetingId: 'm1', voterCount: 1, unitCode: null, delegateUserIds: [] },
      ]),
    ).to.deep.equal({ meetingIds: ['m1', 'm2'], meetingCount: 2, voterCount: 9, unitCodes: ['x1', 'x2'], delegateUserIds: ['u1', 'u2'] });
  });
});
