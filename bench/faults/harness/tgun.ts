/**
 * Starts the real `tgun` CLI for a fault scenario and returns a handle: its address, logs, workers, signals,
 * and a stop that ends it and every process it started. Each start carries a fresh marker in its
 * environment (BENCH_MARK), so {@link leftovers} finds anything left behind, re-executed masters included.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { MARK_ENV, childrenOf, isRunning, marked, reapMarked, until } from '../../lib/procs.mjs';

/** The workspace's build, or another one named by TGUN_FAULTS_BIN (to check a fix, or an older release). */
const TGUN_BIN =
  process.env.TGUN_FAULTS_BIN ?? fileURLToPath(new URL('../../../packages/core/bin/tgun.js', import.meta.url));
/** The fault fixture, served by most scenarios. */
export const FAULT_APP = fileURLToPath(new URL('../fixtures/fault-app.mjs', import.meta.url));
const WORKER = ['--tgun-worker=', 'tgun: worker'];
/** Every marker handed out in this test file, for the final leak check. */
const marks: string[] = [];

/** How a process ended. */
export interface ExitInfo {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** A running tgun arbiter. */
export interface Tgun {
  readonly pid: number;
  readonly mark: string;
  /** The TCP port from `Listening at:` (0 for unix sockets or before it is known). */
  readonly port: number;
  readonly child: ChildProcess;
  readonly exited: Promise<ExitInfo>;
  logs(): string;
  /** Waits for a log line matching `re` after character `from`; rejects when tgun exits first or on timeout. */
  waitForLog(re: RegExp, from?: number, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Live workers of this master (or of `master`). */
  workers(master?: number): number[];
  /** Whether the arbiter process is alive. */
  alive(): boolean;
  signal(sig: NodeJS.Signals, pid?: number): void;
  /** TERM, wait for the exit, then reap anything still carrying the marker (returned: should be empty). */
  stop(): Promise<number[]>;
}

/** Options for {@link startTgun}. */
export interface StartOptions {
  readonly env?: Record<string, string>;
  /** `serving` (default): wait for `Listening at:` and `workers` workers; `none`: return at once. */
  readonly wait?: 'serving' | 'none';
  readonly workers?: number;
}

/** Starts `tgun ARGS…` (add `-b`, `-w` and the app yourself). */
export async function startTgun(args: readonly string[], opts: StartOptions = {}): Promise<Tgun> {
  const mark = randomUUID();
  marks.push(mark);
  const child = spawn(process.execPath, [TGUN_BIN, ...args], {
    env: { ...process.env, ...opts.env, [MARK_ENV]: mark },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own session: no terminal, so WINCH is honoured, and no stray signal from the test runner.
    detached: true,
  });
  let output = '';
  let closed = false;
  child.stdout?.on('data', (c: Buffer) => {
    output += c.toString();
  });
  child.stderr?.on('data', (c: Buffer) => {
    output += c.toString();
  });
  child.on('close', () => {
    closed = true;
  });
  const exited = new Promise<ExitInfo>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const pid = child.pid ?? 0;

  const waitForLog = async (re: RegExp, from = 0, timeoutMs = 30_000) => {
    let m: RegExpMatchArray | null = null;
    const ok = await until(() => {
      m = output.slice(from).match(re);
      return m !== null || closed;
    }, timeoutMs);
    if (m) return m;
    throw new Error(`${ok ? 'tgun exited' : 'timed out'} waiting for ${re}; output:\n${output.slice(-4000)}`);
  };
  const handle: Tgun = {
    pid,
    mark,
    child,
    exited,
    get port() {
      const m = /Listening at: .*?http:\/\/[^ ,]*:(\d+)/.exec(output);
      return m ? Number(m[1]) : 0;
    },
    logs: () => output,
    waitForLog,
    workers: (master = pid) => childrenOf(master, WORKER),
    alive: () => isRunning(pid),
    signal: (sig, target = pid) => {
      process.kill(target, sig);
    },
    async stop() {
      if (isRunning(pid)) {
        process.kill(pid, 'SIGTERM');
        await Promise.race([exited, sleep(20_000)]);
      }
      return reapMarked(mark, 5000);
    },
  };
  if (opts.wait !== 'none') {
    await waitForLog(/Listening at: /);
    const want = opts.workers ?? 1;
    if (!(await until(() => handle.workers().length >= want, 30_000))) {
      throw new Error(`tgun did not reach ${want} workers:\n${output}`);
    }
  }
  return handle;
}

/** Every process still carrying a marker of this file (SIGKILLed by pid, so one failure cannot leak into the next). */
export async function leftovers(): Promise<number[]> {
  const left: number[] = [];
  for (const mark of marks) left.push(...marked(mark));
  for (const mark of marks) await reapMarked(mark, 0);
  return left;
}
