// A real SMTP server for tests (smtp-server), keeping every message it accepts, parsed with
// mailparser. It can be told to answer the next DATA commands with a temporary (4xx) or permanent
// (5xx) error, or to refuse given recipients, so the sender's retry rules meet a real peer.
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';

export interface ReceivedMail {
  /** Envelope sender and recipients, as given in MAIL FROM and RCPT TO. */
  envelope: { from: string; to: string[] };
  raw: Buffer;
  parsed: ParsedMail;
}

export type SmtpFailure = 'temporary' | 'permanent';

export interface SmtpPeer {
  readonly port: number;
  /** smtp://127.0.0.1:<port>, for SMTP_URL. */
  readonly url: string;
  /** Messages accepted so far, in order. */
  readonly received: ReceivedMail[];
  /** How many DATA commands were answered with an error. */
  readonly refusedCount: number;
  /** Answers the next `count` messages (at DATA) with a 451 or a 550 instead of accepting them. */
  failNext(kind: SmtpFailure, count?: number): void;
  /** Answers every message with this error until told otherwise (null = accept again). */
  failAlways(kind: SmtpFailure | null): void;
  /** Refuses these recipients at RCPT TO with 550 (others are still accepted). */
  refuseRecipient(address: string): void;
  /** Resolves once `count` messages have been accepted (polls; rejects after `timeoutMs`). */
  waitForMessages(count: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  clear(): void;
  stop(): Promise<void>;
}

const REPLIES: Record<SmtpFailure, { code: number; text: string }> = {
  temporary: { code: 451, text: 'Requested action aborted: local error in processing, try again later' },
  permanent: { code: 550, text: 'Requested action not taken: mailbox unavailable' },
};

function smtpError(kind: SmtpFailure): Error & { responseCode: number } {
  const reply = REPLIES[kind];
  return Object.assign(new Error(reply.text), { responseCode: reply.code });
}

function readAll(stream: SMTPServerDataStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

export async function startSmtpPeer(): Promise<SmtpPeer> {
  const received: ReceivedMail[] = [];
  const refusedRecipients = new Set<string>();
  let failures: SmtpFailure[] = [];
  let always: SmtpFailure | null = null;
  let refusedCount = 0;

  const server = new SMTPServer({
    // A local peer without TLS: not offering STARTTLS keeps nodemailer on the plain connection.
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    logger: false,
    size: 25 * 1024 * 1024,
    onRcptTo(address, _session, callback) {
      if (refusedRecipients.has(address.address.toLowerCase())) {
        callback(smtpError('permanent'));
        return;
      }
      callback();
    },
    onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback) {
      readAll(stream)
        .then(async (raw) => {
          const failure = failures.shift() ?? always;
          if (failure) {
            refusedCount += 1;
            callback(smtpError(failure));
            return;
          }
          const parsed = await simpleParser(raw);
          const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
          received.push({ envelope: { from, to: session.envelope.rcptTo.map((r) => r.address) }, raw, parsed });
          callback();
        })
        .catch((err: unknown) => callback(err instanceof Error ? err : new Error(String(err))));
    },
  });
  server.on('error', () => undefined); // a client hanging up mid-session is not a test failure

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;

  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    received,
    get refusedCount() {
      return refusedCount;
    },
    failNext(kind, count = 1) {
      failures.push(...Array.from({ length: count }, () => kind));
    },
    failAlways(kind) {
      always = kind;
    },
    refuseRecipient(address) {
      refusedRecipients.add(address.toLowerCase());
    },
    async waitForMessages(count, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} messages at the SMTP peer, got ${received.length}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      return received.slice(0, count);
    },
    clear() {
      received.length = 0;
      failures = [];
      always = null;
      refusedCount = 0;
      refusedRecipients.clear();
    },
    stop() {
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
