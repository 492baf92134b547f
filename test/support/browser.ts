// A real browser for end-to-end tests: Debian's Chromium driven by playwright-core (Playwright cannot
// download its own browsers here). Where Chromium is missing the browser tests are skipped with a loud
// reason on a developer's machine, and fail under CI=true, where they are required.
import fs from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'chai';
import type { TestUser } from './factories.js';
import { freshTotpCode } from './http.js';

const require = createRequire(import.meta.url);

const CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].filter(
  (p): p is string => !!p,
);

export function chromiumPath(): string | null {
  return CANDIDATES.find((p) => fs.existsSync(p)) ?? null;
}

/** Call at the top of a browser `describe`: skips (locally) or fails (CI) when there is no Chromium. */
export function requireBrowser(suite: Mocha.Context | Mocha.Suite): void {
  if (chromiumPath()) return;
  if (process.env.CI === 'true') throw new Error('Chromium is required under CI=true: install the Debian package "chromium"');
  console.warn('\n  !!! Browser tests SKIPPED: Chromium not found (apt-get install chromium, or set CHROMIUM_PATH) !!!\n');
  if ('skip' in suite && typeof suite.skip === 'function') suite.skip();
}

export async function launchBrowser(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error('Chromium not found');
  // Playwright gives each launch a fresh temporary profile of its own (the equivalent of a new
  // --user-data-dir); passing the flag ourselves is refused by launch().
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface RunningServer {
  baseUrl: string;
  close(): Promise<void>;
}

export async function serve(app: Express): Promise<RunningServer> {
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/**
 * Runs axe-core in the page (through the DevTools protocol, so the page's own CSP stays on) and fails
 * on any serious or critical violation of WCAG 2.x A/AA rules.
 */
export async function expectAccessible(page: Page, label: string): Promise<void> {
  // Evaluating the source as a DevTools expression is not subject to the page's CSP (no unsafe-eval needed).
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    // Runs in the browser: globalThis is the page's window, where axe-core installed itself.
    const axe = (globalThis as unknown as { axe: { run(ctx: unknown, opts: object): Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run((globalThis as unknown as { document: unknown }).document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }));
  });
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious, `${label}: ${JSON.stringify(serious, null, 1)}`).to.deep.equal([]);
}

export interface BrowserSession {
  readonly browser: Browser;
  readonly server: RunningServer;
}

/**
 * The usual hooks of a browser suite: one Chromium per file (skipped or required as requireBrowser
 * says), and a fresh app server per test on the test database.
 */
export function useBrowser(makeApp: () => Express): BrowserSession {
  let browser: Browser | undefined;
  let server: RunningServer | undefined;
  before(async function () {
    requireBrowser(this);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    server = await serve(makeApp());
  });
  afterEach(async () => {
    await server?.close();
  });
  return {
    get browser() {
      if (!browser) throw new Error('browser not started');
      return browser;
    },
    get server() {
      if (!server) throw new Error('server not started');
      return server;
    },
  };
}

/** Signs in through the real pages, typing the authenticator code when the account has one. */
export async function signInInBrowser(page: Page, baseUrl: string, user: TestUser): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.fill('#email', user.email);
  await page.fill('#password', user.password);
  await page.press('#password', 'Enter');
  if (user.totpSecret) {
    await page.waitForURL('**/login/two-factor');
    await page.fill('#code', await freshTotpCode(user));
    await page.press('#code', 'Enter');
  }
  await page.waitForURL(`${baseUrl}/`);
}
