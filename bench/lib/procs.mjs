/**
 * Reading processes from /proc (Linux): children, RSS, CPU time, processes carrying a marker variable, and
 * killing by pid only. Every process the bench starts carries `BENCH_MARK=<value>` in its environment, so
 * the leak check finds workers and daemons that were never our direct children (PM2's daemon, USR2 masters).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/** The marker variable's name. */
export const MARK_ENV = 'BENCH_MARK';

/** @param {string} path */
function read(path) {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/**
 * State, parent and CPU ticks (user + system) of `pid`, or null when it is gone.
 * @param {number} pid
 */
export function stat(pid) {
  const text = read(`/proc/${pid}/stat`);
  if (!text) return null;
  // The command name may hold spaces and parentheses: fields resume after the last ')'.
  const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { state: f[0] ?? '?', ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) };
}

/** Every pid in /proc. */
function allPids() {
  return readdirSync('/proc')
    .filter((n) => /^\d+$/.test(n))
    .map(Number);
}

/**
 * Whether `pid` is alive (a zombie counts as gone).
 * @param {number} pid
 */
export function isRunning(pid) {
  const s = stat(pid);
  return s !== null && s.state !== 'Z' && s.state !== 'X';
}

/**
 * Live children of `ppid`, optionally only those whose command line contains one of `needles`.
 * @param {number} ppid
 * @param {readonly string[]} [needles]
 */
export function childrenOf(ppid, needles) {
  return allPids().filter((pid) => {
    const s = stat(pid);
    if (!s || s.ppid !== ppid || s.state === 'Z') return false;
    if (!needles) return true;
    const cmd = read(`/proc/${pid}/cmdline`) ?? '';
    return needles.some((n) => cmd.includes(n));
  });
}

/**
 * Resident set size in MB (VmRSS), or 0 when the process is gone.
 * @param {number} pid
 */
export function rssMb(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(read(`/proc/${pid}/status`) ?? '');
  return m ? Number(m[1]) / 1024 : 0;
}

/**
 * Summed CPU ticks of `pids` (USER_HZ, 100 per second on Linux).
 * @param {readonly number[]} pids
 */
export function cpuTicks(pids) {
  return pids.reduce((sum, pid) => sum + (stat(pid)?.ticks ?? 0), 0);
}

/** Clock ticks per second; 100 on every Linux Node runs on. */
export const TICKS_PER_SECOND = 100;

/**
 * Live processes whose environment holds `BENCH_MARK=<mark>`.
 * @param {string} mark
 */
export function marked(mark) {
  const needle = `${MARK_ENV}=${mark}`;
  return allPids().filter((pid) => {
    if (pid === process.pid || !isRunning(pid)) return false;
    return (read(`/proc/${pid}/environ`) ?? '').split('\0').includes(needle);
  });
}

/**
 * Signals `pid`, ignoring a process that is already gone.
 * @param {number} pid
 * @param {NodeJS.Signals} signal
 */
export function signal(pid, signal) {
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}

/**
 * Waits until `check()` holds or `timeoutMs` passes; resolves to whether it held.
 * @param {() => boolean} check
 * @param {number} timeoutMs
 * @param {number} [everyMs]
 */
export async function until(check, timeoutMs, everyMs = 20) {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) return false;
    await sleep(everyMs);
  }
  return true;
}

/**
 * The leak check after a run: waits up to `graceMs` for every process carrying `mark` to end, then SIGKILLs
 * (by pid) whatever is left. Returns the pids that had to be killed (0 is the expected count).
 * @param {string} mark
 * @param {number} [graceMs]
 */
export async function reapMarked(mark, graceMs = 5000) {
  await until(() => marked(mark).length === 0, graceMs, 50);
  const left = marked(mark);
  for (const pid of left) signal(pid, 'SIGKILL');
  if (left.length > 0) await until(() => marked(mark).length === 0, 2000, 50);
  return left;
}
