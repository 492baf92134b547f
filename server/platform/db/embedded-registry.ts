// When the embedded database runs inside one process (the app, or `npm run db`), other processes on
// the same machine — a script, a worker, a second app instance — find it through a small file next
// to its data and connect over TCP, instead of trying to open the same data directory twice.
import fs from 'node:fs';
import path from 'node:path';

const FILE = 'server.json';

export interface RunningEmbedded {
  pid: number;
  uri: string;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The embedded server already serving this data directory, if its process is alive. */
export function findRunningEmbedded(dbDir: string): RunningEmbedded | null {
  try {
    const info = JSON.parse(fs.readFileSync(path.join(dbDir, FILE), 'utf8')) as Partial<RunningEmbedded>;
    if (typeof info.pid !== 'number' || typeof info.uri !== 'string' || info.pid === process.pid) return null;
    return isAlive(info.pid) ? { pid: info.pid, uri: info.uri } : null;
  } catch {
    return null;
  }
}

export function announceEmbedded(dbDir: string, uri: string): void {
  fs.mkdirSync(dbDir, { recursive: true });
  fs.writeFileSync(path.join(dbDir, FILE), JSON.stringify({ pid: process.pid, uri }));
}

export function withdrawEmbedded(dbDir: string): void {
  try {
    const info = JSON.parse(fs.readFileSync(path.join(dbDir, FILE), 'utf8')) as Partial<RunningEmbedded>;
    if (info.pid === process.pid) fs.rmSync(path.join(dbDir, FILE), { force: true });
  } catch {
    // nothing announced by this process
  }
}
