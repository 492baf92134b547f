// Child processes of the benchmark (the embedded database, the compiled app, the baseline server) and
// the small HTTP client that signs in through the real form.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

export interface Child {
  process: ChildProcess;
  pid: number;
  stop(): Promise<void>;
}

/** Starts a child with its output in `logFile`; `ready` is polled until it resolves true. */
export async function startChild(command: string, args: string[], env: NodeJS.ProcessEnv, logFile: string, ready: () => Promise<boolean>, timeoutMs = 600_000): Promise<Child> {
  const log = fs.openSync(logFile, 'a');
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', log, log] });
  let exited = false;
  child.once('exit', () => (exited = true));
  const started = Date.now();
  while (!(await ready().catch(() => false))) {
    if (exited) throw new Error(`${command} ${args.join(' ')} stopped during start-up; see ${logFile}`);
    if (Date.now() - started > timeoutMs) throw new Error(`${command} ${args.join(' ')} did not start within ${timeoutMs / 1000} s; see ${logFile}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    process: child,
    pid: child.pid ?? -1,
    stop: () =>
      new Promise<void>((resolve) => {
        if (exited) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Resident memory of a process in MB, from /proc (Linux). */
export function rssMb(pid: number): number | null {
  try {
    const status = fs.readFileSync(path.join('/proc', String(pid), 'status'), 'utf8');
    const match = /VmRSS:\s+(\d+) kB/.exec(status);
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** A cookie-keeping client, enough to sign in through the real form and read CSRF tokens. */
export class BrowserlessSession {
  private cookies = new Map<string, string>();

  constructor(readonly base: string) {}

  get cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async request(pathname: string, init: RequestInit = {}): Promise<Response> {
    const res = await fetch(new URL(pathname, this.base), { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string>), cookie: this.cookieHeader } });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      this.cookies.set(pair!.slice(0, eq).trim(), pair!.slice(eq + 1).trim());
    }
    return res;
  }

  async csrf(pathname: string): Promise<string> {
    const html = await (await this.request(pathname)).text();
    const match = /name="_csrf" value="([^"]+)"/.exec(html);
    if (!match?.[1]) throw new Error(`no CSRF token on ${pathname}`);
    return match[1];
  }

  async signIn(email: string, password: string): Promise<void> {
    const token = await this.csrf('/login');
    const res = await this.request('/login', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ _csrf: token, email, password }).toString() });
    if (res.status !== 303 || res.headers.get('location') === '/login') throw new Error(`sign-in as ${email} failed with ${res.status}`);
    const home = await this.request('/');
    if (home.status !== 200) throw new Error(`the home page answered ${home.status} after signing in`);
  }
}
