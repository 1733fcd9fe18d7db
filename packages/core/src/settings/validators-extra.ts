/**
 * Validators shared by several setting declarations, beyond the basic ones in `validators.ts`. Like those,
 * each accepts what a user can write in any layer (a string from the command line, a typed value from a
 * config file) and returns the typed value or throws a {@link SettingValueError}.
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseStatsdHost } from '../metrics/statsd.js';
import { parseAddress } from '../sockets/address.js';
import { SettingValueError, type Validator } from './types.js';

function show(raw: unknown): string {
  if (typeof raw === 'string') return JSON.stringify(raw);
  if (typeof raw === 'function') return 'a function';
  if (raw === null) return 'null';
  if (Array.isArray(raw)) return 'an array';
  return typeof raw === 'object' ? 'an object' : String(raw);
}

function fail(message: string): never {
  throw new SettingValueError(message);
}

/**
 * One of a fixed set of words, matched without regard to case and returned in its canonical spelling
 * (`tlsv1.3` → `TLSv1.3`); `aliases` map other accepted words onto a choice (`warn` → `warning`).
 */
export function choice<const T extends string>(
  choices: readonly T[],
  aliases: Readonly<Record<string, T>> = {},
): Validator<T> {
  const byKey = new Map<string, T>();
  for (const c of choices) byKey.set(c.toLowerCase(), c);
  for (const [alias, c] of Object.entries(aliases)) byKey.set(alias.toLowerCase(), c);
  return (raw) => {
    const hit = typeof raw === 'string' ? byKey.get(raw.trim().toLowerCase()) : undefined;
    if (hit !== undefined) return hit;
    return fail(`expected one of ${choices.join(', ')}, got ${show(raw)}`);
  };
}

/** Runs `validate`, then maps its result: gunicorn's clamps (`limitRequestLine` above 8190 → 8190) live here. */
export function mapped<T, U>(validate: Validator<T>, map: (value: T) => U): Validator<U> {
  return (raw) => map(validate(raw));
}

/** `null` (or `undefined`) stays `null`; anything else goes through `validate`. */
export function nullable<T>(validate: Validator<T>): Validator<T | null> {
  return (raw) => (raw === null || raw === undefined ? null : validate(raw));
}

/**
 * A list whose items may themselves contain commas (`KEY=a,b`, glob patterns such as `src/{a,b}.js`, paths),
 * so unlike `list()` it never splits a string: a single string is a one-item list, as in gunicorn.
 */
export function verbatimList<T>(item: Validator<T>): Validator<T[]> {
  return (raw) => {
    if (typeof raw === 'string') return raw.trim() === '' ? [] : [item(raw)];
    if (!Array.isArray(raw)) return fail(`expected a list of strings, got ${show(raw)}`);
    return raw.map((p) => item(p));
  };
}

/** `KEY=VALUE`, as given to `-e`; the value may be empty or contain `=` and commas, the key may not be empty. */
export const envAssignment: Validator<string> = (raw) => {
  if (typeof raw !== 'string') return fail(`expected KEY=VALUE, got ${show(raw)}`);
  const eq = raw.indexOf('=');
  if (eq < 0) return fail(`${JSON.stringify(raw)} is not KEY=VALUE (no '=')`);
  const key = raw.slice(0, eq).trim();
  if (key === '' || /[\s\0]/.test(key)) return fail(`${JSON.stringify(raw)} has an invalid variable name`);
  return `${key}=${raw.slice(eq + 1)}`;
};

/** One `--bind` value, checked with `parseAddress()` and kept as written (trimmed). */
export const bindAddress: Validator<string> = (raw) => {
  if (typeof raw !== 'string') return fail(`expected an address such as 127.0.0.1:8000, got ${show(raw)}`);
  parseAddress(raw);
  return raw.trim();
};

/** A TCP `HOST:PORT` with an explicit port (`127.0.0.1:9100`, `[::1]:9100`); no unix sockets or fds. */
export const tcpHostPort: Validator<string> = (raw) => {
  if (typeof raw !== 'string') return fail(`expected HOST:PORT, got ${show(raw)}`);
  const v = raw.trim();
  const addr = parseAddress(v);
  if (addr.kind !== 'tcp' || !/:\d+$/.test(v)) return fail(`expected HOST:PORT, got ${show(raw)}`);
  return v;
};

/**
 * A StatsD target, `HOST[:PORT]` (port 8125 when left out), checked by the StatsD client's own parser so the
 * setting accepts exactly what the client can send to. Node's dgram is UDP-only, so `unix://` is refused here.
 */
export const statsdAddress: Validator<string> = (raw) => {
  if (typeof raw !== 'string') return fail(`expected HOST:PORT, got ${show(raw)}`);
  try {
    parseStatsdHost(raw);
  } catch (err) {
    return fail((err as Error).message);
  }
  return raw.trim();
};

/** A syslog target: `udp://HOST:PORT`, `tcp://HOST:PORT`, or `unix://PATH[#stream|#dgram]`. */
export const syslogAddress: Validator<string> = (raw) => {
  if (typeof raw !== 'string') return fail(`expected udp://, tcp:// or unix:// address, got ${show(raw)}`);
  const v = raw.trim();
  const m = /^(udp|tcp|unix):\/\/(.+)$/i.exec(v);
  if (!m) return fail(`expected udp://HOST:PORT, tcp://HOST:PORT or unix://PATH, got ${show(raw)}`);
  const rest = m[2] as string;
  if (m[1]?.toLowerCase() === 'unix') {
    if (!/^[^#]+(#(stream|dgram))?$/i.test(rest))
      return fail(`${JSON.stringify(v)}: expected unix://PATH[#stream|#dgram]`);
  } else {
    parseAddress(rest);
  }
  return v;
};

/** An HTTP header name (an RFC 9110 token), or `*`. */
export const headerName: Validator<string> = (raw) => {
  if (typeof raw !== 'string') return fail(`expected a header name, got ${show(raw)}`);
  const v = raw.trim();
  if (v === '*' || /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(v)) return v;
  return fail(`${JSON.stringify(v)} is not a valid header name`);
};

/**
 * A user or group: a name, or a numeric id. Numeric ids come back as numbers because `process.setuid('1000')`
 * would look up a user *named* "1000".
 */
export const userOrId: Validator<string | number> = (raw) => {
  if (typeof raw === 'number' && Number.isInteger(raw) && raw >= 0) return raw;
  if (typeof raw === 'string') {
    const v = raw.trim();
    if (/^\d+$/.test(v)) return Number(v);
    if (/^[A-Za-z_][A-Za-z0-9_.-]*\$?$/.test(v)) return v;
  }
  return fail(`expected a name or a numeric id, got ${show(raw)}`);
};

/** An existing directory, returned as an absolute path (relative paths resolve against the current directory). */
export const directory: Validator<string> = (raw) => {
  if (typeof raw !== 'string' || raw.trim() === '') return fail(`expected a directory, got ${show(raw)}`);
  const abs = resolve(raw.trim());
  let isDir = false;
  try {
    isDir = statSync(abs).isDirectory();
  } catch {
    return fail(`can't chdir to ${JSON.stringify(raw)}: no such directory`);
  }
  return isDir ? abs : fail(`can't chdir to ${JSON.stringify(raw)}: not a directory`);
};
