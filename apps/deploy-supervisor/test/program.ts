/**
 * Reads a supervisor program section (INI, as supervisord's ConfigParser does for our file: `[program:x]`,
 * `key=value`, `;` and `#` comment lines) and turns its `command=` into what the test can run here.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** `[program:NAME]` → its keys. */
export function readPrograms(path: string): Map<string, Map<string, string>> {
  const programs = new Map<string, Map<string, string>>();
  let current: Map<string, string> | undefined;
  for (const raw of readFileSync(path, 'utf8').split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith(';') || line.startsWith('#')) continue;
    const header = /^\[program:(.+)\]$/.exec(line);
    if (header?.[1]) {
      current = new Map();
      programs.set(header[1], current);
      continue;
    }
    const eq = line.indexOf('=');
    if (!current || eq < 1) throw new Error(`${path}: cannot read ${JSON.stringify(line)}`);
    current.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
  }
  return programs;
}

/**
 * `command=` split into argv. supervisord splits it like a POSIX shell; ours has no quotes or `%(…)s`
 * expansions, and this refuses any so the split cannot silently differ.
 */
export function commandArgv(command: string): string[] {
  if (/["'\\%$]/.test(command)) throw new Error(`command= needs a real shell-style parser now: ${command}`);
  return command.split(/\s+/).filter(Boolean);
}

/** supervisor's `environment=KEY="value",KEY2="value2"` as an object. */
export function parseEnvironment(spec: string | undefined): Record<string, string> {
  const env: Record<string, string> = {};
  for (const m of (spec ?? '').matchAll(/([A-Za-z_][A-Za-z0-9_]*)="([^"]*)"/g)) {
    if (m[1] !== undefined && m[2] !== undefined) env[m[1]] = m[2];
  }
  return env;
}

/** Moves `from` and absolute paths under it to `to`. */
export function relocate(args: readonly string[], from: string, to: string): string[] {
  return args.map((arg) => (arg === from || arg.startsWith(`${from}/`) ? join(to, arg.slice(from.length)) : arg));
}
