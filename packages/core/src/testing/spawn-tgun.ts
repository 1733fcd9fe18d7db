/**
 * `spawnTgun()`: starts the real `tgun` command (core must be built: `tsc -b`) for an integration test and
 * returns a disposable handle. Every process it starts carries a marker variable, so {@link noLeftovers}
 * can prove none survived — workers, re-executed masters and daemons included. Bind to port 0 (the handle
 * reads the real port from `Listening at:`) or to a unix socket in a temp dir.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { request } from './http.js';
import { childrenOf, isRunning, processesWithEnv } from './processes.js';

/** The tgun command's entry. */
export const TGUN_BIN = fileURLToPath(new URL('../../bin/tgun.js', import.meta.url));
/** The variable that marks every process a test started. */
export const MARK_ENV = 'TGUN_TEST_MARK';

/** Options for {@link spawnTgun}. */
export interface SpawnTgunOptions {
  readonly cwd?: string;
  /** Extra environment (the marker is added). */
  readonly env?: Record<string, string | undefined>;
  /** `serving` (default) waits until the first address answers; `listening` for `Listening at:`; `none`. */
  readonly wait?: 'serving' | 'listening' | 'none';
  readonly timeoutMs?: number;
}

/** How the master process ended. */
export interface ExitInfo {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** A running tgun command. */
export interface TgunHandle {
  readonly pid: number;
  /** The marker value; pass it to {@link noLeftovers}. */
  readonly mark: string;
  /** The first `Listening at:` address (`http://127.0.0.1:PORT` or `unix:/path`); empty before it is known. */
  readonly url: string;
  /** Every address of the first `Listening at:` line. */
  readonly urls: readonly string[];
  readonly child: ChildProcess;
  /** Resolves when the master exits. */
  readonly exited: Promise<ExitInfo>;
  /** stdout and stderr so far. */
  logs(): string;
  /** Waits for a log line matching `re` at or after character offset `from`; rejects on timeout or once the output closed. */
  waitForLog(re: RegExp, opts?: { from?: number; timeoutMs?: number }): Promise<RegExpMatchArray>;
  /** Sends a signal to the master (or to `pid`). */
  signal(sig: NodeJS.Signals, pid?: number): void;
  /** Live worker processes of the master (or of `masterPid`). */
  workerPids(masterPid?: number): number[];
  /** TERM, wait, then KILL whatever carries the marker. */
  [Symbol.asyncDispose](): Promise<void>;
}

/** Starts `tgun` with `args` and waits as `opts.wait` says. */
export async function spawnTgun(args: readonly string[], opts: SpawnTgunOptions = {}): Promise<TgunHandle> {
  const mark = randomUUID();
  // A new session: no terminal can send it signals (so WINCH is honoured), and tests signal it explicitly.
  const child = spawn(process.execPath, [TGUN_BIN, ...args], {
    cwd: opts.cwd ?? process.cwd(),
    env: { ...process.env, ...opts.env, [MARK_ENV]: mark },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    for (const l of listeners) l();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  let exit: ExitInfo | null = null;
  // Output may continue after the master exits (a USR2 child shares its pipes); waits end when they close.
  let closed = false;
  child.on('close', () => {
    closed = true;
    for (const l of listeners) l();
  });
  const exited = new Promise<ExitInfo>((resolve) => {
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      for (const l of listeners) l();
      resolve(exit);
    });
  });
  const timeoutMs = opts.timeoutMs ?? 20_000;

  const waitForLog = (re: RegExp, o: { from?: number; timeoutMs?: number } = {}) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const check = () => {
        const m = output.slice(o.from ?? 0).match(re);
        if (m) return done(() => resolve(m));
        if (closed)
          return done(() => reject(new Error(`tgun exited (${JSON.stringify(exit)}) before ${re}:\n${output}`)));
      };
      const timer = setTimeout(
        () => done(() => reject(new Error(`timed out waiting for ${re}; output:\n${output}`))),
        o.timeoutMs ?? timeoutMs,
      );
      const done = (settle: () => void) => {
        clearTimeout(timer);
        listeners.delete(check);
        settle();
      };
      listeners.add(check);
      check();
    });

  const handle: TgunHandle = {
    pid: child.pid ?? 0,
    mark,
    child,
    exited,
    get url() {
      return this.urls[0] ?? '';
    },
    get urls() {
      const m = /Listening at: (.*) \(\d+\)/.exec(output);
      return m?.[1] ? m[1].split(', ') : [];
    },
    logs: () => output,
    waitForLog,
    signal: (sig, pid) => process.kill(pid ?? child.pid ?? 0, sig),
    workerPids: (masterPid) => childrenOf(masterPid ?? child.pid ?? 0, '--tgun-worker=', 'tgun: worker'),
    async [Symbol.asyncDispose]() {
      if (!exit && child.pid && isRunning(child.pid)) {
        process.kill(child.pid, 'SIGTERM');
        await Promise.race([exited, sleep(15_000)]);
      }
      await killMarked(mark, 5_000);
    },
  };
  if (opts.wait !== 'none') {
    await waitForLog(/Listening at: /);
    if (opts.wait !== 'listening') {
      // An app that fails to load ends tgun early: fail at once with tgun's own log, which says why, instead of
      // polling a dead address until the timeout.
      const died = exited.then((e) => new Error(`tgun exited (${JSON.stringify(e)}) before serving:\n${output}`));
      const serving = waitUntilServing(handle.url, timeoutMs).then(
        () => null,
        (err: Error) => new Error(`${err.message}; tgun's log:\n${output}`),
      );
      const failure = await Promise.race([serving, died]);
      if (failure) throw failure;
    }
  }
  return handle;
}

/**
 * Sends `GET /` on fresh connections (the kernel picks a worker for each) until `count` different workers have
 * answered, told apart by a response header carrying the worker's pid; bounded to 300 requests. A worker that
 * answered has loaded the app.
 */
export async function workersAnswering(url: string, count: number, header = 'x-worker-pid'): Promise<Set<number>> {
  const seen = new Set<number>();
  for (let i = 0; i < 300 && seen.size < count; i++) {
    const res = await request(url, '/');
    seen.add(Number(res.headers[header]));
  }
  return seen;
}

/** Polls `target` until it answers with a status below 500; throws the last failure after `timeoutMs`. */
export async function waitUntilServing(target: string, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    let failure: unknown;
    try {
      // Any answer but a 5xx means a worker serves the app (an app may have no route at `/`).
      const res = await request(target, '/', { timeoutMs: 2_000 });
      if (res.status < 500) return;
      failure = new Error(`${target}/ still answers ${res.status}`);
    } catch (err) {
      failure = err;
    }
    if (Date.now() > end) throw failure;
    await sleep(50);
  }
}

async function killMarked(mark: string, graceMs: number): Promise<number[]> {
  const end = Date.now() + graceMs;
  let left = processesWithEnv(MARK_ENV, mark);
  while (left.length > 0 && Date.now() < end) {
    await sleep(100);
    left = processesWithEnv(MARK_ENV, mark);
  }
  for (const pid of left) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Gone meanwhile.
    }
  }
  return left;
}

/**
 * Asserts that no process carrying one of `marks` is still running once `graceMs` has passed. Survivors are
 * killed (so one failing test does not leak into the next) and reported in the thrown error.
 */
export async function noLeftovers(marks: readonly string[], graceMs = 5_000): Promise<void> {
  const leftovers: number[] = [];
  for (const mark of marks) leftovers.push(...(await killMarked(mark, graceMs)));
  if (leftovers.length > 0) throw new Error(`processes left behind: ${leftovers.join(', ')}`);
}
