// Vietnamese text folding for search: "Nguyễn Văn Á" and "nguyen van a" must find each other, and so
// must "Đường" and "duong". NFD splits tone and vowel marks into combining characters we can drop;
// đ/Đ is a letter of its own, not a combining mark, so it is mapped by hand.

/** Lower case, no tone or vowel marks, đ → d, single spaces, zero-width characters removed. */
export function foldVietnamese(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .replace(/[\u200B-\u200D\u2060\uFEFF]/g, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/** Escapes a user's text for use inside a RegExp (search "a.b" must not match "axb"). */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Removes zero-width and control characters and puts text in NFC, so "Nguyễn" typed either way is one name. */
export function cleanText(value: string): string {
  return value
    .normalize('NFC')
    .replace(/[\u200B-\u200D\u2060\uFEFF]/g, '')
    // eslint-disable-next-line no-control-regex -- stripping control characters is the point
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '')
    .trim();
}
