// Search words of protected letters derived again with the current rule (letterTokens): see
// cases/retokenise.ts.
import { retokeniseProtected } from '../cases/index.js';
import { LetterModel, type Letter } from './letter.model.js';
import { letterTokens } from './letters.rules.js';

export function retokeniseProtectedLetters(): Promise<number> {
  return retokeniseProtected<Letter>(LetterModel.collection, { forwardedBy: 1, caseNumbers: 1, senders: 1 }, letterTokens);
}
