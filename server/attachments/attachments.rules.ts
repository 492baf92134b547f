// Pure rules of attachments: which file types are accepted (decided by the bytes, never by the
// client's label), how an uploaded file name is cleaned for display, and how a download is named.
// No I/O here; table-tested in test/attachments/rules.test.ts.

/** The only types the office accepts, keyed by the extension `file-type` reports for them. */
export const ALLOWED_TYPES = {
  pdf: 'application/pdf',
  jpg: 'image/jpeg',
  png: 'image/png',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;

/** Default limits of an upload form: files per request and bytes per file. */
export const DEFAULT_MAX_FILES = 10;
export const DEFAULT_MAX_BYTES = 20 * 1024 * 1024;

export type AllowedExtension = keyof typeof ALLOWED_TYPES;

export interface AllowedType {
  extension: AllowedExtension;
  contentType: (typeof ALLOWED_TYPES)[AllowedExtension];
}

/**
 * The accepted type for what the magic-byte sniffer found, or null. Both the extension and the MIME
 * type must be the ones in the table, so a macro-enabled .docm or a plain ZIP never passes as .docx.
 */
export function allowedType(detected: { ext: string; mime: string } | undefined | null): AllowedType | null {
  if (!detected || !Object.hasOwn(ALLOWED_TYPES, detected.ext)) return null;
  const extension = detected.ext as AllowedExtension;
  const contentType = ALLOWED_TYPES[extension];
  return detected.mime === contentType ? { extension, contentType } : null;
}

export const MAX_FILE_NAME_LENGTH = 255;

// Control characters (C0, DEL, C1), zero-width characters, and bidirectional controls: a right-to-left
// override can make "hoso\u202Efdp.exe" display as "hosoexe.pdf".
// eslint-disable-next-line no-control-regex -- removing control characters is the point
const UNSAFE_CHARACTERS = /[\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/g;

/**
 * The name shown to staff: NFC, without control or invisible characters, without any folder part
 * (old browsers sent "C:\\Users\\…\\scan.pdf"), spaces collapsed, at most 255 characters with the
 * extension kept when it has to be shortened. Empty when nothing usable is left.
 */
export function cleanFileName(raw: string): string {
  // Line breaks and tabs separate words: they become spaces before the other controls are dropped.
  let name = raw.normalize('NFC').replace(/[\t\n\v\f\r]/g, ' ').replace(UNSAFE_CHARACTERS, '');
  name = name.split(/[/\\]/).pop() ?? '';
  name = name.replace(/\s+/g, ' ').trim();
  if (/^\.*$/.test(name)) return '';
  const characters = Array.from(name);
  if (characters.length <= MAX_FILE_NAME_LENGTH) return name;
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 ? Array.from(name.slice(dot)) : [];
  if (extension.length === 0 || extension.length > 16) return characters.slice(0, MAX_FILE_NAME_LENGTH).join('').trim();
  const base = Array.from(name.slice(0, dot)).slice(0, MAX_FILE_NAME_LENGTH - extension.length);
  return base.join('').trimEnd() + extension.join('');
}

const EQUIVALENT_EXTENSIONS: Readonly<Record<string, readonly string[]>> = { jpg: ['jpg', 'jpeg'] };

/**
 * The name a download is saved under: the uploaded name, with the real extension appended when the
 * name claims another (a PNG uploaded as "scan.pdf" is saved as "scan.pdf.png", so it opens in the
 * right program). A name that was empty after cleaning becomes "tep-dinh-kem.<ext>".
 */
export function downloadName(originalName: string, extension: string): string {
  const name = cleanFileName(originalName);
  if (!name) return `tep-dinh-kem.${extension}`;
  const dot = name.lastIndexOf('.');
  const claimed = dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
  const accepted = EQUIVALENT_EXTENSIONS[extension] ?? [extension];
  return accepted.includes(claimed) ? name : `${name}.${extension}`;
}

/** An ASCII stand-in for clients that ignore `filename*`: tone marks dropped, đ → d, the rest "_". */
export function asciiFileName(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .replace(/[^\x20-\x7E]|["\\%]/g, '_');
}

/** Percent-encoding for an RFC 8187 (formerly 5987) ext-value: everything outside attr-char. */
function encodeExtValue(text: string): string {
  return encodeURIComponent(text).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** `attachment; filename="ASCII"; filename*=UTF-8''…` — the file is always saved, never shown inline. */
export function contentDispositionFor(name: string): string {
  return `attachment; filename="${asciiFileName(name)}"; filename*=UTF-8''${encodeExtValue(name)}`;
}

/** A size limit in megabytes for messages: "20", or "2,5" in Vietnamese and "2.5" in English. */
export function megabytes(bytes: number, lang: 'vi' | 'en'): string {
  return (bytes / (1024 * 1024)).toLocaleString(lang === 'vi' ? 'vi-VN' : 'en-GB', { maximumFractionDigits: 1, useGrouping: false });
}
