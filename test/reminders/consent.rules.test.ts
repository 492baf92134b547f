// The rules of the filer's consent to email notices: what intake stores from the officer's answer,
// and whether a stored answer lets a notice go for an ordinary or a confidential case.
import { expect } from 'chai';
import { consentAtIntake, mayEmailFiler, noticeState, type IntakeConsent, type NoticeAnswer, type NoticeState } from '../../server/cases/index.js';

describe('consent to email notices (rules)', () => {
  const intakeTable: [string, { confidential: boolean; answer: NoticeAnswer | null | undefined; emailGiven: boolean }, IntakeConsent][] = [
    ['a complainant who agreed', { confidential: false, answer: 'yes', emailGiven: true }, { ok: true, emailNotices: true }],
    ['a complainant who declined', { confidential: false, answer: 'no', emailGiven: true }, { ok: true, emailNotices: false }],
    ['a complainant not asked', { confidential: false, answer: undefined, emailGiven: true }, { ok: true, emailNotices: null }],
    ['a complainant not asked, without an email', { confidential: false, answer: null, emailGiven: false }, { ok: true, emailNotices: null }],
    ['a denouncer who agreed', { confidential: true, answer: 'yes', emailGiven: true }, { ok: true, emailNotices: true }],
    ['a denouncer who declined', { confidential: true, answer: 'no', emailGiven: true }, { ok: true, emailNotices: false }],
    ['a denouncer with an email, not asked', { confidential: true, answer: undefined, emailGiven: true }, { ok: false, problem: 'ask-denouncer' }],
    ['a denouncer without an email, not asked', { confidential: true, answer: undefined, emailGiven: false }, { ok: true, emailNotices: false }],
    ['a denouncer without an email who agreed (an address on record may be used)', { confidential: true, answer: 'yes', emailGiven: false }, { ok: true, emailNotices: true }],
  ];
  for (const [label, input, expected] of intakeTable) {
    it(`at intake: ${label} → ${JSON.stringify(expected)}`, () => {
      expect(consentAtIntake(input)).to.deep.equal(expected);
    });
  }

  const noticeTable: [boolean | null | undefined, boolean, boolean][] = [
    [true, false, true],
    [true, true, true],
    [false, false, false],
    [false, true, false],
    [null, false, true],
    [null, true, false],
    [undefined, false, true],
    [undefined, true, false],
  ];
  for (const [emailNotices, confidential, expected] of noticeTable) {
    it(`a filer whose answer is ${String(emailNotices)} on a ${confidential ? 'confidential' : 'ordinary'} case ${expected ? 'may' : 'may not'} be emailed`, () => {
      expect(mayEmailFiler({ emailNotices }, confidential)).to.equal(expected);
    });
  }

  const stateTable: [boolean | null | undefined, boolean, NoticeState][] = [
    [true, false, 'agreed'],
    [true, true, 'agreed'],
    [false, false, 'declined'],
    [false, true, 'declined'],
    [null, false, 'notAskedSent'],
    [null, true, 'notAskedWithheld'],
    [undefined, false, 'notAskedSent'],
    [undefined, true, 'notAskedWithheld'],
  ];
  for (const [emailNotices, confidential, expected] of stateTable) {
    it(`the case page says ${expected} for an answer ${String(emailNotices)} on a ${confidential ? 'confidential' : 'ordinary'} case`, () => {
      expect(noticeState({ emailNotices }, confidential)).to.equal(expected);
    });
  }
});
