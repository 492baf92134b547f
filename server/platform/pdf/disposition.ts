// Content-Disposition for a file name like "Giấy biên nhận 0012.pdf". The `filename*` parameter
// (RFC 6266 / RFC 8187) carries it exactly in UTF-8; the plain `filename` is an ASCII fallback for
// clients that ignore `filename*`, with the diacritics dropped rather than mangled.

function asciiFallback(filename: string): string {
  const stripped = filename
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .replace(/[^A-Za-z0-9 ._()-]/g, '_')
    .trim();
  return stripped === '' ? 'document.pdf' : stripped;
}

/** Percent-encodes everything outside RFC 8187's attr-char set (encodeURIComponent leaves ' ( ) * alone). */
function extendedValue(filename: string): string {
  return encodeURIComponent(filename.normalize('NFC')).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

export function contentDisposition(kind: 'inline' | 'attachment', filename: string): string {
  return `${kind}; filename="${asciiFallback(filename)}"; filename*=UTF-8''${extendedValue(filename)}`;
}
