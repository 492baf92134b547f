// Whether the filer of a matter may be emailed about its progress (receipt, forwarding, answer). The
// answer is asked at intake and kept on the filer's party (`emailNotices`): true (agreed), false
// (declined), or null (not asked). Pure functions: the intake schemas and the notices both use them.
//
// Why "not asked" means yes for most matters and no for a protected one: the office has always told
// citizens whose email it knows where their matter stands, so an officer need not ask every
// complainant; but a denouncer's identity is a state secret (Luật Tố cáo 2018, Điều 9 and 56), and
// an email about the matter in a personal mailbox can itself reveal who denounced. Only the
// denouncer can accept that risk, so for a protected matter only an explicit yes counts.

export const NOTICE_ANSWERS = ['yes', 'no'] as const;
export type NoticeAnswer = (typeof NOTICE_ANSWERS)[number];

export type IntakeConsent = { ok: true; emailNotices: boolean | null } | { ok: false; problem: 'ask-denouncer' };

/**
 * What intake stores from the officer's answer. A protected matter (a denunciation) with an email
 * typed must have an answer: the officer asks the denouncer rather than the app guessing. Without an
 * email there is nobody to write to, so a missing answer is stored as a refusal.
 */
export function consentAtIntake(input: { confidential: boolean; answer: NoticeAnswer | null | undefined; emailGiven: boolean }): IntakeConsent {
  if (input.answer === 'yes') return { ok: true, emailNotices: true };
  if (input.answer === 'no') return { ok: true, emailNotices: false };
  if (!input.confidential) return { ok: true, emailNotices: null };
  if (input.emailGiven) return { ok: false, problem: 'ask-denouncer' };
  return { ok: true, emailNotices: false };
}

/** Whether a filer party may receive notices about a case: an explicit answer wins; otherwise yes only when the case is not confidential. */
export function mayEmailFiler(party: { emailNotices?: boolean | null }, caseConfidential: boolean): boolean {
  if (party.emailNotices === true) return true;
  if (party.emailNotices === false) return false;
  return !caseConfidential;
}

/** What a filer's recorded answer means, as the case page says it: an answer, or "not asked" with its effect. */
export type NoticeState = 'agreed' | 'declined' | 'notAskedSent' | 'notAskedWithheld';

export function noticeState(party: { emailNotices?: boolean | null }, caseConfidential: boolean): NoticeState {
  if (party.emailNotices === true) return 'agreed';
  if (party.emailNotices === false) return 'declined';
  return mayEmailFiler(party, caseConfidential) ? 'notAskedSent' : 'notAskedWithheld';
}
