// The compiled app as `npm start` runs it: starts on an empty data directory with the embedded
// database, creates the first administrator, serves pages, and shuts down cleanly on SIGTERM.
// Runs against dist/ (npm test builds it first), so module-format problems that tsx would hide show up.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { PROJECT_ROOT } from '../../server/platform/paths.js';

const MAIN = path.join(PROJECT_ROOT, 'dist', 'server', 'main.js');

interface LogLine {
  msg?: string;
  port?: number;
  email?: string;
  firstAdminPassword?: string;
}

function waitForLog(child: ChildProcess, lines: LogLine[], predicate: (line: LogLine) => boolean, timeoutMs = 30_000): Promise<LogLine> {
  return new Promise((resolve, reject) => {
    const found = lines.find(predicate);
    if (found) return resolve(found);
    const timer = setTimeout(() => reject(new Error(`log line not seen; got: ${JSON.stringify(lines.map((l) => l.msg))}`)), timeoutMs);
    const onData = () => {
      const hit = lines.find(predicate);
      if (hit) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        resolve(hit);
      }
    };
    child.stdout?.on('data', onData);
  });
}

describe('npm start (compiled app, embedded database)', function () {
  this.timeout(60_000);
  let dataDir: string;

  before(function () {
    if (!fs.existsSync(MAIN)) {
      if (process.env.CI === 'true') throw new Error('dist/ is missing: npm test builds it before mocha');
      console.warn('\n  !!! smoke test SKIPPED: run `npm run build` first (npm test does) !!!\n');
      this.skip();
    }
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dn-smoke-'));
  });
  after(() => {
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  function start(): { child: ChildProcess; lines: LogLine[]; stderr: () => string } {
    const child = spawn(process.execPath, [MAIN], {
      cwd: os.tmpdir(), // paths must not depend on the working directory
      env: { ...process.env, NODE_ENV: 'development', PORT: '0', DATA_DIR: dataDir, MONGODB_URI: '', LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: LogLine[] = [];
    let errors = '';
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString('utf8')));
    let buffer = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const raw = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        try {
          lines.push(JSON.parse(raw) as LogLine);
        } catch {
          lines.push({ msg: raw });
        }
      }
    });
    return { child, lines, stderr: () => errors };
  }

  function exitOf(child: ChildProcess): Promise<number | null> {
    return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  it('starts, prints the first admin password once, serves the sign-in page, and stops on SIGTERM', async () => {
    const first = start();
    const admin = await waitForLog(first.child, first.lines, (l) => typeof l.firstAdminPassword === 'string');
    expect(admin.email).to.equal('admin@dannguyen.local');
    const listening = await waitForLog(first.child, first.lines, (l) => (l.msg ?? '').includes('is listening'));
    const base = `http://127.0.0.1:${listening.port}`;
    const page = await fetch(`${base}/login`);
    expect(page.status).to.equal(200);
    expect(await page.text()).to.contain('Đăng nhập');
    expect((await fetch(`${base}/readyz`)).status).to.equal(200);
    expect(first.lines.some((l) => (l.msg ?? '').includes('MONGODB_URI is not set'))).to.equal(true);
    const exited = exitOf(first.child);
    first.child.kill('SIGTERM');
    expect(await exited, first.stderr() + JSON.stringify(first.lines.slice(-5))).to.equal(0);

    // A second start on the same data keeps the administrator and prints no new password.
    const second = start();
    await waitForLog(second.child, second.lines, (l) => (l.msg ?? '').includes('is listening'));
    expect(second.lines.some((l) => l.firstAdminPassword)).to.equal(false);
    const exited2 = exitOf(second.child);
    second.child.kill('SIGTERM');
    expect(await exited2, second.stderr() + JSON.stringify(second.lines.slice(-5))).to.equal(0);
  });

  it('refuses to start with an invalid configuration, listing every problem', async () => {
    const child = spawn(process.execPath, [MAIN], {
      env: { ...process.env, NODE_ENV: 'production', PORT: 'abc', SESSION_SECRET: '', DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const code = await exitOf(child);
    expect(code).to.equal(2);
    expect(stderr).to.contain('PORT');
    expect(stderr).to.contain('SESSION_SECRET');
  });
});
