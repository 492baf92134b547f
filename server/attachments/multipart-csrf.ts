// CSRF for multipart forms. The app's CSRF check runs before the routes and reads the token from
// `req.body._csrf`, but a multipart body is parsed only later, by the route's upload parser. This
// middleware, mounted just before the CSRF check, reads the first part of a multipart body — which
// our forms make the `_csrf` field — puts it on `req.body._csrf`, and pushes the bytes it read back
// onto the request stream, so the route's parser later sees the body untouched.
//
// The check itself stays with the one CSRF middleware: a multipart request whose first part is not
// a valid `_csrf` field (and that has no X-CSRF-Token header) is refused with 403 before any route
// runs, so nothing is stored. Forms: `enctype="multipart/form-data"` with the `_csrf` hidden input
// as the form's first control (browsers send parts in document order).
import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';

/** Enough for the part headers and a token; a longer first part is not a CSRF field. */
export const MAX_PEEK_BYTES = 16 * 1024;
const MAX_TOKEN_LENGTH = 1024;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface FirstPart {
  name: string;
  isFile: boolean;
  value: string;
}

/** The boundary of a multipart/form-data Content-Type, or null. */
export function multipartBoundary(contentType: string | undefined): string | null {
  if (!contentType || !/^\s*multipart\/form-data\s*(;|$)/i.test(contentType)) return null;
  const match = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;]{1,70}))/i.exec(contentType);
  return match?.[1] ?? match?.[2] ?? null;
}

function dispositionParameters(headerBlock: string): Map<string, string> | null {
  const line = headerBlock.split('\r\n').find((l) => /^content-disposition\s*:/i.test(l));
  if (!line) return null;
  const [kind, ...rest] = line.slice(line.indexOf(':') + 1).split(';');
  if (kind?.trim().toLowerCase() !== 'form-data') return null;
  const params = new Map<string, string>();
  for (const part of rest) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim().toLowerCase();
    const raw = part.slice(eq + 1).trim();
    params.set(key, raw.startsWith('"') && raw.endsWith('"') && raw.length >= 2 ? raw.slice(1, -1) : raw);
  }
  return params;
}

/**
 * Reads the first part of a multipart body from its first bytes: the part, 'incomplete' when more
 * bytes are needed, or null when the body does not start with a well-formed part.
 */
export function parseFirstPart(data: Buffer, boundary: string): FirstPart | 'incomplete' | null {
  const opening = Buffer.from(`--${boundary}`);
  const start = data.indexOf(opening);
  if (start < 0) return data.length > MAX_PEEK_BYTES ? null : 'incomplete';
  const afterOpening = start + opening.length;
  if (data.length < afterOpening + 2) return 'incomplete';
  if (data[afterOpening] !== 0x0d || data[afterOpening + 1] !== 0x0a) return null; // "--boundary--": no parts
  const headersEnd = data.indexOf('\r\n\r\n', afterOpening);
  if (headersEnd < 0) return 'incomplete';
  const params = dispositionParameters(data.subarray(afterOpening + 2, headersEnd).toString('latin1'));
  const name = params?.get('name');
  if (name === undefined) return null;
  const valueStart = headersEnd + 4;
  const valueEnd = data.indexOf(`\r\n--${boundary}`, valueStart);
  if (valueEnd < 0) return 'incomplete';
  return { name, isFile: params!.has('filename'), value: data.subarray(valueStart, valueEnd).toString('utf8') };
}

/**
 * Reads from the request until its first part is complete (or MAX_PEEK_BYTES), then returns the
 * bytes to the front of the stream. Resolves null when the body ends or fails first.
 */
function peekFirstPart(req: IncomingMessage, boundary: string): Promise<FirstPart | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let length = 0;
    let settled = false;
    const stop = (result: FirstPart | null, giveBack: boolean) => {
      if (settled) return;
      settled = true;
      req.off('data', onData);
      req.off('end', onGone);
      req.off('error', onGone);
      req.off('close', onGone);
      if (giveBack) {
        // Still inside the 'data' handler: pausing and unshifting now keeps every byte, in order, for
        // the parser that reads the body next.
        req.pause();
        req.unshift(Buffer.concat(chunks, length));
      }
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      length += chunk.length;
      const part = parseFirstPart(Buffer.concat(chunks, length), boundary);
      if (part !== 'incomplete') stop(part, true);
      else if (length >= MAX_PEEK_BYTES) stop(null, true);
    };
    // The body ended or broke before its first part was complete: there is nothing to give back to.
    const onGone = () => stop(null, false);
    req.on('data', onData);
    req.once('end', onGone);
    req.once('error', onGone);
    req.once('close', onGone);
  });
}

/**
 * Mount before the CSRF check (`app.use(multipartCsrfField)`): for a state-changing multipart request
 * without an X-CSRF-Token header, copies a leading `_csrf` field into `req.body._csrf`.
 */
export const multipartCsrfField: RequestHandler = (req, _res, next) => {
  if (SAFE_METHODS.has(req.method) || typeof req.headers['x-csrf-token'] === 'string') return next();
  const boundary = multipartBoundary(req.headers['content-type']);
  if (!boundary || req.body !== undefined) return next();
  peekFirstPart(req, boundary).then((part) => {
    if (part && part.name === '_csrf' && !part.isFile && part.value.length <= MAX_TOKEN_LENGTH) {
      const body = Object.create(null) as Record<string, string>;
      body._csrf = part.value;
      req.body = body;
    }
    next();
  }, next);
};
