// The kinds of things a letter can be and become (DOMAIN.md, Classification). Plain constants, shared
// by the model, the pure rules and the forms.

export const LETTER_CHANNELS = ['in-person', 'post', 'email', 'forwarded-by-body', 'press', 'leader-assigned', 'online', 'other'] as const;
export type LetterChannel = (typeof LETTER_CHANNELS)[number];

/** A case's types, plus "mixed" for a letter with several kinds of content (split into cases later). */
export const LETTER_TYPES = ['complaint', 'denunciation', 'petition', 'feedback', 'mixed'] as const;
export type LetterType = (typeof LETTER_TYPES)[number];

/** lưu đơn · trả đơn và hướng dẫn · chuyển đơn · đề xuất thụ lý */
export const LETTER_HANDLINGS = ['file', 'return-with-guidance', 'forward', 'propose-acceptance'] as const;
export type LetterHandling = (typeof LETTER_HANDLINGS)[number];

/** Why a letter is not eligible for handling (đơn không đủ điều kiện xử lý). */
export const ELIGIBILITY_REASONS = [
  'no-identity', // no name, address or signature of the filer
  'no-decision-named', // a complaint that names no administrative decision or act
  'no-conduct-named', // a denunciation that names no wrongful conduct or person
  'already-guided', // the same content was already guided or answered once
  'sent-to-competent-body', // sent to several bodies, the competent one among them
  'anonymous-no-evidence', // anonymous, without concrete information or evidence
] as const;
export type EligibilityReason = (typeof ELIGIBILITY_REASONS)[number];

/** A split letter has 2 to 5 parts. */
export const MIN_SPLIT_PARTS = 2;
export const MAX_SPLIT_PARTS = 5;
