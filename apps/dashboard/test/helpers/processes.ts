import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

/** apps/dashboard, where `tgun -c tgun.config.ts` runs (the config's app path is relative to it). */
export const APP_DIR = fileURLToPath(new URL('../../', import.meta.url));
/** The tgun bin of this checkout, run with the current Node. */
export const TGUN_BIN = fileURLToPath(new URL('../../../../packages/core/bin/tgun.js', import.meta.url));

/** True while a process with this pid exists (signal 0 only checks). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Pids of the live child processes of `pid`, read from /proc (Linux, where the tests run): the arbiter's children
 * are exactly its workers, including those no request happened to reach.
 */
export function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the command name, which is in parentheses and may itself contain spaces: state, ppid, …
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(ppid) === pid && state !== 'Z') children.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return children;
}

/** Polls `check` until it returns a value other than undefined; the test's own timeout bounds the wait. */
export async function waitFor<T>(check: () => Promise<T | undefined> | T | undefined, what: string): Promise<T> {
  for (let attempt = 0; ; attempt += 1) {
    const value = await check();
    if (value !== undefined) return value;
    if (attempt > 0 && attempt % 100 === 0) console.log(`still waiting for ${what}…`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A port that was free a moment ago on 127.0.0.1 (tgun binds it itself, so it cannot be handed over). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/**
 * One request on a fresh connection (no keep-alive agent), so that consecutive requests are accepted anew by
 * whichever worker wins the accept — the way to see several workers answer.
 */
export function fresh(
  url: string,
  init: { method?: string; body?: string } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: init.method ?? 'GET', agent: false, headers: init.body ? { 'content-type': 'application/json' } : {} },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
}

/** A tgun arbiter started by a test. */
export interface Arbiter {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Everything the arbiter wrote so far, for failure messages. */
  output(): string;
  /** Resolves with the exit code (or signal name) once the arbiter has exited. */
  readonly exited: Promise<number | string>;
}

/** Starts `node <repo>/packages/core/bin/tgun.js ...args` in apps/dashboard. */
export function startTgun(args: readonly string[]): Arbiter {
  const env = { ...process.env };
  // A developer's own TGUN_CMD_ARGS or PaaS variables would change what the test starts.
  delete env.TGUN_CMD_ARGS;
  delete env.PORT;
  delete env.WEB_CONCURRENCY;
  const child = spawn(process.execPath, [TGUN_BIN, ...args], { cwd: APP_DIR, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | string>((resolve) => {
    child.on('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
  });
  if (child.pid === undefined) throw new Error('could not start tgun');
  return { child, pid: child.pid, output: () => output, exited };
}
