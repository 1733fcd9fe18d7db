/**
 * A real control server for the control-* and ctl-* tests, served by {@link SimpleArbiter} until the arbiter wires
 * the control socket in (ctl-arbiter.test.ts then runs against the real one), plus helpers to run `tgun ctl` as a
 * separate process, as root or as `nobody`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ControlServer, startControlServer } from '../src/control/server.js';
import type { Logger } from '../src/logging/types.js';
import { TGUN_BIN } from '../src/testing/spawn-tgun.js';
import { SimpleArbiter } from './control-simple-arbiter.js';

export { SimpleArbiter } from './control-simple-arbiter.js';

/** Leaves a socket file nobody listens on at `path`, as a SIGKILLed arbiter does (a clean close would unlink it). */
export async function leaveStaleSocket(path: string): Promise<void> {
  const script = `require('node:net').createServer().listen(${JSON.stringify(path)}, () => console.log('up'))`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`socket holder exited early (${code})`)));
  });
  const gone = new Promise((resolve) => child.once('exit', resolve));
  process.kill(child.pid as number, 'SIGKILL');
  await gone;
}

/** A logger that keeps its lines. */
export function memoryLog(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const add = (level: string) => (m: string) => lines.push(`${level}: ${m}`);
  return {
    lines,
    debug: add('debug'),
    info: add('info'),
    warning: add('warning'),
    error: add('error'),
    critical: add('critical'),
    exception: (m, e) => lines.push(`error: ${m}: ${String(e)}`),
  };
}

/** A temp directory (0755, so a second uid can reach what is inside) removed on dispose. */
export function tempDir(): { path: string; [Symbol.dispose](): void } {
  const path = mkdtempSync(join(tmpdir(), 'tgun-ctl-'));
  chmodSync(path, 0o755);
  return { path, [Symbol.dispose]: () => rmSync(path, { recursive: true, force: true }) };
}

/** A started SimpleArbiter and its control server on `socket`. */
export interface Harness {
  readonly arbiter: SimpleArbiter;
  readonly server: ControlServer;
  readonly log: Logger & { lines: string[] };
  [Symbol.asyncDispose](): Promise<void>;
}

/** Starts a SimpleArbiter with `workers` workers and serves it on `socket`. */
export async function startHarness(
  socket: string,
  opts: { workers?: number; mode?: number; maxClients?: number; privateDir?: boolean } = {},
): Promise<Harness> {
  const arbiter = await new SimpleArbiter(opts.workers ?? 2).start();
  const log = memoryLog();
  let server: ControlServer;
  try {
    server = await startControlServer({
      path: socket,
      mode: opts.mode ?? 0o600,
      log,
      handler: arbiter,
      ...(opts.maxClients === undefined ? {} : { maxClients: opts.maxClients }),
      ...(opts.privateDir === undefined ? {} : { privateDir: opts.privateDir }),
    });
  } catch (err) {
    await arbiter.dispose();
    throw err;
  }
  return {
    arbiter,
    server,
    log,
    async [Symbol.asyncDispose]() {
      await server.close();
      await arbiter.dispose();
    },
  };
}

/** The argv that runs `tgun ctl ARGS` in a fresh process, through the real `bin/tgun.js` (core must be built). */
export function ctlCommand(args: readonly string[]): string[] {
  return [process.execPath, TGUN_BIN, 'ctl', ...args];
}

/** Whether this process can run a command as another uid (root, with setpriv). */
export function canSwitchUser(): boolean {
  return process.getuid?.() === 0 && spawnSync('setpriv', ['--version']).status === 0;
}

/** Runs `tgun ctl ARGS` in a fresh process (as `nobody` when asked) and collects its output. */
export function runCtlProcess(
  args: readonly string[],
  opts: { env?: Record<string, string | undefined>; asNobody?: boolean; cwd?: string } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const argv = ctlCommand(args);
  const full = opts.asNobody ? ['setpriv', '--reuid=nobody', '--regid=nogroup', '--clear-groups', ...argv] : argv;
  return new Promise((resolve, reject) => {
    const child = spawn(full[0] as string, full.slice(1), {
      env: { ...process.env, ...opts.env },
      cwd: opts.cwd ?? tmpdir(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
