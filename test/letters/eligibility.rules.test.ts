// Eligibility of letters: which reasons fit which letters, and which assessments can be saved.
import { expect } from 'chai';
import {
  applicableReasons,
  checkAssessment,
  statusForHandling,
  suggestedAssessment,
  type Assessment,
  type LetterFacts,
} from '../../server/letters/eligibility.rules.js';
import type { EligibilityReason, LetterHandling, LetterType } from '../../server/letters/letter-kinds.js';
import { caseTypeOf, letterTokens } from '../../server/letters/letters.rules.js';

const named = (type: LetterType): LetterFacts => ({ type, anonymous: false, hasEvidence: false });
const anonymous = (type: LetterType, hasEvidence: boolean): LetterFacts => ({ type, anonymous: true, hasEvidence });

describe('letter eligibility rules', () => {
  describe('reasons that fit a letter', () => {
    const table: [string, LetterFacts, EligibilityReason[]][] = [
      ['a named complaint', named('complaint'), ['no-identity', 'no-decision-named', 'already-guided', 'sent-to-competent-body']],
      ['a named denunciation', named('denunciation'), ['no-identity', 'no-conduct-named', 'already-guided', 'sent-to-competent-body']],
      ['a named petition', named('petition'), ['no-identity', 'already-guided', 'sent-to-competent-body']],
      ['a named feedback letter', named('feedback'), ['no-identity', 'already-guided', 'sent-to-competent-body']],
      ['a named mixed letter', named('mixed'), ['no-identity', 'no-decision-named', 'no-conduct-named', 'already-guided', 'sent-to-competent-body']],
      ['an anonymous denunciation without evidence', anonymous('denunciation', false), ['no-conduct-named', 'already-guided', 'sent-to-competent-body', 'anonymous-no-evidence']],
      ['an anonymous denunciation with concrete evidence', anonymous('denunciation', true), ['no-conduct-named', 'already-guided', 'sent-to-competent-body']],
      ['an anonymous petition with evidence', anonymous('petition', true), ['already-guided', 'sent-to-competent-body']],
    ];
    for (const [label, facts, expected] of table) {
      it(`for ${label}: ${expected.join(', ')}`, () => {
        expect(applicableReasons(facts)).to.deep.equal(expected);
      });
    }
  });

  describe('assessments', () => {
    const ok: Assessment = { eligible: true, reasons: [], handling: 'forward' };
    const table: [string, LetterFacts, Assessment, string[]][] = [
      ['an eligible complaint forwarded', named('complaint'), ok, []],
      ['an eligible petition proposed for acceptance', named('petition'), { ...ok, handling: 'propose-acceptance' }, []],
      ['an eligible letter returned with guidance (not our competence)', named('petition'), { ...ok, handling: 'return-with-guidance' }, []],
      ['an anonymous denunciation WITH concrete evidence, eligible and forwarded', anonymous('denunciation', true), ok, []],
      [
        'an anonymous denunciation with evidence declared ineligible as "anonymous without evidence"',
        anonymous('denunciation', true),
        { eligible: false, reasons: ['anonymous-no-evidence'], handling: 'file' },
        ['reasons:anonymous-with-evidence'],
      ],
      ['an anonymous denunciation without evidence, filed', anonymous('denunciation', false), { eligible: false, reasons: ['anonymous-no-evidence'], handling: 'file' }, []],
      ['an anonymous letter refused for "no identity" (it has its own reason)', anonymous('petition', false), { eligible: false, reasons: ['no-identity'], handling: 'file' }, ['reasons:reason-not-applicable']],
      ['a complaint naming no decision, returned with guidance', named('complaint'), { eligible: false, reasons: ['no-decision-named'], handling: 'return-with-guidance' }, []],
      ['a denunciation refused for naming no decision (a complaint reason)', named('denunciation'), { eligible: false, reasons: ['no-decision-named'], handling: 'file' }, ['reasons:reason-not-applicable']],
      ['a complaint refused for naming no conduct (a denunciation reason)', named('complaint'), { eligible: false, reasons: ['no-conduct-named'], handling: 'file' }, ['reasons:reason-not-applicable']],
      ['a mixed letter with both kinds of reasons', named('mixed'), { eligible: false, reasons: ['no-decision-named', 'no-conduct-named'], handling: 'file' }, []],
      ['an ineligible letter without a reason', named('petition'), { eligible: false, reasons: [], handling: 'file' }, ['reasons:reason-required']],
      ['an eligible letter with a reason', named('petition'), { eligible: true, reasons: ['already-guided'], handling: 'forward' }, ['reasons:reasons-when-eligible']],
      ['an ineligible letter forwarded', named('petition'), { eligible: false, reasons: ['already-guided'], handling: 'forward' }, ['handling:handling-needs-eligible']],
      ['an ineligible letter proposed for acceptance', named('complaint'), { eligible: false, reasons: ['sent-to-competent-body'], handling: 'propose-acceptance' }, ['handling:handling-needs-eligible']],
      ['a letter already guided, filed', named('feedback'), { eligible: false, reasons: ['already-guided'], handling: 'file' }, []],
    ];
    for (const [label, facts, assessment, expected] of table) {
      it(`${label}: ${expected.length ? expected.join(', ') : 'accepted'}`, () => {
        expect(checkAssessment(facts, assessment).map((p) => `${p.field}:${p.problem}`)).to.deep.equal(expected);
      });
    }
  });

  it('suggests "not eligible" only for an anonymous letter without evidence', () => {
    expect(suggestedAssessment(anonymous('denunciation', false))).to.deep.equal({ eligible: false, reasons: ['anonymous-no-evidence'] });
    expect(suggestedAssessment(anonymous('denunciation', true))).to.deep.equal({ eligible: null, reasons: [] });
    expect(suggestedAssessment(named('complaint'))).to.deep.equal({ eligible: null, reasons: [] });
  });

  it('moves cases by handling outcome: filed, returned, or in progress until forwarded', () => {
    const table: [LetterHandling, string][] = [
      ['file', 'filed'],
      ['return-with-guidance', 'returned'],
      ['forward', 'in-progress'],
      ['propose-acceptance', 'in-progress'],
    ];
    for (const [handling, status] of table) expect(statusForHandling(handling), handling).to.equal(status);
  });

  it("takes a mixed letter's case type from its main part", () => {
    expect(caseTypeOf('complaint', null)).to.equal('complaint');
    expect(caseTypeOf('complaint', 'petition')).to.equal('complaint');
    expect(caseTypeOf('mixed', 'denunciation')).to.equal('denunciation');
    expect(() => caseTypeOf('mixed', null)).to.throw();
  });

  it("keeps a protected letter's senders out of the open search words", () => {
    const base = { summary: 'Tố cáo cán bộ địa chính', forwardedBy: null, caseNumbers: ['2026/000007'], senders: [{ name: 'Lý Thị Kín', citizenId: '045190000333' }] };
    const open = letterTokens({ ...base, confidential: false });
    expect(open.searchTokens).to.include.members(['ly', 'thi', 'kin', '045190000333', 'dia', 'chinh', '2026', '000007']);
    expect(open.identityTokens).to.deep.equal([]);
    const secret = letterTokens({ ...base, confidential: true });
    expect(secret.searchTokens).to.not.include.members(['kin']);
    expect(secret.searchTokens).to.not.include('045190000333');
    expect(secret.identityTokens).to.include.members(['ly', 'thi', 'kin', '045190000333']);
  });
});
