import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Activated, activate, freePort, listeningSockets, socketInodeOfFd } from './activate.js';
import { childrenOf, commandLine, isRunning, noLeftovers, request, socketInodesOf, TGUN_BIN } from './harness.js';
import { readUnit, type Unit, unitValue } from './units.js';

const APP_DIR = fileURLToPath(new URL('../', import.meta.url));
/** Where the example units install the app; the test runs it from this directory instead. */
const INSTALL_DIR = '/srv/myapp';
const run = promisify(execFile);

interface Answer {
  pid: number;
  arbiterPid: number;
  listenFds: string | null;
  listenPid: string | null;
  nodeEnv: string | null;
}

const socketUnit: Unit = readUnit(join(APP_DIR, 'tgun.socket'));
const serviceUnit: Unit = readUnit(join(APP_DIR, 'tgun.service'));
let port: number;
let activated: Activated;
let inode: number;

/** The service's ExecStart, moved from /srv/myapp to this directory and run with this checkout's tgun. */
function execStartHere(): string[] {
  const [node, bin, ...args] = unitValue(serviceUnit, 'Service', 'ExecStart').split(/\s+/);
  expect(node).toMatch(/^\/.*\/node$/);
  expect(bin).toBe(`${INSTALL_DIR}/node_modules/@tgun/core/bin/tgun.js`);
  const here = args.map((arg) =>
    arg.startsWith(`${INSTALL_DIR}/`) ? join(APP_DIR, arg.slice(INSTALL_DIR.length)) : arg,
  );
  return [process.execPath, TGUN_BIN, ...here];
}

/** A request on a fresh connection, so successive requests may be accepted by different workers. */
async function ask(): Promise<Answer> {
  const res = await request(`http://127.0.0.1:${port}`, '/', { timeoutMs: 30_000 });
  expect(res.status, res.body).toBe(200);
  return JSON.parse(res.body) as Answer;
}

/** Sends requests until `count` distinct worker pids answered (bounded), and returns them. */
async function distinctWorkers(count: number): Promise<Set<number>> {
  const seen = new Set<number>();
  for (let i = 0; i < 400 && seen.size < count; i++) {
    const answer = await ask();
    expect(answer.arbiterPid).toBe(activated.pid);
    seen.add(answer.pid);
  }
  return seen;
}

beforeAll(async () => {
  port = await freePort();
  expect(unitValue(serviceUnit, 'Service', 'WorkingDirectory')).toBe(INSTALL_DIR);
  const env = serviceUnit.get('Service')?.get('Environment') ?? [];
  const fdName = unitValue(socketUnit, 'Socket', 'FileDescriptorName');
  activated = await activate(port, fdName, env, [...execStartHere(), '-w', '2'], APP_DIR);
});

afterAll(async () => {
  if (activated && isRunning(activated.pid)) process.kill(activated.pid, 'SIGKILL');
  if (activated) await noLeftovers([activated.mark]).catch(() => {});
});

describe('the example units', () => {
  it('pair a socket with an exec-type service that stops within its timeout', async () => {
    expect(unitValue(socketUnit, 'Socket', 'ListenStream')).toBe('127.0.0.1:8000');
    expect(['exec', 'simple']).toContain(unitValue(serviceUnit, 'Service', 'Type'));
    expect(serviceUnit.get('Service')?.has('NotifyAccess')).toBe(false);
    expect(unitValue(serviceUnit, 'Unit', 'Requires')).toBe('tgun.socket');
    expect(unitValue(serviceUnit, 'Service', 'KillMode')).toBe('mixed');
    expect(unitValue(serviceUnit, 'Service', 'ExecReload')).toBe('/bin/kill -s HUP $MAINPID');

    const { stdout } = await run(process.execPath, [TGUN_BIN, '-c', 'tgun.config.ts', '--print-config'], {
      cwd: APP_DIR,
    });
    const setting = (name: string) => Number(new RegExp(`^${name}\\s+=\\s+(\\d+)`, 'm').exec(stdout)?.[1]);
    expect(Number(unitValue(serviceUnit, 'Service', 'TimeoutStopSec'))).toBeGreaterThan(setting('gracefulTimeout'));
    expect(Number(unitValue(socketUnit, 'Socket', 'Backlog'))).toBe(setting('backlog'));
  });
});

describe('tgun started by socket activation', () => {
  it('is not running before the first connection: the socket is held for it', () => {
    expect(commandLine(activated.pid)).toMatch(/^systemd-socket-activate /);
    inode = socketInodeOfFd(activated.pid, 3) ?? 0;
    expect(listeningSockets().get(inode)).toBe(port);
  });

  it('serves the first connection, and more, from several workers on the inherited socket', async () => {
    const first = await ask();
    expect(first).toMatchObject({ arbiterPid: activated.pid, listenFds: null, listenPid: null, nodeEnv: 'production' });
    const workers = await distinctWorkers(2);
    expect(workers.size).toBe(2);
    expect(new Set(childrenOf(activated.pid))).toEqual(workers);
    expect(commandLine(activated.pid)).toMatch(/^tgun: master/);
    expect(activated.output()).toContain(`Listening at: http://127.0.0.1:${port} (${activated.pid})`);
  });

  it('listens on the fd systemd passed and binds nothing itself', () => {
    expect(socketInodeOfFd(activated.pid, 3)).toBe(inode);
    const listening = listeningSockets();
    // The one socket on the port is the activation socket, and it is the only one the arbiter holds
    // (in particular, not the config file's bind, 127.0.0.1:8000).
    expect([...listening].filter(([, p]) => p === port).map(([i]) => i)).toEqual([inode]);
    const arbiterListening = [...socketInodesOf(activated.pid)].filter((i) => listening.has(i));
    expect(arbiterListening).toEqual([inode]);
    for (const worker of childrenOf(activated.pid)) expect(socketInodesOf(worker).has(inode)).toBe(true);
  });

  it('reloads on HUP (systemctl reload): new workers on the same socket', async () => {
    const old = childrenOf(activated.pid);
    process.kill(activated.pid, 'SIGHUP');
    for (let i = 0; ; i++) {
      const now = childrenOf(activated.pid);
      if (now.length === 2 && now.every((pid) => !old.includes(pid))) break;
      if (i > 600) throw new Error(`workers not replaced: ${now} (old ${old})\n${activated.output()}`);
      await sleep(50);
    }
    const workers = await distinctWorkers(1);
    expect([...workers].some((pid) => old.includes(pid))).toBe(false);
    expect(socketInodeOfFd(activated.pid, 3)).toBe(inode);
  });

  it('stops gracefully on TERM (systemctl stop), leaving no process behind', async () => {
    const workers = childrenOf(activated.pid);
    process.kill(activated.pid, 'SIGTERM');
    expect(await activated.exited).toEqual({ code: 0, signal: null });
    await noLeftovers([activated.mark]);
    expect(workers.filter(isRunning)).toEqual([]);
  });
});
