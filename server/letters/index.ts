// What other modules may use of the letter register.
export { LetterModel } from './letter.model.js';
export type { Letter } from './letter.model.js';
export { LETTER_CHANNELS, LETTER_TYPES, LETTER_HANDLINGS, ELIGIBILITY_REASONS } from './letter-kinds.js';
export type { LetterChannel, LetterType, LetterHandling, EligibilityReason } from './letter-kinds.js';
export { logLetter } from './letters.service.js';
export type { LogLetterResult } from './letters.service.js';
export { assessLetter, attachScans, splitLetter } from './letter-handling.service.js';
export { listLetters, lettersOfCase, getLetterDetail } from './letters.queries.js';
export type { LetterRow, LetterDetail } from './letters.queries.js';
export { lettersRouter } from './letters.routes.js';
export { letterIntakeSchema, assessmentSchema } from './letters.schemas.js';
export { retokeniseProtectedLetters } from './retokenise.js';
