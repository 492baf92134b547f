// Where a user may be sent back to after a form: only paths on this site. "//evil.example" and
// "/\evil.example" are protocol-relative in browsers and would leave the site.
export function safeReturnPath(value: unknown, fallback = '/'): string {
  if (typeof value !== 'string' || value.length > 500) return fallback;
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return fallback;
  if (/[\r\n]/.test(value)) return fallback;
  return value;
}
