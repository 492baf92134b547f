// Every setting comes from the environment and is validated once, at start, so a misconfigured
// deployment fails loudly with the whole list of problems instead of misbehaving later.
import { z } from 'zod';

/** The value shipped in .env.example: a deployment that still uses it has not been configured. */
export const EXAMPLE_SESSION_SECRET = 'change-me-to-a-long-random-string-of-at-least-32-chars';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const minutes = z.coerce.number().int().positive();

// The grammar of MAIL_WINDOW (read by server/notifications/sending-window.rules.ts): "always", or a
// comma-separated list of days or day ranges, a space, then HH:MM-HH:MM.
const DAY = '(?:mon|tue|wed|thu|fri|sat|sun)';
const HHMM = '(?:[01]\\d|2[0-3]):[0-5]\\d';
export const MAIL_WINDOW_SYNTAX = new RegExp(`^(?:always|${DAY}(?:-${DAY})?(?:,${DAY}(?:-${DAY})?)* ${HHMM}-(?:${HHMM}|24:00))$`, 'i');

function windowStartsBeforeEnd(spec: string): boolean {
  if (!MAIL_WINDOW_SYNTAX.test(spec)) return true; // the syntax error is reported by the regex
  const [from, to] = spec.split(' ')[1]!.split('-') as [string, string];
  const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));
  return minutesOf(from) < minutesOf(to);
}

const schema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    HOST: z.string().min(1).default('127.0.0.1'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    BASE_URL: z.url().default('http://localhost:3000'),
    TRUST_PROXY: bool.default(false),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),

    MONGODB_URI: z.string().regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb:// or mongodb+srv://').optional(),
    MONGODB_DB: z.string().regex(/^[A-Za-z0-9_-]{1,63}$/).default('dannguyen'),
    DATA_DIR: z.string().min(1).default('var'),

    SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    SESSION_IDLE_MINUTES: minutes.default(30),
    SESSION_ABSOLUTE_MINUTES: minutes.default(12 * 60),

    LOGIN_MAX_PER_IP: z.coerce.number().int().positive().default(30),
    LOGIN_MAX_PER_ACCOUNT: z.coerce.number().int().positive().default(5),
    LOGIN_WINDOW_MINUTES: minutes.default(15),

    SMTP_URL: z.string().regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://').optional(),
    MAIL_FROM: z.string().min(3).default('Dân Nguyện <no-reply@localhost>'),
    OFFICE_NAME: z.string().min(1).default('Văn phòng Đoàn ĐBQH và HĐND tỉnh'),
    // On printed papers: the body the office serves (upper header line) and the place in the date line.
    OFFICE_PARENT_BODY: z.string().min(1).default('Đoàn ĐBQH và HĐND tỉnh Quảng Trị'),
    OFFICE_PLACE: z.string().min(1).default('Quảng Trị'),

    JOBS_IN_PROCESS: bool.default(true),

    // Outgoing mail (server/notifications). The office's contact line is printed under every email.
    OFFICE_CONTACT: z.string().max(300).optional(),
    // When mail may leave, Vietnam time: "always", or days and hours such as "Mon-Fri 07:30-17:00"
    // (holidays and decreed days off of the working calendar are skipped, make-up working days count).
    MAIL_WINDOW: z
      .string()
      .regex(MAIL_WINDOW_SYNTAX, 'must be "always" or days and hours such as "Mon-Fri 07:30-17:00"')
      .refine((v) => v.toLowerCase() === 'always' || windowStartsBeforeEnd(v), 'the window must end after it starts')
      .default('Mon-Fri 07:30-17:00'),
    MAIL_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(10),
    MAIL_RETRY_BASE_SECONDS: z.coerce.number().int().min(1).default(120),
    MAIL_RETRY_MAX_SECONDS: z.coerce.number().int().min(1).default(7200),
    MAIL_LEASE_SECONDS: z.coerce.number().int().min(1).max(3600).default(300),
    MAIL_POLL_SECONDS: z.coerce.number().int().min(1).max(3600).default(15),

    // Forwarding (server/forwarding): whether a leader must approve before a slip is numbered and
    // sent, the document number's suffix (125/PC-VP), how long an agency's link stays valid after
    // the deadline, and how long the agency's session lasts after it opened the link.
    FORWARDING_APPROVAL: z.enum(['required', 'none']).default('required'),
    FORWARDING_NUMBER_SUFFIX: z.string().regex(/^[\p{L}\p{N}&.-]{1,30}$/u, 'letters, digits, &, . and - only').default('PC-VP'),
    AGENCY_LINK_DAYS_AFTER_DEADLINE: z.coerce.number().int().min(1).max(3650).default(60),
    AGENCY_SESSION_MINUTES: z.coerce.number().int().min(5).max(480).default(60),
    // Agency-link lookups allowed per client address in 15 minutes (guessing tokens is hopeless at
    // 256 bits; this keeps a scanner from hammering the lookup).
    AGENCY_LINK_MAX_PER_IP: z.coerce.number().int().min(1).max(100_000).default(30),
    // How long a process keeps the lists of communes, fields and staff it shows in selects (written
    // through this process: dropped at once; by another instance: seen after this long). 0 = never kept.
    REFERENCE_CACHE_SECONDS: z.coerce.number().int().min(0).max(3600).default(30),
    // How long a process keeps a period's statistics once computed (dropped at once when this process
    // writes a visit, letter, case, forwarding or meeting; another instance's writes show after this
    // long). The pages say when their figures were computed. 0 = computed for every request.
    STATISTICS_CACHE_SECONDS: z.coerce.number().int().min(0).max(3600).default(60),
    // Tests only (ignored unless NODE_ENV=test): a pause between claiming a message and sending it.
    MAIL_TEST_SEND_DELAY_MS: z.coerce.number().int().min(0).max(600_000).default(0),
  });

/** Checks that only make sense for a production deployment; reported together with the schema's. */
function productionProblems(env: Record<string, string>): string[] {
  if ((env.NODE_ENV ?? 'development') !== 'production') return [];
  const secret = env.SESSION_SECRET;
  if (!secret || secret === EXAMPLE_SESSION_SECRET || secret.length < 32) {
    return ['SESSION_SECRET: must be set to a private random value of at least 32 characters in production (not the example)'];
  }
  return [];
}

export type Config = z.infer<typeof schema> & { SESSION_SECRET: string };

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Reads and validates the configuration. Empty strings count as unset so that a copied
 * .env.example with blank optional lines behaves like a missing variable.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const cleaned: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && value.trim() !== '') cleaned[key] = value.trim();
  }
  const parsed = schema.safeParse(cleaned);
  const problems = [
    ...(parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)),
    ...productionProblems(cleaned),
  ];
  if (!parsed.success || problems.length > 0) throw new ConfigError([...new Set(problems)]);
  // Outside production a missing secret is replaced by a per-process random one: sessions then
  // do not survive a restart, which is acceptable on a developer's machine and never in production.
  const secret = parsed.data.SESSION_SECRET ?? randomSecret();
  return { ...parsed.data, SESSION_SECRET: secret };
}

function randomSecret(): string {
  const bytes = new Uint8Array(32);
  crypto.getRandomValues(bytes);
  return Buffer.from(bytes).toString('hex');
}
