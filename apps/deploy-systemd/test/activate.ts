/**
 * Starting the units' ExecStart under `systemd-socket-activate`, which does what systemd does for a socket
 * unit: bind and listen, wait for the first connection, then exec the command with the socket at fd 3 and
 * LISTEN_FDS=1, LISTEN_PID=<its own pid>, LISTEN_FDNAMES=<name>. The exec keeps the pid, so the arbiter's pid
 * is the pid spawned here.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync, readlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { MARK_ENV } from './harness.js';

/** A command started under systemd-socket-activate. */
export interface Activated {
  readonly pid: number;
  /** The marker variable's value every process it starts carries. */
  readonly mark: string;
  readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output(): string;
}

/** Runs `systemd-socket-activate -l 127.0.0.1:<port> --fdname=<name> [-E K=V…] <argv…>` in `cwd`. */
export async function activate(
  port: number,
  fdName: string,
  env: readonly string[],
  argv: readonly string[],
  cwd: string,
): Promise<Activated> {
  const mark = randomUUID();
  const args = ['-l', `127.0.0.1:${port}`, `--fdname=${fdName}`, ...env.map((e) => `--setenv=${e}`), ...argv];
  const child = spawn('systemd-socket-activate', args, {
    cwd,
    env: { ...process.env, [MARK_ENV]: mark },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.on('error', (err) => (output += `${String(err)}\n`));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const handle: Activated = { pid: child.pid ?? 0, mark, child, exited, output: () => output };
  for (let i = 0; !output.includes(`Listening on 127.0.0.1:${port} as 3.`); i++) {
    if (child.exitCode !== null || i > 400) throw new Error(`systemd-socket-activate did not start:\n${output}`);
    await sleep(25);
  }
  return handle;
}

/** A port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
    server.on('error', reject);
  });
}

/** Inodes of TCP sockets in LISTEN state, with their local port (/proc/net/tcp and tcp6). */
export function listeningSockets(): Map<number, number> {
  const out = new Map<number, number>();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(file, 'utf8').split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      const local = cols[1];
      if (!local || cols[3] !== '0A') continue;
      out.set(Number(cols[9]), Number.parseInt(local.slice(local.lastIndexOf(':') + 1), 16));
    }
  }
  return out;
}

/** The socket inode behind `fd` of process `pid`, or null when it is not a socket. */
export function socketInodeOfFd(pid: number, fd: number): number | null {
  const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
  return m ? Number(m[1]) : null;
}
