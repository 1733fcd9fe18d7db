/**
 * Finding processes through /proc (Linux): children of a pid, processes carrying a test's marker variable,
 * and whether a pid is really gone (a zombie counts as gone).
 */
import { readdirSync, readFileSync } from 'node:fs';

function read(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

function stat(pid: number): { state: string; ppid: number } | null {
  const text = read(`/proc/${pid}/stat`);
  if (!text) return null;
  // The command name may contain spaces and parentheses; fields resume after the last ')'.
  const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { state: rest[0] ?? '?', ppid: Number(rest[1]) };
}

function pids(): number[] {
  return readdirSync('/proc')
    .filter((n) => /^\d+$/.test(n))
    .map(Number);
}

/** Whether `pid` is a live (non-zombie) process. */
export function isRunning(pid: number): boolean {
  const s = stat(pid);
  return s !== null && s.state !== 'Z' && s.state !== 'X';
}

/** Live children of `ppid` whose command line contains one of `needles` (all children when none given). */
export function childrenOf(ppid: number, ...needles: string[]): number[] {
  return pids().filter((pid) => {
    const s = stat(pid);
    if (!s || s.ppid !== ppid || s.state === 'Z') return false;
    const cmd = read(`/proc/${pid}/cmdline`) ?? '';
    return needles.length === 0 || needles.some((n) => cmd.includes(n));
  });
}

/** Live processes whose environment contains `NAME=value`. */
export function processesWithEnv(name: string, value: string): number[] {
  const needle = `${name}=${value}`;
  return pids().filter((pid) => {
    if (!isRunning(pid)) return false;
    const env = read(`/proc/${pid}/environ`);
    return env?.split('\0').includes(needle) ?? false;
  });
}

/** A process's command line with spaces for NULs (what `ps -o args` shows, title included). */
export function commandLine(pid: number): string {
  return (read(`/proc/${pid}/cmdline`) ?? '').replace(/\0+$/, '').replace(/\0/g, ' ');
}
