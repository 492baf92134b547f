// What a new password must be (OWASP ASVS 5.0 §6.2): at least 8 characters, long ones allowed (up to
// 256 so a pasted passphrase fits), not a commonly used password, not the user's own email or name.
// No composition rules: they make passwords harder to remember without making them stronger.
import { foldVietnamese } from '../platform/text.js';

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 256;

export interface PasswordContext {
  email?: string;
  name?: string;
}

/** Returns a message key explaining why the password is refused, or null when it is acceptable. */
export function passwordProblem(
  password: string,
  isCommon: (candidate: string) => boolean,
  context: PasswordContext = {},
): string | null {
  const length = [...password].length; // code points, so "mậtkhẩu" counts as 7 letters, not 9 units
  if (length < PASSWORD_MIN_LENGTH) return 'users.password.tooShort';
  if (length > PASSWORD_MAX_LENGTH) return 'users.password.tooLong';
  if (password.trim().length === 0) return 'users.password.tooShort';
  const lowered = password.toLowerCase();
  const folded = foldVietnamese(password).replace(/\s+/g, '');
  if (isCommon(lowered) || isCommon(folded)) return 'users.password.common';
  const email = context.email?.toLowerCase();
  if (email && (lowered === email || lowered === email.split('@')[0])) return 'users.password.likeAccount';
  const name = context.name ? foldVietnamese(context.name).replace(/\s+/g, '') : '';
  if (name.length >= 4 && folded.includes(name)) return 'users.password.likeAccount';
  return null;
}
