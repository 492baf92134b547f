// Password hashing with argon2id (OWASP's recommended parameters are the library's defaults: 64 MiB,
// 3 passes, 4 lanes). Generated passwords are for first sign-in and resets only.
import crypto from 'node:crypto';
import argon2 from 'argon2';

export async function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false; // a malformed stored hash must read as "wrong password", not as a crash
  }
}

// Letters and digits without look-alikes (0/O, 1/l/I), grouped for reading aloud over the phone.
const ALPHABET = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

export function generatePassword(groups = 4, groupLength = 4): string {
  const parts: string[] = [];
  for (let g = 0; g < groups; g++) {
    let part = '';
    for (let i = 0; i < groupLength; i++) part += ALPHABET[crypto.randomInt(ALPHABET.length)];
    parts.push(part);
  }
  return parts.join('-');
}

/** A hash of a random secret nobody knows, to spend the same time when the account does not exist. */
let decoyHash: Promise<string> | null = null;
export function decoyPasswordHash(): Promise<string> {
  decoyHash ??= hashPassword(crypto.randomBytes(16).toString('hex'));
  return decoyHash;
}
