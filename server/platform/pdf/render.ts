// Rendering PdfDocuments with pdfmake's Node API (0.3): the default export is one process-wide
// instance; fonts are registered on it as file paths, and createPdf() gives an object whose
// getBuffer()/getStream() finish the document.
import type { ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import pdfmake from 'pdfmake';
import type { PdfDocument } from './document.js';
import { contentDisposition } from './disposition.js';
import { PDF_FONTS, PDF_FONT_PATHS } from './fonts.js';
import { toPdfmakeDefinition } from './prepare.js';

/**
 * The instance is shared by the whole process, so our settings are applied right before every
 * render rather than once, and nothing else that touches pdfmake can change what we print.
 * Documents may not fetch URLs (no server-side requests on a caller's behalf) and may open no local
 * file but our fonts; images must be data URLs.
 */
function configuredPdfmake(): typeof pdfmake {
  // Fresh objects each time: pdfmake rewrites the descriptors it is given while resolving them.
  pdfmake.setFonts(Object.fromEntries(Object.entries(PDF_FONTS).map(([family, files]) => [family, { ...files }])));
  pdfmake.setUrlAccessPolicy(() => false);
  pdfmake.setLocalAccessPolicy((path) => PDF_FONT_PATHS.has(path));
  return pdfmake;
}

/** The whole PDF in memory: for attachments, storage, and tests. */
export async function renderPdf(doc: PdfDocument): Promise<Buffer> {
  return configuredPdfmake().createPdf(toPdfmakeDefinition(doc)).getBuffer();
}

export interface StreamPdfOptions {
  /** Shown by the browser and used when saving, e.g. "Giấy biên nhận 0012-2026.pdf". */
  filename: string;
  /** `attachment` makes the browser save rather than display the file. Default `inline`. */
  disposition?: 'inline' | 'attachment';
}

/** Node's codes for a peer that went away mid-response; nothing is wrong with the document then. */
const CLIENT_GONE = new Set(['ERR_STREAM_PREMATURE_CLOSE', 'ECONNRESET', 'EPIPE']);

/**
 * Sends the PDF as the response. Layout happens before any header is written, so a document that
 * cannot be laid out rejects while the caller can still answer with an error page. A client that
 * disconnects mid-download is not an error.
 */
export async function streamPdf(doc: PdfDocument, res: ServerResponse, options: StreamPdfOptions): Promise<void> {
  const pdf = await configuredPdfmake().createPdf(toPdfmakeDefinition(doc)).getStream();
  res.setHeader('Content-Type', 'application/pdf');
  res.setHeader('Content-Disposition', contentDisposition(options.disposition ?? 'inline', options.filename));
  // Receipts and slips carry citizens' personal details: keep them out of shared and browser caches.
  res.setHeader('Cache-Control', 'no-store');
  const sent = pipeline(pdf, res);
  pdf.end();
  try {
    await sent;
  } catch (err) {
    if (CLIENT_GONE.has((err as NodeJS.ErrnoException).code ?? '')) return;
    throw err;
  }
}
